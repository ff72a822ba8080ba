"""Pages of the vehicles module."""

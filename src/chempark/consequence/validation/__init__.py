"""Comparisons of the consequence models with public field data (see ``docs/validation.md``)."""

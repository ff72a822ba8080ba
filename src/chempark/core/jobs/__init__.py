"""Durable background jobs (DESIGN.md rule 18): a job table, a registry of handlers filled by the
apps, and ``chempark worker``. See docs/architecture.md, "Background jobs"."""

"""The PostgreSQL backend the settings name (``base.DatabaseWrapper``)."""

"""JSON adapters for the consequence models: one ``MODELS`` table per family, merged here."""

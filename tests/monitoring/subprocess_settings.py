"""Settings for a worker subprocess started by a test: the project's settings, pointed at the
test database (the file on SQLite, the test database's name on PostgreSQL)."""

import os

os.environ.setdefault("CHEMPARK_ENV", "development")  # before the project's settings read it

from chempark.settings import *  # noqa: F403 - the project's settings, changed in one place below
from chempark.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["CHEMPARK_TEST_DB_NAME"]

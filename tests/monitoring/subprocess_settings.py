"""Settings for a worker subprocess started by a test: the project's settings, pointed at the
test database (the file on SQLite, the test database's name on PostgreSQL). On SQLite
``CHEMPARK_TEST_SQLITE_BUSY_MS`` shortens how long the worker waits for a lock before it calls the
database unavailable, so a test can take the database away for a second instead of minutes."""

import os
import re

os.environ.setdefault("CHEMPARK_ENV", "development")  # before the project's settings read it

from chempark.settings import *  # noqa: F403 - the project's settings, changed in one place below
from chempark.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["CHEMPARK_TEST_DB_NAME"]
if "CHEMPARK_TEST_SQLITE_BUSY_MS" in os.environ and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    _options = DATABASES["default"]["OPTIONS"]
    _busy = f"busy_timeout={int(os.environ['CHEMPARK_TEST_SQLITE_BUSY_MS'])}"
    _options["init_command"], _replaced = re.subn(r"busy_timeout=\d+", _busy, _options["init_command"])
    assert _replaced == 1, "the project's SQLite settings no longer set busy_timeout"

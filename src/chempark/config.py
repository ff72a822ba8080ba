"""Typed readers for the ``CHEMPARK_*`` environment variables.

Settings come only from the environment so that production differs from a laptop by nothing but
its environment. Each helper fails loudly on a malformed value instead of guessing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

PREFIX = "CHEMPARK_"


class ConfigError(RuntimeError):
    """An environment variable is present but cannot be used."""


def env_str(name: str, default: str) -> str:
    """The variable ``CHEMPARK_<name>`` as text, or ``default`` when unset or empty."""
    value = os.environ.get(PREFIX + name, "")
    return value if value != "" else default


def env_bool(name: str, default: bool) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); anything else is an error."""
    raw = os.environ.get(PREFIX + name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{PREFIX}{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """An integer, optionally bounded below."""
    raw = os.environ.get(PREFIX + name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{PREFIX}{name}={raw!r} is not an integer") from exc
    if minimum is not None and value < minimum:
        raise ConfigError(f"{PREFIX}{name}={value} is below the minimum {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    raw = os.environ.get(PREFIX + name, "")
    if raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class PostgresUrl:
    """The parts of a ``postgres://user:password@host:port/name`` URL that Django needs."""

    name: str
    user: str
    password: str
    host: str
    port: str


def parse_database_url(url: str) -> PostgresUrl:
    """Split a PostgreSQL URL; anything that is not ``postgres://`` or ``postgresql://`` is an error."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ConfigError(
            f"{PREFIX}DATABASE_URL must start with postgres:// (got scheme {parts.scheme!r}); "
            "leave it unset for the embedded SQLite database"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ConfigError(f"{PREFIX}DATABASE_URL has no database name")
    return PostgresUrl(
        name=name,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        host=parts.hostname or "",
        port=str(parts.port or ""),
    )


def data_dir() -> Path:
    """Where the embedded database, uploads and collected static files live (default ``./var``)."""
    return Path(env_str("DATA_DIR", "var")).resolve()

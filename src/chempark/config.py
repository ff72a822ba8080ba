"""Every ``CHEMPARK_*`` setting, declared once and read once.

Settings come only from the environment so that production differs from a laptop by nothing but its
environment. :class:`Settings` declares each variable with its type, default, allowed range and a
one-line description; :func:`load` reads them all at start-up and fails on the first unusable value
with a message naming the variable; :func:`current` hands the same object to every reader.
``docs/operations.md`` lists the variables from here (``chempark settings-doc``).

This module imports nothing from Django: the pure command-line tools read it too.

Secrets (marked ``secret``) may instead come from a file named by ``CHEMPARK_<NAME>_FILE`` (a
mounted secret, a file only the service user can read); setting both is an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, get_type_hints
from urllib.parse import unquote, urlsplit

PREFIX = "CHEMPARK_"
DEVELOPMENT_SECRET_KEY = "chempark-insecure-development-key-change-me"  # noqa: S105 - published on purpose
"""The published key a development or demo run uses when it sets none; production refuses it."""
DEMO_PASSWORD = "chempark-demo"  # noqa: S105 - published on purpose
"""The demo accounts' default password, published in the README; production refuses accounts with it."""
MIN_SECRET_KEY_LENGTH = 50  # Django's deploy check calls a shorter key weak


class ConfigError(RuntimeError):
    """An environment variable is present but cannot be used."""


class Env(StrEnum):
    """What a process is: production refuses insecure settings; the others are for one person's machine."""

    PRODUCTION = "production"
    DEVELOPMENT = "development"  # a developer's machine and the test suite
    DEMO = "demo"  # set by ``chempark demo`` itself


def _var(
    default: Any,
    description: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[str, ...] = (),
    secret: bool = False,
) -> Any:
    """One variable: its default and what the settings table says about it."""
    return field(
        default=default,
        metadata={
            "description": description,
            "minimum": minimum,
            "maximum": maximum,
            "choices": choices,
            "secret": secret,
        },
    )


MiB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """The settings of one process. The variable of field ``x`` is ``CHEMPARK_X``."""

    # --- the process and its security
    env: Env = _var(
        Env.PRODUCTION,
        "`production` refuses insecure settings; `development` for a developer's "
        "machine and the tests; `demo` is set by `chempark demo`",
        choices=tuple(Env),
    )
    debug: bool = _var(False, "Django debug pages; refused in production")
    secret_key: str = _var("", "Django secret key, at least 50 random characters; required in production", secret=True)
    allowed_hosts: tuple[str, ...] = _var(
        ("127.0.0.1", "localhost", "[::1]"), "host names the site answers to, comma-separated"
    )
    csrf_trusted_origins: tuple[str, ...] = _var(
        (), "origins allowed to post forms, e.g. `https://chempark.example.gov.cn`"
    )
    https: bool = _var(
        False, "served over HTTPS (by the TLS proxy): redirect HTTP, secure cookies, HSTS; required in production"
    )
    hsts_seconds: int = _var(
        365 * 86400, "HSTS max-age when `CHEMPARK_HTTPS` is on (with subdomains and preload); 0 sends none", minimum=0
    )
    trusted_proxies: tuple[str, ...] = _var(
        (),
        "addresses or networks (CIDR) of the reverse proxies (or `unix` "
        "for one on a Unix socket) whose "
        "`X-Forwarded-Proto`/`-For` headers are believed",
    )
    # --- storage
    data_dir: Path = _var(Path("var"), "embedded SQLite database, uploads, collected static files")
    database_url: str = _var("", "`postgres://user:password@host:5432/chempark`; empty = embedded SQLite", secret=True)
    database_conn_max_age: int = _var(
        60, "seconds a database connection is kept for reuse when `CHEMPARK_DATABASE_POOL_SIZE` is 0", minimum=0
    )
    database_pool_size: int = _var(
        8,
        "PostgreSQL connections each process keeps in its pool and shares between its requests; "
        "0 = no pool (a connection per request thread)",
        minimum=0,
    )
    database_pool_timeout_s: int = _var(
        30,
        "seconds a request or a worker's batch waits for a pooled connection (all in use, or the "
        "database unreachable) before it fails",
        minimum=1,
    )
    upload_max_bytes: int = _var(20 * MiB, "largest accepted upload", minimum=1024)
    # --- accounts
    password_min_length: int = _var(10, "minimum password length", minimum=8)
    session_timeout_s: int = _var(30 * 60, "idle session timeout", minimum=60)
    login_max_failures: int = _var(
        5, "failed logins in a row from one client address before that address waits", minimum=1
    )
    login_delay_s: int = _var(
        60, "first wait after too many failed logins; doubles with each further failure", minimum=1
    )
    login_lockout_s: int = _var(60 * 60, "longest wait after failed logins", minimum=1)
    person_token_ttl_days: int = _var(
        30, "lifetime of a person's API token (machine tokens run until revoked)", minimum=1
    )
    demo_password: str = _var(DEMO_PASSWORD, "password of the accounts `chempark demo` creates")
    # --- pages and logs
    map_tile_url: str = _var(
        "", "optional basemap tile URL, e.g. 天地图 with its key; empty = the park's own layers only"
    )
    map_tile_attribution: str = _var("", "attribution shown with the basemap")
    map_tianditu_key: str = _var(
        "",
        "天地图 key (console.tianditu.gov.cn): the basemap becomes 天地图's vector map with its annotation "
        "(overrides CHEMPARK_MAP_TILE_URL); empty = no 天地图",
        secret=True,
    )
    log_level: str = _var("INFO", "root log level", choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
    # --- background jobs (`chempark worker`)
    job_heartbeat_s: int = _var(5, "seconds between a job worker's heartbeats", minimum=1)
    job_stale_s: int = _var(
        60, "a running job without a heartbeat for this long is taken back from its (dead) worker", minimum=2
    )
    import_max_rows: int = _var(
        10_000, "largest workbook import, in data rows (reading stops at the next row)", minimum=1
    )
    # --- major hazards
    duty_check_days_principal: int = _var(90, "days between duty checks of a principal responsible person", minimum=1)
    duty_check_days_technical: int = _var(30, "days between duty checks of a technical responsible person", minimum=1)
    duty_check_days_operations: int = _var(7, "days between duty checks of an operations responsible person", minimum=1)
    commitment_deadline: dt.time = _var(dt.time(10, 0), "daily safety commitment deadline (HH:MM, Asia/Shanghai)")
    assessment_reminder_days: int = _var(90, "days before a safety assessment is due that reminders start", minimum=0)
    # --- monitoring
    mqtt_url: str = _var(
        "mqtt://127.0.0.1:1883",
        "broker of `chempark ingest` and `chempark simulate`, `mqtt://user:password@host:port`",
        secret=True,
    )
    mqtt_client_id: str = _var("chempark-ingest", "MQTT client id of `chempark ingest`")
    raw_retention_days: int = _var(30, "days raw readings are kept", minimum=30)
    rollup_retention_days: int = _var(1100, "days minute rollups are kept (at least 3 years)", minimum=1096)
    dead_letter_max_rows: int = _var(10_000, "rejected payloads kept for inspection, per enterprise", minimum=1)
    alarm_ack_timeout_s: int = _var(
        900, "an unacknowledged alarm is escalated to the duty officer after this", minimum=1
    )
    alarm_reminder_every_s: int = _var(900, "interval of reminders about an escalated alarm", minimum=1)
    point_index_ttl_s: int = _var(5, "how often the ingest path looks for point changes made elsewhere", minimum=0)
    live_stream_s: int = _var(25, "length of one live event-stream response", minimum=1)
    snapshot_max_bytes: int = _var(2 * MiB, "largest camera snapshot accepted", minimum=1024)
    warning_rules_file: str = _var("", "JSON list of enterprise warning rules; empty = the built-in table")
    incident_level_rules_file: str = _var("", "JSON list of incident response level rules; empty = the built-in table")
    demo_sim_step_s: int = _var(5, "seconds between the demo simulator's readings", minimum=1)
    demo_sim_seed: int = _var(7, "random seed of the demo simulator")
    # --- vehicles
    vehicle_max_stay_h: float = _var(
        6.0, "a vehicle inside the park longer than this raises an overstay alarm (hours)", minimum=0.5, maximum=72.0
    )
    # --- emergency
    default_wind_speed_m_s: float = _var(
        3.0, "wind speed assumed when no wind point reports one", minimum=1.0, maximum=30.0
    )
    default_wind_from_deg: float = _var(
        90.0, "wind direction (from, degrees) assumed when no wind point reports one", minimum=0.0, maximum=360.0
    )
    default_stability: str = _var(
        "D", "Pasquill stability class assumed for leak-source estimates", choices=("A", "B", "C", "D", "E", "F")
    )
    # --- command centre
    risk_weights: str = _var(
        "inherent=40,monitoring=35,management=25",
        "weights of the enterprise dynamic risk index: the families inherent, monitoring, management, "
        "and any factor by name (docs/command.md)",
    )
    # --- notifications
    smtp_url: str = _var(
        "",
        "e-mail server: `smtp://user:password@host:587` (STARTTLS) or `smtps://…:465`; empty = no e-mail",
        secret=True,
    )
    mail_from: str = _var("chempark@localhost", "sender address of the platform's e-mail")
    sms_url: str = _var("", "Alibaba Cloud SMS endpoint, e.g. `https://dysmsapi.aliyuncs.com/`; empty = no SMS")
    sms_access_key_id: str = _var("", "Alibaba Cloud AccessKey ID for SMS")
    sms_access_key_secret: str = _var("", "Alibaba Cloud AccessKey secret for SMS", secret=True)
    sms_sign_name: str = _var("", "approved SMS signature name (签名)")
    sms_template_code: str = _var("", "approved SMS template code; the template takes one variable `msg`")
    webhook_urls: tuple[str, ...] = _var(
        (), "WeCom or DingTalk group-robot webhook URLs that receive escalations (comma-separated)"
    )
    escalation_minutes: tuple[str, ...] = _var(
        ("0", "15", "30"),
        "minutes after an alarm's escalation at which the officer on duty, the leader on duty and the "
        "bureau administrators are notified",
    )
    notify_sms_per_hour: int = _var(10, "most SMS one phone number receives in an hour", minimum=1)
    notify_mail_per_hour: int = _var(30, "most e-mails one address receives in an hour", minimum=1)
    reminder_hour: int = _var(
        8, "local hour from which the day's reminders are sent (none at night)", minimum=0, maximum=23
    )
    reminder_every_minutes: int = _var(15, "minutes between the notifier's rounds of reminders", minimum=1)
    # --- vehicle tracking
    jt808_host: str = _var("0.0.0.0", "address `chempark jt808` listens on for JT/T 808 terminals")  # noqa: S104 — terminals connect from outside
    jt808_port: int = _var(8808, "TCP port of `chempark jt808`", minimum=1, maximum=65535)
    position_retention_days: int = _var(
        184, "days vehicle positions are kept (道路运输车辆动态监督管理办法: at least 6 months)", minimum=184
    )
    # --- video
    video_hls_url_template: str = _var(
        "",
        "playlist URL of a production media server (MediaMTX, ZLMediaKit, SRS) with `{camera}` (the camera's "
        "id) and `{code}`, e.g. `https://media.example/{camera}/index.m3u8`; empty = the built-in ffmpeg "
        "RTSP → HLS gateway",
    )
    video_ffmpeg: str = _var("ffmpeg", "ffmpeg executable of the built-in gateway")
    video_transcode: bool = _var(
        False, "re-encode with libx264 (ultrafast) instead of copying the camera's H.264 (for H.265 cameras)"
    )
    video_start_timeout_s: int = _var(
        15,
        "a stream without a playlist after this many seconds, or whose playlist stops moving for as "
        "long, is reported as not answering",
        minimum=2,
    )
    video_idle_s: int = _var(
        30, "the gateway stops a camera's ffmpeg after this many seconds without a viewer", minimum=5
    )
    # --- development tools
    shared_dir: str = _var(
        "",
        "directory with the validation data sets (`data/prairie_grass`); empty = the copies shipped with the package",
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", self.data_dir.resolve())  # relative to where the process started
        for item in dataclasses.fields(self):
            _check_range(item, getattr(self, item.name))
        for proxy in self.trusted_proxies:  # "unix": a proxy on this machine talking over a Unix socket
            try:
                proxy == "unix" or ipaddress.ip_network(proxy, strict=False)
            except ValueError as exc:
                raise ConfigError(
                    f"{variable('trusted_proxies')}: {proxy!r} is not an IP address, network or 'unix'"
                ) from exc


def variable(name: str) -> str:
    """The environment variable of a field: ``secret_key`` → ``CHEMPARK_SECRET_KEY``."""
    return PREFIX + name.upper()


def _check_range(item: dataclasses.Field[Any], value: Any) -> None:
    meta = item.metadata
    if meta["minimum"] is not None and value < meta["minimum"]:
        raise ConfigError(f"{variable(item.name)}={value} is below the minimum {meta['minimum']:g}")
    if meta["maximum"] is not None and value > meta["maximum"]:
        raise ConfigError(f"{variable(item.name)}={value} is above the maximum {meta['maximum']:g}")
    if meta["choices"] and value not in meta["choices"]:
        raise ConfigError(f"{variable(item.name)}={value!r} is not one of {', '.join(meta['choices'])}")


# --- parsing ---------------------------------------------------------------------------------------

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _parse(name: str, kind: Any, raw: str) -> Any:  # noqa: PLR0911 - one return per supported type
    """Text from the environment as the field's type; a malformed value names its variable."""
    text = raw.strip()
    if kind is bool:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ConfigError(f"{variable(name)}={raw!r} is not a boolean (use true or false)")
    if kind is int or kind is float:
        try:
            return kind(text)
        except ValueError as exc:
            raise ConfigError(f"{variable(name)}={raw!r} is not {'an integer' if kind is int else 'a number'}") from exc
    if kind is Env:
        try:
            return Env(text.lower())
        except ValueError as exc:
            raise ConfigError(f"{variable(name)}={raw!r} is not one of {', '.join(Env)}") from exc
    if kind is dt.time:
        try:
            return dt.datetime.strptime(text, "%H:%M").time()  # noqa: DTZ007 — a time of day, not an instant
        except ValueError as exc:
            raise ConfigError(f"{variable(name)}={raw!r} is not HH:MM") from exc
    if kind is Path:
        return Path(text)
    if kind == tuple[str, ...]:
        return tuple(item.strip() for item in raw.split(",") if item.strip())
    return text.upper() if _FIELDS[name].metadata["choices"] else raw


def _raw(name: str, environ: Mapping[str, str]) -> str:
    """The variable's text: from ``CHEMPARK_<NAME>``, or for a secret from the file ``..._FILE`` names."""
    key = variable(name)
    value = environ.get(key, "")
    path = environ.get(key + "_FILE", "") if _FIELDS[name].metadata["secret"] else ""
    if value and path:
        raise ConfigError(f"{key} and {key}_FILE are both set; keep one")
    if not path:
        return value
    try:
        text = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise ConfigError(f"{key}_FILE={path!r} cannot be read: {exc.strerror}") from exc
    if not text:
        raise ConfigError(f"{key}_FILE={path!r} is empty")
    return text


_FIELDS = {item.name: item for item in dataclasses.fields(Settings)}
_TYPES = get_type_hints(Settings)


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every variable from ``environ`` (default: the process environment). An unset or empty
    variable takes its default; an unusable one raises :class:`ConfigError` naming it."""
    source = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name in _FIELDS:
        raw = _raw(name, source)
        if raw.strip() != "":
            values[name] = _parse(name, _TYPES[name], raw)
    return Settings(**values)


_current: Settings | None = None


def current() -> Settings:
    """The process's settings, read from the environment on first use (Django's settings module
    makes that the start of the process) and the same object afterwards. Tests replace it for one
    test with the ``configure`` fixture."""
    global _current  # noqa: PLW0603 - the one process-wide settings object
    if _current is None:
        _current = load()
    return _current


# --- production safety -------------------------------------------------------------------------------


def insecure_reasons(settings: Settings) -> list[str]:
    """Why production must not start with these settings (empty outside production, and when sound)."""
    if settings.env is not Env.PRODUCTION:
        return []
    hint = f"{variable('env')}=development is for a developer's machine; `chempark demo` runs the demo"
    reasons = []
    if settings.debug:
        reasons.append(
            f"{variable('debug')}=true shows code and settings to anyone who causes an error; "
            f"production runs without it ({hint})"
        )
    key = settings.secret_key
    if not key:
        reasons.append(
            f"{variable('secret_key')} is not set: production needs its own random key of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters, in it or in a file named by "
            f"{variable('secret_key')}_FILE ({hint})"
        )
    elif key == DEVELOPMENT_SECRET_KEY:
        reasons.append(
            f"{variable('secret_key')} is the published development key: anyone could forge "
            "sessions; generate a random one"
        )
    elif len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        reasons.append(f"{variable('secret_key')} is too weak: use at least {MIN_SECRET_KEY_LENGTH} random characters")
    if not settings.https:
        reasons.append(
            f"{variable('https')} is off: production serves its pages and cookies over HTTPS only "
            "(through the TLS proxy; see docs/operations.md)"
        )
    return reasons


def markdown_table() -> str:
    """The settings table of docs/operations.md, generated from :class:`Settings`."""
    lines = ["| variable | type | default | allowed | meaning |", "|---|---|---|---|---|"]
    for item in dataclasses.fields(Settings):
        meta = item.metadata
        name = f"`{variable(item.name)}`" + (f" or `{variable(item.name)}_FILE`" if meta["secret"] else "")
        lines.append(
            f"| {name} | {_type_name(_TYPES[item.name])} | {_shown(item.default)} | "
            f"{_allowed(meta)} | {meta['description']} |"
        )
    return "\n".join(lines) + "\n"


def _type_name(kind: Any) -> str:
    names = {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "text",
        Path: "path",
        dt.time: "HH:MM",
        Env: "choice",
    }
    return names.get(kind, "comma-separated list")


def _shown(default: Any) -> str:
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, tuple):
        return f"`{','.join(default)}`" if default else "empty"
    if isinstance(default, dt.time):
        return f"`{default:%H:%M}`"
    return f"`{default}`" if str(default) != "" else "empty"


def _allowed(meta: Mapping[str, Any]) -> str:
    if meta["choices"]:
        return ", ".join(f"`{choice}`" for choice in meta["choices"])
    low, high = meta["minimum"], meta["maximum"]
    if low is not None and high is not None:
        return f"{low:g} – {high:g}"
    if low is not None:
        return f"≥ {low:g}"
    return ""


# --- PostgreSQL URL ----------------------------------------------------------------------------------


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


TIANDITU_LAYERS = ("vec", "cva")  # vector map, then its Chinese annotation on top
TIANDITU_URL = (
    "https://t0.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)


def basemap_tiles(settings: Settings) -> tuple[str, ...]:
    """The basemap's tile URL templates, drawn bottom up: 天地图's vector map and annotation when its
    key is set, else the one tile URL configured, else none (the park's own layers only)."""
    if settings.map_tianditu_key:
        return tuple(TIANDITU_URL.format(layer=layer, key=settings.map_tianditu_key) for layer in TIANDITU_LAYERS)
    return (settings.map_tile_url,) if settings.map_tile_url else ()

"""The settings object: typed variables that fail loudly, secrets from files, the generated table, and
a production that refuses to start insecurely."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from chempark import config
from chempark.accounts.services import user_create
from chempark.common.client_address import parse_trusted_proxies
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.park.checks import demo_password_not_in_production

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
STRONG_KEY = "k3y-" + "x7Qz" * 15


def test_unset_variables_take_their_defaults_and_set_ones_their_types() -> None:
    assert config.load({}) == config.Settings()
    settings = config.load(
        {
            "CHEMPARK_DEBUG": "Yes",
            "CHEMPARK_SESSION_TIMEOUT_S": " 600 ",
            "CHEMPARK_ALLOWED_HOSTS": "a.cn, b.cn,,",
            "CHEMPARK_COMMITMENT_DEADLINE": "08:30",
            "CHEMPARK_ENV": "Development",
            "CHEMPARK_LOG_LEVEL": "warning",
            "CHEMPARK_DEFAULT_WIND_SPEED_M_S": "4.5",
            "CHEMPARK_DATA_DIR": "some/dir",
            "CHEMPARK_MAP_TILE_URL": "",
        }
    )
    assert settings.debug is True
    assert settings.session_timeout_s == 600
    assert settings.allowed_hosts == ("a.cn", "b.cn")
    assert settings.commitment_deadline == dt.time(8, 30)
    assert settings.env is config.Env.DEVELOPMENT
    assert settings.log_level == "WARNING"
    assert settings.default_wind_speed_m_s == 4.5
    assert settings.data_dir == Path("some/dir").resolve()
    assert settings.map_tile_url == ""


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CHEMPARK_DEBUG", "perhaps", "CHEMPARK_DEBUG='perhaps' is not a boolean"),
        ("CHEMPARK_LOGIN_MAX_FAILURES", "ten", "CHEMPARK_LOGIN_MAX_FAILURES='ten' is not an integer"),
        ("CHEMPARK_PASSWORD_MIN_LENGTH", "6", "CHEMPARK_PASSWORD_MIN_LENGTH=6 is below the minimum 8"),
        ("CHEMPARK_DEFAULT_WIND_FROM_DEG", "400", "CHEMPARK_DEFAULT_WIND_FROM_DEG=400.0 is above the maximum 360"),
        ("CHEMPARK_DEFAULT_STABILITY", "G", "CHEMPARK_DEFAULT_STABILITY='G' is not one of A, B, C, D, E, F"),
        ("CHEMPARK_ENV", "staging", "CHEMPARK_ENV='staging' is not one of production, development, demo"),
        ("CHEMPARK_COMMITMENT_DEADLINE", "25:00", "CHEMPARK_COMMITMENT_DEADLINE='25:00' is not HH:MM"),
        ("CHEMPARK_TRUSTED_PROXIES", "10.0.0.1,nginx", "CHEMPARK_TRUSTED_PROXIES: 'nginx' is not an IP address"),
    ],
)
def test_an_unusable_value_is_refused_naming_its_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(config.ConfigError, match=re.escape(message)):
        config.load({variable: value})


def test_a_secret_comes_from_its_file_without_the_final_newline(tmp_path: Path) -> None:
    key_file = tmp_path / "secret-key"
    key_file.write_text(STRONG_KEY + "\n", encoding="utf-8")
    assert config.load({"CHEMPARK_SECRET_KEY_FILE": str(key_file)}).secret_key == STRONG_KEY
    url_file = tmp_path / "database-url"
    url_file.write_text("postgres://u:p@db/chempark\r\n", encoding="utf-8")
    assert config.load({"CHEMPARK_DATABASE_URL_FILE": str(url_file)}).database_url == "postgres://u:p@db/chempark"


def test_a_secret_file_that_clashes_is_missing_or_empty_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "secret-key"
    key_file.write_text(STRONG_KEY, encoding="utf-8")
    with pytest.raises(config.ConfigError, match="CHEMPARK_SECRET_KEY and CHEMPARK_SECRET_KEY_FILE are both set"):
        config.load({"CHEMPARK_SECRET_KEY": STRONG_KEY, "CHEMPARK_SECRET_KEY_FILE": str(key_file)})
    with pytest.raises(config.ConfigError, match="CHEMPARK_MQTT_URL_FILE='/nonexistent/x' cannot be read"):
        config.load({"CHEMPARK_MQTT_URL_FILE": "/nonexistent/x"})
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="is empty"):
        config.load({"CHEMPARK_SECRET_KEY_FILE": str(tmp_path / "empty")})
    # only secrets have the file form: anything else ignores a *_FILE variable
    assert config.load({"CHEMPARK_LOG_LEVEL_FILE": str(key_file)}).log_level == "INFO"


def test_trusted_proxies_are_addresses_networks_or_unix() -> None:
    loaded = config.load({"CHEMPARK_TRUSTED_PROXIES": "127.0.0.1, 10.1.0.0/16, ::1, unix"})
    assert loaded.trusted_proxies == ("127.0.0.1", "10.1.0.0/16", "::1", "unix")
    with pytest.raises(config.ConfigError, match="CHEMPARK_TRUSTED_PROXIES"):
        config.load({"CHEMPARK_TRUSTED_PROXIES": "10.0.0.300"})


def test_production_states_every_reason_it_refuses() -> None:
    reasons = config.insecure_reasons(config.load({"CHEMPARK_DEBUG": "true"}))
    assert [r.split(" ")[0] for r in reasons] == ["CHEMPARK_DEBUG=true", "CHEMPARK_SECRET_KEY", "CHEMPARK_HTTPS"]
    published = config.load({"CHEMPARK_SECRET_KEY": config.DEVELOPMENT_SECRET_KEY, "CHEMPARK_HTTPS": "true"})
    assert config.insecure_reasons(published) == [
        "CHEMPARK_SECRET_KEY is the published development key: anyone could forge sessions; generate a random one"
    ]
    short = config.load({"CHEMPARK_SECRET_KEY": "s3cret-but-short", "CHEMPARK_HTTPS": "true"})
    assert "too weak" in config.insecure_reasons(short)[0]
    assert config.insecure_reasons(config.load({"CHEMPARK_SECRET_KEY": STRONG_KEY, "CHEMPARK_HTTPS": "1"})) == []
    for env in ("development", "demo"):
        assert config.insecure_reasons(config.load({"CHEMPARK_ENV": env, "CHEMPARK_DEBUG": "true"})) == []


def test_the_operations_guide_lists_every_variable_from_the_settings_object() -> None:
    text = OPERATIONS.read_text(encoding="utf-8")
    documented = text.split("<!-- settings-doc -->\n", 1)[1].split("<!-- /settings-doc -->", 1)[0]
    assert documented == config.markdown_table(), "run `chempark settings-doc` and paste its table"
    names = set(re.findall(r"`(CHEMPARK_[A-Z0-9_]+)`", documented))
    assert {config.variable(name) for name in config.Settings.__dataclass_fields__} <= names


def test_settings_doc_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("settings-doc")
    assert capsys.readouterr().out == config.markdown_table()


# --- starting a process -------------------------------------------------------------------------------


def _environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A clean process environment: none of this shell's CHEMPARK_* variables, a scratch data directory."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CHEMPARK_") and k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PYTHONPATH=str(ROOT / "src"), CHEMPARK_DATA_DIR=str(tmp_path / "data"), **variables)
    return env


def _chempark(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chempark.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def test_production_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = _chempark(_environment(tmp_path, CHEMPARK_DEBUG="false", CHEMPARK_HTTPS="true"), "check")
    assert result.returncode != 0
    assert "CHEMPARK_SECRET_KEY is not set" in result.stderr
    # the web process refuses as well, on loading the application
    web = subprocess.run(
        [sys.executable, "-c", "import chempark.asgi"],
        env=_environment(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert web.returncode != 0
    assert "refusing to start" in web.stderr and "CHEMPARK_SECRET_KEY is not set" in web.stderr


def test_a_malformed_variable_stops_the_command_naming_it(tmp_path: Path) -> None:
    result = _chempark(_environment(tmp_path, CHEMPARK_ENV="development", CHEMPARK_SESSION_TIMEOUT_S="30"), "check")
    assert result.returncode == 2
    assert result.stderr == "chempark: CHEMPARK_SESSION_TIMEOUT_S=30 is below the minimum 60\n"


def _documented_production_environment() -> dict[str, str]:
    block = OPERATIONS.read_text(encoding="utf-8").split("<!-- production-environment -->", 1)[1]
    block = block.split("<!-- /production-environment -->", 1)[0]
    lines = [line for line in block.splitlines() if line.startswith("CHEMPARK_")]
    return dict(line.split("=", 1) for line in lines)


def test_the_documented_production_environment_passes_the_deploy_check(tmp_path: Path) -> None:
    documented = _documented_production_environment()
    assert {"CHEMPARK_SECRET_KEY_FILE", "CHEMPARK_HTTPS", "CHEMPARK_TRUSTED_PROXIES"} <= documented.keys()
    key_file = tmp_path / "secret-key"
    key_file.write_text(secrets.token_urlsafe(64) + "\n", encoding="utf-8")
    documented["CHEMPARK_SECRET_KEY_FILE"] = str(key_file)
    del documented["CHEMPARK_DATABASE_URL_FILE"]  # the check needs no database server: the scratch SQLite
    del documented["CHEMPARK_DATA_DIR"]
    result = _chempark(_environment(tmp_path, **documented), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def _production(configure: Any) -> None:
    configure(env=config.Env.PRODUCTION, secret_key=STRONG_KEY, https=True)


def test_a_demo_account_with_the_demo_password_stops_production(db: None, configure: Any) -> None:
    user = user_create(
        actor=SYSTEM,
        username="inspector",
        password=config.DEMO_PASSWORD,
        role=Role.INSPECTOR,
        check_password_rules=False,
    )
    user_create(
        actor=SYSTEM, username="someone", password=config.DEMO_PASSWORD, role=Role.INSPECTOR, check_password_rules=False
    )
    assert demo_password_not_in_production() == [], "outside production the demo accounts are expected"
    _production(configure)
    errors = demo_password_not_in_production()
    assert [e.id for e in errors] == ["chempark.E002"]
    assert "inspector" in errors[0].msg and "someone" not in errors[0].msg  # only the demo's own accounts
    user.set_password("An0ther-Passw0rd!")
    user.save()
    assert demo_password_not_in_production() == []


def test_the_demo_command_refuses_production(db: None, configure: Any) -> None:
    _production(configure)
    with pytest.raises(SystemExit):
        call_command("demo", no_serve=True)


@pytest.mark.parametrize(("peer", "secure"), [("127.0.0.1", True), ("203.0.113.9", False)])
def test_forwarded_https_is_believed_only_from_a_trusted_proxy(
    db: None, client: Any, settings: Any, configure: Any, peer: str, secure: bool
) -> None:
    settings.TRUSTED_PROXIES = parse_trusted_proxies(["127.0.0.1"])
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/accounts/login/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https")
    if secure:
        assert response.status_code == 200
    else:  # a client claiming HTTPS itself is still sent to HTTPS
        assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz", REMOTE_ADDR=peer).status_code == 200, "the probe is not redirected"


def test_tianditu_is_one_setting_for_the_basemap_and_the_csp() -> None:
    """CHEMPARK_MAP_TIANDITU_KEY alone gives 天地图's vector map and its annotation, in that order,
    and the Content-Security-Policy admits their images (and no other host)."""
    from chempark.core.csp import policy

    settings = config.load({"CHEMPARK_MAP_TIANDITU_KEY": "0123456789abcdef", "CHEMPARK_ENV": "development"})
    vector, annotation = config.basemap_tiles(settings)
    assert "/vec_w/" in vector and "LAYER=vec" in vector and vector.endswith("tk=0123456789abcdef")
    assert "/cva_w/" in annotation and "{z}" in annotation and "{x}" in annotation and "{y}" in annotation
    images = next(part for part in policy(f"{vector} {annotation}").split("; ") if part.startswith("img-src"))
    assert images == "img-src 'self' data: blob: https://t0.tianditu.gov.cn"
    assert config.basemap_tiles(config.load({"CHEMPARK_ENV": "development"})) == ()


DATABASES_SCRIPT = (
    "import json, django; django.setup(); from django.conf import settings; "
    "d = settings.DATABASES['default']; print(json.dumps([d['CONN_MAX_AGE'], d['OPTIONS']]))"
)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, [0, {"pool": {"min_size": 1, "max_size": 8, "timeout": 30}}]),
        (
            {"CHEMPARK_DATABASE_POOL_SIZE": "3", "CHEMPARK_DATABASE_POOL_TIMEOUT_S": "5"},
            [0, {"pool": {"min_size": 1, "max_size": 3, "timeout": 5}}],
        ),
        ({"CHEMPARK_DATABASE_POOL_SIZE": "0", "CHEMPARK_DATABASE_CONN_MAX_AGE": "45"}, [45, {}]),
    ],
)
def test_postgresql_connections_come_from_a_pool_unless_its_size_is_zero(
    tmp_path: Path, variables: dict[str, str], expected: list[Any]
) -> None:
    """Under ASGI every request runs in a thread of its own; without a pool each one opened its own
    PostgreSQL connection. The pool excludes Django's persistent connections (CONN_MAX_AGE 0)."""
    env = _environment(
        tmp_path,
        CHEMPARK_ENV="development",
        CHEMPARK_DATABASE_URL="postgres://chempark@127.0.0.1:5432/chempark",
        DJANGO_SETTINGS_MODULE="chempark.settings",
        **variables,
    )
    done = subprocess.run(
        [sys.executable, "-c", DATABASES_SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == expected


def test_a_pool_follows_its_alias_to_another_database() -> None:
    """A process that points a connection alias at another database (the browser tests retarget
    every thread by changing ``NAME``) gets connections to that database: the old pool is closed."""
    from chempark.core.db_backend.base import DatabaseWrapper

    settings_dict = {
        **connection.settings_dict,
        "ENGINE": "chempark.core.db_backend",
        "NAME": "chempark_a",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        "USER": "chempark",
        "PASSWORD": "",
        "CONN_MAX_AGE": 0,
        "OPTIONS": {"pool": {"min_size": 0, "max_size": 2}},
    }
    wrapper = DatabaseWrapper(settings_dict, alias="pool-follows-test")
    first = wrapper.pool
    assert wrapper.pool is first and first.kwargs["dbname"] == "chempark_a"
    first.open()  # min_size 0: opening connects to nothing
    assert not first.closed
    settings_dict["NAME"] = "chempark_b"
    second = wrapper.pool
    assert second is not first and second.kwargs["dbname"] == "chempark_b"
    assert first.closed
    wrapper.close_pool()

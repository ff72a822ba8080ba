"""Health check and environment configuration."""

from __future__ import annotations

from typing import Any

import pytest

from chempark.config import ConfigError, parse_database_url


def test_healthz(client: Any, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_request_id_is_echoed(client: Any, db: None) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"})["X-Request-ID"] == "abc-123"
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})["X-Request-ID"]
    assert generated != "bad id with spaces" and len(generated) == 32


@pytest.mark.parametrize("proposed", ["x" * 65, "a:b", "a/b", "日志", "a\nb", "<script>", ""])
def test_a_malformed_request_id_is_replaced_before_it_is_stored(client: Any, db: None, proposed: str) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": proposed})["X-Request-ID"] != proposed
    kept = "A-z_0.9" + "x" * 57
    assert client.get("/healthz", headers={"X-Request-ID": kept})["X-Request-ID"] == kept


def test_database_url_parsing() -> None:
    url = parse_database_url("postgres://u%40x:p%2Fw@db.local:5433/chempark")
    assert (url.user, url.password, url.host, url.port, url.name) == ("u@x", "p/w", "db.local", "5433", "chempark")
    with pytest.raises(ConfigError):
        parse_database_url("mysql://x/y")
    with pytest.raises(ConfigError):
        parse_database_url("postgres://host/")

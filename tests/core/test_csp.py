"""The Content-Security-Policy header: on every response, strict, and admitting the basemap's tiles."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from chempark.core.csp import policy, tile_source


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/", "/api/v1/openapi.json", "/no-such-page/"])
def test_every_response_carries_the_policy(client: Any, db: None, path: str) -> None:
    header = client.get(path)["Content-Security-Policy"]
    found = directives(header)
    assert found["script-src"] == "'self'" and found["style-src"] == "'self'"
    assert found["default-src"] == "'self'" and found["object-src"] == "'none'"
    assert found["frame-ancestors"] == "'none'" and found["img-src"] == "'self' data: blob:"
    assert "unsafe" not in header


@override_settings(MAP_TILE_URL="https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}&tk=KEY")
def test_the_tile_servers_join_img_src_only(client: Any, db: None) -> None:
    found = directives(client.get("/accounts/login/")["Content-Security-Policy"])
    assert found["img-src"] == "'self' data: blob: https://*.tianditu.gov.cn"
    assert found["connect-src"] == "'self'" and found["script-src"] == "'self'"


def test_a_media_servers_origin_joins_connect_and_media_src(client: Any, db: None, configure: Any) -> None:
    configure(video_hls_url_template="https://media.park.example:8443/live/{camera}/index.m3u8")
    found = directives(client.get("/accounts/login/")["Content-Security-Policy"])
    assert found["connect-src"] == "'self' https://media.park.example:8443"
    assert found["media-src"] == "'self' blob: https://media.park.example:8443"
    assert found["script-src"] == "'self'" and found["img-src"] == "'self' data: blob:"


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("", ""),
        ("/tiles/{z}/{x}/{y}.png", ""),  # same origin: 'self' covers it
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("http://{s}.tile.example.org:8080/{z}/{x}/{y}.png", "http://*.tile.example.org:8080"),
        ("https://a.{s}.example.org/{z}/{x}/{y}.png", "https:"),  # no CSP host form for that
        ("javascript:alert(1)", ""),
    ],
)
def test_tile_source(url: str, source: str) -> None:
    assert tile_source(url) == source


def test_the_policy_forbids_inline_code_and_eval() -> None:
    header = policy("https://tiles.example.org/{z}/{x}/{y}.png")
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert directives(header)["img-src"].endswith(" https://tiles.example.org")

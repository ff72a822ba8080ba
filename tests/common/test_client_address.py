"""Which address a request comes from: X-Forwarded-For only counts when a trusted proxy sent it."""

from __future__ import annotations

import pytest

from chempark.common.client_address import TrustedProxies, client_address, parse_trusted_proxies

PROXIES = parse_trusted_proxies(["10.0.0.0/8", "192.0.2.1", "::1", "unix"])


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.9", "", "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a proxy: the header is ignored
        ("10.1.2.3", "198.51.100.1", "198.51.100.1"),
        ("10.1.2.3", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own forged hop is left of the real one
        ("10.1.2.3", "198.51.100.1, 192.0.2.1", "198.51.100.1"),  # two trusted hops
        ("10.1.2.3", "10.9.9.9", "10.9.9.9"),  # only proxies: the first of them
        ("10.1.2.3", "", "10.1.2.3"),
        ("::1", "2001:db8::5", "2001:db8::5"),
        ("", "198.51.100.1", "198.51.100.1"),  # over the Unix socket
    ],
)
def test_client_address(remote: str, forwarded: str, expected: str) -> None:
    assert client_address(remote, forwarded, PROXIES) == expected


def test_no_trusted_proxies_means_the_connection_address() -> None:
    assert client_address("10.1.2.3", "198.51.100.1", TrustedProxies()) == "10.1.2.3"
    assert client_address("", "198.51.100.1", TrustedProxies()) == ""


def test_a_malformed_entry_is_named() -> None:
    with pytest.raises(ValueError, match=r"10\.0\.0\.300"):
        parse_trusted_proxies(["10.0.0.0/8", "10.0.0.300"])

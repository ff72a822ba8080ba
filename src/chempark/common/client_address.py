"""The address of the client behind a request, believing ``X-Forwarded-For`` only from trusted proxies.

Anyone can send an ``X-Forwarded-For`` header, so taken at face value it would let an attacker
pick the address their failed logins are counted against. Behind a reverse proxy, though, every
request arrives from the proxy's address, and counting by it would lump all clients together.
The header is therefore read only when the connection comes from a configured proxy, and then from
the right: each trusted hop vouches for the one before it, and the first address that is not a
trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Sequence[str]) -> tuple[Network, ...]:
    """Addresses or CIDR blocks (``10.0.0.5``, ``10.0.0.0/8``, ``::1``); a malformed one raises
    ``ValueError`` naming it."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP address or network: {entry!r}") from exc
    return tuple(networks)


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(remote_addr: str, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client's address: ``remote_addr`` unless it is a trusted proxy, in which case the last
    address of ``forwarded_for`` that is not itself a trusted proxy."""
    if not _is_trusted(remote_addr, trusted):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else remote_addr

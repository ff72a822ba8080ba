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
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNIX_SOCKET = "unix"  # the entry that trusts connections over a Unix socket (no remote address)


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()
    unix_socket: bool = False

    def trust(self, address: str) -> bool:
        if address == "":
            return self.unix_socket
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)


def parse_trusted_proxies(entries: Sequence[str]) -> TrustedProxies:
    """Addresses or CIDR blocks (``10.0.0.5``, ``10.0.0.0/8``, ``::1``), or ``unix`` for a proxy
    on this machine talking over a Unix socket; a malformed entry raises ``ValueError`` naming it."""
    networks = []
    for entry in (e.strip() for e in entries):
        if entry == UNIX_SOCKET:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP address, network or {UNIX_SOCKET!r}: {entry!r}") from exc
    return TrustedProxies(tuple(networks), unix_socket=UNIX_SOCKET in (e.strip() for e in entries))


def client_address(remote_addr: str, forwarded_for: str, trusted: TrustedProxies) -> str:
    """The client's address: ``remote_addr`` unless it is a trusted proxy, in which case the last
    address of ``forwarded_for`` that is not itself a trusted proxy."""
    if not trusted.trust(remote_addr):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not trusted.trust(hop):
            return hop
    return hops[0] if hops else remote_addr

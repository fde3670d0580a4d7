"""The client's address, trusting ``X-Forwarded-For`` only from configured proxies."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from starlette.requests import Request
from starlette.types import Scope

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)  # read on every request
def parse_networks(value: str) -> tuple[IPNetwork, ...]:
    """``"10.0.0.1, 172.16.0.0/12"`` -> networks; a bad entry raises ValueError naming it."""
    networks: list[IPNetwork] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or CIDR network") from None
    return tuple(networks)


def is_trusted(address: str, networks: Sequence[IPNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request: Request, trusted_proxies: Sequence[IPNetwork]) -> str | None:
    """The direct peer, unless it is a trusted proxy: then the nearest address in
    ``X-Forwarded-For`` that is not itself a trusted proxy. Entries left of that one were
    written by the client and may be forged, so they are never used."""
    peer = request.client.host if request.client else None
    if peer is None or not is_trusted(peer, trusted_proxies):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",")]
    address = peer
    for hop in reversed([h for h in hops if h]):
        try:
            hop = str(ipaddress.ip_address(hop))
        except ValueError:
            # Garbage from a proxy we trust: keep the last address we could vouch for.
            return address
        address = hop
        if not is_trusted(hop, trusted_proxies):
            return hop
    return address


def forwarded_https(scope: Scope, trusted_proxies: Sequence[IPNetwork]) -> bool:
    """Whether a trusted proxy says the client reached it over HTTPS (``X-Forwarded-Proto``)."""
    client = scope.get("client")
    if not client or not is_trusted(client[0], trusted_proxies):
        return False
    for name, value in scope["headers"]:
        if name == b"x-forwarded-proto":
            proto: str = value.decode("latin-1")
            return proto.split(",")[0].strip().lower() == "https"
    return False

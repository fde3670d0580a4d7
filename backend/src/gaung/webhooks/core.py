"""Webhook signing, the retry schedule and the address guard, free of the web and the ORM."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from datetime import timedelta
from enum import StrEnum

TIMESTAMP_HEADER = "X-Gaung-Timestamp"
SIGNATURE_HEADER = "X-Gaung-Signature"
EVENT_HEADER = "X-Gaung-Event"
DELIVERY_HEADER = "X-Gaung-Delivery"

FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=2)


class Event(StrEnum):
    post_published = "post.published"
    post_failed = "post.failed"
    submission_status_changed = "submission.status_changed"


TEST_EVENT = "ping"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 over ``"<timestamp>.<body>"``: receivers check the
    timestamp is recent (no replays) and the signature matches (no forgeries)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def retry_delay(attempt: int) -> timedelta:
    """Wait after the ``attempt``-th failure: 30 s doubling, at most two hours."""
    wait: timedelta = FIRST_RETRY * 2 ** min(attempt - 1, 20)
    return min(LONGEST_WAIT, wait)


# Addresses a webhook may not reach unless GAUNG_WEBHOOK_ALLOW_PRIVATE is set: this host,
# private networks, link-local (cloud metadata at 169.254.169.254), shared carrier NAT, and
# anything not globally routable.
_EXTRA_BLOCKED = tuple(
    ipaddress.ip_network(n)
    for n in ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "fd00:ec2::254/128")
)


def blocked_reason(address: str) -> str | None:
    """Why ``address`` (an IP) may not be called, or None when it may."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata)"
    if ip.is_private or any(ip in net for net in _EXTRA_BLOCKED):
        return "private network"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return "not a public address"
    return None


def first_blocked(addresses: Iterable[str], own: Iterable[str]) -> tuple[str, str] | None:
    """The first refused address with its reason: every address a name resolves to is
    checked, since a client may connect to any of them."""
    mine = set(own)
    for address in addresses:
        if address in mine:
            return address, "this Gaung instance"
        reason = blocked_reason(address)
        if reason is not None:
            return address, reason
    return None

"""Whether Meta can fetch a media file from the public address Gaung gives it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def public_url_problem(url: str) -> bool:
    """Whether Meta surely cannot fetch ``url``: plain http, localhost, or an address that is
    private, loopback, link-local or otherwise not on the internet."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return True
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a bare intranet name
    return not address.is_global

"""One webhook request: the address checked and pinned, the body signed, the answer timed.

The receiver's name is resolved here and every address it gives is checked; the request then
goes to the checked address itself (the name kept for Host and TLS), so a name that resolves
differently a moment later (DNS rebinding) cannot steer it elsewhere. Redirects are not
followed: they could point anywhere."""

from __future__ import annotations

import asyncio
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from gaung.config import Settings
from gaung.webhooks import core


class Refused(Exception):
    """The address may not be called (or cannot be resolved)."""


@dataclass(frozen=True)
class Answer:
    ok: bool
    status_code: int | None
    duration_ms: int
    error: str | None


async def _resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise Refused(f"{host} cannot be resolved ({exc.strerror or exc})") from None
    out: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        if address not in out:
            out.append(address)
    if not out:
        raise Refused(f"{host} has no address")
    return out


async def _own_addresses(settings: Settings) -> tuple[str | None, list[str]]:
    host = urlsplit(settings.public_base_url).hostname
    if not host:
        return None, []
    try:
        return host, await _resolve(host, 443)
    except Refused:
        return host, []


async def checked_address(url: str, settings: Settings) -> str:
    """The address to connect to for ``url``, after the guard; Refused with the reason."""
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise Refused("only http and https addresses can receive webhooks")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = await _resolve(host, port)
    if settings.webhook_allow_private:
        return addresses[0]
    own_host, own = await _own_addresses(settings)
    if own_host is not None and host.lower() == own_host.lower():
        raise Refused(f"{host} is this Gaung instance")
    bad = core.first_blocked(addresses, own)
    if bad is not None:
        address, reason = bad
        raise Refused(f"{host} resolves to {address}: {reason}")
    return addresses[0]


async def post(
    http: httpx.AsyncClient,
    settings: Settings,
    *,
    url: str,
    secret: str,
    event: str,
    delivery_id: int,
    body: bytes,
    now: float | None = None,
) -> Answer:
    started = time.monotonic()
    try:
        address = await checked_address(url, settings)
    except Refused as exc:
        return Answer(False, None, 0, f"refused: {exc}")
    parts = urlsplit(url)
    host = parts.hostname or ""
    pinned = httpx.URL(url).copy_with(host=address)
    timestamp = int(now if now is not None else time.time())
    headers = {
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "Content-Type": "application/json",
        "User-Agent": "Gaung-Webhook/1",
        core.TIMESTAMP_HEADER: str(timestamp),
        core.SIGNATURE_HEADER: core.sign(secret, timestamp, body),
        core.EVENT_HEADER: event,
        core.DELIVERY_HEADER: str(delivery_id),
    }
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    request = http.build_request(
        "POST",
        pinned,
        content=body,
        headers=headers,
        timeout=settings.webhook_timeout_s,
        extensions=extensions,
    )
    try:
        response = await http.send(request, follow_redirects=False, stream=True)
        await response.aclose()  # the answer's body is not needed
    except httpx.HTTPError as exc:
        took = int((time.monotonic() - started) * 1000)
        return Answer(False, None, took, f"{type(exc).__name__}: {exc}"[:500])
    took = int((time.monotonic() - started) * 1000)
    ok = 200 <= response.status_code < 300
    return Answer(ok, response.status_code, took, None if ok else f"HTTP {response.status_code}")

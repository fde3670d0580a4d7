"""A real HTTP receiver on a free local port that answers with scripted status codes and keeps
what it was sent, and a signature check written without Gaung's code."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    statuses: list[int] = field(default_factory=list)  # answered in order; then 200
    got: list[Received] = field(default_factory=list)
    port: int = 0
    hold_s: float = 0.0  # how long each request is held before the answer
    in_flight: int = 0
    most_at_once: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")[1:]
        headers = {}
        for line in lines:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.got.append(Received(headers, body))
        self.in_flight += 1
        self.most_at_once = max(self.most_at_once, self.in_flight)
        await asyncio.sleep(self.hold_s)
        self.in_flight -= 1
        status = self.statuses.pop(0) if self.statuses else 200
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".encode()
        )
        await writer.drain()
        writer.close()


@asynccontextmanager
async def receiving(
    statuses: list[int] | None = None, hold_s: float = 0.0
) -> AsyncIterator[Receiver]:
    receiver = Receiver(list(statuses or []), hold_s=hold_s)
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    receiver.port = server.sockets[0].getsockname()[1]
    try:
        yield receiver
    finally:
        server.close()
        await server.wait_closed()


def independent_signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp + "." + body`` with the cryptography package, not hmac."""
    mac = crypto_hmac.HMAC(secret.encode(), hashes.SHA256())
    mac.update(timestamp.encode() + b"." + body)
    return "sha256=" + mac.finalize().hex()

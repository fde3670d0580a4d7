"""Oversized bodies against a real server (uvicorn in a child process): how much of the body the
server takes before it answers, how long that takes, and its memory before and after. Prints
the figures; run by hand or with `make bench`.

    python bench/bench_edge.py
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUNK = b"x" * (64 * 1024)
MiB = 1024 * 1024


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def send(
    port: int, path: str, total: int, *, chunked: bool, headers: str = ""
) -> tuple[str, int, float]:
    """Sends up to ``total`` body bytes until the server answers; the status line, the bytes
    sent and the seconds until the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    # As curl does for a large body: the server may answer before the body is sent.
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Expect: 100-continue\r\n{headers}{framing}\r\n\r\n".encode()
    )
    start = time.perf_counter()
    answer = asyncio.ensure_future(reader.readline())
    await asyncio.wait({answer}, timeout=1)
    if answer.done() and b" 100 " in answer.result():
        await reader.readline()
        answer = asyncio.ensure_future(reader.readline())
    sent = 0
    try:
        while sent < total and not answer.done():
            piece = CHUNK[: total - sent]
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            drained = asyncio.ensure_future(writer.drain())
            await asyncio.wait({drained, answer}, return_when=asyncio.FIRST_COMPLETED)
            if not drained.done():
                drained.cancel()
                break
            drained.result()
            sent += len(piece)
    except ConnectionError:
        pass
    try:
        status = (await asyncio.wait_for(answer, 60)).decode().strip()
    except ConnectionError:
        status = "connection reset"
    except TimeoutError:
        status = "no answer in 60 s"
    seconds = time.perf_counter() - start
    writer.close()
    return status, sent, seconds


async def measure(port: int, pid: int) -> None:
    for _ in range(100):
        try:
            await asyncio.open_connection("127.0.0.1", port)
            break
        except OSError:
            await asyncio.sleep(0.1)
    print(f"server memory at start: {rss_mib(pid):.0f} MiB")
    cases = [
        ("200 MiB JSON, Content-Length, /auth/login", "/api/v1/auth/login", 200 * MiB, False),
        ("200 MiB JSON, chunked, /auth/login", "/api/v1/auth/login", 200 * MiB, True),
        ("1 GiB upload without login, chunked", "/api/v1/media", 1024 * MiB, True),
        ("1 GiB upload without login, Content-Length", "/api/v1/media", 1024 * MiB, False),
    ]
    for name, path, total, chunked in cases:
        status, sent, seconds = await send(port, path, total, chunked=chunked)
        print(
            # "sent" includes what waits in socket buffers, unread by the server.
            f"{name:<45} {status:<28} body sent {sent / MiB:6.1f} MiB   "
            f"{seconds * 1000:7.1f} ms   server {rss_mib(pid):.0f} MiB"
        )


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tempfile.mkdtemp(prefix="gaung-bench-edge-")
    env = {**os.environ, "GAUNG_DATA_DIR": folder, "GAUNG_SPA_DIR": f"{folder}/none"}
    command = [sys.executable, "-m", "uvicorn", "gaung.main:create_app", "--factory"]
    server = subprocess.Popen([*command, "--port", str(port), "--log-level", "warning"], env=env)
    try:
        asyncio.run(measure(port, server.pid))
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

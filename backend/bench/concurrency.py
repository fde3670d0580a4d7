"""The embedded mode under parallel clients: a real `gaung run` (SQLite, its own process) on a
fresh data folder, hammered over HTTP. Prints answers by status, wall time and latencies of
parallel writers mixed with reads, and the read throughput alone and beside writers.

    python bench/concurrency.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from gaung.config import Settings

DEMO = Settings()


@contextmanager
def embedded() -> Iterator[str]:
    data = Path(tempfile.mkdtemp(prefix="gaung-bench-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAUNG_")}
    env |= {"GAUNG_DATA_DIR": str(data), "GAUNG_SPA_DIR": str(data / "no-spa")}
    with (data / "server.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gaung.cli", "run", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            while True:
                if proc.poll() is not None:
                    raise SystemExit((data / "server.log").read_text())
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            proc.wait(30)


def latencies(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    return f"p50 {statistics.median(ms):6.0f} ms  p95 {p95:6.0f} ms  max {ms[-1]:6.0f} ms"


async def timed(kind: str, request: Awaitable[httpx.Response]) -> tuple[str, int, float]:
    start = time.perf_counter()
    res = await request
    return kind, res.status_code, (time.perf_counter() - start) * 1000


async def main(rounds: int) -> None:
    login = {"email": DEMO.demo_admin_email, "password": DEMO.demo_admin_password}
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    with embedded() as base:

        def fresh() -> httpx.AsyncClient:
            # A new client per phase: a connection left idle past the server's keep-alive
            # timeout would race its closing (a client-side error, not the server's).
            return httpx.AsyncClient(base_url=base, limits=limits, timeout=120)

        async with fresh() as client:
            token = (await client.post("/api/v1/auth/login", json=login)).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            me = (await client.get("/api/v1/me", headers=headers)).json()
            accounts = (await client.get("/api/v1/accounts", headers=headers)).json()["items"]
            body = {
                "unit_id": me["memberships"][0]["unit"]["id"],
                "title": "Bench",
                "planned_at": "2026-12-01T09:00:00+07:00",
                "variants": [{"account_id": accounts[0]["id"], "text": "Halo dari Gaung"}],
            }
            post_id = (await client.post("/api/v1/posts", json=body, headers=headers)).json()["id"]

        def reads(client: httpx.AsyncClient, n: int) -> list[Awaitable[tuple[str, int, float]]]:
            return [
                timed("read", client.get("/api/v1/posts?limit=20", headers=headers))
                for _ in range(n)
            ]

        def writes(client: httpx.AsyncClient) -> list[Awaitable[tuple[str, int, float]]]:
            patch = f"/api/v1/posts/{post_id}"
            return (
                [
                    timed("patch", client.patch(patch, json={"title": f"E{i}"}, headers=headers))
                    for i in range(20)
                ]
                + [
                    timed(
                        "create",
                        client.post(
                            "/api/v1/posts", json=body | {"title": f"P{i}"}, headers=headers
                        ),
                    )
                    for i in range(50)
                ]
                + [timed("login", client.post("/api/v1/auth/login", json=login)) for _ in range(10)]
            )

        print("embedded mode (gaung run, SQLite), one client machine, loopback")
        for r in range(rounds):
            async with fresh() as client:
                start = time.perf_counter()
                alone = await asyncio.gather(*reads(client, 100))
                wall_alone = time.perf_counter() - start
            async with fresh() as client:
                start = time.perf_counter()
                mixed = await asyncio.gather(*writes(client), *reads(client, 40))
                wall = time.perf_counter() - start
            statuses = Counter(f"{k} {s}" for k, s, _ in mixed)
            beside = [ms for k, _, ms in mixed if k == "read"]
            print(f"round {r + 1}")
            print(
                f"  100 parallel reads alone   {wall_alone:5.2f} s "
                f"({100 / wall_alone:5.1f}/s)  {latencies([ms for *_, ms in alone])}"
            )
            print(
                f"  {len(mixed)} mixed (20 PATCH one post, 50 creates, 10 logins, 40 reads) "
                f"{wall:5.2f} s  {latencies([ms for *_, ms in mixed])}"
            )
            print(f"  reads beside the writers   {latencies(beside)}")
            for kind in ("patch", "create", "login"):
                ms = [m for k, _, m in mixed if k == kind]
                print(f"  {kind:<7} {latencies(ms)}")
            print("  answers: " + ", ".join(f"{k} × {n}" for k, n in sorted(statuses.items())))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args().rounds))

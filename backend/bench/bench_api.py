"""API figures on a fresh embedded database: post creation, listing with filters, validation,
and the X weighted count. Prints the figures; run by hand or with `make bench`.

    python bench/bench_api.py [--posts 2000]
    GAUNG_BENCH_DATABASE_URL=postgresql+psycopg://… python bench/bench_api.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from gaung.config import Settings
from gaung.db import create_engine, make_sessionmaker
from gaung.main import create_app
from gaung.migrate import upgrade
from gaung.platforms.x.limits import weighted_length
from gaung.seed import seed_demo

TEXT = (
    "Peta rawan longsor skala 1:25.000 untuk Jawa Barat kini bisa diunduh gratis di "
    "https://data.example.go.id/longsor 🗺️ #DataTerbuka #MitigasiBencana"
)


async def timed(n: int, fn: Callable[[int], Awaitable[object]]) -> list[float]:
    out = []
    for i in range(n):
        start = time.perf_counter()
        await fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    print(
        f"{name:<40} n={len(ms):<5} median {statistics.median(ms):7.2f} ms   "
        f"p95 {p95:7.2f} ms   {1000 / statistics.mean(ms):7.1f}/s"
    )


async def main(posts: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="gaung-bench-"))
    url = os.environ.get("GAUNG_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/b.sqlite3"
    await asyncio.to_thread(upgrade, url)
    settings = Settings(data_dir=folder, database_url=url)
    engine = create_engine(url)
    async with make_sessionmaker(engine)() as session:
        await seed_demo(session, settings)
        await session.commit()
    app = create_app(settings, engine=engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        login = await client.post(
            "/api/v1/auth/login",
            json={"email": settings.demo_admin_email, "password": settings.demo_admin_password},
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        accounts = (await client.get("/api/v1/accounts", headers=headers)).json()["items"]
        by_platform = {a["platform"]: a["id"] for a in accounts}
        body = {
            "unit_id": 1,
            "title": "Benchmark",
            "category": "Informasi Teknologi",
            "planned_at": "2026-12-01T09:00:00+07:00",
            "variants": [
                {"account_id": by_platform["x"], "text": TEXT},
                {"account_id": by_platform["facebook"], "text": TEXT * 3},
            ],
        }

        async def create(i: int) -> None:
            res = await client.post(
                "/api/v1/posts", json=body | {"title": f"Benchmark {i}"}, headers=headers
            )
            assert res.status_code == 201, res.text

        print(f"database: {engine.dialect.name}; demo data plus {posts} posts")
        report("POST /posts (2 variants)", await timed(posts, create))

        async def validate(_: int) -> None:
            assert (
                await client.post("/api/v1/posts/validate", json=body, headers=headers)
            ).is_success

        report("POST /posts/validate", await timed(200, validate))

        async def list_page(_: int) -> None:
            assert (await client.get("/api/v1/posts?limit=50", headers=headers)).is_success

        report("GET /posts?limit=50", await timed(100, list_page))

        async def search(_: int) -> None:
            res = await client.get(
                "/api/v1/posts",
                params={"q": "longsor", "platform": "x", "status": "draft", "limit": 50},
                headers=headers,
            )
            assert res.is_success

        report("GET /posts?q&platform&status", await timed(100, search))

        async def login_once(_: int) -> None:
            await client.post(
                "/api/v1/auth/login",
                json={"email": settings.demo_admin_email, "password": settings.demo_admin_password},
            )

        report("POST /auth/login (argon2id)", await timed(20, login_once))
    await engine.dispose()

    start = time.perf_counter()
    n = 20_000
    for _ in range(n):
        weighted_length(TEXT)
    per = (time.perf_counter() - start) / n * 1e6
    print(f"{'X weighted length (twitter-text)':<40} {per:7.1f} µs per text")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=2000)
    asyncio.run(main(parser.parse_args().posts))

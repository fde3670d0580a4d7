"""The dispatch pipeline alone on PostgreSQL: N variants due at the same instant, published by
1 and by 3 workers (each its own engine and pool, in this process) through a stand-in connector
that answers after a fixed latency. Prints lateness (due instant → the call reaching the
connector) p50/p95/p99/max, throughput, duplicates and lost. The full benchmark over HTTP
against a fake platform server is `bench/publish.py`.

    python bench/dispatch.py [--variants 1000] [--latency-ms 50] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import delete, func, select

from gaung.accounts.connectors import BoundAccount
from gaung.accounts.models import Platform, PlatformAccount
from gaung.accounts.sandbox import sandbox_credentials
from gaung.config import Settings
from gaung.db import create_engine, make_sessionmaker, session_scope
from gaung.migrate import upgrade
from gaung.platforms.protocol import (
    AccountCredentials,
    PublishResult,
    VariantToPublish,
)
from gaung.posts import jobs, publishing
from gaung.posts.models import Post, PostStatus, PostVariant, PublishAttempt
from gaung.units.models import Unit
from gaung.worker.context import JobContext

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.pg import temporary_postgres

ACCOUNTS = 10


class StandIn:
    """Records when each text arrives, answers after ``latency``."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.received: list[tuple[str, float]] = []

    @property
    def platform(self) -> Platform:
        return Platform.x

    async def publish(self, account: AccountCredentials, variant: VariantToPublish) -> Any:
        self.received.append((variant.text, time.time()))
        await asyncio.sleep(self.latency)
        return PublishResult(f"{account.external_id}-{len(self.received)}", None)


async def seed(url: str, n: int, due: datetime) -> None:
    engine = create_engine(url)
    factory = make_sessionmaker(engine)
    async with session_scope(factory) as s:
        await s.execute(delete(PublishAttempt))
        await s.execute(delete(PostVariant))
        await s.execute(delete(Post))
        await s.execute(delete(Unit))
        unit = Unit(name="Bench", slug="bench")
        s.add(unit)
        await s.flush()
        accounts = [
            PlatformAccount(
                unit_id=unit.id,
                platform=Platform.x,
                sandbox=True,
                external_id=f"bench-{i}",
                handle=f"@bench{i}",
                display_name="Bench",
            )
            for i in range(ACCOUNTS)
        ]
        s.add_all(accounts)
        await s.flush()
        for i in range(n):
            post = Post(unit_id=unit.id, title=f"B{i}", status=PostStatus.scheduled)
            post.variants = [
                PostVariant(
                    account_id=accounts[i % ACCOUNTS].id,
                    text=f"variant {i}",
                    status=PostStatus.scheduled,
                    scheduled_at=due,
                )
            ]
            s.add(post)
    await engine.dispose()


async def run(url: str, n: int, workers: int, latency: float, concurrency: int) -> None:
    due = datetime.now(UTC) + timedelta(seconds=2)
    await seed(url, n, due)
    stand_in = StandIn(latency)

    def bind(account: PlatformAccount, **_kw: Any) -> BoundAccount:
        return BoundAccount(stand_in, sandbox_credentials(account))  # type: ignore[arg-type]

    publishing.bind = bind  # type: ignore[assignment]
    settings = Settings(env="test", publish_concurrency=concurrency)
    engines = [
        create_engine(url, pool_size=concurrency + 2, max_overflow=5) for _ in range(workers)
    ]
    async with httpx.AsyncClient() as http:
        ctxs = [
            JobContext(make_sessionmaker(e), settings, http, worker=f"bench-{i}")
            for i, e in enumerate(engines)
        ]
        await asyncio.sleep(max((due - datetime.now(UTC)).total_seconds(), 0))
        start = time.time()
        # Each worker's scheduler would start dispatch at its own moment within the interval;
        # here they start together, the worst case for contention.
        results = await asyncio.gather(*(jobs.dispatch(c) for c in ctxs))
        took = time.time() - start
    factory = make_sessionmaker(engines[0])
    async with session_scope(factory) as s:
        published = await s.scalar(
            select(func.count()).where(PostVariant.status == PostStatus.published)
        )
    for e in engines:
        await e.dispose()
    texts = Counter(t for t, _ in stand_in.received)
    duplicates = sum(c - 1 for c in texts.values() if c > 1)
    lost = n - len(texts)
    late = sorted(at - due.timestamp() for _t, at in stand_in.received)
    q = statistics.quantiles(late, n=100)
    print(
        f"workers={workers} variants={n} latency={latency * 1000:.0f}ms "
        f"concurrency={concurrency}/worker\n"
        f"  lateness p50={q[49]:.3f}s p95={q[94]:.3f}s p99={q[98]:.3f}s max={late[-1]:.3f}s\n"
        f"  throughput {n / took:.0f}/s (all published in {took:.2f}s); "
        f"published {published}, duplicates {duplicates}, lost {lost}\n"
        f"  per worker claimed: {[r['claimed'] for r in results]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--concurrency", type=int, default=Settings().publish_concurrency)
    args = parser.parse_args()
    with temporary_postgres() as url:
        os.environ.pop("GAUNG_DATABASE_URL", None)
        upgrade(url)
        for workers in (1, 3):
            asyncio.run(run(url, args.variants, workers, args.latency_ms / 1000, args.concurrency))


if __name__ == "__main__":
    main()

"""Lists at scale: seeds 2,000, 20,000 and 100,000 posts (the demo posts copied, about 2.7
variants each, over five years) on SQLite and on PostgreSQL with bulk inserts, and prints for
each request the median and p95 through the ASGI app, logged in as the demo unit's admin, next
to the time of the bare SQL the request runs (the page's ids and the rows it shows).
Goal: under 50 ms, and within 3x the bare SQL, at 100,000 posts.

    python bench/lists.py [--sizes 2000,20000,100000] [--databases sqlite,postgresql] [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.pg import postgres_server

from gaung.accounts.models import Platform, PlatformAccount
from gaung.auth.principal import Principal
from gaung.calendar.service import (
    CalendarFilters,
    counts_query,
    days_of,
    entries_query,
    first_entries_query,
    posts_statement,
)
from gaung.config import Settings
from gaung.db import create_engine as create_async_engine
from gaung.db import make_sessionmaker
from gaung.main import create_app
from gaung.migrate import upgrade
from gaung.posts import calendar_time, service
from gaung.posts.models import Post, PostStatus, PostVariant, VariantMedia
from gaung.posts.search import FTS_TABLES, TRIGRAM_INDEXES
from gaung.seed import seed_demo
from gaung.users.models import Role, User

CHUNK = 5000
# How many entries a day the web app's month, week and list views ask for
# (frontend/src/features/calendar/queries.ts).
CALENDAR_PER_DAY = 20
PLATFORMS = [Platform.x, Platform.instagram, Platform.facebook]


@dataclass
class Template:
    title: str
    category: str | None
    texts: dict[int, str]  # account id -> text
    media: dict[int, int]  # account id -> media id


def _status(rng: random.Random, at: datetime | None, now: datetime) -> PostStatus:
    if at is None:
        return PostStatus.draft
    if at < now:
        return rng.choices([PostStatus.published, PostStatus.failed, PostStatus.draft], [94, 3, 3])[
            0
        ]
    return rng.choice(
        [PostStatus.draft, PostStatus.in_review, PostStatus.approved, PostStatus.scheduled]
    )


def seed_bulk(
    engine: Engine, unit_id: int, author_id: int, templates: list[Template], count: int
) -> None:
    """``count`` more posts copied from the demo ones, over the five years up to next month."""
    with _search_structures_set_aside(engine):
        _insert(engine, unit_id, author_id, templates, count)
    # The stored calendar times of the new rows, by the service's own rule.
    with engine.begin() as conn:
        conn.execute(calendar_time.refresh_statement(PostVariant.calendar_at.is_(None)))
    # Fresh statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) keep them.
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


@contextmanager
def _search_structures_set_aside(engine: Engine) -> Iterator[None]:
    """A bulk load's usual trick: the text search's triggers (SQLite) or trigram indexes
    (PostgreSQL) are dropped during the load and made again, as the migration made them, after
    it; building them once is much faster than row by row."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            saved = [
                sql
                for (sql,) in conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"),
                    {"p": "%_fts_%"},
                )
            ]
            for name in FTS_TABLES:
                for suffix in ("ai", "ad", "au"):
                    conn.execute(text(f"DROP TRIGGER {name}_{suffix}"))
        else:
            saved = [
                sql
                for (sql,) in conn.execute(
                    text("SELECT indexdef FROM pg_indexes WHERE indexname = ANY(:names)"),
                    {"names": list(TRIGRAM_INDEXES)},
                )
            ]
            for name in TRIGRAM_INDEXES:
                conn.execute(text(f"DROP INDEX {name}"))
    yield
    with engine.begin() as conn:
        for sql in saved:
            conn.execute(text(sql))
        if engine.dialect.name == "sqlite":
            for name in FTS_TABLES:
                conn.execute(text(f"INSERT INTO {name}({name}) VALUES ('rebuild')"))


def _insert(
    engine: Engine, unit_id: int, author_id: int, templates: list[Template], count: int
) -> None:
    rng = random.Random(count)
    now = datetime.now(UTC)
    start, span = now - timedelta(days=5 * 365), timedelta(days=5 * 365 + 30)
    with engine.begin() as conn:
        next_post = (conn.scalar(select(Post.id).order_by(Post.id.desc()).limit(1)) or 0) + 1
        next_variant = (
            conn.scalar(select(PostVariant.id).order_by(PostVariant.id.desc()).limit(1)) or 0
        ) + 1
        posts: list[dict[str, Any]] = []
        variants: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []

        def flush() -> None:
            for table, rows in (
                (Post.__table__, posts),
                (PostVariant.__table__, variants),
                (VariantMedia.__table__, links),
            ):
                if rows:
                    conn.execute(insert(table), rows)
                    rows.clear()

        for i in range(count):
            t = templates[i % len(templates)]
            at = None if rng.random() < 0.03 else start + span * (i / count)
            status = _status(rng, at, now)
            created = (at or now) - timedelta(days=3)
            posts.append(
                {
                    "id": next_post,
                    "unit_id": unit_id,
                    "title": t.title,
                    "category": t.category,
                    "campaign": None,
                    "notes": "Catatan tim humas" if i % 4 == 0 else None,
                    "status": status,
                    "planned_at": at,
                    "author_id": author_id,
                    "review_comment": None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            accounts = [a for a in t.texts if rng.random() < 0.9] or [next(iter(t.texts))]
            for account_id in accounts:
                published = status == PostStatus.published
                variants.append(
                    {
                        "id": next_variant,
                        "post_id": next_post,
                        "account_id": account_id,
                        "text": t.texts[account_id],
                        "options": {},
                        "status": status,
                        "scheduled_at": at if status != PostStatus.draft else None,
                        "external_id": f"e{next_variant}" if published else None,
                        "external_url": None,
                        "attempts": 1 if published else 0,
                        "last_error": None,
                        "last_error_message_id": None,
                        "last_error_code": None,
                        "lease_until": None,
                        "claimed_by": None,
                        "next_attempt_at": None,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
                if account_id in t.media:
                    links.append(
                        {"variant_id": next_variant, "position": 0, "media_id": t.media[account_id]}
                    )
                next_variant += 1
            next_post += 1
            if len(posts) >= CHUNK:
                flush()
        flush()
        if engine.dialect.name == "postgresql":
            for table in ("post", "post_variant"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "
                        f"FROM {table}"
                    )
                )


def report(name: str, api: list[float], sql: list[float]) -> None:
    def p95(ms: list[float]) -> float:
        ms = sorted(ms)
        return ms[max(0, int(len(ms) * 0.95) - 1)]

    med, bare = statistics.median(api), statistics.median(sql)
    flag = "" if med < 50 and med <= 3 * bare else "  <-- over the goal"
    print(
        f"  {name:<34} api median {med:7.2f} ms  p95 {p95(api):7.2f} ms   "
        f"bare SQL median {bare:6.2f} ms  p95 {p95(sql):6.2f} ms   x{med / bare:4.1f}{flag}"
    )


async def timed(runs: int, fn: Callable[[], Awaitable[object]]) -> list[float]:
    for _ in range(3):  # warm caches and prepared plans
        await fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


async def measure(url: str, sync_url: str, folder: Path, size: int, runs: int) -> None:
    await asyncio.to_thread(upgrade, url)
    settings = Settings(data_dir=folder, database_url=url)
    engine = create_async_engine(url)
    maker = make_sessionmaker(engine)
    async with maker() as session:
        await seed_demo(session, settings)
        await session.commit()
        templates, unit_id, admin = await _templates(session, settings)
    demo = len(templates)
    began = time.perf_counter()
    sync_engine = create_engine(sync_url)
    await asyncio.to_thread(seed_bulk, sync_engine, unit_id, admin.id, templates, size - demo)
    sync_engine.dispose()
    async with maker() as session:
        variants = await session.scalar(select(text("count(*)")).select_from(PostVariant))
    print(
        f"{engine.dialect.name}: {size:,} posts, {variants:,} variants "
        f"(seeded in {time.perf_counter() - began:.1f} s)"
    )
    principal = Principal(user=admin, roles={unit_id: Role.admin})
    now = datetime.now(UTC)
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    next_month = (month + timedelta(days=32)).replace(day=1)
    async with maker() as session:
        middle = (
            await session.scalars(
                service.page_statement(
                    principal,
                    service.PostFilters(unit_id=unit_id),
                    engine.dialect.name,
                    1,
                    offset=size // 2,
                )
            )
        ).first()
        deep_post = await session.get(Post, middle)
        assert deep_post is not None
        deep = service.encode_cursor(deep_post)
    app = create_app(settings, engine=engine)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        login = await client.post(
            "/api/v1/auth/login",
            json={"email": settings.demo_admin_email, "password": settings.demo_admin_password},
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        base = {"unit_id": unit_id, "limit": 50}
        cases: list[tuple[str, dict[str, Any], service.PostFilters, Any]] = [
            ("list, first page", {}, service.PostFilters(unit_id=unit_id), None),
            (
                "list, middle page (cursor)",
                {"cursor": deep},
                service.PostFilters(unit_id=unit_id),
                service.decode_cursor(deep),
            ),
            ("q=banjir", {"q": "banjir"}, service.PostFilters(unit_id=unit_id, q="banjir"), None),
            (
                "platform=x&status=draft",
                {"platform": "x", "status": "draft"},
                service.PostFilters(unit_id=unit_id, platform=Platform.x, status=PostStatus.draft),
                None,
            ),
            (
                "category",
                {"category": "Acara"},
                service.PostFilters(unit_id=unit_id, category="Acara"),
                None,
            ),
            (
                "month (date_from/date_to)",
                {"date_from": month.isoformat(), "date_to": next_month.isoformat()},
                service.PostFilters(unit_id=unit_id, date_from=month, date_to=next_month),
                None,
            ),
        ]
        for name, params, filters, after in cases:

            async def call(params: dict[str, Any] = params) -> None:
                res = await client.get("/api/v1/posts", params=base | params, headers=headers)
                assert res.status_code == 200, res.text

            async def bare(filters: service.PostFilters = filters, after: Any = after) -> None:
                async with maker() as session:
                    ids = await service.page_ids(session, principal, filters, 51, after=after)
                    await service.load_posts(session, ids[:50])

            report(name, await timed(runs, call), await timed(runs, bare))
        await _calendar(client, headers, maker, unit_id, month, next_month, runs)
    await engine.dispose()


async def _calendar(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    maker: Any,
    unit_id: int,
    month: datetime,
    next_month: datetime,
    runs: int,
) -> None:
    day = month + timedelta(days=3)
    cases = [
        # What the web app asks: its month, week and list views cap each day, and a day
        # opened on its own shows all of it.
        (f"calendar, month, {CALENDAR_PER_DAY} a day", month, next_month, CALENDAR_PER_DAY),
        (
            f"calendar, week, {CALENDAR_PER_DAY} a day",
            day,
            day + timedelta(days=7),
            CALENDAR_PER_DAY,
        ),
        ("calendar, one day, all", day, day + timedelta(days=1), None),
        # The API without the cap, for comparison: every entry of a month.
        ("calendar, month, all (API only)", month, next_month, None),
    ]
    wib = ZoneInfo("Asia/Jakarta")
    for name, start, end, per_day in cases:
        params: dict[str, Any] = {
            "unit_id": unit_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        if per_day is not None:
            params["per_day"] = per_day

        async def call(params: dict[str, Any] = params) -> None:
            res = await client.get("/api/v1/calendar", params=params, headers=headers)
            assert res.status_code == 200, res.text

        async def bare(
            start: datetime = start, end: datetime = end, per_day: int | None = per_day
        ) -> None:
            async with maker() as session:
                none = CalendarFilters()
                dialect = session.get_bind().dialect.name
                if per_day is None:
                    entries = entries_query(unit_id, start, end, none)
                else:
                    days = days_of(start, end, wib)
                    entries = first_entries_query(unit_id, days, none, per_day, dialect)
                    (await session.execute(*counts_query(unit_id, days, none, dialect))).all()
                rows = (await session.execute(*entries)).all()
                stmt = posts_statement({row.post_id for row in rows}, dialect)
                (await session.execute(stmt)).all()

        report(name, await timed(runs, call), await timed(runs, bare))


async def _templates(session: AsyncSession, settings: Settings) -> tuple[list[Template], int, User]:
    admin = await session.scalar(select(User).where(User.email == settings.demo_admin_email))
    assert admin is not None
    posts = (await session.scalars(select(Post).order_by(Post.id))).all()
    templates = []
    for post in posts:
        rows = (
            await session.execute(
                select(PostVariant.id, PostVariant.account_id, PostVariant.text).where(
                    PostVariant.post_id == post.id
                )
            )
        ).all()
        linked = await session.execute(
            select(PostVariant.account_id, VariantMedia.media_id)
            .join(VariantMedia, VariantMedia.variant_id == PostVariant.id)
            .where(PostVariant.post_id == post.id, VariantMedia.position == 0)
        )
        media = {account_id: media_id for account_id, media_id in linked.all()}
        templates.append(
            Template(post.title, post.category, {r.account_id: r.text for r in rows}, media)
        )
    assert await session.scalar(select(PlatformAccount.id).limit(1)) is not None
    return templates, posts[0].unit_id, admin


async def main(sizes: list[int], databases: list[str], runs: int) -> None:
    print(__doc__.split("\n\n")[0].replace("\n", " "))
    for db in databases:
        for size in sizes:
            folder = Path(tempfile.mkdtemp(prefix="gaung-bench-lists-"))
            if db == "sqlite":
                path = folder / "b.sqlite3"
                await measure(
                    f"sqlite+aiosqlite:///{path}", f"sqlite:///{path}", folder, size, runs
                )
            else:
                with postgres_server() as server:
                    await measure(server.url, server.url, folder, size, runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(
        main(
            [int(s) for s in args.sizes.split(",")],
            args.databases.split(","),
            args.runs,
        )
    )

"""The lists' query plans on enough rows for a plan to mean something: each main query uses the
index meant for it, and none reads all of ``post`` or ``post_variant``, so a later change cannot
quietly undo the indexes of the ``list_indexes`` migration.

The rows are real (bulk inserted, then ANALYZE), not a planner switched off with
``enable_seqscan``: the plans are the ones production would get."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.conftest import World

from gaung.accounts.models import Platform
from gaung.auth.principal import Principal
from gaung.calendar.service import (
    CalendarFilters,
    Query,
    counts_query,
    days_of,
    entries_query,
    first_entries_query,
    posts_statement,
)
from gaung.posts import calendar_time, service
from gaung.posts.models import Post, PostStatus, PostVariant
from gaung.posts.search import TRIGRAM_INDEXES, matching_post_ids
from gaung.users.models import Role

POSTS = 10_000
TEXTS = [
    "Sosialisasi mitigasi bencana longsor bersama warga desa",
    "Peta lahan sawah dari citra satelit kini terbuka untuk umum",
    "Pameran teknologi pengelolaan air di gedung utama",
]
STATUSES = [PostStatus.published] * 8 + [PostStatus.draft, PostStatus.scheduled]


async def _seed(world: World) -> tuple[Principal, int, int]:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    accounts = [await world.account(unit, p) for p in Platform]
    # Another unit's posts share the tables, as in an agency.
    other = await world.unit()
    session = world.session
    first = (await session.scalar(select(func.max(Post.id))) or 0) + 1
    first_variant = (await session.scalar(select(func.max(PostVariant.id))) or 0) + 1
    start = datetime(2021, 1, 1, tzinfo=UTC)
    posts, variants = [], []
    for i in range(POSTS):
        at = start + timedelta(hours=4 * i)
        # One in a thousand failed: a rare status, which the variant index finds directly.
        status = PostStatus.failed if i % 1000 == 0 else STATUSES[i % len(STATUSES)]
        posts.append(
            {
                "id": first + i,
                "unit_id": unit.id if i % 5 else other.id,
                # A rare word in one title in a thousand, as a search for it would be.
                "title": f"Simulasi evakuasi tsunami {i}" if i % 1000 == 7 else f"Kegiatan {i}",
                "notes": "Bahan dari bagian program" if i % 4 == 0 else None,
                "category": ["Acara", "Berita Kegiatan", "Layanan Publik"][i % 3],
                "status": status,
                "planned_at": at,
                "created_at": at,
                "updated_at": at,
            }
        )
        for n, account in enumerate(accounts):
            variants.append(
                {
                    "id": first_variant + len(variants),
                    "post_id": first + i,
                    "account_id": account.id,
                    "text": TEXTS[(i + n) % len(TEXTS)],
                    "options": {},
                    "status": status,
                    "scheduled_at": at,
                    "attempts": 0,
                    "created_at": at,
                    "updated_at": at,
                }
            )
    await session.execute(insert(Post), posts)
    await session.execute(insert(PostVariant), variants)
    # Bulk inserts pass the ORM by: their calendar times are stored as the service would.
    await session.execute(calendar_time.refresh_statement(PostVariant.unit_id.is_(None)))
    if session.get_bind().dialect.name == "postgresql":
        # New rows wait in a GIN index's pending list until (auto)vacuum merges them, and the
        # planner prices that list as a full read; merge it as autovacuum would.
        for index in TRIGRAM_INDEXES:
            await session.execute(text(f"SELECT gin_clean_pending_list('{index}'::regclass)"))
    await session.execute(text("ANALYZE"))
    return Principal(user=admin, roles={unit.id: Role.admin}), unit.id, accounts[0].id


async def _plan(session: AsyncSession, stmt: Select[Any] | Query) -> str:
    conn = await session.connection()
    if isinstance(stmt, Query):
        stmt = stmt.statement.params(**stmt.params)  # type: ignore[attr-defined]
    sql = str(stmt.compile(conn.sync_connection, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "sqlite":
        rows = (await conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"))).all()
        return "\n".join(str(r[-1]) for r in rows)
    return "\n".join(r[0] for r in (await conn.execute(text(f"EXPLAIN {sql}"))).all())


def _reads_whole_table(plan: str, dialect: str) -> list[str]:
    if dialect == "sqlite":
        # "SCAN <table>" reads it all; an FTS5 MATCH shows as "SCAN post_fts VIRTUAL TABLE".
        return [line for line in plan.splitlines() if line in ("SCAN post", "SCAN post_variant")]
    return [line for line in plan.splitlines() if re.search(r"Seq Scan on post(_variant)? ", line)]


async def test_main_list_queries_use_their_indexes(world: World) -> None:
    principal, unit_id, account_id = await _seed(world)
    session = world.session
    dialect = (await session.connection()).dialect.name
    after = (datetime(2023, 6, 1, tzinfo=UTC), 10**9)
    month = datetime(2022, 3, 1, tzinfo=UTC)
    F = service.PostFilters
    pg = dialect == "postgresql"
    # The calendar over a week: at this test's size that is the share of the rows a month is
    # at 100,000 posts (a month here would be two per cent of everything).
    week = month + timedelta(days=7)
    days = days_of(month, week, ZoneInfo("Asia/Jakarta"))
    in_week = entries_query(unit_id, month, week, CalendarFilters())
    week_posts = {row.post_id for row in (await session.execute(*in_week)).all()}
    assert len(week_posts) > 30
    cases: list[tuple[str, Select[Any] | Query, list[str]]] = [
        (
            "first page",
            service.page_statement(principal, F(unit_id=unit_id), dialect, 51),
            ["ix_post_unit_sort"],
        ),
        (
            "cursor page",
            service.page_statement(principal, F(unit_id=unit_id), dialect, 51, after=after),
            ["ix_post_unit_sort"],
        ),
        (
            "month",
            service.page_statement(
                principal,
                F(unit_id=unit_id, date_from=month, date_to=month + timedelta(days=31)),
                dialect,
                51,
            ),
            ["ix_post_unit_planned_at"],
        ),
        (
            "category",
            service.page_statement(principal, F(unit_id=unit_id, category="Acara"), dialect, 51),
            ["ix_post_unit_category", "ix_post_unit_sort"],
        ),
        (
            "platform and a common status",
            service.page_statement(
                principal,
                F(unit_id=unit_id, platform=Platform.x, status=PostStatus.draft),
                dialect,
                51,
            ),
            # Walking the newest posts and checking each, or gathering the matches first.
            ["ix_post_variant_status_post", "ix_post_variant_account_status_at"],
        ),
        (
            "account and a rare status",
            service.page_statement(
                principal,
                F(unit_id=unit_id, account_id=account_id, status=PostStatus.failed),
                dialect,
                51,
            ),
            ["ix_post_variant_account_status_at"],
        ),
        (
            "platform and status, newest first",
            service.window_statement(
                principal,
                F(unit_id=unit_id, platform=Platform.x, status=PostStatus.draft),
                dialect,
                51,
            ),
            ["ix_post_unit_sort"],
        ),
        (
            "text, newest first",
            service.window_statement(principal, F(unit_id=unit_id, q="longsor"), dialect, 51),
            ["ix_post_unit_sort"],
        ),
        ("calendar", in_week, ["ix_post_variant_unit_calendar_at"]),
        (
            "calendar, one platform",
            entries_query(unit_id, month, week, CalendarFilters(platform=Platform.x)),
            ["ix_post_variant_unit_calendar_at"],
        ),
        (
            "calendar, a few a day, one category",
            first_entries_query(unit_id, days, CalendarFilters(category="Acara"), 5, dialect),
            ["ix_post_variant_unit_calendar_at"],
        ),
        (
            "calendar, each day's count",
            counts_query(unit_id, days, CalendarFilters(statuses=["held"]), dialect),
            ["ix_post_variant_unit_calendar_at"],
        ),
        (
            "calendar, the entries' posts",
            posts_statement(week_posts, dialect),
            ["pk_post"] if pg else ["USING INTEGER PRIMARY KEY"],
        ),
        (
            "text, every match",
            matching_post_ids(dialect, "tsunami"),
            ["ix_post_title_trgm", "ix_post_variant_text_trgm"]
            if pg
            else ["post_fts", "post_variant_fts"],
        ),
    ]
    for name, stmt, indexes in cases:
        plan = await _plan(session, stmt)
        assert any(index in plan for index in indexes), f"{name}: none of {indexes}\n{plan}"
        assert not _reads_whole_table(plan, dialect), f"{name}: reads a whole table\n{plan}"

"""Analytics on PostgreSQL at the size of a large agency: 30 units × 3 accounts, 5 years of
hourly account snapshots (about 3.9 million rows), 50,000 published posts with 10 metric
snapshots each. Every analytics endpoint is timed over one year for one account and for one
unit (through the whole app, in process), and printed next to the time of the bare SQL it
runs (the same statements replayed on the driver: the floor), with the number of statements.
Goals: p95 under 50 ms, and within 3× the bare SQL.

Two lines come first, the floor of the app itself: ``GET /health`` (no login, no database) and
``GET /me`` (the login checked and the caller's memberships loaded, no analytics): what every
authenticated request pays before its own query.

    python bench/analytics.py [--runs 30]

To work on one endpoint, keep the seeded database between runs and print its plans:

    python bench/analytics.py --keep /tmp/gaung-analytics --only coordinator --explain
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from gaung.auth.models import AuthSession
from gaung.auth.tokens import create_access_token, new_session_id
from gaung.config import Settings
from gaung.db import create_engine, make_sessionmaker, session_scope
from gaung.main import create_app
from gaung.migrate import upgrade
from gaung.users.models import Membership, Role, User

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.pg import PostgresServer, postgres_server, temporary_postgres

UNITS = 30
PER_UNIT = 3
YEARS = 5
POSTS = 50_000
READINGS = 10
END = date(2026, 11, 28)
NOW = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
FIRST = NOW - timedelta(days=365 * YEARS)
T0 = FIRST.isoformat()


SEED_SQL = [
    # Units and accounts (X, Instagram, Facebook each), all in Jakarta's zone.
    f"""INSERT INTO unit (name, slug, timezone, approval_required, four_eyes, created_at,
        updated_at)
        SELECT 'Unit ' || u, 'unit-' || u, 'Asia/Jakarta', true, true, now(), now()
        FROM generate_series(1, {UNITS}) u""",
    f"""INSERT INTO platform_account (unit_id, platform, sandbox, external_id, handle,
        display_name, status, rate_limit, created_at, updated_at)
        SELECT u.id, (ARRAY['x','instagram','facebook'])[k], true, 'acct-' || u.id || '-' || k,
               '@akun' || u.id || '_' || k, 'Akun ' || u.id, 'active', '{{}}',
               '{T0}', '{T0}'
        FROM unit u, generate_series(1, {PER_UNIT}) k""",
    # Hourly readings for five years: followers grow with noise, never down.
    f"""INSERT INTO account_snapshot (account_id, unit_id, measured_at, followers, following,
        posts, raw)
        SELECT a.id, a.unit_id, ts,
               1000 + a.id * 37 + (extract(epoch FROM ts - '{T0}') / 3600 * 0.4)::int,
               100 + mod(a.id, 50), 200 + (extract(epoch FROM ts - '{T0}') / 86400)::int,
               '{{}}'
        FROM platform_account a,
             generate_series('{T0}'::timestamptz,
                             '{NOW.isoformat()}'::timestamptz - interval '1 hour',
                             interval '1 hour') ts""",
    # The daily rollup, as the writes keep it: the last reading of each local day.
    """INSERT INTO account_daily (account_id, day, unit_id, measured_at, followers, following,
        posts, snapshots)
        SELECT DISTINCT ON (account_id, (measured_at AT TIME ZONE 'Asia/Jakarta')::date)
               account_id, (measured_at AT TIME ZONE 'Asia/Jakarta')::date, unit_id,
               measured_at, followers, following, posts, 24
        FROM account_snapshot
        ORDER BY account_id, (measured_at AT TIME ZONE 'Asia/Jakarta')::date, measured_at DESC""",
    "SELECT setseed(0.42)",
    f"""INSERT INTO tracked_post (unit_id, account_id, platform, external_id, title, category,
        format, published_at, weekday, hour, followers_at_publish, measured_at, impressions,
        reach, likes, comments, shares, saves, clicks, interactions, engagement_rate,
        engagement_basis, polls, failures, created_at)
        SELECT a.unit_id, a.id, a.platform, 'p' || n, 'Pos ' || n,
               (ARRAY['Layanan Publik','Informasi Teknologi','Berita Kegiatan','Acara',
                      'Hari Besar', NULL])[1 + mod(n, 6)],
               (ARRAY['text','image','carousel','video'])[1 + mod(n / 7, 4)],
               p.at, extract(isodow FROM p.at AT TIME ZONE 'Asia/Jakarta')::int - 1,
               extract(hour FROM p.at AT TIME ZONE 'Asia/Jakarta')::int,
               2000, p.at + interval '30 days', f.reach * 14 / 10, f.reach, f.likes,
               f.likes / 9, f.likes / 12, f.likes / 10, f.likes / 6,
               f.likes + f.likes / 9 + f.likes / 12 + f.likes / 10,
               (f.likes + f.likes / 9 + f.likes / 12 + f.likes / 10)::float / f.reach,
               'reach', 6, 0, now()
        FROM generate_series(1, {POSTS}) n
        JOIN platform_account a ON a.id = 1 + mod(n, {UNITS * PER_UNIT})
        -- Each lateral names ``n``: one that does not is run once, and every post would
        -- share one instant and one set of figures.
        CROSS JOIN LATERAL (SELECT '{T0}'::timestamptz
             + (random() * {365 * YEARS * 86400} + n * 0) * interval '1 second' AS at) p
        CROSS JOIN LATERAL (SELECT 50 + (random() * 950)::int + n * 0 AS reach,
                                   1 + (random() * 80)::int AS likes) f""",
    f"""INSERT INTO post_metric_snapshot (post_id, measured_at, impressions, reach, likes,
        comments, shares, saves, clicks, raw)
        SELECT t.id, t.published_at + r * interval '3 days', t.impressions * r / {READINGS},
               t.reach * r / {READINGS}, t.likes * r / {READINGS}, t.comments, t.shares, t.saves,
               t.clicks, '{{}}'
        FROM tracked_post t, generate_series(1, {READINGS}) r""",
    "ANALYZE",
]


def seed(url: str) -> float:
    start = time.perf_counter()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for sql in SEED_SQL:
            conn.exec_driver_sql(sql)
        counts = conn.exec_driver_sql(
            "SELECT (SELECT count(*) FROM account_snapshot), (SELECT count(*) FROM "
            "account_daily), (SELECT count(*) FROM tracked_post), "
            "(SELECT count(*) FROM post_metric_snapshot)"
        ).one()
    engine.dispose()
    print(
        f"seeded {counts[0]:,} account snapshots, {counts[1]:,} daily rows, {counts[2]:,} "
        f"posts, {counts[3]:,} post snapshots in {time.perf_counter() - start:.0f} s"
    )
    return time.perf_counter() - start


class Recorder:
    """The statements a request sends, to replay them bare."""

    def __init__(self) -> None:
        self.on = False
        self.statements: list[tuple[str, Any]] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if self.on:
            self.statements.append((statement, params))

    @contextmanager
    def recording(self) -> Iterator[list[tuple[str, Any]]]:
        self.statements = []
        self.on = True
        try:
            yield self.statements
        finally:
            self.on = False


def p95(ms: list[float]) -> float:
    ms = sorted(ms)
    return ms[max(0, int(len(ms) * 0.95) - 1)]


async def bare(engine: AsyncEngine, statements: list[tuple[str, Any]], runs: int) -> list[float]:
    times = []
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        for _ in range(runs):
            start = time.perf_counter()
            async with driver.cursor() as cur:
                for statement, params in statements:
                    await cur.execute(statement, params)
                    await cur.fetchall() if cur.description else None
            times.append((time.perf_counter() - start) * 1000)
        await conn.rollback()
    return times


@contextmanager
def kept_postgres(folder: Path) -> Iterator[str]:
    """A server whose data stays in ``folder``: seeded on the first run, reused after."""
    as_root = os.geteuid() == 0
    server = PostgresServer("", folder, "", ["runuser", "-u", "postgres", "--"] if as_root else [])
    url_file = folder / "url"
    if url_file.exists():
        server.url, server.options = url_file.read_text().split("\n")[:2]
        if (folder / "db" / "postmaster.pid").exists():
            server.stop("immediate")
        server.start()
        try:
            yield server.url
        finally:
            server.stop()
        return
    with postgres_server() as fresh:
        fresh_folder = fresh.data
        upgrade(fresh.url)
        seed(fresh.url)
        fresh.stop()
        folder.parent.mkdir(parents=True, exist_ok=True)
        fresh_folder.rename(folder)  # kept: the context's cleanup finds nothing to remove
        options = fresh.options.replace(str(fresh_folder), str(folder))
        url_file.write_text(f"{fresh.url}\n{options}\n")
        fresh_folder.mkdir()  # for the cleanup to stop and remove
    with kept_postgres(folder) as url:
        yield url


async def explain(engine: AsyncEngine, statements: list[tuple[str, Any]]) -> None:
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        async with driver.cursor() as cur:
            for statement, params in statements:
                print("\n" + statement.strip())
                await cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                for (line,) in await cur.fetchall():
                    print("    " + line)
        await conn.rollback()


async def main(url: str, seeded: bool, runs: int, only: str, show_plans: bool) -> None:
    if not seeded:
        await asyncio.to_thread(upgrade, url)
        await asyncio.to_thread(seed, url)
    folder = Path(tempfile.mkdtemp(prefix="gaung-bench-"))
    settings = Settings(env="test", data_dir=folder, database_url=url)
    engine = create_engine(url)
    recorder = Recorder()
    event.listen(engine.sync_engine, "before_cursor_execute", recorder)
    async with session_scope(make_sessionmaker(engine)) as s:
        # A kept database has them from an earlier run.
        await s.execute(sa.delete(User).where(User.email.like("%@example.go.id")))
        root = User(email="root@example.go.id", name="Root", password_hash="x", is_superuser=True)
        viewer = User(email="v@example.go.id", name="V", password_hash="x")
        s.add_all([root, viewer])
        await s.flush()
        s.add(Membership(user_id=viewer.id, unit_id=1, role=Role.viewer))
        tokens = {}
        for user in (root, viewer):
            sid = new_session_id()
            s.add(AuthSession(id=sid, user_id=user.id))
            tokens[user.id] = create_access_token(user.id, sid, settings)
    app = create_app(settings, engine=engine)
    year = {"start": (END - timedelta(days=364)).isoformat(), "end": END.isoformat()}
    unit = "/api/v1/analytics/units/1"
    cases: list[tuple[str, str, dict[str, Any], int]] = [
        ("app floor: GET /health (no login)", "/api/v1/health", {}, viewer.id),
        ("app floor: GET /me (login, no query)", "/api/v1/me", {}, viewer.id),
    ]
    for who, extra in (("account", {"account_id": 1}), ("unit", {})):
        q = {**year, **extra}
        cases += [
            (f"followers by day ({who})", f"{unit}/followers", q, viewer.id),
            (
                f"followers by month ({who})",
                f"{unit}/followers",
                {**q, "interval": "month"},
                viewer.id,
            ),
            (f"summary ({who})", f"{unit}/summary", q, viewer.id),
            (f"top posts ({who})", f"{unit}/posts", q, viewer.id),
            (f"bottom posts ({who})", f"{unit}/posts", {**q, "order": "bottom"}, viewer.id),
            (f"by category ({who})", f"{unit}/breakdown", {**q, "by": "category"}, viewer.id),
            (f"by format ({who})", f"{unit}/breakdown", {**q, "by": "format"}, viewer.id),
            (f"best times ({who})", f"{unit}/best-times", q, viewer.id),
            (f"compare ({who})", f"{unit}/compare", q, viewer.id),
            (f"followers CSV ({who})", f"{unit}/followers", {**q, "format": "csv"}, viewer.id),
        ]
    cases += [
        ("dormant (unit)", f"{unit}/dormant", {}, viewer.id),
        ("all units (coordinator)", "/api/v1/analytics/units", year, root.id),
    ]
    print(
        f"\n{'endpoint':<38} {'p95 ms':>8} {'median':>8} {'bare p95':>9} {'ratio':>6} {'stmts':>5}"
    )
    worst = 0.0
    worst_ratio = 0.0
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        for name, path, params, user_id in cases:
            if only not in name:
                continue
            headers = {"Authorization": f"Bearer {tokens[user_id]}"}
            for _ in range(3):  # warm caches and the statement cache
                assert (await client.get(path, params=params, headers=headers)).status_code == 200
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                res = await client.get(path, params=params, headers=headers)
                times.append((time.perf_counter() - start) * 1000)
                assert res.status_code == 200, res.text
            with recorder.recording() as statements:
                await client.get(path, params=params, headers=headers)
            if not statements:  # no database at all: nothing to compare with
                print(f"{name:<38} {p95(times):8.1f} {statistics.median(times):8.1f}")
                continue
            if show_plans:
                await explain(engine, list(statements))
            floor = await bare(engine, list(statements), runs)
            ratio = p95(times) / p95(floor)
            if not name.startswith("app floor"):
                worst = max(worst, p95(times))
                worst_ratio = max(worst_ratio, ratio)
            print(
                f"{name:<38} {p95(times):8.1f} {statistics.median(times):8.1f} "
                f"{p95(floor):9.1f} {ratio:6.1f} {len(statements):5d}"
            )
    print(
        f"\nslowest endpoint p95: {worst:.1f} ms, largest ratio {worst_ratio:.1f}x "
        "(goal < 50 ms, <= 3x the bare SQL)"
    )
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--keep", type=Path, help="keep the seeded database in this folder and reuse it"
    )
    parser.add_argument("--only", default="", help="only the endpoints whose name has this")
    parser.add_argument(
        "--explain", action="store_true", help="print each statement's plan (EXPLAIN ANALYZE)"
    )
    args = parser.parse_args()
    server: AbstractContextManager[str] = (
        kept_postgres(args.keep) if args.keep is not None else temporary_postgres()
    )
    with server as url:
        asyncio.run(main(url, args.keep is not None, args.runs, args.only, args.explain))

"""The worker: jobs keep running after one fails, dispatch can be woken, stopping lets an
in-flight call finish, and `gaung worker` publishes and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from gaung.accounts.connectors import BoundAccount
from gaung.accounts.models import Platform, PlatformAccount
from gaung.accounts.sandbox import sandbox_credentials
from gaung.cli import app
from gaung.config import Settings, get_settings
from gaung.db import database, session_scope
from gaung.main import create_app
from gaung.migrate import upgrade
from gaung.platforms.protocol import AccountCredentials, PublishResult, VariantToPublish
from gaung.posts import publishing
from gaung.posts.jobs import dispatch
from gaung.posts.models import Post, PostStatus, PostVariant
from gaung.units.models import Unit
from gaung.worker import scheduler as sched
from gaung.worker.context import JobContext
from gaung.worker.runtime import Worker

WAIT_S = 30.0  # an upper bound for a condition to come true, not a duration that is measured


async def test_the_scheduler_carries_on_after_a_job_raises(settings: Settings) -> None:
    calls = 0
    third = asyncio.Event()

    async def boom(_ctx: JobContext) -> None:
        nonlocal calls
        calls += 1
        if calls >= 3:
            third.set()
        raise RuntimeError("a job that always fails")

    async with httpx.AsyncClient() as http:
        ctx = JobContext(async_sessionmaker(), settings, http)
        running: set[asyncio.Task[Any]] = set()
        scheduler = sched.build_scheduler(ctx, running, {"boom": (boom, timedelta(seconds=0.01))})
        sched.start(scheduler)
        try:
            await asyncio.wait_for(third.wait(), WAIT_S)
        finally:
            sched.stop(scheduler)
    assert calls >= 3
    job = scheduler.get_job("boom")
    assert job is None or job.max_instances == 1


async def test_every_job_runs_alone_and_missed_runs_collapse(settings: Settings) -> None:
    async with httpx.AsyncClient() as http:
        scheduler = sched.build_scheduler(JobContext(async_sessionmaker(), settings, http), set())
        scheduler.start(paused=True)
        try:
            jobs = {job.id: job for job in scheduler.get_jobs()}
        finally:
            scheduler.shutdown(wait=False)
    assert set(jobs) == {
        "dispatch",
        "reconcile",
        "followups",
        "token_refresh",
        "send_emails",
        "metrics_accounts",
        "metrics_posts",
        "metrics_backfill",
        "metrics_dormant",
        "webhooks",
        "inbox_ingest",
        "inbox_reminders",
    }
    for job in jobs.values():
        assert (job.max_instances, job.coalesce) == (1, True)
    assert jobs["dispatch"].trigger.interval == timedelta(seconds=settings.dispatch_interval_s)


class Gate:
    """A connector whose publish waits until the test opens the gate."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.open = asyncio.Event()
        self.sent: list[str] = []

    @property
    def platform(self) -> Platform:
        return Platform.x

    async def publish(self, account: AccountCredentials, variant: VariantToPublish) -> Any:
        self.sent.append(variant.text)
        self.entered.set()
        await self.open.wait()
        return PublishResult(f"id-{len(self.sent)}", None)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Gate:
    connector = Gate()

    def bind(account: PlatformAccount, **_kw: Any) -> BoundAccount:
        return BoundAccount(connector, sandbox_credentials(account))  # type: ignore[arg-type]

    monkeypatch.setattr(publishing, "bind", bind)
    return connector


@pytest.fixture
def own_db(tmp_path: Path) -> str:
    """A database of the test's own: the worker's jobs open sessions side by side, which the
    suite's one-connection-per-test sessions cannot."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'worker.sqlite3'}"
    upgrade(url)
    return url


async def due_post(factory: async_sessionmaker[AsyncSession], at: datetime, text: str) -> int:
    async with session_scope(factory) as s:
        unit = Unit(name="Unit", slug=f"unit-{text[:8]}-{at.timestamp():.0f}".lower())
        s.add(unit)
        await s.flush()
        account = PlatformAccount(
            unit_id=unit.id,
            platform=Platform.x,
            sandbox=True,
            external_id=f"sandbox-{unit.id}",
            handle="@unit",
            display_name="Unit",
        )
        s.add(account)
        await s.flush()
        variant = PostVariant(
            account_id=account.id, text=text, status=PostStatus.scheduled, scheduled_at=at
        )
        s.add(Post(unit_id=unit.id, title="T", status=PostStatus.scheduled, variants=[variant]))
        await s.flush()
        return variant.id


async def status_of(factory: async_sessionmaker[AsyncSession], variant_id: int) -> PostVariant:
    async with session_scope(factory) as s:
        found = await s.get(PostVariant, variant_id)
        assert found is not None
        return found


async def test_stopping_lets_the_call_in_flight_finish_and_record(
    own_db: str, settings: Settings, gate: Gate
) -> None:
    async with database(own_db) as factory, httpx.AsyncClient() as http:
        vid = await due_post(factory, datetime.now(UTC) - timedelta(seconds=1), "Kabar.")
        worker = Worker(
            factory, settings, http, defined={"dispatch": (dispatch, timedelta(hours=1))}
        )
        await worker.start()
        await asyncio.wait_for(gate.entered.wait(), WAIT_S)
        stopping = asyncio.create_task(worker.stop())
        await asyncio.sleep(0)  # let stop() begin while the call is in flight
        assert not stopping.done()
        gate.open.set()
        await asyncio.wait_for(stopping, WAIT_S)
        assert (await status_of(factory, vid)).status == PostStatus.published
    assert gate.sent == ["Kabar."]


async def test_a_post_scheduled_now_wakes_dispatch(
    own_db: str, settings: Settings, gate: Gate
) -> None:
    gate.open.set()
    first_run = asyncio.Event()

    async def dispatch_once_seen(ctx: JobContext) -> Any:
        result = await dispatch(ctx)
        first_run.set()
        return result

    async with database(own_db) as factory, httpx.AsyncClient() as http:
        worker = Worker(
            factory,
            settings,
            http,
            defined={"dispatch": (dispatch_once_seen, timedelta(hours=1))},
        )
        await worker.start()
        try:
            # Its first run (at start) finds nothing; the next is an hour away.
            await asyncio.wait_for(first_run.wait(), WAIT_S)
            vid = await due_post(factory, datetime.now(UTC), "Sekarang.")
            sched.wake_dispatch()
            await asyncio.wait_for(gate.entered.wait(), WAIT_S)
        finally:
            await worker.stop()
        assert (await status_of(factory, vid)).status == PostStatus.published


# --- the command -----------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("GAUNG_DATA_DIR", str(tmp_path))
    for name in ("GAUNG_DATABASE_URL", "GAUNG_ENV", "GAUNG_SECRET_KEY", "GAUNG_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_gaung_worker_publishes_and_stops_on_sigterm(data_dir: Path) -> None:
    migrated = CliRunner().invoke(app, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    url = f"sqlite+aiosqlite:///{data_dir / 'gaung.sqlite3'}"

    async def add() -> int:
        async with database(url) as factory:
            return await due_post(factory, datetime.now(UTC), "Dari proses lain.")

    async def read(vid: int) -> PostVariant:
        async with database(url) as factory:
            return await status_of(factory, vid)

    vid = asyncio.run(add())
    env = {**os.environ, "GAUNG_DISPATCH_INTERVAL_S": "0.2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gaung.cli", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + WAIT_S
        while (found := asyncio.run(read(vid))).status != PostStatus.published:
            assert proc.poll() is None, proc.communicate()[0]
            assert time.monotonic() < deadline, f"still {found.status}"
            time.sleep(0.1)
        assert found.external_url and found.external_url.startswith("https://sandbox")
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=WAIT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    assert "running" in out and "gaung worker stopped" in out


async def test_the_embedded_app_runs_the_jobs_only_when_asked(own_db: str, tmp_path: Path) -> None:
    base = Settings(env="test", data_dir=tmp_path, database_url=own_db, spa_dir=tmp_path / "no-spa")
    assert not base.model_copy(update={"embedded": True}).jobs_in_process  # the suite's own
    assert Settings(data_dir=tmp_path, embedded=True).jobs_in_process  # `gaung run`
    assert not Settings(data_dir=tmp_path, embedded=True, run_jobs=False).jobs_in_process
    assert not Settings(data_dir=tmp_path).jobs_in_process  # `gaung api`: `gaung worker` does
    for run_jobs in (True, False):
        app = create_app(base.model_copy(update={"run_jobs": run_jobs}))
        async with app.router.lifespan_context(app):
            running = list(sched._running)
            assert len(running) == (1 if run_jobs else 0)
            if run_jobs:
                assert {job.id for job in running[0].get_jobs()} >= {"dispatch", "reconcile"}
        assert sched._running == set()

"""A worker: the scheduler over one set of sessions and one HTTP client, started and stopped
gracefully (in-flight platform calls finish and are recorded; nothing new is claimed).
`gaung worker` runs one in its own process, `gaung run` inside the api."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.accounts.connectors import HTTP_TIMEOUT, http_client
from gaung.config import Settings
from gaung.db import create_engine, make_sessionmaker
from gaung.worker import scheduler as sched
from gaung.worker.context import JobContext

log = logging.getLogger(__name__)

# A stopping worker waits this long for its running jobs: one platform call's full timeout
# and the recording of its outcome. Whatever is still running then is cancelled; a call cut
# off that way is left to its lease and reconciled.
STOP_GRACE_S = HTTP_TIMEOUT.read + 15.0 if HTTP_TIMEOUT.read else 45.0


class Worker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        http: httpx.AsyncClient,
        *,
        defined: dict[str, tuple[sched.Job, timedelta]] | None = None,
    ) -> None:
        self.ctx = JobContext(sessionmaker=sessionmaker, settings=settings, http=http)
        self.running: set[asyncio.Task[Any]] = set()
        self.defined = defined if defined is not None else sched.jobs(self.ctx)
        self.scheduler = sched.build_scheduler(self.ctx, self.running, self.defined)

    async def start(self) -> None:
        sched.start(self.scheduler)
        log.info("worker %s started: %s", self.ctx.worker, ", ".join(self.defined))

    async def stop(self, grace_s: float = STOP_GRACE_S) -> None:
        # Pause first and wait for running jobs: shutting APScheduler down cancels them.
        self.ctx.stopping.set()
        if self.scheduler.running:
            self.scheduler.pause()
        tasks = set(self.running)
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=grace_s)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        sched.stop(self.scheduler)
        log.info("worker %s stopped", self.ctx.worker)


def worker_pool(settings: Settings) -> dict[str, int]:
    """PostgreSQL connections: the claim (which also reads what the calls need), the batched
    outcomes, the other jobs, and sandbox calls (which publish into the database). A real
    platform call holds no connection, so the pool does not grow with the calls in flight;
    with three workers it stays well inside PostgreSQL's default 100."""
    if make_url(settings.effective_database_url).get_backend_name() != "postgresql":
        return {}  # SQLite keeps its own pool (db.create_engine)
    return {"pool_size": min(settings.publish_concurrency, 10) + 2, "max_overflow": 10}


async def run_worker(settings: Settings) -> None:
    """`gaung worker`: its own engine and HTTP client, until SIGTERM or SIGINT."""
    engine = create_engine(
        settings.effective_database_url,
        sqlite_busy_timeout_s=settings.sqlite_busy_timeout_s,
        **worker_pool(settings),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        # Every call in flight plus the other jobs' (reconcile, token refresh) on open
        # connections: opening one per call costs more CPU than the call itself.
        async with http_client(settings.publish_concurrency + 20) as http:
            worker = Worker(make_sessionmaker(engine), settings, http)
            await worker.start()
            print(f"gaung worker {worker.ctx.worker} running", flush=True)
            await stop.wait()
            await worker.stop()
    finally:
        await engine.dispose()
    print("gaung worker stopped", flush=True)

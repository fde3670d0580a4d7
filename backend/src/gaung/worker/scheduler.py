"""The scheduler: APScheduler 3's ``AsyncIOScheduler`` with every job defined here, in code.

Each job runs at most once at a time in a process (``max_instances=1``), missed runs collapse
into one (``coalesce``), and a job that raises is logged while the scheduler carries on. Any
number of processes may run these jobs against PostgreSQL: the work itself is claimed row by
row (``posts/publishing.py``), never by "only one worker runs".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from gaung.accounts import jobs as account_jobs
from gaung.inbox import jobs as inbox_jobs
from gaung.kit.time import utcnow
from gaung.metrics import jobs as metrics_jobs
from gaung.notifications import jobs as notification_jobs
from gaung.posts import jobs as post_jobs
from gaung.webhooks import jobs as webhook_jobs
from gaung.worker.context import JobContext

log = logging.getLogger(__name__)

Job = Callable[[JobContext], Awaitable[Any]]

TOKEN_REFRESH_INTERVAL = timedelta(minutes=15)
EMAIL_INTERVAL = timedelta(minutes=1)
BACKFILL_INTERVAL = timedelta(minutes=5)
DORMANT_INTERVAL = timedelta(hours=1)

# Schedulers running in this process, so a request that schedules a post "now" can wake
# dispatch at once instead of waiting for its next run.
_running: set[AsyncIOScheduler] = set()


def guarded(
    name: str, job: Job, ctx: JobContext, running: set[asyncio.Task[Any]]
) -> Callable[[], Awaitable[None]]:
    """The job as the scheduler runs it: its failure is logged and goes no further, and its
    task is tracked so stopping can wait for it."""

    async def run() -> None:
        task = asyncio.current_task()
        if task is not None:
            running.add(task)
        try:
            await job(ctx)
        except Exception:
            log.exception("job %s failed; it runs again at its next time", name)
        finally:
            if task is not None:
                running.discard(task)

    run.__name__ = name
    return run


async def _token_refresh(ctx: JobContext) -> None:
    await account_jobs.refresh_tokens(ctx.sessionmaker, ctx.settings, ctx.http)


async def _send_emails(ctx: JobContext) -> None:
    await notification_jobs.send_emails(ctx.sessionmaker, ctx.settings)


def jobs(ctx: JobContext) -> dict[str, tuple[Job, timedelta]]:
    """Every scheduled job with its interval. The inbox joins here."""
    s = ctx.settings
    return {
        "dispatch": (post_jobs.dispatch, timedelta(seconds=s.dispatch_interval_s)),
        "reconcile": (post_jobs.reconcile, timedelta(seconds=s.reconcile_interval_s)),
        "followups": (post_jobs.followups, timedelta(seconds=s.dispatch_interval_s)),
        "token_refresh": (_token_refresh, TOKEN_REFRESH_INTERVAL),
        "send_emails": (_send_emails, EMAIL_INTERVAL),
        "metrics_accounts": (
            metrics_jobs.poll_accounts,
            timedelta(seconds=s.metrics_poll_interval_s),
        ),
        "metrics_posts": (metrics_jobs.poll_posts, timedelta(seconds=s.metrics_poll_interval_s)),
        "metrics_backfill": (metrics_jobs.backfill, BACKFILL_INTERVAL),
        "metrics_dormant": (metrics_jobs.alert_dormant, DORMANT_INTERVAL),
        "webhooks": (webhook_jobs.run, timedelta(seconds=s.webhook_interval_s)),
        "inbox_ingest": (inbox_jobs.ingest, timedelta(seconds=s.inbox_poll_interval_s)),
        "inbox_reminders": (inbox_jobs.reminders, timedelta(seconds=s.inbox_reminder_interval_s)),
    }


def build_scheduler(
    ctx: JobContext,
    running: set[asyncio.Task[Any]],
    defined: dict[str, tuple[Job, timedelta]] | None = None,
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(
        timezone="UTC",
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    now = utcnow()
    for name, (job, every) in (defined if defined is not None else jobs(ctx)).items():
        scheduler.add_job(
            guarded(name, job, ctx, running),
            "interval",
            seconds=every.total_seconds(),
            id=name,
            name=name,
            next_run_time=now,  # first run at start: posts due while stopped go out at once
        )
    return scheduler


def start(scheduler: AsyncIOScheduler) -> None:
    scheduler.start()
    _running.add(scheduler)


def stop(scheduler: AsyncIOScheduler) -> None:
    _running.discard(scheduler)
    if scheduler.running:
        scheduler.shutdown(wait=False)


def wake_dispatch() -> None:
    """Run dispatch now in this process (after a post is scheduled for now). Other processes'
    workers find it at their next run, within ``GAUNG_DISPATCH_INTERVAL_S``."""
    # A dispatch already running may be waiting for a later post: it looks again at once
    # (the scheduler would skip a second instance).
    post_jobs.wake()
    for scheduler in list(_running):
        job = scheduler.get_job("dispatch")
        if job is not None:
            job.modify(next_run_time=utcnow())

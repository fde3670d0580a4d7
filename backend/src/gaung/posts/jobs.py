"""The posts domain's scheduled jobs: dispatch due variants and reconcile unconfirmed ones.
Each job opens its own sessions and calls ``posts.publishing``."""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections import Counter
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gaung.db import session_scope
from gaung.posts import publishing
from gaung.posts.publishing import Claim, Outcome, PublishConfig
from gaung.worker.context import JobContext

log = logging.getLogger(__name__)

# How often recording an outcome is tried when the database is away (a restart), and the
# first wait; past that the lease runs out and the variant is reconciled instead.
RECORD_TRIES = 6
RECORD_FIRST_WAIT_S = 0.5


def _holds() -> Any:
    """The holds service when it is installed (pauses, blackout periods), else None."""
    try:
        return importlib.import_module("gaung.holds.service")
    except ImportError:
        return None


async def held_unit_ids(session: AsyncSession, now: datetime) -> Collection[int]:
    """Units whose due posts wait right now (paused, blackout, election quiet period)."""
    holds = _holds()
    if holds is None:
        return ()
    return set((await holds.held_units(session, now)).keys())


async def _record(ctx: JobContext, claim: Claim, call: publishing.CallResult) -> None:
    cfg = PublishConfig.from_settings(ctx.settings)
    wait = RECORD_FIRST_WAIT_S
    for attempt in range(1, RECORD_TRIES + 1):
        try:
            async with session_scope(ctx.sessionmaker) as session:
                await publishing.record_outcome(session, claim, call, now=ctx.clock(), cfg=cfg)
            return
        except Exception:
            if attempt == RECORD_TRIES:
                # The lease will run out and the variant will be reconciled: never lost.
                log.exception("could not record the outcome of variant %s", claim.variant_id)
                return
            log.warning("recording variant %s failed; trying again", claim.variant_id)
            await asyncio.sleep(wait)
            wait *= 2


async def _release(ctx: JobContext, claim: Claim) -> None:
    try:
        async with session_scope(ctx.sessionmaker) as session:
            await publishing.release(session, claim, ctx.clock())
    except Exception:
        log.exception("could not give back variant %s; its lease will run out", claim.variant_id)


async def publish_claimed(ctx: JobContext, claim: Claim) -> Outcome:
    """Call the platform for one claim and record what came of it."""
    called = False

    def started() -> None:
        nonlocal called
        called = True

    try:
        call = await publishing.call_platform(
            ctx.sessionmaker, ctx.settings, ctx.http, claim, started=started
        )
    except asyncio.CancelledError:
        if not called:
            # Stopped before the platform was called: give the variant back at once rather
            # than leave it to an expiring lease and a reconcile.
            await asyncio.shield(_release(ctx, claim))
        raise
    await asyncio.shield(_record(ctx, claim, call))
    return call.outcome


async def dispatch(ctx: JobContext) -> Counter[str]:
    """Publish every due variant: claim in batches while there is room for more calls, so a
    burst of due posts keeps ``publish_concurrency`` calls in flight. Returns counts."""
    cfg = PublishConfig.from_settings(ctx.settings)
    counts: Counter[str] = Counter()
    async with session_scope(ctx.sessionmaker) as session:
        counts["expired"] = len(await publishing.expire_leases(session, ctx.clock()))
    in_flight: set[asyncio.Task[Outcome]] = set()

    def collect(done: Collection[asyncio.Task[Outcome]]) -> None:
        for task in done:
            in_flight.discard(task)
            if task.cancelled():
                continue
            exc = task.exception()
            if exc is not None:
                log.error("publishing task failed", exc_info=exc)
                counts["error"] += 1
            else:
                counts[task.result().value] += 1

    try:
        while not ctx.stopping.is_set():
            room = min(cfg.batch_size, cfg.concurrency - len(in_flight))
            # Claim in batches, not one by one as single calls finish: fewer transactions.
            if room <= 0 or (in_flight and room < max(1, cfg.concurrency // 4)):
                done, _ = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                collect(done)
                continue
            async with session_scope(ctx.sessionmaker) as session:
                now = ctx.clock()
                held = await held_unit_ids(session, now)
                claims = await publishing.claim_due(
                    session,
                    worker=ctx.worker,
                    now=now,
                    limit=room,
                    lease=cfg.lease,
                    held_unit_ids=held,
                )
            counts["claimed"] += len(claims)
            for claim in claims:
                in_flight.add(asyncio.create_task(publish_claimed(ctx, claim)))
            if len(claims) < room:
                break  # nothing more is due now
            done, _ = await asyncio.wait(in_flight, timeout=0, return_when=asyncio.FIRST_COMPLETED)
            collect(done)
        if in_flight:
            done, _ = await asyncio.wait(in_flight)
            collect(done)
    except asyncio.CancelledError:
        # Stopped for good: calls not yet started give their claims back (publish_claimed).
        for task in in_flight:
            task.cancel()
        await asyncio.gather(*in_flight, return_exceptions=True)
        raise
    except Exception:
        # A claim failed (the database away): the calls already made still finish and record.
        if in_flight:
            done, _ = await asyncio.wait(in_flight)
            collect(done)
        raise
    if counts["claimed"] or counts["expired"]:
        log.info("dispatch: %s", dict(counts))
    return counts


async def reconcile(ctx: JobContext) -> Counter[str]:
    """Settle unconfirmed variants by looking for them on their accounts."""
    cfg = PublishConfig.from_settings(ctx.settings)
    counts: Counter[str] = Counter()
    async with session_scope(ctx.sessionmaker) as session:
        counts["expired"] = len(await publishing.expire_leases(session, ctx.clock()))
    async with session_scope(ctx.sessionmaker) as session:
        todo = await publishing.unconfirmed_to_check(session, ctx.clock())
    for variant_id, started in todo:
        if ctx.stopping.is_set():
            break
        try:
            done = await publishing.reconcile_one(
                ctx.sessionmaker,
                ctx.settings,
                ctx.http,
                variant_id,
                started,
                now=ctx.clock(),
                cfg=cfg,
            )
        except Exception:
            log.exception("reconciling variant %s failed", variant_id)
            counts["error"] += 1
            continue
        counts[done.verdict.value] += 1
    if todo:
        log.info("reconcile: %s", dict(counts))
    return counts

"""The posts domain's scheduled jobs: dispatch due variants, reconcile unconfirmed ones, and
send published variants' follow-ups (thread parts, first comments). Each job opens its own
sessions and calls ``posts.publishing`` or ``posts.followups``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from gaung.db import session_scope
from gaung.holds import service as holds
from gaung.posts import followups as followup_calls
from gaung.posts import publishing
from gaung.posts.models import PostVariant
from gaung.posts.publishing import Claim, Outcome, PublishConfig
from gaung.worker.context import JobContext
from gaung.xspend import service as xspend

log = logging.getLogger(__name__)

# How often recording an outcome is tried when the database is away (a restart), and the
# first wait; past that the lease runs out and the variant is reconciled instead.
RECORD_TRIES = 6
RECORD_FIRST_WAIT_S = 0.5
# Outcomes are written together: at most this many in one transaction, each waiting at most
# this long for others to join it.
OUTCOME_BATCH = 100
OUTCOME_WAIT_S = 0.05


async def held_unit_ids(session: AsyncSession, now: datetime) -> Collection[int]:
    """Units whose due posts wait right now (paused, blackout, election quiet period)."""
    return set((await holds.held_units(session, now)).keys())


async def _record(ctx: JobContext, claim: Claim, call: publishing.CallResult) -> None:
    cfg = PublishConfig.from_settings(ctx.settings)
    wait = RECORD_FIRST_WAIT_S
    for attempt in range(1, RECORD_TRIES + 1):
        try:
            async with session_scope(ctx.sessionmaker) as session:
                await publishing.record_outcomes(session, [(claim, call)], now=ctx.clock(), cfg=cfg)
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


class Outcomes:
    """Writes calls' outcomes in batches: one short transaction for all that finished within
    ``OUTCOME_WAIT_S`` (or ``OUTCOME_BATCH`` of them), instead of one each. The wait is short
    so an external id is stored almost at once; a crash before that leaves the variant
    ``publishing``, then ``unconfirmed`` when its lease runs out, then reconciled."""

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.cfg = PublishConfig.from_settings(ctx.settings)
        self.pending: list[tuple[Claim, publishing.CallResult, asyncio.Future[None]]] = []
        self.wake = asyncio.Event()
        self.closing = False
        self.task = asyncio.create_task(self._run())

    def add(self, claim: Claim, call: publishing.CallResult) -> asyncio.Future[None]:
        """Queue an outcome; the future is done once it is written (or given up on)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append((claim, call, done))
        if len(self.pending) >= OUTCOME_BATCH:
            self.wake.set()
        elif len(self.pending) == 1:
            self.wake.set()  # starts the short wait for more
        return done

    async def close(self) -> None:
        """Write whatever is queued, then stop."""
        self.closing = True
        self.wake.set()
        await self.task

    async def _run(self) -> None:
        while True:
            if not self.pending:
                if self.closing:
                    return
                self.wake.clear()
                await self.wake.wait()
                continue
            if len(self.pending) < OUTCOME_BATCH and not self.closing:
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), OUTCOME_WAIT_S)
            batch, self.pending = self.pending[:OUTCOME_BATCH], self.pending[OUTCOME_BATCH:]
            try:
                await self._write(batch)
            finally:
                for _claim, _call, done in batch:
                    if not done.done():
                        done.set_result(None)

    async def _write(
        self, batch: list[tuple[Claim, publishing.CallResult, asyncio.Future[None]]]
    ) -> None:
        try:
            async with session_scope(self.ctx.sessionmaker) as session:
                await publishing.record_outcomes(
                    session,
                    [(claim, call) for claim, call, _ in batch],
                    now=self.ctx.clock(),
                    cfg=self.cfg,
                )
            return
        except Exception:
            log.warning("recording %s outcomes together failed; one by one", len(batch))
        # One by one, each tried again while the database is away: one outcome that cannot
        # be written does not hold back the others.
        await asyncio.gather(*(_record(self.ctx, claim, call) for claim, call, _ in batch))


async def publish_claimed(
    ctx: JobContext,
    claim: Claim,
    outcomes: Outcomes | None = None,
    loaded: PostVariant | None = None,
) -> Outcome:
    """Call the platform for one claim and record what came of it (through ``outcomes``,
    batched, when given)."""
    called = False

    def started() -> None:
        nonlocal called
        called = True

    try:
        call = await publishing.call_platform(
            ctx.sessionmaker, ctx.settings, ctx.http, claim, started=started, loaded=loaded
        )
    except asyncio.CancelledError:
        if not called:
            # Stopped before the platform was called: give the variant back at once rather
            # than leave it to an expiring lease and a reconcile.
            await asyncio.shield(_release(ctx, claim))
        raise
    if outcomes is None:
        await asyncio.shield(_record(ctx, claim, call))
    else:
        await asyncio.shield(outcomes.add(claim, call))
    return call.outcome


async def _next_due(ctx: JobContext, now: datetime) -> datetime | None:
    async with session_scope(ctx.sessionmaker) as session:
        return await publishing.next_due(session, now)


# Dispatch runs waiting in this process for their next due post; ``wake`` ends the wait (a
# post scheduled "now" must not wait behind one due later).
_waiting: set[asyncio.Event] = set()


def wake() -> None:
    """Make every dispatch waiting in this process look for due posts at once."""
    for woken in list(_waiting):
        woken.set()


async def _wait(ctx: JobContext, seconds: float) -> bool:
    """Wait up to ``seconds``, less if stopping; True when woken by ``wake``."""
    woken = asyncio.Event()
    _waiting.add(woken)
    waits = [asyncio.create_task(woken.wait()), asyncio.create_task(ctx.stopping.wait())]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        _waiting.discard(woken)
        for task in waits:
            task.cancel()
        await asyncio.gather(*waits, return_exceptions=True)
    return woken.is_set()


async def dispatch(ctx: JobContext) -> Counter[str]:
    """Publish every due variant: claim in batches while there is room for more calls, so a
    burst of due posts keeps ``publish_concurrency`` calls in flight. A post falling due
    before the next run is waited for here, so it goes out on the second rather than up to
    ``dispatch_interval_s`` late. Returns counts."""
    cfg = PublishConfig.from_settings(ctx.settings)
    counts: Counter[str] = Counter()
    async with session_scope(ctx.sessionmaker) as session:
        counts["expired"] = len(await publishing.expire_leases(session, ctx.clock()))
    in_flight: set[asyncio.Task[Outcome]] = set()
    outcomes = Outcomes(ctx)
    # Wait for what falls due before the next run, ending a little before it starts.
    horizon = ctx.clock() + timedelta(seconds=ctx.settings.dispatch_interval_s * 0.9)

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
                    x_capped_unit_ids=await xspend.publishing_paused_units(session, now),
                )
                # Claimed: what the calls need is read now, in the same short transaction.
                loaded = await publishing.load_for_calls(session, [c.variant_id for c in claims])
            counts["claimed"] += len(claims)
            for claim in claims:
                in_flight.add(
                    asyncio.create_task(
                        publish_claimed(ctx, claim, outcomes, loaded.get(claim.variant_id))
                    )
                )
            if len(claims) < room:
                # Nothing more is due now: wait here for what falls due before the next run.
                due = await _next_due(ctx, now)
                if due is None or due >= horizon:
                    break
                wait = (due - ctx.clock()).total_seconds()
                woken = wait > 0 and await _wait(ctx, wait)
                if not woken and ctx.clock() < due:
                    break  # a clock that does not move (tests): the next run finds it
                continue
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
        await asyncio.shield(outcomes.close())
        raise
    except Exception:
        # A claim failed (the database away): the calls already made still finish and record.
        if in_flight:
            done, _ = await asyncio.wait(in_flight)
            collect(done)
        await outcomes.close()
        raise
    await outcomes.close()
    if counts["claimed"] or counts["expired"]:
        log.info("dispatch: %s", dict(counts))
    if counts["published"] and not ctx.stopping.is_set():
        # A thread's parts follow its first post at once rather than at the next run.
        try:
            await followups(ctx)
        except Exception:
            log.exception("sending follow-ups after dispatch failed; the next run sends them")
    return counts


async def followups(ctx: JobContext) -> Counter[str]:
    """Send what published variants still owe: thread parts in order, first comments."""
    counts = await followup_calls.run(
        ctx.sessionmaker,
        ctx.settings,
        ctx.http,
        worker=ctx.worker,
        clock=ctx.clock,
        cfg=PublishConfig.from_settings(ctx.settings),
        stopping=ctx.stopping.is_set,
    )
    if any(counts.values()):
        log.info("followups: %s", dict(counts))
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

"""Metrics polling in the worker: account snapshots on a spread hourly grid, post figures on a
decaying schedule after publishing, the import of a newly connected account's recent posts,
and the dormant-account alert.

Each account is polled in its own transaction, so one account's failure (or a bug with it)
never holds back the others; a failed poll waits with a doubling backoff and is tried again.
An account whose stored rate-limit state says to wait is left alone until its reset, and X
reads (billed per resource) stop when the unit's spend cap says so."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.connectors import BoundAccount, bind
from gaung.accounts.health import mark_needs_reauth, record_error
from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.accounts.rate_limits import recorder
from gaung.auth.principal import SystemActor
from gaung.db import session_scope
from gaung.media.models import MediaAsset, MediaKind
from gaung.metrics import core, dormancy
from gaung.metrics.models import AccountSnapshot, MetricsAccountState, PostFormat, TrackedPost
from gaung.metrics.store import ensure_states, record_account, record_post
from gaung.platforms.protocol import AuthError, ConnectorError, RetryableError
from gaung.platforms.types import Platform
from gaung.posts.models import (
    AttemptOutcome,
    Post,
    PostStatus,
    PostVariant,
    PublishAttempt,
    VariantMedia,
)
from gaung.units.models import Unit
from gaung.worker.context import JobContext
from gaung.xspend.service import allowed

log = logging.getLogger("gaung.jobs")

JOB = "metrics"
RETRY_BASE_S = 300.0
RETRY_MAX_S = 6 * 3600.0
ACCOUNTS_PER_RUN = 500
TRACK_PER_RUN = 500
BACKFILL_PER_RUN = 20
# Ids per metrics call: X looks up 100 posts at once; a Graph batch holds 50 requests
# (Instagram asks two per media: its counters and its insights).
BATCH = {Platform.x: 100, Platform.facebook: 50, Platform.instagram: 25}
# A disabled or disconnected account's posts are looked at again this much later.
IDLE = timedelta(days=1)


@dataclass
class PollReport:
    polled: int = 0
    waited: int = 0
    failed: int = 0


def _usable() -> object:
    return and_(
        PlatformAccount.status == AccountStatus.active,
        or_(PlatformAccount.sandbox.is_(True), PlatformAccount.access_token_enc.is_not(None)),
    )


async def _gate(session: AsyncSession, account: PlatformAccount, now: datetime) -> datetime | None:
    """When the account may be read again, if not now: its rate limit, or X's spend cap."""
    wait = core.must_wait(account.rate_limit or {}, now)
    if wait is not None:
        return wait
    x_read = account.platform is Platform.x and not account.sandbox
    if x_read and not await allowed(session, account.unit_id, "read", now=now):
        return now + timedelta(hours=1)
    return None


def _bind(ctx: JobContext, session: AsyncSession, account: PlatformAccount) -> BoundAccount | None:
    return bind(
        account,
        session=session,
        settings=ctx.settings,
        http=ctx.http,
        on_rate_limit=recorder(account),
    )


async def _state(session: AsyncSession, account_id: int) -> MetricsAccountState | None:
    """The account's state, locked for this transaction; None while another worker polls it."""
    await ensure_states(session, [account_id])
    return await session.scalar(
        select(MetricsAccountState)
        .where(MetricsAccountState.account_id == account_id)
        .with_for_update(skip_locked=True)
    )


async def _failed(
    session: AsyncSession, account: PlatformAccount, exc: ConnectorError, failures: int
) -> float:
    """Record a failed call; seconds to wait before the next try."""
    if isinstance(exc, AuthError):
        await mark_needs_reauth(session, SystemActor(JOB), account, exc.message)
        return RETRY_MAX_S
    record_error(account, exc.message)
    retry_after = exc.retry_after if isinstance(exc, RetryableError) else None
    return core.backoff(failures, RETRY_BASE_S, RETRY_MAX_S, retry_after)


# --- account snapshots -------------------------------------------------------------------------


async def poll_accounts(ctx: JobContext) -> PollReport:
    """One snapshot of every usable account whose slot has come (hourly by default)."""
    now = ctx.clock()
    async with session_scope(ctx.sessionmaker) as session:
        ids = list(
            await session.scalars(
                select(PlatformAccount.id)
                .outerjoin(
                    MetricsAccountState, MetricsAccountState.account_id == PlatformAccount.id
                )
                .where(
                    _usable(),  # type: ignore[arg-type]
                    or_(
                        MetricsAccountState.next_poll_at.is_(None),
                        MetricsAccountState.next_poll_at <= now,
                    ),
                )
                .order_by(PlatformAccount.id)
                .limit(ACCOUNTS_PER_RUN)
            )
        )
    report = PollReport()
    for account_id in ids:
        if ctx.stopping.is_set():
            break
        try:
            outcome = await _poll_account(ctx, account_id, now)
        except Exception:  # a bug with one account must not stop the others' polling
            log.exception("metrics poll failed for account %s", account_id)
            outcome = "failed"
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


async def _poll_account(ctx: JobContext, account_id: int, now: datetime) -> str:
    every = timedelta(seconds=ctx.settings.metrics_account_interval_s)
    async with session_scope(ctx.sessionmaker) as session:
        account = await session.get(PlatformAccount, account_id)
        if account is None:
            return "failed"
        state = await _state(session, account_id)
        if state is None or (state.next_poll_at is not None and state.next_poll_at > now):
            return "waited"  # another worker is polling it, or just did
        wait = await _gate(session, account, now)
        bound = None if wait is not None else _bind(ctx, session, account)
        if wait is not None or bound is None:
            state.next_poll_at = wait or now + every
            return "waited"
        try:
            metrics = await bound.connector.account_metrics(bound.credentials)
        except ConnectorError as exc:
            state.failures += 1
            state.last_error = exc.message[:1000]
            delay = await _failed(session, account, exc, state.failures)
            state.next_poll_at = now + timedelta(seconds=delay)
            return "failed"
        # Stamped by the worker's clock, like every other time the job writes.
        metrics = replace(metrics, measured_at=ctx.clock())
        zone = ZoneInfo(
            await session.scalar(select(Unit.timezone).where(Unit.id == account.unit_id)) or "UTC"
        )
        await record_account(
            session, account_id=account.id, unit_id=account.unit_id, zone=zone, metrics=metrics
        )
        state.failures = 0
        state.last_error = None
        state.last_success_at = metrics.measured_at
        state.next_poll_at = core.next_slot(now, account.id, every)
        return "polled"


# --- post figures ------------------------------------------------------------------------------


async def poll_posts(ctx: JobContext) -> PollReport:
    """Track newly published posts, then read the figures of every post whose next reading on
    the decaying schedule has come, batched per account as its network allows."""
    now = ctx.clock()
    await track_published(ctx, now)
    async with session_scope(ctx.sessionmaker) as session:
        rows = (
            await session.execute(
                select(TrackedPost.id, TrackedPost.account_id)
                .where(TrackedPost.next_poll_at <= now)
                .order_by(TrackedPost.next_poll_at, TrackedPost.id)
                .limit(ctx.settings.metrics_posts_per_run)
            )
        ).all()
    by_account: dict[int, list[int]] = defaultdict(list)
    for post_id, account_id in rows:
        by_account[account_id].append(post_id)
    report = PollReport()
    for account_id, post_ids in by_account.items():
        if ctx.stopping.is_set():
            break
        try:
            outcome = await _poll_posts_of(ctx, account_id, post_ids, now)
        except Exception:
            log.exception("post metrics poll failed for account %s", account_id)
            outcome = "failed"
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


async def _poll_posts_of(
    ctx: JobContext, account_id: int, post_ids: list[int], now: datetime
) -> str:
    async with session_scope(ctx.sessionmaker) as session:
        account = await session.get(PlatformAccount, account_id)
        # Locked, and still due: another worker may be reading the same posts.
        posts = list(
            await session.scalars(
                select(TrackedPost)
                .where(TrackedPost.id.in_(post_ids), TrackedPost.next_poll_at <= now)
                .order_by(TrackedPost.id)
                .with_for_update(skip_locked=True)
            )
        )
        if account is None or not posts:
            return "failed"
        usable = account.status == AccountStatus.active and account.connected
        wait = (await _gate(session, account, now)) if usable else now + IDLE
        bound = None if wait is not None else _bind(ctx, session, account)
        if wait is not None or bound is None:
            for post in posts:
                post.next_poll_at = wait or now + IDLE
            return "waited"
        size = BATCH.get(account.platform, 50)
        outcome = "polled"
        for start in range(0, len(posts), size):
            chunk = posts[start : start + size]
            try:
                found = await bound.connector.post_metrics(
                    bound.credentials, [p.external_id for p in chunk]
                )
            except ConnectorError as exc:
                # This batch and the rest wait; what was read before stays recorded.
                rest = posts[start:]
                failures = max(p.failures for p in rest) + 1
                delay = await _failed(session, account, exc, failures)
                for post in rest:
                    post.failures += 1
                    post.last_error = exc.message[:1000]
                    post.next_poll_at = now + timedelta(seconds=delay)
                outcome = "failed"
                break
            read_at = ctx.clock()
            by_id = {m.external_id: replace(m, measured_at=read_at) for m in found}
            for post in chunk:
                metrics = by_id.get(post.external_id)
                if metrics is not None:
                    record_post(session, post, metrics)
                # A post the network no longer shows (deleted) moves on all the same.
                post.polls = max(post.polls + 1, core.polls_passed(post.published_at, now))
                post.next_poll_at = core.next_post_poll(post.published_at, post.polls)
                post.failures = 0
                post.last_error = None
        return outcome


async def _followers_at(session: AsyncSession, account_id: int, at: datetime) -> int | None:
    return await session.scalar(
        select(AccountSnapshot.followers)
        .where(
            AccountSnapshot.account_id == account_id,
            AccountSnapshot.measured_at <= at,
            AccountSnapshot.followers.is_not(None),
        )
        .order_by(AccountSnapshot.measured_at.desc())
        .limit(1)
    )


def post_format(kinds: list[MediaKind]) -> PostFormat:
    if any(k is MediaKind.video for k in kinds):
        return PostFormat.video
    if len(kinds) > 1:
        return PostFormat.carousel
    return PostFormat.image if kinds else PostFormat.text


async def track_published(ctx: JobContext, now: datetime) -> int:
    """Start following every variant published since the last run (its figures, its category
    and format, the local weekday and hour it went out)."""
    async with session_scope(ctx.sessionmaker) as session:
        return await track_published_in(session, now)


async def track_published_in(session: AsyncSession, now: datetime) -> int:
    published_at = (
        select(func.max(PublishAttempt.finished_at))
        .where(
            PublishAttempt.variant_id == PostVariant.id,
            PublishAttempt.outcome == AttemptOutcome.published,
        )
        .correlate(PostVariant)
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(PostVariant, Post, PlatformAccount, Unit.timezone, published_at)
            .join(Post, Post.id == PostVariant.post_id)
            .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
            .join(Unit, Unit.id == Post.unit_id)
            .where(
                PostVariant.status == PostStatus.published,
                PostVariant.external_id.is_not(None),
                ~exists().where(TrackedPost.variant_id == PostVariant.id),
            )
            .order_by(PostVariant.id)
            .limit(TRACK_PER_RUN)
            # Two workers never track the same variant: the second skips what the first took.
            .with_for_update(skip_locked=True, of=PostVariant)
        )
    ).all()
    if not rows:
        return 0
    kinds: dict[int, list[MediaKind]] = defaultdict(list)
    for variant_id, kind in await session.execute(
        select(VariantMedia.variant_id, MediaAsset.kind)
        .join(MediaAsset, MediaAsset.id == VariantMedia.media_id)
        .where(VariantMedia.variant_id.in_([r[0].id for r in rows]))
        .order_by(VariantMedia.variant_id, VariantMedia.position)
    ):
        kinds[variant_id].append(kind)
    for variant, post, account, timezone, at in rows:
        when = at or variant.updated_at
        assert variant.external_id is not None
        tracked = await session.scalar(
            select(TrackedPost).where(
                TrackedPost.account_id == account.id,
                TrackedPost.external_id == variant.external_id,
            )
        )
        if tracked is None:
            tracked = new_tracked(
                account,
                variant.external_id,
                when,
                ZoneInfo(timezone),
                followers=await _followers_at(session, account.id, when),
            )
            session.add(tracked)
        tracked.variant_id = variant.id
        tracked.post_id = post.id
        tracked.url = variant.external_url
        tracked.title = post.title[:200]
        tracked.category = post.category
        tracked.format = post_format(kinds.get(variant.id, []))
    await session.flush()
    return len(rows)


def new_tracked(
    account: PlatformAccount,
    external_id: str,
    published_at: datetime,
    zone: ZoneInfo,
    *,
    followers: int | None,
    title: str = "",
    url: str | None = None,
) -> TrackedPost:
    local = published_at.astimezone(zone)
    return TrackedPost(
        unit_id=account.unit_id,
        account_id=account.id,
        platform=account.platform,
        external_id=external_id,
        url=url,
        title=title[:200],
        format=PostFormat.text,
        published_at=published_at,
        weekday=local.weekday(),
        hour=local.hour,
        followers_at_publish=followers,
        interactions=0,
        polls=0,
        failures=0,
        next_poll_at=core.next_post_poll(published_at, 0),
    )


# --- backfill ----------------------------------------------------------------------------------


async def backfill(ctx: JobContext) -> int:
    """Import the recent posts of accounts connected since the last run, so their history does
    not start empty; their figures are read by the next post poll."""
    now = ctx.clock()
    async with session_scope(ctx.sessionmaker) as session:
        ids = list(
            await session.scalars(
                select(PlatformAccount.id)
                .outerjoin(
                    MetricsAccountState, MetricsAccountState.account_id == PlatformAccount.id
                )
                .where(_usable(), MetricsAccountState.backfilled_at.is_(None))  # type: ignore[arg-type]
                .order_by(PlatformAccount.id)
                .limit(BACKFILL_PER_RUN)
            )
        )
    imported = 0
    for account_id in ids:
        if ctx.stopping.is_set():
            break
        try:
            imported += await _backfill_one(ctx, account_id, now)
        except Exception:
            log.exception("backfill failed for account %s", account_id)
    return imported


async def _backfill_one(ctx: JobContext, account_id: int, now: datetime) -> int:
    async with session_scope(ctx.sessionmaker) as session:
        account = await session.get(PlatformAccount, account_id)
        if account is None:
            return 0
        state = await _state(session, account_id)
        if state is None or state.backfilled_at is not None:
            return 0  # another worker is importing it, or has
        if await _gate(session, account, now) is not None:
            return 0  # tried again on a later run
        bound = _bind(ctx, session, account)
        if bound is None:
            return 0
        since = now - timedelta(days=ctx.settings.metrics_backfill_days)
        try:
            recent = await bound.connector.find_recent(bound.credentials, since)
        except ConnectorError as exc:
            state.last_error = exc.message[:1000]
            await _failed(session, account, exc, 1)
            return 0
        timezone = await session.scalar(select(Unit.timezone).where(Unit.id == account.unit_id))
        zone = ZoneInfo(timezone or "UTC")
        known = set(
            await session.scalars(
                select(TrackedPost.external_id).where(TrackedPost.account_id == account.id)
            )
        )
        count = 0
        for item in recent:
            if item.external_id in known:
                continue
            known.add(item.external_id)
            title = item.text.strip().splitlines()[0] if item.text.strip() else ""
            tracked = new_tracked(
                account,
                item.external_id,
                item.published_at,
                zone,
                followers=None,
                title=title,
                url=item.url,
            )
            tracked.next_poll_at = now  # read once now, then the rest of the schedule
            session.add(tracked)
            count += 1
        state.backfilled_at = now
        return count


# --- dormant accounts --------------------------------------------------------------------------


async def alert_dormant(ctx: JobContext) -> int:
    """Tell a unit's admins once when one of its accounts turns dormant (no post for the
    unit's number of days, or no metrics for a day); the flag clears when it is active again."""
    now = ctx.clock()
    async with session_scope(ctx.sessionmaker) as session:
        return await dormancy.alert(session, now)

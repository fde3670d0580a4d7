"""Publishing: due variants go out at most once, on any number of workers.

Claim, then call. A short transaction claims due variants (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; on SQLite the claim runs under the file's single writer lock), marks them
``publishing`` with a lease and an attempt row, and commits *before* any network call. Each
outcome is then recorded in its own short transaction, and only by the claim's holder.

A platform call whose answer is lost (timeout after the request was written, a dropped
connection, a crash, a lease that ran out) ends ``unconfirmed``: it may be live. Such a variant
is never sent again blindly; ``reconcile`` looks for it on the account first.

No FastAPI here: jobs (``posts/jobs.py``), commands and tests call these functions.
"""

from __future__ import annotations

import logging
import random
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

import httpx
from sqlalchemy import Table, bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import joinedload, selectinload

from gaung.accounts.connectors import bind
from gaung.accounts.health import mark_needs_reauth, record_error
from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.accounts.rate_limits import as_json as rate_limit_json
from gaung.audit.models import AuditEvent
from gaung.audit.service import audit
from gaung.auth.principal import SystemActor
from gaung.config import Settings
from gaung.db import session_scope
from gaung.media.service import media_url
from gaung.notifications.models import Notification, NotificationKind
from gaung.notifications.service import notify
from gaung.platforms.protocol import (
    AuthError,
    ConnectorError,
    MediaFile,
    PermanentError,
    PublishResult,
    RateLimit,
    RecentPost,
    RetryableError,
    Usage,
    VariantToPublish,
)
from gaung.platforms.types import MediaInfo, Platform
from gaung.posts import calendar_time
from gaung.posts.models import (
    AttemptOutcome,
    FollowupKind,
    Post,
    PostFollowup,
    PostStatus,
    PostVariant,
    PublishAttempt,
    VariantMedia,
)
from gaung.posts.service import summarise
from gaung.users.models import Membership, Role, User
from gaung.webhooks import outbox as webhooks
from gaung.webhooks.outbox import Event
from gaung.xspend.service import recorder as xspend_recorder

log = logging.getLogger(__name__)

DISPATCH = SystemActor("dispatch")
RECONCILE = SystemActor("reconcile")

# Reconciling reads posts published a little before the attempt started (clocks differ).
RECONCILE_MARGIN = timedelta(minutes=2)
# After this long an unconfirmed variant is left to a person: reads cost money (X) and the
# account's recent posts no longer reach back that far.
RECONCILE_GIVE_UP = timedelta(days=2)
# A read that returns this many posts may have been cut short: it did not prove absence.
RECONCILE_FULL_PAGE = 500  # X: 5 pages of 100; the sandbox reads 500
# Facebook and Instagram read 10 pages of 25 (meta.graph.MAX_PAGES): 250 is already the most
# one read returns, so the lost post may lie just below it.
READ_CAPS: dict[Platform, int] = {Platform.facebook: 250, Platform.instagram: 250}


def read_cap(platform: Platform) -> int:
    """The most posts one ``find_recent`` of this network returns."""
    return READ_CAPS.get(platform, RECONCILE_FULL_PAGE)


# Most unconfirmed variants one reconcile run looks at.
RECONCILE_BATCH = 100


@dataclass(frozen=True)
class PublishConfig:
    batch_size: int = 50
    concurrency: int = 20
    max_attempts: int = 5
    lease: timedelta = timedelta(minutes=10)
    backoff: timedelta = timedelta(seconds=30)
    backoff_max: timedelta = timedelta(hours=1)
    reconcile_after: timedelta = timedelta(minutes=5)

    @classmethod
    def from_settings(cls, settings: Settings) -> PublishConfig:
        return cls(
            batch_size=settings.publish_batch_size,
            concurrency=settings.publish_concurrency,
            max_attempts=settings.publish_max_attempts,
            lease=timedelta(seconds=settings.publish_lease_s),
            backoff=timedelta(seconds=settings.publish_backoff_s),
            backoff_max=timedelta(seconds=settings.publish_backoff_max_s),
            reconcile_after=timedelta(seconds=settings.reconcile_after_s),
        )


@dataclass(frozen=True)
class Claim:
    """One variant a worker holds: ``attempt`` (the variant's attempt count at claim time)
    names this claim, so a stale holder can never record over a later one."""

    variant_id: int
    attempt_id: int
    attempt: int
    worker: str
    started_at: datetime


def backoff_delay(
    attempt: int,
    cfg: PublishConfig,
    retry_after_s: float | None = None,
    rand: Callable[[], float] = random.random,
) -> timedelta:
    """Exponential backoff, jittered within its upper half, never sooner than the
    platform's own reset time."""
    factor: int = 2 ** min(max(attempt - 1, 0), 32)
    base: timedelta = min(cfg.backoff * factor, cfg.backoff_max)
    delay: timedelta = base * (0.5 + 0.5 * rand())
    if retry_after_s is not None and retry_after_s > 0:
        delay = max(delay, timedelta(seconds=retry_after_s))
    return delay


# --- the post's summary ----------------------------------------------------------------------


async def _resync_posts(session: AsyncSession, post_ids: Collection[int]) -> None:
    """Keep each post's summary status in step with its variants. The post rows are locked
    first (in id order, so two workers never deadlock) and the statuses read after, so a
    sibling's change committed meanwhile is seen."""
    ids = sorted(set(post_ids))
    if not ids:
        return
    await session.execute(
        select(Post.id).where(Post.id.in_(ids)).order_by(Post.id).with_for_update()
    )
    rows = await session.execute(
        select(PostVariant.post_id, PostVariant.status).where(PostVariant.post_id.in_(ids))
    )
    statuses: dict[int, list[PostStatus]] = {i: [] for i in ids}
    for post_id, status in rows:
        statuses[post_id].append(status)
    # One statement per resulting status, not one per post.
    by_summary: dict[PostStatus, list[int]] = {}
    for post_id, found in statuses.items():
        by_summary.setdefault(summarise(found), []).append(post_id)
    for summary, post_ids_ in by_summary.items():
        await session.execute(
            update(Post)
            .where(Post.id.in_(post_ids_), Post.status != summary)
            .values(status=summary)
            .execution_options(synchronize_session=False)
        )


# --- claim -----------------------------------------------------------------------------------


async def claim_due(
    session: AsyncSession,
    *,
    worker: str,
    now: datetime,
    limit: int,
    lease: timedelta,
    held_unit_ids: Collection[int] = (),
    x_capped_unit_ids: Collection[int] = (),
) -> list[Claim]:
    """Claim up to ``limit`` due variants for ``worker``. The caller commits at once, before
    any platform is called. Variants of held units, of accounts that are not active (e.g.
    waiting for re-authorisation) and, in units at their X spending cap, of real X accounts
    are left waiting."""
    stmt = (
        select(PostVariant.id)
        .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
        .where(
            PostVariant.status == PostStatus.scheduled,
            PostVariant.scheduled_at.is_not(None),
            PostVariant.scheduled_at <= now,
            or_(PostVariant.next_attempt_at.is_(None), PostVariant.next_attempt_at <= now),
            PlatformAccount.status == AccountStatus.active,
        )
        .order_by(PostVariant.scheduled_at, PostVariant.id)
        .limit(limit)
        # Rows another worker is claiming are skipped, not waited for: no variant is claimed
        # twice and no worker stalls behind another.
        .with_for_update(skip_locked=True, of=PostVariant)
    )
    if held_unit_ids:
        stmt = stmt.where(PlatformAccount.unit_id.not_in(list(held_unit_ids)))
    if x_capped_unit_ids:
        stmt = stmt.where(
            ~(
                (PlatformAccount.platform == Platform.x)
                & PlatformAccount.sandbox.is_(False)
                & PlatformAccount.unit_id.in_(list(x_capped_unit_ids))
            )
        )
    ids = list((await session.scalars(stmt)).all())
    if not ids:
        return []
    # One statement for the whole batch (no per-row ORM work): the rows are locked above.
    updated = (
        await session.execute(
            update(PostVariant)
            .where(PostVariant.id.in_(ids))
            .values(
                status=PostStatus.publishing,
                lease_until=now + lease,
                claimed_by=worker,
                attempts=PostVariant.attempts + 1,
            )
            .returning(PostVariant.id, PostVariant.attempts, PostVariant.post_id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    order = {vid: i for i, vid in enumerate(ids)}
    rows = sorted(updated, key=lambda r: order[r.id])
    attempt_ids = (
        await session.scalars(
            insert(PublishAttempt).returning(PublishAttempt.id, sort_by_parameter_order=True),
            [{"variant_id": r.id, "worker": worker, "started_at": now} for r in rows],
        )
    ).all()
    claims = [
        Claim(r.id, attempt_id, r.attempts, worker, now)
        for r, attempt_id in zip(rows, attempt_ids, strict=True)
    ]
    await _resync_posts(session, {r.post_id for r in rows})
    return claims


async def next_due(session: AsyncSession, now: datetime) -> datetime | None:
    """When the next scheduled variant falls due after ``now`` (a retry's wait included)."""
    due = func.coalesce(PostVariant.next_attempt_at, PostVariant.scheduled_at)
    return await session.scalar(
        select(func.min(due)).where(
            PostVariant.status == PostStatus.scheduled,
            PostVariant.scheduled_at.is_not(None),
            due > now,
        )
    )


async def release(session: AsyncSession, claim: Claim, now: datetime) -> bool:
    """Give back a claim whose platform call never started (the worker is stopping)."""
    variant = await _held(session, claim)
    if variant is None:
        return False
    variant.status = PostStatus.scheduled
    variant.lease_until = None
    variant.claimed_by = None
    variant.attempts -= 1
    await _finish_attempt(session, claim, now, AttemptOutcome.released)
    await _resync_posts(session, [variant.post_id])
    return True


# --- outcomes --------------------------------------------------------------------------------


class Outcome(StrEnum):
    published = "published"
    retry = "retry"
    failed = "failed"
    auth = "auth"
    unknown = "unknown"


@dataclass(frozen=True)
class CallResult:
    """What one platform call came to, as plain data."""

    outcome: Outcome
    result: PublishResult | None = None
    code: str | None = None
    message: str | None = None
    message_id: str | None = None
    retry_after: float | None = None
    # Billable calls the connector reported, as (unit id, usage): written with the outcome.
    usage: tuple[tuple[int, Usage], ...] = ()
    # The account's rate-limit state the network last reported, as (account id, state).
    rate_limit: tuple[int, dict[str, Any]] | None = None


# httpx failures after which the request may have reached the platform: it was written (or
# partly written) and the answer never came. Connecting and pool waits happen before sending.
_MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)

UNKNOWN_EN = (
    "The platform did not answer after the post was sent, so Gaung cannot tell whether it "
    "went out. Gaung is checking the account and will not send it again until it knows."
)
UNKNOWN_ID = (
    "Platform tidak menjawab setelah postingan dikirim, jadi Gaung belum tahu apakah sudah "
    "terbit. Gaung sedang memeriksa akun dan tidak akan mengirim ulang sebelum pasti."
)
LEASE_EN = (
    "The worker publishing this stopped before it learned the outcome. Gaung is checking the "
    "account and will not send it again until it knows."
)
LEASE_ID = (
    "Proses yang menerbitkan ini berhenti sebelum tahu hasilnya. Gaung sedang memeriksa akun "
    "dan tidak akan mengirim ulang sebelum pasti."
)


def _maybe_sent(exc: BaseException) -> bool:
    """Whether a connector error was caused by the answer being lost after sending (the
    connectors map those to ``RetryableError``, which would be unsafe to resend)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, _MAYBE_SENT):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False


def classify(exc: BaseException) -> CallResult:
    """A platform call's exception as an outcome. Anything unexpected is ``unknown``: the
    request may have gone out."""
    if isinstance(exc, RetryableError) and _maybe_sent(exc):
        return CallResult(Outcome.unknown, code="network.no_answer")
    if isinstance(exc, RetryableError):
        return CallResult(
            Outcome.retry,
            code="retry",
            message=exc.message,
            message_id=exc.message_id,
            retry_after=exc.retry_after,
        )
    if isinstance(exc, AuthError):
        return CallResult(Outcome.auth, code="auth", message=exc.message, message_id=exc.message_id)
    if isinstance(exc, PermanentError):
        return CallResult(
            Outcome.failed, code=exc.code, message=exc.message, message_id=exc.message_id
        )
    if isinstance(exc, ConnectorError):
        return CallResult(Outcome.failed, message=exc.message, message_id=exc.message_id)
    return CallResult(Outcome.unknown, code="unexpected")


async def _held(
    session: AsyncSession, claim: Claim, also: Collection[PostStatus] = ()
) -> PostVariant | None:
    """The claimed variant, locked, if this claim still holds it (same worker, same attempt,
    still publishing — or in ``also``)."""
    return await session.scalar(
        select(PostVariant)
        .where(
            PostVariant.id == claim.variant_id,
            PostVariant.claimed_by == claim.worker,
            PostVariant.attempts == claim.attempt,
            PostVariant.status.in_([PostStatus.publishing, *also]),
        )
        .options(
            joinedload(PostVariant.account, innerjoin=True),
            joinedload(PostVariant.post, innerjoin=True),
        )
        .with_for_update(of=PostVariant)
        .execution_options(populate_existing=True)
    )


async def _finish_attempt(
    session: AsyncSession,
    claim: Claim,
    now: datetime,
    outcome: AttemptOutcome,
    *,
    code: str | None = None,
    error: str | None = None,
    external_id: str | None = None,
) -> None:
    await session.execute(
        update(PublishAttempt)
        .where(PublishAttempt.id == claim.attempt_id)
        .values(
            finished_at=now,
            outcome=outcome,
            error_code=code,
            error=error,
            external_id=external_id,
        )
        .execution_options(synchronize_session=False)
    )


def _set_error(v: PostVariant, code: str | None, en: str | None, id_: str | None) -> None:
    v.last_error = en
    v.last_error_message_id = id_ or en
    v.last_error_code = code


def _view(v: PostVariant) -> dict[str, Any]:
    return {
        "status": v.status.value,
        "account_id": v.account_id,
        "attempts": v.attempts,
        "external_id": v.external_id,
        "external_url": v.external_url,
        "last_error": v.last_error,
        "next_attempt_at": v.next_attempt_at.isoformat() if v.next_attempt_at else None,
    }


async def _tell(
    session: AsyncSession, v: PostVariant, kind: NotificationKind, reason: str | None = None
) -> None:
    """The post's author and the unit's editors and admins hear how it went."""
    post = v.post
    params: dict[str, Any] = {
        "post": post.title,
        "account": v.account.handle,
        "platform": v.account.platform.value,
    }
    if v.external_url:
        params["url"] = v.external_url
    if reason:
        params["reason"] = reason
    await notify(
        session,
        unit_id=post.unit_id,
        kind=kind,
        object_type="post",
        object_id=post.id,
        params=params,
        roles=[Role.admin, Role.editor],
        user_ids=[post.author_id] if post.author_id else [],
    )


def _event_data(v: PostVariant) -> dict[str, Any]:
    """What a ``post.published``/``post.failed`` webhook says about a variant."""
    return {
        "post_id": v.post_id,
        "variant_id": v.id,
        "account_id": v.account_id,
        "platform": v.account.platform.value,
        "title": v.post.title,
        "status": v.status.value,
        "url": v.external_url,
        "error": v.last_error,
    }


def _audit(
    session: AsyncSession,
    actor: SystemActor,
    v: PostVariant,
    action: str,
    before: dict[str, Any],
) -> None:
    audit(
        session,
        actor,
        action=action,
        object_type="post_variant",
        object_id=v.id,
        unit_id=v.post.unit_id,
        before=before,
        after=_view(v),
    )


def followup_rows(
    variant_id: int, platform: Platform, options: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """The follow-ups a published variant's options ask for on its network, in order (see
    ``posts/followups.py``): written with the publish, as the options no longer change."""
    options = options or {}
    planned: list[tuple[FollowupKind, int, str]] = []
    if platform is Platform.x:
        planned = [
            (FollowupKind.thread_part, i, str(part))
            for i, part in enumerate(options.get("thread") or [])
        ]
    elif platform is Platform.instagram and options.get("first_comment"):
        planned = [(FollowupKind.first_comment, 0, str(options["first_comment"]))]
    return [
        {"variant_id": variant_id, "kind": kind, "position": position, "text": text}
        for kind, position, text in planned
    ]


async def _plan_followups(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(PostFollowup), list(rows))


async def _mark_published(
    session: AsyncSession, v: PostVariant, result: PublishResult, actor: SystemActor
) -> None:
    before = _view(v)
    v.status = PostStatus.published
    v.external_id = result.external_id
    v.external_url = result.url
    v.lease_until = None
    v.next_attempt_at = None
    _set_error(v, None, None, None)
    await session.flush()
    _audit(session, actor, v, "publish", before)
    await _plan_followups(session, followup_rows(v.id, v.account.platform, v.options))
    await _tell(session, v, NotificationKind.published)
    webhooks.emit(session, v.post.unit_id, Event.post_published, _event_data(v))
    await _resync_posts(session, [v.post_id])


async def record_outcome(
    session: AsyncSession,
    claim: Claim,
    call: CallResult,
    *,
    now: datetime,
    cfg: PublishConfig,
    rand: Callable[[], float] = random.random,
) -> bool:
    """Record how the claimed call ended. False when this claim no longer holds the variant
    (its lease ran out and it was turned ``unconfirmed``): then only a published answer is
    still taken, since it settles what reconciling would look for."""
    also = [PostStatus.unconfirmed] if call.outcome is Outcome.published else []
    v = await _held(session, claim, also)
    if v is None:
        log.warning(
            "claim of variant %s (attempt %s) was lost before its outcome %s",
            claim.variant_id,
            claim.attempt,
            call.outcome.value,
        )
        return False
    v.lease_until = None
    if call.outcome is Outcome.published:
        assert call.result is not None
        await _mark_published(session, v, call.result, DISPATCH)
        await _finish_attempt(
            session, claim, now, AttemptOutcome.published, external_id=call.result.external_id
        )
        return True

    before = _view(v)
    kind: NotificationKind | None = None
    if call.outcome is Outcome.retry and claim.attempt >= cfg.max_attempts:
        v.status = PostStatus.failed
        en = f"Gave up after {claim.attempt} attempts; the last one failed with: {call.message}"
        id_ = (
            f"Dihentikan setelah {claim.attempt} percobaan; yang terakhir gagal karena: "
            f"{call.message_id or call.message}"
        )
        _set_error(v, "publish.gave_up", en, id_)
        v.next_attempt_at = None
        outcome, action, kind = AttemptOutcome.failed, "publish_failed", NotificationKind.failed
    elif call.outcome is Outcome.retry:
        v.status = PostStatus.scheduled
        v.next_attempt_at = now + backoff_delay(claim.attempt, cfg, call.retry_after, rand)
        _set_error(v, call.code, call.message, call.message_id)
        outcome, action = AttemptOutcome.retry, "publish_retry"
    elif call.outcome is Outcome.failed or (call.outcome is Outcome.auth and v.account.sandbox):
        # A sandbox's "access revoked" is practice: nothing to reconnect, so it just fails.
        v.status = PostStatus.failed
        v.next_attempt_at = None
        _set_error(v, call.code, call.message, call.message_id)
        outcome, action, kind = AttemptOutcome.failed, "publish_failed", NotificationKind.failed
    elif call.outcome is Outcome.auth:
        # Held, not failed: the account now needs re-authorisation, and its due variants wait
        # (the claim skips accounts that are not active) until an admin reconnects it.
        v.status = PostStatus.scheduled
        v.next_attempt_at = None
        _set_error(v, call.code, call.message, call.message_id)
        await mark_needs_reauth(session, DISPATCH, v.account, call.message or "access refused")
        outcome, action = AttemptOutcome.auth, "publish_held"
    else:
        v.status = PostStatus.unconfirmed
        v.next_attempt_at = None
        _set_error(v, call.code or "network.no_answer", UNKNOWN_EN, UNKNOWN_ID)
        outcome, action = AttemptOutcome.unconfirmed, "publish_unconfirmed"
        kind = NotificationKind.unconfirmed
    if call.outcome in (Outcome.retry, Outcome.failed) and call.message:
        record_error(v.account, call.message)
    await session.flush()
    _audit(session, DISPATCH, v, action, before)
    if kind is not None:
        await _tell(session, v, kind, v.last_error)
    if action == "publish_failed":
        webhooks.emit(session, v.post.unit_id, Event.post_failed, _event_data(v))
    await _finish_attempt(session, claim, now, outcome, code=v.last_error_code, error=v.last_error)
    await _resync_posts(session, [v.post_id])
    return True


async def _save_reports(session: AsyncSession, calls: Sequence[CallResult]) -> None:
    """What the connectors reported besides the outcomes: billable X calls, and each
    account's latest rate-limit state (shown on the accounts screen) — one update per account
    however many of its calls are in the batch, in id order so two workers never deadlock."""
    latest: dict[int, dict[str, Any]] = {}
    for call in calls:
        for unit_id, usage in call.usage:
            xspend_recorder(session, unit_id)(usage)  # written when the session commits
        if call.rate_limit is not None:
            account_id, state = call.rate_limit
            latest[account_id] = state
    for account_id in sorted(latest):
        await session.execute(
            update(PlatformAccount)
            .where(PlatformAccount.id == account_id)
            .values(rate_limit=latest[account_id])
            .execution_options(synchronize_session=False)
        )


async def record_outcomes(
    session: AsyncSession,
    results: Sequence[tuple[Claim, CallResult]],
    *,
    now: datetime,
    cfg: PublishConfig,
) -> list[bool]:
    """Record many calls' outcomes in one transaction (``record_outcome`` for each, in order).
    Published ones, nearly all of a busy minute, are written with a few set-based statements
    for the whole lot; the rest go one by one. Only the claim's holder records."""
    done: dict[int, bool] = {}
    published = [(c, r) for c, r in results if r.outcome is Outcome.published]
    if published:
        done.update(await _record_published(session, published, now))
    for claim, call in results:
        if call.outcome is not Outcome.published:
            done[claim.attempt_id] = await record_outcome(session, claim, call, now=now, cfg=cfg)
    await _save_reports(session, [call for _claim, call in results])
    return [done[claim.attempt_id] for claim, _ in results]


async def _record_published(
    session: AsyncSession, results: Sequence[tuple[Claim, CallResult]], now: datetime
) -> dict[int, bool]:
    """``record_outcome`` for published calls, without per-variant ORM work: the held rows are
    locked in id order (two workers never deadlock), then updated, audited and notified in
    bulk. Keyed by attempt id."""
    by_variant = {claim.variant_id: (claim, call) for claim, call in results}
    rows = (
        await session.execute(
            select(
                PostVariant.id,
                PostVariant.post_id,
                PostVariant.account_id,
                PostVariant.status,
                PostVariant.attempts,
                PostVariant.claimed_by,
                PostVariant.external_id,
                PostVariant.external_url,
                PostVariant.last_error,
                PostVariant.next_attempt_at,
                PostVariant.options,
                Post.unit_id,
                Post.title,
                Post.author_id,
                PlatformAccount.handle,
                PlatformAccount.platform,
            )
            .join(Post, Post.id == PostVariant.post_id)
            .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
            .where(
                PostVariant.id.in_(list(by_variant)),
                # A lease that ran out meanwhile made it unconfirmed: a published answer still
                # settles what reconciling would look for.
                PostVariant.status.in_([PostStatus.publishing, PostStatus.unconfirmed]),
            )
            .order_by(PostVariant.id)
            .with_for_update(of=PostVariant)
        )
    ).all()
    held = [
        r
        for r in rows
        if r.claimed_by == by_variant[r.id][0].worker and r.attempts == by_variant[r.id][0].attempt
    ]
    out = {claim.attempt_id: False for claim, _ in results}
    held_ids = {r.id for r in held}
    for claim, call in results:
        if claim.variant_id not in held_ids:
            log.warning(
                "claim of variant %s (attempt %s) was lost before its outcome %s",
                claim.variant_id,
                claim.attempt,
                call.outcome.value,
            )
    if not held:
        return out
    variants = cast(Table, PostVariant.__table__)
    attempts = cast(Table, PublishAttempt.__table__)
    changes: list[dict[str, Any]] = []
    finished: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for r in held:
        claim, call = by_variant[r.id]
        assert call.result is not None
        out[claim.attempt_id] = True
        changes.append(
            {
                "b_id": r.id,
                "b_worker": claim.worker,
                "b_attempts": claim.attempt,
                "external_id": call.result.external_id,
                "external_url": call.result.url,
            }
        )
        finished.append({"b_id": claim.attempt_id, "external_id": call.result.external_id})
        before = {
            "status": r.status.value,
            "account_id": r.account_id,
            "attempts": r.attempts,
            "external_id": r.external_id,
            "external_url": r.external_url,
            "last_error": r.last_error,
            "next_attempt_at": r.next_attempt_at.isoformat() if r.next_attempt_at else None,
        }
        after = {
            **before,
            "status": PostStatus.published.value,
            "external_id": call.result.external_id,
            "external_url": call.result.url,
            "last_error": None,
            "next_attempt_at": None,
        }
        events.append(
            {
                "action": "publish",
                "object_type": "post_variant",
                "object_id": str(r.id),
                "actor_id": None,
                "unit_id": r.unit_id,
                "before": before,
                "after": after,
                "ip": DISPATCH.ip,
                "system_job": DISPATCH.job,
            }
        )
    # The claim is checked again in the statement itself: only the holder records.
    await session.execute(
        update(variants)
        .where(
            variants.c.id == bindparam("b_id"),
            variants.c.claimed_by == bindparam("b_worker"),
            variants.c.attempts == bindparam("b_attempts"),
        )
        .values(
            status=PostStatus.published,
            external_id=bindparam("external_id"),
            external_url=bindparam("external_url"),
            lease_until=None,
            next_attempt_at=None,
            last_error=None,
            last_error_message_id=None,
            last_error_code=None,
        ),
        changes,
    )
    await session.execute(
        update(attempts)
        .where(attempts.c.id == bindparam("b_id"))
        .values(
            finished_at=now,
            outcome=AttemptOutcome.published,
            error_code=None,
            error=None,
            external_id=bindparam("external_id"),
        ),
        finished,
    )
    # Many parameter sets in one statement: the calendar time is refreshed here.
    await calendar_time.refresh(session, variant_ids=[r.id for r in held])
    await session.execute(insert(AuditEvent), events)
    await _plan_followups(
        session, [row for r in held for row in followup_rows(r.id, r.platform, r.options)]
    )
    await _tell_published(session, held, {r.id: by_variant[r.id][1] for r in held})
    await webhooks.emit_many(
        session,
        [
            (
                r.unit_id,
                Event.post_published,
                {
                    "post_id": r.post_id,
                    "variant_id": r.id,
                    "account_id": r.account_id,
                    "platform": r.platform.value,
                    "title": r.title,
                    "status": PostStatus.published.value,
                    "url": by_variant[r.id][1].result.url,  # type: ignore[union-attr]
                    "error": None,
                },
            )
            for r in held
        ],
    )
    await _resync_posts(session, {r.post_id for r in held})
    return out


async def _tell_published(
    session: AsyncSession, held: Sequence[Any], calls: dict[int, CallResult]
) -> None:
    """``_tell(…, published)`` for many variants: each unit's editors and admins are looked
    up once, and the notifications inserted together."""
    units = sorted({r.unit_id for r in held})
    staff: dict[int, set[int]] = {u: set() for u in units}
    for unit_id, user_id in await session.execute(
        select(Membership.unit_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.unit_id.in_(units),
            Membership.role.in_([Role.admin, Role.editor]),
            User.is_active.is_(True),
        )
    ):
        staff[unit_id].add(user_id)
    notes: list[dict[str, Any]] = []
    for r in held:
        result = calls[r.id].result
        assert result is not None
        params: dict[str, Any] = {
            "post": r.title,
            "account": r.handle,
            "platform": r.platform.value,
        }
        if result.url:
            params["url"] = result.url
        wanted = set(staff[r.unit_id])
        if r.author_id:
            wanted.add(r.author_id)
        notes.extend(
            {
                "user_id": user_id,
                "unit_id": r.unit_id,
                "kind": NotificationKind.published,
                "object_type": "post",
                "object_id": str(r.post_id),
                "params": params,
            }
            for user_id in sorted(wanted)
        )
    if notes:
        await session.execute(insert(Notification), notes)


async def expire_leases(session: AsyncSession, now: datetime) -> list[int]:
    """Variants whose worker died mid-publish (lease expired) become ``unconfirmed``: the call
    may have gone out, so they are reconciled, never resent blindly."""
    variants = list(
        (
            await session.scalars(
                select(PostVariant)
                .where(
                    PostVariant.status == PostStatus.publishing,
                    PostVariant.lease_until < now,
                )
                .options(
                    joinedload(PostVariant.account, innerjoin=True),
                    joinedload(PostVariant.post, innerjoin=True),
                )
                .limit(500)
                .with_for_update(skip_locked=True, of=PostVariant)
                .execution_options(populate_existing=True)
            )
        ).all()
    )
    for v in variants:
        before = _view(v)
        v.status = PostStatus.unconfirmed
        v.lease_until = None
        _set_error(v, "publish.lease_expired", LEASE_EN, LEASE_ID)
        await session.flush()
        _audit(session, DISPATCH, v, "publish_unconfirmed", before)
        await _tell(session, v, NotificationKind.unconfirmed, v.last_error)
        await session.execute(
            update(PublishAttempt)
            .where(PublishAttempt.variant_id == v.id, PublishAttempt.outcome.is_(None))
            .values(finished_at=now, outcome=AttemptOutcome.lease_expired)
            .execution_options(synchronize_session=False)
        )
    await _resync_posts(session, {v.post_id for v in variants})
    return [v.id for v in variants]


# --- the call --------------------------------------------------------------------------------


def _to_publish(v: PostVariant, settings: Settings) -> VariantToPublish:
    media = []
    for link in v.media_links:
        m = link.media
        media.append(
            MediaFile(
                info=MediaInfo(
                    kind=m.kind.value,
                    mime_type=m.mime_type,
                    size_bytes=m.size_bytes,
                    width=m.width,
                    height=m.height,
                    duration_s=m.duration_s,
                ),
                path=settings.effective_media_dir / m.storage_path,
                public_url=media_url(m, settings),
                alt_text=m.alt_text,
            )
        )
    chosen = (v.options or {}).get("link")
    return VariantToPublish(text=v.text, media=media, link=str(chosen) if chosen else None)


def _load_for_call() -> Any:
    return select(PostVariant).options(
        joinedload(PostVariant.account, innerjoin=True),
        selectinload(PostVariant.media_links).selectinload(VariantMedia.media),
    )


NO_CONNECTOR_EN = (
    "This account cannot publish: it has no access token (connect it again) or its network "
    "has no connector."
)
NO_CONNECTOR_ID = (
    "Akun ini tidak bisa menerbitkan: tidak punya token akses (sambungkan ulang) atau "
    "jaringannya belum didukung."
)

NOT_SENT_EN = "Gaung could not prepare this post for sending; it will try again."
NOT_SENT_ID = "Gaung gagal menyiapkan postingan ini untuk dikirim; akan dicoba lagi."


async def load_for_calls(session: AsyncSession, ids: Collection[int]) -> dict[int, PostVariant]:
    """Everything the platform calls of a claimed batch need (variant, account with its
    tokens, media), in a few queries for the whole batch rather than a transaction each."""
    if not ids:
        return {}
    found = await session.scalars(_load_for_call().where(PostVariant.id.in_(list(ids))))
    return {v.id: v for v in found}


async def call_platform(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    claim: Claim,
    *,
    started: Callable[[], None] = lambda: None,
    loaded: PostVariant | None = None,
) -> CallResult:
    """Publish one claimed variant. A real account's data is ``loaded`` with its batch (or read
    here in a short transaction) and the network is called outside any transaction; a sandbox
    account publishes into its own transaction (its store is the database), committed before
    the outcome is recorded, as a real network keeps a post whatever happens to Gaung
    afterwards. ``started`` is called just before."""
    calling = False
    usage: list[Usage] = []
    limits: list[RateLimit] = []

    def start() -> None:
        nonlocal calling
        calling = True
        started()

    def used(v: PostVariant) -> tuple[tuple[int, Usage], ...]:
        return tuple((v.account.unit_id, u) for u in usage)

    def reported(v: PostVariant | None) -> tuple[int, dict[str, Any]] | None:
        # A connector may read a linked account (a Page's Instagram): only this one's counts.
        own = [
            lim for lim in limits if v and lim.account_external_id in ("", v.account.external_id)
        ]
        return (v.account.id, rate_limit_json(own[-1])) if v and own else None

    no_connector = CallResult(
        Outcome.auth,
        code="publish.no_credentials",
        message=NO_CONNECTOR_EN,
        message_id=NO_CONNECTOR_ID,
    )
    v: PostVariant | None = loaded
    try:
        if v is not None and not v.account.sandbox:
            bound = bind(
                v.account,
                session=None,
                settings=settings,
                http=http,
                on_usage=usage.append,
                on_rate_limit=limits.append,
            )
            if bound is None:
                return no_connector
            payload = _to_publish(v, settings)
        else:
            async with session_scope(factory) as session:
                v = await session.scalar(_load_for_call().where(PostVariant.id == claim.variant_id))
                if v is None:  # deleted meanwhile (the claim keeps the post locked from edits)
                    return CallResult(Outcome.failed, code="publish.gone", message="deleted")
                # A real account's usage is reported after this session ends: it is written
                # with the outcome instead.
                on_usage = None if v.account.sandbox else usage.append
                bound = bind(
                    v.account, session=session, settings=settings, http=http, on_usage=on_usage
                )
                if bound is None:
                    return no_connector
                payload = _to_publish(v, settings)
                if v.account.sandbox:
                    start()
                    result = await bound.connector.publish(bound.credentials, payload)
                    return CallResult(Outcome.published, result=result)
        start()
        result = await bound.connector.publish(bound.credentials, payload)
        return CallResult(Outcome.published, result=result, usage=used(v), rate_limit=reported(v))
    except Exception as exc:  # every failure is an outcome; nothing is lost in a log
        if not calling:
            # Failed before the platform was called (the database away): safe to try again.
            log.warning("preparing variant %s failed", claim.variant_id, exc_info=True)
            return CallResult(
                Outcome.retry,
                code="publish.not_sent",
                message=NOT_SENT_EN,
                message_id=NOT_SENT_ID,
            )
        call = classify(exc)
        if call.outcome is Outcome.unknown:
            log.warning("publishing variant %s: outcome unknown", claim.variant_id, exc_info=True)
        if v is None:
            return call
        return replace(call, usage=used(v), rate_limit=reported(v))


# --- reconcile -------------------------------------------------------------------------------

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def fingerprint(text: str) -> str:
    """A text as compared when reconciling: links removed (X shortens them to t.co), Unicode
    normalised, case and whitespace folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" ", text)
    return _SPACE.sub(" ", text).strip().casefold()


def matches(variant_text: str, recent: Sequence[RecentPost]) -> list[RecentPost]:
    want = fingerprint(variant_text)
    return [p for p in recent if fingerprint(p.text) == want]


class Verdict(StrEnum):
    published = "published"
    resend = "resend"
    wait = "wait"
    person = "person"


@dataclass(frozen=True)
class Reconciled:
    variant_id: int
    verdict: Verdict
    detail: str | None = None
    found: RecentPost | None = field(default=None)


CANNOT_READ_EN = (
    "Gaung could not read the account's recent posts to check whether this went out ({why}). "
    "It will try again; it will not send the post again until it knows."
)
CANNOT_READ_ID = (
    "Gaung tidak bisa membaca postingan terbaru akun untuk memeriksa apakah ini sudah terbit "
    "({why}). Gaung akan mencoba lagi dan tidak mengirim ulang sebelum pasti."
)
AMBIGUOUS_EN = (
    "{n} posts on the account have this text, so Gaung cannot tell which is this one. Check "
    "the account, then mark it published or send it again."
)
AMBIGUOUS_ID = (
    "Ada {n} postingan di akun dengan teks ini, jadi Gaung tidak bisa memastikan yang mana. "
    "Periksa akun, lalu tandai terbit atau kirim ulang."
)
TOO_OLD_EN = (
    "Gaung could not confirm within two days whether this went out. Check the account, then "
    "mark it published or send it again."
)
TOO_OLD_ID = (
    "Dalam dua hari Gaung tidak bisa memastikan apakah ini sudah terbit. Periksa akun, lalu "
    "tandai terbit atau kirim ulang."
)


def decide(
    variant_text: str,
    attempt_started: datetime,
    now: datetime,
    recent: Sequence[RecentPost] | None,
    cfg: PublishConfig,
    full_read: int = RECONCILE_FULL_PAGE,
) -> tuple[Verdict, RecentPost | None, int]:
    """What reconciling concludes from the account's recent posts (``None``: unreadable),
    ``full_read`` being the most one read returns. Returns the verdict, the post found, and
    how many matched."""
    if recent is None:
        return Verdict.wait, None, 0
    found = matches(variant_text, recent)
    if len(found) == 1:
        return Verdict.published, found[0], 1
    if len(found) > 1:
        return Verdict.person, None, len(found)
    if len(recent) >= full_read:
        return Verdict.wait, None, 0  # the read was cut short: absence is not proven
    if now - attempt_started >= cfg.reconcile_after:
        return Verdict.resend, None, 0
    return Verdict.wait, None, 0  # a network may show a new post only after a while


# Settled for a person: reconciling no longer looks at these.
LEFT_FOR_A_PERSON = ("publish.ambiguous", "publish.unconfirmed_too_old")


async def unconfirmed_to_check(session: AsyncSession, now: datetime) -> list[tuple[int, datetime]]:
    """Unconfirmed variants of active accounts not yet left for a person, each with the start
    of its latest attempt (what reconciling searches from)."""
    ids = list(
        (
            await session.scalars(
                select(PostVariant.id)
                .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
                .where(
                    PostVariant.status == PostStatus.unconfirmed,
                    PlatformAccount.status == AccountStatus.active,
                    or_(
                        PostVariant.last_error_code.is_(None),
                        PostVariant.last_error_code.not_in(LEFT_FOR_A_PERSON),
                    ),
                )
                .order_by(PostVariant.updated_at, PostVariant.id)
                .limit(RECONCILE_BATCH)
            )
        ).all()
    )
    out: list[tuple[int, datetime]] = []
    for vid in ids:
        started = await session.scalar(
            select(PublishAttempt.started_at)
            .where(PublishAttempt.variant_id == vid)
            .order_by(PublishAttempt.started_at.desc(), PublishAttempt.id.desc())
            .limit(1)
        )
        out.append((vid, started or now))
    return out


async def reconcile_one(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    variant_id: int,
    started: datetime,
    *,
    now: datetime,
    cfg: PublishConfig,
) -> Reconciled:
    """Look for one unconfirmed variant on its account and settle it if the answer is clear."""
    recent: Sequence[RecentPost] | None = None
    why = ""
    async with session_scope(factory) as session:
        v = await session.scalar(_load_for_call().where(PostVariant.id == variant_id))
        if v is None or v.status != PostStatus.unconfirmed:
            return Reconciled(variant_id, Verdict.wait, "no longer unconfirmed")
        text = v.text
        platform = v.account.platform
        too_old = now - started > RECONCILE_GIVE_UP
        bound = None if too_old else bind(v.account, session=session, settings=settings, http=http)
        if bound is not None and v.account.sandbox:
            try:
                recent = await bound.connector.find_recent(
                    bound.credentials, started - RECONCILE_MARGIN
                )
            except ConnectorError as exc:
                why = exc.message
    if bound is not None and not v.account.sandbox:
        try:
            recent = await bound.connector.find_recent(
                bound.credentials, started - RECONCILE_MARGIN
            )
        except ConnectorError as exc:
            why = exc.message
        except Exception:  # the read is only a check: any failure leaves it for later
            log.warning("reconciling variant %s: read failed", variant_id, exc_info=True)
            why = "unexpected error"
    elif bound is None and not too_old:
        why = "the account cannot be read (no access token)"

    if too_old:
        verdict, found, n = Verdict.person, None, 0
    else:
        verdict, found, n = decide(text, started, now, recent, cfg, read_cap(platform))
    async with session_scope(factory) as session:
        v = await session.scalar(
            select(PostVariant)
            .where(PostVariant.id == variant_id, PostVariant.status == PostStatus.unconfirmed)
            .options(
                joinedload(PostVariant.account, innerjoin=True),
                joinedload(PostVariant.post, innerjoin=True),
            )
            .with_for_update(of=PostVariant)
            .execution_options(populate_existing=True)
        )
        if v is None:
            return Reconciled(variant_id, Verdict.wait, "no longer unconfirmed")
        before = _view(v)
        detail: str | None = None
        if verdict is Verdict.published:
            assert found is not None
            await _mark_published(
                session, v, PublishResult(found.external_id, found.url), RECONCILE
            )
            return Reconciled(variant_id, verdict, None, found)
        if verdict is Verdict.resend:
            # Searched the window after the attempt and it is not there: safe to send.
            v.status = PostStatus.scheduled
            v.next_attempt_at = None
            v.claimed_by = None
            _set_error(v, None, None, None)
            await session.flush()
            _audit(session, RECONCILE, v, "publish_not_found", before)
            await _resync_posts(session, [v.post_id])
            return Reconciled(variant_id, verdict)
        if verdict is Verdict.person:
            if too_old:
                _set_error(v, "publish.unconfirmed_too_old", TOO_OLD_EN, TOO_OLD_ID)
            else:
                _set_error(
                    v,
                    "publish.ambiguous",
                    AMBIGUOUS_EN.format(n=n),
                    AMBIGUOUS_ID.format(n=n),
                )
            detail = v.last_error
        elif why:
            _set_error(
                v,
                "publish.cannot_check",
                CANNOT_READ_EN.format(why=why),
                CANNOT_READ_ID.format(why=why),
            )
            detail = v.last_error
        if v.last_error != before["last_error"]:
            await session.flush()
            _audit(session, RECONCILE, v, "publish_unresolved", before)
        return Reconciled(variant_id, verdict, detail)

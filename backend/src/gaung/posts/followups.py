"""Follow-ups: what goes out after a variant's main post — an X thread's later parts, each a
reply to the previous part, and an Instagram first comment on the new media.

The same guarantees as the main post (``posts/publishing.py``): a follow-up is claimed (status
``sending``, a lease, an attempt count) in a short transaction committed *before* the network
is called, and its outcome is recorded after, only by the claim's holder. A part goes out only
once every part before it is published, so a thread never skips one. A lost answer (or a
worker that died holding the claim) makes it ``unconfirmed``: it is looked for on the account
before it is ever sent again, and an Instagram comment, which cannot be looked for cheaply, is
left for a person instead. A failed follow-up never turns the published variant into a failure.

No FastAPI here: the job (``posts/jobs.py``) and tests call these functions.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased, joinedload

from gaung.accounts.connectors import bind
from gaung.accounts.health import mark_needs_reauth
from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.audit.service import audit
from gaung.auth.principal import SystemActor
from gaung.config import Settings
from gaung.db import session_scope
from gaung.notifications.models import NotificationKind
from gaung.notifications.service import notify
from gaung.platforms.protocol import ConnectorError, RecentPost, Usage
from gaung.platforms.types import Platform
from gaung.posts.models import (
    FollowupKind,
    FollowupStatus,
    PostFollowup,
    PostStatus,
    PostVariant,
)
from gaung.posts.publishing import (
    NOT_SENT_EN,
    NOT_SENT_ID,
    RECONCILE_GIVE_UP,
    RECONCILE_MARGIN,
    CallResult,
    Outcome,
    PublishConfig,
    Verdict,
    backoff_delay,
    classify,
    decide,
    read_cap,
)
from gaung.users.models import Role
from gaung.xspend.service import publishing_paused_units
from gaung.xspend.service import recorder as xspend_recorder

log = logging.getLogger(__name__)

FOLLOWUPS = SystemActor("followups")
# Follow-ups claimed at once (each variant's next one); rounds per run, so a long thread goes
# out within one run without the run holding on forever.
BATCH = 50
MAX_ROUNDS = 30


# --- messages --------------------------------------------------------------------------------

UNKNOWN_EN = (
    "The platform did not answer after this was sent, so Gaung cannot tell whether it went "
    "out. Gaung checks the account and will not send it again until it knows."
)
UNKNOWN_ID = (
    "Platform tidak menjawab setelah ini dikirim, jadi Gaung belum tahu apakah sudah terbit. "
    "Gaung memeriksa akun dan tidak akan mengirim ulang sebelum pasti."
)
COMMENT_UNKNOWN_EN = (
    "Gaung cannot tell whether the first comment was posted (the platform did not answer). "
    "Look at the post and add the comment by hand if it is missing."
)
COMMENT_UNKNOWN_ID = (
    "Gaung tidak tahu apakah komentar pertama sudah terkirim (platform tidak menjawab). "
    "Lihat postingannya dan tambahkan komentar secara manual bila belum ada."
)
AMBIGUOUS_EN = (
    "{n} posts on the account have this text, so Gaung cannot tell which is this part. Check "
    "the thread on the account."
)
AMBIGUOUS_ID = (
    "Ada {n} postingan di akun dengan teks ini, jadi Gaung tidak tahu yang mana bagian ini. "
    "Periksa utas di akun."
)
TOO_OLD_EN = (
    "Gaung could not confirm within two days whether this part went out. Check the thread on "
    "the account."
)
TOO_OLD_ID = (
    "Dalam dua hari Gaung tidak bisa memastikan apakah bagian ini sudah terbit. Periksa utas "
    "di akun."
)
EARLIER_FAILED_EN = "Not sent: part {n} of the thread before it could not be posted."
EARLIER_FAILED_ID = "Tidak dikirim: bagian {n} utas sebelumnya gagal diposting."
NO_PARENT_EN = "Not sent: the network gave no id for the post this one answers."
NO_PARENT_ID = "Tidak dikirim: jaringan tidak memberi id untuk postingan yang dibalas."
NO_CONNECTOR_EN = "This account cannot post: it has no access token. Connect it again."
NO_CONNECTOR_ID = "Akun ini tidak bisa memposting: tidak punya token akses. Sambungkan ulang."


def part_number(f: PostFollowup) -> int:
    """A thread part's place as people count it (the main post is part 1)."""
    return f.position + 2


# --- claim -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowupClaim:
    followup_id: int
    attempt: int
    worker: str
    started_at: datetime


async def claim_next(
    session: AsyncSession, *, worker: str, now: datetime, cfg: PublishConfig, limit: int = BATCH
) -> list[FollowupClaim]:
    """Claim each ready follow-up: pending and due, of a published variant on an active
    account, with every follow-up before it published. The caller commits at once, before any
    network is called."""
    earlier = aliased(PostFollowup)
    earlier_open = exists().where(
        earlier.variant_id == PostFollowup.variant_id,
        earlier.position < PostFollowup.position,
        earlier.status != FollowupStatus.published,
    )
    stmt = (
        select(PostFollowup.id)
        .join(PostVariant, PostVariant.id == PostFollowup.variant_id)
        .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
        .where(
            PostFollowup.status == FollowupStatus.pending,
            or_(PostFollowup.next_attempt_at.is_(None), PostFollowup.next_attempt_at <= now),
            PostVariant.status == PostStatus.published,
            PlatformAccount.status == AccountStatus.active,
            ~earlier_open,
        )
        .order_by(PostFollowup.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=PostFollowup)
    )
    capped = await publishing_paused_units(session, now)
    if capped:
        # Thread parts are billed writes too: they wait with the unit's X posts.
        stmt = stmt.where(
            ~(
                (PlatformAccount.platform == Platform.x)
                & PlatformAccount.sandbox.is_(False)
                & PlatformAccount.unit_id.in_(sorted(capped))
            )
        )
    ids = list((await session.scalars(stmt)).all())
    if not ids:
        return []
    rows = (
        await session.execute(
            update(PostFollowup)
            .where(PostFollowup.id.in_(ids))
            .values(
                status=FollowupStatus.sending,
                attempts=PostFollowup.attempts + 1,
                claimed_by=worker,
                started_at=now,
                lease_until=now + cfg.lease,
            )
            .returning(PostFollowup.id, PostFollowup.attempts)
            .execution_options(synchronize_session=False)
        )
    ).all()
    return sorted(
        (FollowupClaim(r.id, r.attempts, worker, now) for r in rows), key=lambda c: c.followup_id
    )


# --- the call --------------------------------------------------------------------------------


async def _parent(session: AsyncSession, f: PostFollowup, v: PostVariant) -> str | None:
    """What the follow-up answers: the previous thread part, else the main post."""
    if f.kind is FollowupKind.thread_part and f.position > 0:
        return await session.scalar(
            select(PostFollowup.external_id).where(
                PostFollowup.variant_id == f.variant_id,
                PostFollowup.kind == f.kind,
                PostFollowup.position == f.position - 1,
            )
        )
    return v.external_id


async def call(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    claim: FollowupClaim,
) -> CallResult:
    """Post one claimed follow-up. A real account's network is called outside any
    transaction; a sandbox account's post is written in its own, as for the main post."""
    usage: list[Usage] = []
    calling = False
    unit_id = 0
    try:
        async with session_scope(factory) as session:
            f = await session.get(PostFollowup, claim.followup_id)
            v = await session.scalar(
                select(PostVariant)
                .where(PostVariant.id == (f.variant_id if f else -1))
                .options(joinedload(PostVariant.account, innerjoin=True))
            )
            if f is None or v is None:
                return CallResult(Outcome.failed, code="publish.gone", message="deleted")
            unit_id = v.account.unit_id
            parent = await _parent(session, f, v)
            text = f.text
            sandbox = v.account.sandbox
            bound = bind(
                v.account,
                session=session,
                settings=settings,
                http=http,
                on_usage=None if sandbox else usage.append,
            )
            if not parent:
                # Only possible when the network gave the post before it no id.
                return CallResult(
                    Outcome.failed,
                    code="followup.no_parent",
                    message=NO_PARENT_EN,
                    message_id=NO_PARENT_ID,
                )
            if bound is None:
                return CallResult(
                    Outcome.auth,
                    code="publish.no_credentials",
                    message=NO_CONNECTOR_EN,
                    message_id=NO_CONNECTOR_ID,
                )
            if sandbox:
                calling = True
                result = await bound.connector.comment(bound.credentials, parent, text)
                return CallResult(Outcome.published, result=result)
        calling = True
        result = await bound.connector.comment(bound.credentials, parent, text)
        return CallResult(
            Outcome.published, result=result, usage=tuple((unit_id, u) for u in usage)
        )
    except Exception as exc:  # every failure is an outcome
        if not calling:
            log.warning("preparing follow-up %s failed", claim.followup_id, exc_info=True)
            return CallResult(
                Outcome.retry,
                code="publish.not_sent",
                message=NOT_SENT_EN,
                message_id=NOT_SENT_ID,
            )
        return replace(classify(exc), usage=tuple((unit_id, u) for u in usage))


# --- outcomes --------------------------------------------------------------------------------


async def _load(session: AsyncSession, followup_id: int) -> tuple[PostFollowup, PostVariant] | None:
    f = await session.scalar(
        select(PostFollowup)
        .where(PostFollowup.id == followup_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if f is None:
        return None
    v = await session.scalar(
        select(PostVariant)
        .where(PostVariant.id == f.variant_id)
        .options(
            joinedload(PostVariant.account, innerjoin=True),
            joinedload(PostVariant.post, innerjoin=True),
        )
    )
    return (f, v) if v is not None else None


def _set_error(f: PostFollowup, code: str | None, en: str | None, id_: str | None) -> None:
    f.error = en
    f.error_id = id_ or en
    f.error_code = code


def _view(f: PostFollowup) -> dict[str, Any]:
    return {
        "kind": f.kind.value,
        "position": f.position,
        "status": f.status.value,
        "attempts": f.attempts,
        "external_id": f.external_id,
        "error": f.error,
    }


def _audit(
    session: AsyncSession, f: PostFollowup, v: PostVariant, action: str, before: dict[str, Any]
) -> None:
    audit(
        session,
        FOLLOWUPS,
        action=action,
        object_type="post_followup",
        object_id=f.id,
        unit_id=v.post.unit_id,
        before=before,
        after=_view(f),
    )


async def _fail(session: AsyncSession, f: PostFollowup, v: PostVariant) -> None:
    """The authors hear of it; a thread's later parts are not sent (they would answer the
    wrong post), and say why."""
    params: dict[str, Any] = {
        "post": v.post.title,
        "title": v.post.title,
        "account": v.account.handle,
        "platform": v.account.platform.value,
        "kind": f.kind.value,
        "reason": f.error,
        "reason_id": f.error_id or f.error,
    }
    if f.kind is FollowupKind.thread_part:
        params["part"] = part_number(f)
    if v.external_url:
        params["url"] = v.external_url
    await notify(
        session,
        unit_id=v.post.unit_id,
        kind=NotificationKind.followup_failed,
        object_type="post",
        object_id=v.post_id,
        params=params,
        roles=[Role.admin, Role.editor],
        user_ids=[v.post.author_id] if v.post.author_id else [],
    )
    if f.kind is FollowupKind.thread_part:
        n = part_number(f)
        await session.execute(
            update(PostFollowup)
            .where(
                PostFollowup.variant_id == f.variant_id,
                PostFollowup.kind == f.kind,
                PostFollowup.position > f.position,
                PostFollowup.status == FollowupStatus.pending,
            )
            .values(
                status=FollowupStatus.failed,
                error=EARLIER_FAILED_EN.format(n=n),
                error_id=EARLIER_FAILED_ID.format(n=n),
                error_code="followup.earlier_failed",
                next_attempt_at=None,
            )
            .execution_options(synchronize_session=False)
        )


async def record(
    session: AsyncSession,
    claim: FollowupClaim,
    result: CallResult,
    *,
    now: datetime,
    cfg: PublishConfig,
    rand: Callable[[], float] = random.random,
) -> bool:
    """Record how a claimed call ended; False when the claim no longer holds it (its lease
    ran out: then only a published answer is still taken)."""
    for unit_id, u in result.usage:
        xspend_recorder(session, unit_id)(u)
    loaded = await _load(session, claim.followup_id)
    if loaded is None:
        return False
    f, v = loaded
    also = (FollowupStatus.unconfirmed,) if result.outcome is Outcome.published else ()
    if (
        f.claimed_by != claim.worker
        or f.attempts != claim.attempt
        or f.status not in (FollowupStatus.sending, *also)
    ):
        log.warning("claim of follow-up %s was lost before its outcome", claim.followup_id)
        return False
    before = _view(f)
    f.lease_until = None
    if result.outcome is Outcome.published:
        assert result.result is not None
        f.status = FollowupStatus.published
        f.external_id = result.result.external_id or None
        f.external_url = result.result.url
        f.next_attempt_at = None
        _set_error(f, None, None, None)
        await session.flush()
        _audit(session, f, v, "followup_published", before)
        return True
    failed = False
    if result.outcome is Outcome.retry and claim.attempt >= cfg.max_attempts:
        f.status = FollowupStatus.failed
        _set_error(
            f,
            "publish.gave_up",
            f"Gave up after {claim.attempt} attempts; the last one failed with: {result.message}",
            f"Dihentikan setelah {claim.attempt} percobaan; yang terakhir gagal karena: "
            f"{result.message_id or result.message}",
        )
        failed = True
    elif result.outcome is Outcome.retry:
        f.status = FollowupStatus.pending
        f.next_attempt_at = now + backoff_delay(claim.attempt, cfg, result.retry_after, rand)
        _set_error(f, result.code, result.message, result.message_id)
    elif result.outcome is Outcome.failed or (result.outcome is Outcome.auth and v.account.sandbox):
        f.status = FollowupStatus.failed
        _set_error(f, result.code, result.message, result.message_id)
        failed = True
    elif result.outcome is Outcome.auth:
        # Waits for the account to be reconnected (claims skip accounts that are not active).
        f.status = FollowupStatus.pending
        f.next_attempt_at = None
        _set_error(f, result.code, result.message, result.message_id)
        await mark_needs_reauth(session, FOLLOWUPS, v.account, result.message or "access refused")
    else:
        f.status = FollowupStatus.unconfirmed
        _set_error(f, result.code or "network.no_answer", UNKNOWN_EN, UNKNOWN_ID)
    if failed:
        f.next_attempt_at = None
    await session.flush()
    _audit(session, f, v, "followup_failed" if failed else f"followup_{f.status.value}", before)
    if failed:
        await _fail(session, f, v)
    return True


async def expire_leases(session: AsyncSession, now: datetime) -> int:
    """Follow-ups whose worker died mid-call may be live: unconfirmed, looked for later."""
    done = await session.execute(
        update(PostFollowup)
        .where(PostFollowup.status == FollowupStatus.sending, PostFollowup.lease_until < now)
        .values(
            status=FollowupStatus.unconfirmed,
            lease_until=None,
            error=UNKNOWN_EN,
            error_id=UNKNOWN_ID,
            error_code="publish.lease_expired",
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(done, "rowcount", 0) or 0)


# --- reconcile -------------------------------------------------------------------------------


async def reconcile_one(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    followup_id: int,
    *,
    now: datetime,
    cfg: PublishConfig,
) -> Verdict:
    """Look for one unconfirmed thread part on its account: found once, it is published;
    surely absent, it is sent again; an Instagram comment is left for a person."""
    recent: Sequence[RecentPost] | None = None
    async with session_scope(factory) as session:
        loaded = await _load(session, followup_id)
        if loaded is None or loaded[0].status != FollowupStatus.unconfirmed:
            return Verdict.wait
        f, v = loaded
        text, kind, started = f.text, f.kind, f.started_at or now
        platform = v.account.platform
        real = not v.account.sandbox
        bound = None
        if kind is FollowupKind.thread_part and now - started <= RECONCILE_GIVE_UP:
            bound = bind(v.account, session=session, settings=settings, http=http)
            if bound is not None and not real:
                try:
                    recent = await bound.connector.find_recent(
                        bound.credentials, started - RECONCILE_MARGIN
                    )
                except ConnectorError:
                    recent = None
    if bound is not None and real:
        try:
            recent = await bound.connector.find_recent(
                bound.credentials, started - RECONCILE_MARGIN
            )
        except Exception:  # only a check: any failure leaves it for later
            log.warning("reconciling follow-up %s: read failed", followup_id, exc_info=True)
            recent = None
    too_old = now - started > RECONCILE_GIVE_UP
    if kind is FollowupKind.first_comment or too_old:
        verdict, found, n = Verdict.person, None, 0
    else:
        verdict, found, n = decide(text, started, now, recent, cfg, read_cap(platform))
    async with session_scope(factory) as session:
        loaded = await _load(session, followup_id)
        if loaded is None or loaded[0].status != FollowupStatus.unconfirmed:
            return Verdict.wait
        f, v = loaded
        before = _view(f)
        if verdict is Verdict.published:
            assert found is not None
            f.status = FollowupStatus.published
            f.external_id = found.external_id
            f.external_url = found.url
            _set_error(f, None, None, None)
            await session.flush()
            _audit(session, f, v, "followup_published", before)
        elif verdict is Verdict.resend:
            f.status = FollowupStatus.pending
            f.next_attempt_at = None
            f.claimed_by = None
            await session.flush()
            _audit(session, f, v, "followup_not_found", before)
        elif verdict is Verdict.person:
            f.status = FollowupStatus.failed
            if kind is FollowupKind.first_comment:
                _set_error(f, "followup.unconfirmed", COMMENT_UNKNOWN_EN, COMMENT_UNKNOWN_ID)
            elif too_old:
                _set_error(f, "publish.unconfirmed_too_old", TOO_OLD_EN, TOO_OLD_ID)
            else:
                _set_error(
                    f, "publish.ambiguous", AMBIGUOUS_EN.format(n=n), AMBIGUOUS_ID.format(n=n)
                )
            await session.flush()
            _audit(session, f, v, "followup_failed", before)
            await _fail(session, f, v)
    return verdict


async def unconfirmed(session: AsyncSession, limit: int = 100) -> list[int]:
    return list(
        (
            await session.scalars(
                select(PostFollowup.id)
                .join(PostVariant, PostVariant.id == PostFollowup.variant_id)
                .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
                .where(
                    PostFollowup.status == FollowupStatus.unconfirmed,
                    PlatformAccount.status == AccountStatus.active,
                )
                .order_by(PostFollowup.updated_at, PostFollowup.id)
                .limit(limit)
            )
        ).all()
    )


# --- one run ---------------------------------------------------------------------------------


async def run(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    *,
    worker: str,
    clock: Callable[[], datetime],
    cfg: PublishConfig,
    stopping: Callable[[], bool] = lambda: False,
    rounds: int = MAX_ROUNDS,
) -> Counter[str]:
    """Settle lost answers, then send ready follow-ups round by round (each round sends the
    next part of every thread), until none is ready. Returns counts."""
    counts: Counter[str] = Counter()
    async with session_scope(factory) as session:
        counts["expired"] = await expire_leases(session, clock())
    async with session_scope(factory) as session:
        todo = await unconfirmed(session)
    for followup_id in todo:
        try:
            verdict = await reconcile_one(
                factory, settings, http, followup_id, now=clock(), cfg=cfg
            )
        except Exception:
            log.exception("reconciling follow-up %s failed", followup_id)
            counts["error"] += 1
            continue
        counts[f"reconciled_{verdict.value}"] += 1
    for _ in range(rounds):
        if stopping():
            break
        async with session_scope(factory) as session:
            claims = await claim_next(session, worker=worker, now=clock(), cfg=cfg)
        if not claims:
            break
        for claim in claims:
            result = await call(factory, settings, http, claim)
            async with session_scope(factory) as session:
                await record(session, claim, result, now=clock(), cfg=cfg)
            counts[result.outcome.value] += 1
    return counts

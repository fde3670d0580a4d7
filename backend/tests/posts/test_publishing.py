"""The publishing pipeline: claim, then call; each outcome; leases; reconciling (both databases).

Jobs are driven by calling them with an injected clock; nothing waits on wall-clock time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from tests.conftest import TEST_DB, World

from gaung.accounts.connectors import BoundAccount
from gaung.accounts.models import AccountStatus, Platform, PlatformAccount
from gaung.accounts.sandbox import SandboxPost, sandbox_credentials
from gaung.audit.models import AuditEvent
from gaung.auth.principal import Principal
from gaung.config import Settings
from gaung.db import make_sessionmaker, session_scope
from gaung.notifications.models import Notification, NotificationKind
from gaung.platforms.protocol import (
    AccountCredentials,
    AuthError,
    PermanentError,
    PublishResult,
    RateLimit,
    RecentPost,
    RetryableError,
    Usage,
    VariantToPublish,
)
from gaung.platforms.x.pricing import PriceClass
from gaung.posts import jobs, publishing
from gaung.posts import service as posts_service
from gaung.posts.models import AttemptOutcome, Post, PostStatus, PostVariant, PublishAttempt
from gaung.posts.publishing import CallResult, Outcome, PublishConfig, backoff_delay, fingerprint
from gaung.posts.service import summarise
from gaung.units.models import Unit
from gaung.users.models import Role, User
from gaung.worker.context import JobContext
from gaung.xspend.models import XUsage

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
TEXT = "Pendaftaran magang PTPSW dibuka hingga akhir bulan."


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Desk:
    unit: Unit
    author: User
    editor: User
    admin: User
    x: PlatformAccount
    facebook: PlatformAccount


@pytest.fixture
async def desk(world: World) -> Desk:
    unit = await world.unit()
    desk = Desk(
        unit=unit,
        author=await world.user(unit, Role.contributor),
        editor=await world.user(unit, Role.editor),
        admin=await world.user(unit, Role.admin),
        x=await world.account(unit, Platform.x),
        facebook=await world.account(unit, Platform.facebook),
    )
    await world.commit()
    return desk


async def scheduled(
    session: AsyncSession,
    desk: Desk,
    accounts: Sequence[PlatformAccount],
    *,
    at: datetime = T0,
    text: str = TEXT,
) -> Post:
    post = Post(unit_id=desk.unit.id, title="Magang", author_id=desk.author.id)
    post.variants = [
        PostVariant(account_id=a.id, text=text, status=PostStatus.scheduled, scheduled_at=at)
        for a in accounts
    ]
    post.status = PostStatus.scheduled
    session.add(post)
    await session.commit()
    return post


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def ctx(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> AsyncIterator[JobContext]:
    # One call at a time: the test's sessions share one connection (savepoints).
    settings = settings.model_copy(update={"publish_concurrency": 1, "publish_max_attempts": 3})
    async with httpx.AsyncClient() as http:
        yield JobContext(sessionmaker, settings, http, worker="w-test", clock=clock)


async def variants_of(session: AsyncSession, post: Post) -> list[PostVariant]:
    rows = await session.scalars(
        select(PostVariant)
        .where(PostVariant.post_id == post.id)
        .order_by(PostVariant.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


async def post_status(session: AsyncSession, post: Post) -> PostStatus:
    status = await session.scalar(
        select(Post.status).where(Post.id == post.id).execution_options(populate_existing=True)
    )
    assert status is not None
    return status


async def attempts_of(session: AsyncSession, variant_id: int) -> list[PublishAttempt]:
    rows = await session.scalars(
        select(PublishAttempt)
        .where(PublishAttempt.variant_id == variant_id)
        .order_by(PublishAttempt.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


# --- a scripted connector --------------------------------------------------------------------


@dataclass
class Scripted:
    """A connector whose publish answers are given per account handle, in order."""

    answers: dict[str, list[PublishResult | BaseException]]
    recent: dict[str, Sequence[RecentPost] | BaseException] = field(default_factory=dict)
    sent: list[tuple[str, str]] = field(default_factory=list)

    @property
    def platform(self) -> Platform:
        return Platform.x

    async def publish(self, account: AccountCredentials, variant: VariantToPublish) -> Any:
        self.sent.append((account.handle, variant.text))
        answer = self.answers[account.handle].pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    async def find_recent(self, account: AccountCredentials, since: datetime) -> Any:
        found = self.recent.get(account.handle, [])
        if isinstance(found, BaseException):
            raise found
        return found


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> Scripted:
    connector = Scripted(answers={})

    def bind(account: PlatformAccount, **_kw: Any) -> BoundAccount:
        return BoundAccount(connector, sandbox_credentials(account))  # type: ignore[arg-type]

    monkeypatch.setattr(publishing, "bind", bind)
    return connector


def ok(n: int) -> PublishResult:
    return PublishResult(f"id-{n}", f"https://x.example/status/id-{n}")


# --- dispatch through the sandbox ------------------------------------------------------------


async def test_a_due_variant_goes_out_once_and_everyone_hears(
    ctx: JobContext, world: World, desk: Desk, clock: Clock
) -> None:
    post = await scheduled(world.session, desk, [desk.x, desk.facebook])
    later = await scheduled(world.session, desk, [desk.x], at=T0 + timedelta(hours=1))
    counts = await jobs.dispatch(ctx)
    assert counts["claimed"] == 2 and counts["published"] == 2
    s = world.session
    for v in await variants_of(s, post):
        assert v.status == PostStatus.published
        assert v.external_id and v.external_url and v.external_url.startswith("https://sandbox")
        assert v.attempts == 1 and v.lease_until is None and v.last_error is None
        [attempt] = await attempts_of(s, v.id)
        assert attempt.outcome == AttemptOutcome.published
        assert attempt.external_id == v.external_id and attempt.worker == "w-test"
        stored = await s.scalar(select(SandboxPost).where(SandboxPost.account_id == v.account_id))
        assert stored is not None and stored.text == TEXT
    assert await post_status(s, post) == PostStatus.published
    # Not due yet: untouched. Running again sends nothing twice.
    assert [v.status for v in await variants_of(s, later)] == [PostStatus.scheduled]
    again = await jobs.dispatch(ctx)
    assert again["claimed"] == 0
    assert len((await s.scalars(select(SandboxPost))).all()) == 2

    notes = (
        await s.scalars(select(Notification).where(Notification.kind == NotificationKind.published))
    ).all()
    assert {n.user_id for n in notes} == {desk.author.id, desk.editor.id, desk.admin.id}
    assert all(n.object_type == "post" and n.object_id == str(post.id) for n in notes)
    events = (await s.scalars(select(AuditEvent).where(AuditEvent.action == "publish"))).all()
    assert len(events) == 2
    assert {(e.system_job, e.actor_id) for e in events} == {("dispatch", None)}

    clock.advance(timedelta(hours=1))
    assert (await jobs.dispatch(ctx))["published"] == 1


async def test_held_units_and_accounts_that_are_not_active_wait(
    ctx: JobContext, world: World, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = await scheduled(world.session, desk, [desk.x, desk.facebook])
    desk.facebook.status = AccountStatus.needs_reauth
    await world.commit()

    async def held(_session: AsyncSession, _now: datetime) -> set[int]:
        return {desk.unit.id}

    monkeypatch.setattr(jobs, "held_unit_ids", held)
    assert (await jobs.dispatch(ctx))["claimed"] == 0
    monkeypatch.undo()
    counts = await jobs.dispatch(ctx)
    assert counts["claimed"] == 1
    statuses = [v.status for v in await variants_of(world.session, post)]
    assert statuses == [PostStatus.published, PostStatus.scheduled]


# --- outcomes --------------------------------------------------------------------------------


async def test_a_retryable_error_waits_with_backoff_never_before_the_reset(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, scripted: Scripted
) -> None:
    post = await scheduled(world.session, desk, [desk.x])
    scripted.answers[desk.x.handle] = [
        RetryableError("X is rate limiting", retry_after=900, message_id="X membatasi"),
        RetryableError("X is busy"),
        ok(1),
    ]
    assert (await jobs.dispatch(ctx))["retry"] == 1
    [v] = await variants_of(world.session, post)
    assert v.status == PostStatus.scheduled and v.attempts == 1
    assert v.next_attempt_at is not None and v.next_attempt_at >= T0 + timedelta(seconds=900)
    assert v.last_error == "X is rate limiting" and v.last_error_message_id == "X membatasi"
    assert await post_status(world.session, post) == PostStatus.scheduled
    # Not again before it is due.
    clock.advance(timedelta(seconds=899))
    assert (await jobs.dispatch(ctx))["claimed"] == 0
    clock.now = v.next_attempt_at
    assert (await jobs.dispatch(ctx))["retry"] == 1
    [v] = await variants_of(world.session, post)
    assert v.next_attempt_at is not None
    clock.now = v.next_attempt_at
    assert (await jobs.dispatch(ctx))["published"] == 1
    [v] = await variants_of(world.session, post)
    assert (v.status, v.external_id, v.attempts, v.last_error) == (
        PostStatus.published,
        "id-1",
        3,
        None,
    )
    outcomes = [a.outcome for a in await attempts_of(world.session, v.id)]
    assert outcomes == [AttemptOutcome.retry, AttemptOutcome.retry, AttemptOutcome.published]


async def test_it_gives_up_after_the_last_attempt_with_a_reason(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, scripted: Scripted
) -> None:
    post = await scheduled(world.session, desk, [desk.x])
    scripted.answers[desk.x.handle] = [RetryableError("X is down") for _ in range(3)]
    for _ in range(3):
        clock.advance(timedelta(days=1))
        await jobs.dispatch(ctx)
    [v] = await variants_of(world.session, post)
    assert v.status == PostStatus.failed and v.attempts == 3
    assert v.last_error == "Gave up after 3 attempts; the last one failed with: X is down"
    assert v.last_error_code == "publish.gave_up"
    assert await post_status(world.session, post) == PostStatus.failed
    kinds = (await world.session.scalars(select(Notification.kind))).all()
    assert NotificationKind.failed in kinds


def test_backoff_grows_is_jittered_and_bounded() -> None:
    cfg = PublishConfig(backoff=timedelta(seconds=30), backoff_max=timedelta(minutes=10))
    assert backoff_delay(1, cfg, rand=lambda: 0.0) == timedelta(seconds=15)
    assert backoff_delay(1, cfg, rand=lambda: 1.0) == timedelta(seconds=30)
    assert backoff_delay(3, cfg, rand=lambda: 1.0) == timedelta(seconds=120)
    assert backoff_delay(30, cfg, rand=lambda: 1.0) == timedelta(minutes=10)
    assert backoff_delay(1, cfg, 3600, rand=lambda: 1.0) == timedelta(hours=1)


async def test_a_permanent_error_fails_with_the_platforms_reason_and_spares_siblings(
    ctx: JobContext, world: World, desk: Desk, scripted: Scripted
) -> None:
    post = await scheduled(world.session, desk, [desk.x, desk.facebook])
    scripted.answers[desk.x.handle] = [
        PermanentError("x.duplicate_content", "X refused a duplicate post.", "X menolak duplikat.")
    ]
    scripted.answers[desk.facebook.handle] = [ok(2)]
    await jobs.dispatch(ctx)
    x, ig = await variants_of(world.session, post)
    assert x.status == PostStatus.failed
    assert (x.last_error, x.last_error_message_id, x.last_error_code) == (
        "X refused a duplicate post.",
        "X menolak duplikat.",
        "x.duplicate_content",
    )
    assert ig.status == PostStatus.published and ig.external_id == "id-2"
    # The post shows what needs attention first.
    assert await post_status(world.session, post) == PostStatus.failed


async def test_lost_access_holds_the_variant_and_marks_the_account(
    ctx: JobContext, world: World, desk: Desk, scripted: Scripted
) -> None:
    desk.x.sandbox = False  # a real account (the scripted connector stands in for X)
    post = await scheduled(world.session, desk, [desk.x, desk.facebook])
    other = await scheduled(world.session, desk, [desk.x], text="Yang lain.")
    scripted.answers[desk.x.handle] = [AuthError("X access was revoked.")]
    scripted.answers[desk.facebook.handle] = [ok(3)]
    await jobs.dispatch(ctx)
    x, ig = await variants_of(world.session, post)
    assert x.status == PostStatus.scheduled and x.last_error == "X access was revoked."
    assert ig.status == PostStatus.published
    account = await world.session.get(PlatformAccount, desk.x.id, populate_existing=True)
    assert account is not None and account.status == AccountStatus.needs_reauth
    # The other post on the same account was not tried: it waits for the reconnect.
    assert [v.status for v in await variants_of(world.session, other)] == [PostStatus.scheduled]
    assert [h for h, _ in scripted.sent] == [desk.x.handle, desk.facebook.handle]
    reauth = (
        await world.session.scalars(
            select(Notification).where(Notification.kind == NotificationKind.account_needs_reauth)
        )
    ).all()
    assert [n.user_id for n in reauth] == [desk.admin.id]


@pytest.mark.parametrize(
    "error",
    [
        pytest.param("read_timeout", id="timeout-after-sending"),
        pytest.param("dropped", id="connection-dropped"),
        pytest.param("unexpected", id="unexpected-exception"),
    ],
)
async def test_an_unknown_outcome_is_unconfirmed_never_resent(
    error: str, ctx: JobContext, world: World, desk: Desk, clock: Clock, scripted: Scripted
) -> None:
    post = await scheduled(world.session, desk, [desk.x])
    exc: BaseException
    if error == "unexpected":
        exc = KeyError("id")
    else:
        cause: Exception = (
            httpx.ReadTimeout("timed out")
            if error == "read_timeout"
            else httpx.RemoteProtocolError("peer closed connection")
        )
        # As the connectors map it: a retryable error caused by the lost answer.
        exc = RetryableError("network")
        exc.__cause__ = cause
    scripted.answers[desk.x.handle] = [exc]
    assert (await jobs.dispatch(ctx))["unknown"] == 1
    [v] = await variants_of(world.session, post)
    assert v.status == PostStatus.unconfirmed
    assert v.last_error is not None and "cannot tell whether it went out" in v.last_error
    assert v.last_error_message_id is not None and "belum tahu" in v.last_error_message_id
    clock.advance(timedelta(days=1))
    assert (await jobs.dispatch(ctx))["claimed"] == 0
    assert len(scripted.sent) == 1
    assert await post_status(world.session, post) == PostStatus.unconfirmed


async def test_a_refused_connection_is_retried_since_nothing_was_sent(
    ctx: JobContext, world: World, desk: Desk, scripted: Scripted
) -> None:
    post = await scheduled(world.session, desk, [desk.x])
    exc = RetryableError("network")
    exc.__cause__ = httpx.ConnectError("refused")
    scripted.answers[desk.x.handle] = [exc]
    await jobs.dispatch(ctx)
    [v] = await variants_of(world.session, post)
    assert v.status == PostStatus.scheduled and v.next_attempt_at is not None


# --- leases ----------------------------------------------------------------------------------


async def test_an_expired_lease_is_unconfirmed_and_its_late_answer_is_refused(
    ctx: JobContext, world: World, desk: Desk, clock: Clock
) -> None:
    post = await scheduled(world.session, desk, [desk.x])
    lease = timedelta(minutes=10)
    async with session_scope(ctx.sessionmaker) as s:
        [claim] = await publishing.claim_due(s, worker="dead", now=T0, limit=10, lease=lease)
    [v] = await variants_of(world.session, post)
    assert (v.status, v.claimed_by, v.lease_until) == (PostStatus.publishing, "dead", T0 + lease)
    assert await post_status(world.session, post) == PostStatus.publishing
    # Before the lease ends nothing happens; after, the variant is unconfirmed.
    clock.now = T0 + lease
    assert (await jobs.dispatch(ctx))["expired"] == 0
    clock.advance(timedelta(seconds=1))
    assert (await jobs.dispatch(ctx))["expired"] == 1
    [v] = await variants_of(world.session, post)
    assert v.status == PostStatus.unconfirmed and v.last_error_code == "publish.lease_expired"
    [attempt] = await attempts_of(world.session, v.id)
    assert attempt.outcome == AttemptOutcome.lease_expired
    # The dead worker's late failure report is not taken...
    cfg = PublishConfig()
    failed = publishing.CallResult(publishing.Outcome.failed, message="late")
    async with session_scope(ctx.sessionmaker) as s:
        assert not await publishing.record_outcome(s, claim, failed, now=clock(), cfg=cfg)
    # ...but a late "it is live" settles it.
    live = publishing.CallResult(publishing.Outcome.published, result=ok(9))
    async with session_scope(ctx.sessionmaker) as s:
        assert await publishing.record_outcome(s, claim, live, now=clock(), cfg=cfg)
    [v] = await variants_of(world.session, post)
    assert (v.status, v.external_id) == (PostStatus.published, "id-9")


async def test_a_claim_is_given_back_when_the_call_never_started(
    ctx: JobContext, world: World, desk: Desk
) -> None:
    post = await scheduled(world.session, desk, [desk.x])
    async with session_scope(ctx.sessionmaker) as s:
        [claim] = await publishing.claim_due(
            s, worker="w", now=T0, limit=10, lease=timedelta(minutes=1)
        )
    async with session_scope(ctx.sessionmaker) as s:
        assert await publishing.release(s, claim, T0)
    [v] = await variants_of(world.session, post)
    assert (v.status, v.attempts, v.claimed_by) == (PostStatus.scheduled, 0, None)
    assert await post_status(world.session, post) == PostStatus.scheduled


# --- reconciling -----------------------------------------------------------------------------


async def unconfirmed(ctx: JobContext, world: World, desk: Desk, text: str = TEXT) -> Post:
    post = await scheduled(world.session, desk, [desk.x], text=text)
    async with session_scope(ctx.sessionmaker) as s:
        await publishing.claim_due(s, worker="dead", now=T0, limit=10, lease=timedelta(minutes=1))
    async with session_scope(ctx.sessionmaker) as s:
        await publishing.expire_leases(s, T0 + timedelta(minutes=2))
    return post


async def test_reconcile_finds_the_post_despite_shortened_links(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, scripted: Scripted
) -> None:
    post = await unconfirmed(ctx, world, desk, text=TEXT + " Info: https://ptpsw.go.id/magang")
    scripted.recent[desk.x.handle] = [
        RecentPost("other", None, "Kabar lain.", T0),
        RecentPost("found", "https://x.example/found", TEXT + "  Info: https://t.co/abc", T0),
    ]
    clock.now = T0 + timedelta(minutes=3)
    assert (await jobs.reconcile(ctx))["published"] == 1
    [v] = await variants_of(world.session, post)
    assert (v.status, v.external_id, v.external_url) == (
        PostStatus.published,
        "found",
        "https://x.example/found",
    )
    assert await post_status(world.session, post) == PostStatus.published
    event = await world.session.scalar(select(AuditEvent).where(AuditEvent.action == "publish"))
    assert event is not None and event.system_job == "reconcile"
    assert scripted.sent == []  # never resent


async def test_reconcile_sends_again_only_once_absence_is_proven(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, scripted: Scripted
) -> None:
    post = await unconfirmed(ctx, world, desk)
    scripted.recent[desk.x.handle] = [RecentPost("other", None, "Kabar lain.", T0)]
    # Too soon: the network may not show the post yet.
    clock.now = T0 + timedelta(minutes=3)
    assert (await jobs.reconcile(ctx))["wait"] == 1
    [v] = await variants_of(world.session, post)
    assert v.status == PostStatus.unconfirmed
    clock.now = T0 + timedelta(minutes=6)  # reconcile_after (5 minutes) since the attempt
    assert (await jobs.reconcile(ctx))["resend"] == 1
    [v] = await variants_of(world.session, post)
    assert v.status == PostStatus.scheduled and v.last_error is None
    scripted.answers[desk.x.handle] = [ok(4)]
    assert (await jobs.dispatch(ctx))["published"] == 1


@pytest.mark.parametrize("case", ["ambiguous", "unreadable"])
async def test_reconcile_leaves_what_it_cannot_tell_to_a_person(
    case: str, ctx: JobContext, world: World, desk: Desk, clock: Clock, scripted: Scripted
) -> None:
    post = await unconfirmed(ctx, world, desk)
    if case == "ambiguous":
        scripted.recent[desk.x.handle] = [
            RecentPost("a", None, TEXT, T0),
            RecentPost("b", None, TEXT, T0),
        ]
    else:
        scripted.recent[desk.x.handle] = RetryableError("X is down")
    clock.now = T0 + timedelta(hours=1)
    await jobs.reconcile(ctx)
    [v] = await variants_of(world.session, post)
    assert v.status == PostStatus.unconfirmed
    assert v.last_error is not None and v.last_error_message_id is not None
    if case == "ambiguous":
        assert v.last_error_code == "publish.ambiguous" and "2 posts" in v.last_error
        # Left for a person: not looked up again.
        assert sum((await jobs.reconcile(ctx)).values()) == 0
    else:
        assert v.last_error_code == "publish.cannot_check" and "X is down" in v.last_error
    assert scripted.sent == []


async def test_reconcile_through_the_sandbox(
    ctx: JobContext, world: World, desk: Desk, clock: Clock
) -> None:
    """The sandbox keeps what it published even when Gaung lost the answer."""
    post = await scheduled(world.session, desk, [desk.x])
    async with session_scope(ctx.sessionmaker) as s:
        [claim] = await publishing.claim_due(
            s, worker="dead", now=T0, limit=10, lease=timedelta(minutes=1)
        )
    # The call reaches the sandbox, then the worker dies before recording.
    call = await publishing.call_platform(ctx.sessionmaker, ctx.settings, ctx.http, claim)
    assert call.outcome is publishing.Outcome.published and call.result is not None
    async with session_scope(ctx.sessionmaker) as s:
        await publishing.expire_leases(s, T0 + timedelta(minutes=2))
    # The sandbox stamps posts with the real time: reconcile from a clock after it.
    stored = await world.session.scalar(select(SandboxPost.published_at))
    assert stored is not None
    await world.session.execute(
        update(PublishAttempt).values(started_at=stored - timedelta(seconds=1))
    )
    await world.commit()
    clock.now = stored + timedelta(minutes=1)
    assert (await jobs.reconcile(ctx))["published"] == 1
    [v] = await variants_of(world.session, post)
    assert (v.status, v.external_id) == (PostStatus.published, call.result.external_id)


def test_fingerprint_ignores_links_case_and_spacing() -> None:
    assert fingerprint("Halo  DUNIA\nhttps://a.b/c ") == fingerprint("halo dunia https://t.co/x")
    assert fingerprint("Halo dunia") != fingerprint("Halo dunia!")


# --- concurrent claims -----------------------------------------------------------------------


@pytest.fixture
async def committed(
    engine: AsyncEngine,
) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], list[int]]]:
    """Real, committed rows for claims made on separate connections; removed afterwards."""
    factory = make_sessionmaker(engine)
    created: list[int] = []
    yield factory, created
    async with session_scope(factory) as s:
        for unit_id in created:
            posts = select(Post.id).where(Post.unit_id == unit_id)
            variants = select(PostVariant.id).where(PostVariant.post_id.in_(posts))
            await s.execute(delete(PublishAttempt).where(PublishAttempt.variant_id.in_(variants)))
            await s.execute(delete(PostVariant).where(PostVariant.post_id.in_(posts)))
            await s.execute(delete(Post).where(Post.unit_id == unit_id))
            await s.execute(delete(Unit).where(Unit.id == unit_id))


async def test_concurrent_claims_are_disjoint(
    committed: tuple[async_sessionmaker[AsyncSession], list[int]],
) -> None:
    factory, created = committed
    async with session_scope(factory) as s:
        unit = Unit(name="Klaim", slug="klaim-bersamaan")
        s.add(unit)
        await s.flush()
        created.append(unit.id)
        accounts = [
            PlatformAccount(
                unit_id=unit.id,
                platform=Platform.x,
                sandbox=True,
                external_id=f"klaim-{i}",
                handle=f"@klaim{i}",
                display_name="Klaim",
            )
            for i in range(4)
        ]
        s.add_all(accounts)
        await s.flush()
        for n in range(30):
            post = Post(unit_id=unit.id, title=f"P{n}", status=PostStatus.scheduled)
            post.variants = [
                PostVariant(
                    account_id=a.id, text=f"{n}", status=PostStatus.scheduled, scheduled_at=T0
                )
                for a in accounts
            ]
            s.add(post)
    gate = asyncio.Event()

    async def claimer(name: str) -> list[int]:
        got: list[int] = []
        await gate.wait()
        while True:
            async with session_scope(factory) as s:
                claims = await publishing.claim_due(
                    s, worker=name, now=T0, limit=7, lease=timedelta(minutes=5)
                )
            if not claims:
                return got
            got += [c.variant_id for c in claims]

    tasks = [asyncio.create_task(claimer(f"w{i}")) for i in range(3)]
    gate.set()
    results = await asyncio.gather(*tasks)
    claimed = [vid for r in results for vid in r]
    assert len(claimed) == 120 and len(set(claimed)) == 120
    assert all(results), "every claimer got a share"
    async with session_scope(factory) as s:
        rows = await s.execute(
            select(PostVariant.claimed_by, PostVariant.attempts, PostVariant.status).where(
                PostVariant.id.in_(claimed)
            )
        )
        assert {(a, st) for _w, a, st in rows} == {(1, PostStatus.publishing)}
        count = len(
            (
                await s.scalars(
                    select(PublishAttempt.id).where(PublishAttempt.variant_id.in_(claimed))
                )
            ).all()
        )
        assert count == 120


@pytest.mark.skipif(TEST_DB != "postgresql", reason="SQLite runs one writer at a time")
async def test_an_edit_in_progress_keeps_the_dispatcher_off_its_variants(
    committed: tuple[async_sessionmaker[AsyncSession], list[int]],
) -> None:
    factory, created = committed
    async with session_scope(factory) as s:
        unit = Unit(name="Sunting", slug="sunting-bersamaan")
        s.add(unit)
        await s.flush()
        created.append(unit.id)
        account = PlatformAccount(
            unit_id=unit.id,
            platform=Platform.x,
            sandbox=True,
            external_id="sunting-1",
            handle="@sunting",
            display_name="Sunting",
        )
        s.add(account)
        await s.flush()
        post = Post(unit_id=unit.id, title="Sunting", status=PostStatus.scheduled)
        post.variants = [
            PostVariant(
                account_id=account.id, text="a", status=PostStatus.scheduled, scheduled_at=T0
            )
        ]
        s.add(post)
    editor = Principal(user=User(id=0, email="e@x.go.id", name="E"), roles={unit.id: Role.admin})

    async def claimed() -> list[publishing.Claim]:
        async with session_scope(factory) as other:
            return await publishing.claim_due(
                other, worker="w", now=T0, limit=10, lease=timedelta(minutes=5)
            )

    async with session_scope(factory) as editing:
        # The edit has read (and locked) the variants: a claim now must not take them.
        await posts_service.get_post(editing, editor, post.id, lock=True)
        assert await claimed() == []
    # Once the edit is over, the dispatcher takes it as usual.
    assert [c.variant_id for c in await claimed()] == [post.variants[0].id]


async def test_the_sandbox_practice_tags_play_out(
    ctx: JobContext, world: World, desk: Desk, clock: Clock
) -> None:
    """#coba-lagi fails once then goes out; #akses-dicabut fails without holding the account."""
    retry = await scheduled(world.session, desk, [desk.x], text="Uji coba lagi #coba-lagi")
    revoked = await scheduled(world.session, desk, [desk.facebook], text="Uji #akses-dicabut")
    await jobs.dispatch(ctx)
    [r] = await variants_of(world.session, retry)
    [a] = await variants_of(world.session, revoked)
    assert r.status == PostStatus.scheduled and r.next_attempt_at is not None
    assert a.status == PostStatus.failed and a.last_error and "practice" in a.last_error
    account = await world.session.get(PlatformAccount, desk.facebook.id, populate_existing=True)
    assert account is not None and account.status == AccountStatus.active
    clock.now = r.next_attempt_at
    assert (await jobs.dispatch(ctx))["published"] == 1


async def test_a_failure_before_the_call_is_retried_not_unconfirmed(
    ctx: JobContext, world: World, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = await scheduled(world.session, desk, [desk.x])

    def broken(*_a: Any, **_kw: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(publishing, "bind", broken)
    assert (await jobs.dispatch(ctx))["retry"] == 1
    [v] = await variants_of(world.session, post)
    assert (v.status, v.last_error_code) == (PostStatus.scheduled, "publish.not_sent")


async def test_a_failing_claim_lets_the_calls_in_flight_finish(
    ctx: JobContext, world: World, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = await scheduled(world.session, desk, [desk.x, desk.facebook])
    ctx.settings = ctx.settings.model_copy(
        update={"publish_concurrency": 4, "publish_batch_size": 1}
    )
    claim_due = publishing.claim_due
    claims = 0

    async def flaky(*args: Any, **kw: Any) -> list[publishing.Claim]:
        nonlocal claims
        claims += 1
        if claims == 2:
            raise RuntimeError("the database went away")
        return await claim_due(*args, **kw)

    monkeypatch.setattr(publishing, "claim_due", flaky)
    with pytest.raises(RuntimeError):
        await jobs.dispatch(ctx)
    statuses = [v.status for v in await variants_of(world.session, post)]
    assert statuses == [PostStatus.published, PostStatus.scheduled]


async def test_after_two_days_reconcile_stops_reading_and_asks_a_person(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, scripted: Scripted
) -> None:
    post = await unconfirmed(ctx, world, desk)
    scripted.recent[desk.x.handle] = RetryableError("X is down")
    clock.now = T0 + timedelta(days=2, minutes=1)
    assert (await jobs.reconcile(ctx))["person"] == 1
    [v] = await variants_of(world.session, post)
    assert (v.status, v.last_error_code) == (PostStatus.unconfirmed, "publish.unconfirmed_too_old")
    assert sum((await jobs.reconcile(ctx)).values()) == 0


# --- batches ---------------------------------------------------------------------------------


async def test_outcomes_are_recorded_together_and_only_by_their_holder(
    world: World, desk: Desk
) -> None:
    s = world.session
    post = await scheduled(s, desk, [desk.x, desk.facebook])
    other = await scheduled(s, desk, [desk.x], text="Yang lain")
    claims = await publishing.claim_due(
        s, worker="w-test", now=T0, limit=10, lease=timedelta(minutes=5)
    )
    await s.commit()
    held = {c.variant_id: c for c in claims}
    x, fb = await variants_of(s, post)
    [o] = await variants_of(s, other)
    assert set(held) == {x.id, fb.id, o.id}
    # An earlier claim of the same variant (a stale holder) records nothing.
    stale = replace(held[o.id], attempt=held[o.id].attempt - 1)
    done = await publishing.record_outcomes(
        s,
        [
            (held[x.id], CallResult(Outcome.published, result=ok(1))),
            (held[fb.id], CallResult(Outcome.failed, code="meta.refused", message="Refused")),
            (stale, CallResult(Outcome.published, result=ok(3))),
        ],
        now=T0,
        cfg=PublishConfig(),
    )
    await s.commit()
    assert done == [True, True, False]
    x, fb = await variants_of(s, post)
    [o] = await variants_of(s, other)
    assert (x.status, x.external_id, x.lease_until) == (PostStatus.published, "id-1", None)
    assert x.external_url == ok(1).url
    assert fb.status == PostStatus.failed and fb.last_error == "Refused"
    assert (o.status, o.external_id) == (PostStatus.publishing, None)
    [attempt] = await attempts_of(s, x.id)
    assert (attempt.outcome, attempt.external_id) == (AttemptOutcome.published, "id-1")
    assert attempt.finished_at is not None
    [stale_attempt] = await attempts_of(s, o.id)
    assert stale_attempt.outcome is None
    [event] = (await s.scalars(select(AuditEvent).where(AuditEvent.action == "publish"))).all()
    assert (event.object_id, event.system_job, event.unit_id) == (
        str(x.id),
        "dispatch",
        desk.unit.id,
    )
    assert event.before is not None and event.before["status"] == "publishing"
    assert event.after is not None and event.after["external_id"] == "id-1"
    notes = (
        await s.scalars(select(Notification).where(Notification.kind == NotificationKind.published))
    ).all()
    assert {n.user_id for n in notes} == {desk.author.id, desk.editor.id, desk.admin.id}
    assert {n.object_id for n in notes} == {str(post.id)}
    assert notes[0].params["account"] == desk.x.handle and notes[0].params["url"] == ok(1).url
    assert await post_status(s, post) == summarise([PostStatus.published, PostStatus.failed])


async def test_dispatch_waits_for_a_post_falling_due_before_its_next_run(
    ctx: JobContext, world: World, desk: Desk
) -> None:
    start = time.monotonic()
    ctx.clock = lambda: T0 + timedelta(seconds=time.monotonic() - start)
    soon = await scheduled(world.session, desk, [desk.x], at=T0 + timedelta(seconds=0.2))
    interval = timedelta(seconds=ctx.settings.dispatch_interval_s)
    later = await scheduled(world.session, desk, [desk.facebook], at=T0 + interval)
    counts = await jobs.dispatch(ctx)
    assert counts["published"] == 1
    assert [v.status for v in await variants_of(world.session, soon)] == [PostStatus.published]
    # Due at the next run: left to it.
    assert [v.status for v in await variants_of(world.session, later)] == [PostStatus.scheduled]


async def test_a_real_accounts_x_usage_is_written_with_its_outcome(
    ctx: JobContext, world: World, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.x.sandbox = False
    post = await scheduled(world.session, desk, [desk.x])

    class Billed:
        platform = Platform.x

        def __init__(self, on_usage: Callable[[Usage], None]) -> None:
            self.on_usage = on_usage

        async def publish(self, account: AccountCredentials, variant: VariantToPublish) -> Any:
            self.on_usage(Usage(account.external_id, PriceClass.post_create, 1))
            return ok(1)

    def bind(account: PlatformAccount, **kw: Any) -> BoundAccount:
        # The call runs after its batch was read: no session, the usage goes with the outcome.
        assert kw["session"] is None
        return BoundAccount(Billed(kw["on_usage"]), sandbox_credentials(account))  # type: ignore[arg-type]

    monkeypatch.setattr(publishing, "bind", bind)
    assert (await jobs.dispatch(ctx))["published"] == 1
    assert [v.status for v in await variants_of(world.session, post)] == [PostStatus.published]
    usage = (await world.session.scalars(select(XUsage))).all()
    assert [(u.unit_id, u.price_class, u.calls) for u in usage] == [
        (desk.unit.id, PriceClass.post_create.value, 1)
    ]


async def test_a_waiting_dispatch_is_woken_for_a_post_due_now(
    ctx: JobContext, world: World, desk: Desk
) -> None:
    later = await scheduled(world.session, desk, [desk.facebook], at=T0 + timedelta(seconds=4))
    run = asyncio.create_task(jobs.dispatch(ctx))
    for _ in range(10_000):  # until it waits for the later post (the clock stands still)
        if jobs._waiting or run.done():
            break
        await asyncio.sleep(0.001)
    assert jobs._waiting and not run.done()
    now = await scheduled(world.session, desk, [desk.x])
    jobs.wake()
    woke = False
    for _ in range(10_000):  # until it has woken, claimed, and waits again
        woke = woke or not jobs._waiting
        if (woke and jobs._waiting) or run.done():
            break
        await asyncio.sleep(0.001)
    ctx.stopping.set()
    counts = await run
    assert (counts["claimed"], counts["published"]) == (1, 1)
    assert [v.status for v in await variants_of(world.session, now)] == [PostStatus.published]
    assert [v.status for v in await variants_of(world.session, later)] == [PostStatus.scheduled]


async def test_the_accounts_rate_limit_state_is_kept_with_the_outcome(
    ctx: JobContext, world: World, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.x.sandbox = False
    await scheduled(world.session, desk, [desk.x])
    resets = T0 + timedelta(minutes=15)

    class Limited:
        platform = Platform.x

        def __init__(self, on_rate_limit: Callable[[RateLimit], None]) -> None:
            self.on_rate_limit = on_rate_limit

        async def publish(self, account: AccountCredentials, variant: VariantToPublish) -> Any:
            # A linked account's budget is not this one's; the last report of its own counts.
            self.on_rate_limit(RateLimit("lain", T0, limit=5, remaining=0))
            self.on_rate_limit(RateLimit(account.external_id, T0, limit=100, remaining=98))
            self.on_rate_limit(
                RateLimit(account.external_id, T0, limit=100, remaining=97, resets_at=resets)
            )
            raise RetryableError("X is busy", retry_after=60)

    def bind(account: PlatformAccount, **kw: Any) -> BoundAccount:
        return BoundAccount(Limited(kw["on_rate_limit"]), sandbox_credentials(account))  # type: ignore[arg-type]

    monkeypatch.setattr(publishing, "bind", bind)
    assert (await jobs.dispatch(ctx))["claimed"] == 1
    await world.session.refresh(desk.x)
    assert desk.x.rate_limit == {
        "limit": 100,
        "remaining": 97,
        "resets_at": resets.isoformat(),
        "usage_pct": None,
        "observed_at": T0.isoformat(),
    }


async def test_real_x_posts_of_a_unit_at_its_spending_cap_wait(
    ctx: JobContext, world: World, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.x.sandbox = False
    desk.unit.x_spend_cap_usd = Decimal("1.00")
    world.session.add(
        XUsage(
            unit_id=desk.unit.id,
            day=T0.date(),
            price_class=PriceClass.post_create_url.value,
            calls=5,
            micro_usd=1_000_000,
        )
    )
    post = await scheduled(world.session, desk, [desk.x, desk.facebook])

    real_bind = publishing.bind
    called: list[str] = []

    def bind(account: PlatformAccount, **kw: Any) -> BoundAccount | None:
        if not account.sandbox:
            called.append(account.handle)
            scripted = Scripted({account.handle: [ok(1)]})
            return BoundAccount(scripted, sandbox_credentials(account))  # type: ignore[arg-type]
        return real_bind(account, **kw)

    monkeypatch.setattr(publishing, "bind", bind)
    # The sandbox Facebook account is not billed by X and goes out; the real X one waits.
    assert (await jobs.dispatch(ctx))["claimed"] == 1
    statuses = [v.status for v in await variants_of(world.session, post)]
    assert (statuses, called) == ([PostStatus.scheduled, PostStatus.published], [])

    # A higher cap lets it go.
    desk.unit.x_spend_cap_usd = Decimal("2.00")
    await world.commit()
    assert (await jobs.dispatch(ctx))["claimed"] == 1
    statuses = [v.status for v in await variants_of(world.session, post)]
    assert (statuses, called) == ([PostStatus.published, PostStatus.published], [desk.x.handle])

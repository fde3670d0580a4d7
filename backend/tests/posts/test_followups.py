# ruff: noqa: F811 - the fixtures imported from test_publishing are parameters here
"""Follow-ups after the main post: X thread parts in order (each a reply to the previous),
an Instagram first comment; exactly once across retries, lost answers and crashes (both
databases). Driven by calling the jobs with an injected clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from tests.conftest import World
from tests.helpers import error_of
from tests.posts.test_publishing import (  # noqa: F401 - fixtures
    T0,
    Clock,
    Desk,
    clock,
    ctx,
    desk,
    scheduled,
    variants_of,
)

from gaung.accounts.connectors import BoundAccount
from gaung.accounts.models import Platform
from gaung.accounts.sandbox import SandboxPost, sandbox_credentials
from gaung.db import session_scope
from gaung.notifications.models import Notification, NotificationKind
from gaung.platforms.protocol import (
    AccountCredentials,
    PermanentError,
    PublishResult,
    RecentPost,
    RetryableError,
    VariantToPublish,
)
from gaung.posts import followups, jobs, publishing
from gaung.posts.models import FollowupStatus, Post, PostFollowup, PostStatus, PostVariant
from gaung.posts.publishing import PublishConfig
from gaung.worker.context import JobContext


async def followups_of(world: World, variant_id: int) -> list[PostFollowup]:
    rows = await world.session.scalars(
        select(PostFollowup)
        .where(PostFollowup.variant_id == variant_id)
        .order_by(PostFollowup.position)
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


async def with_options(world: World, desk: Desk, account: Any, options: dict[str, Any]) -> int:
    post = await scheduled(world.session, desk, [account])
    [v] = await variants_of(world.session, post)
    v.options = options
    await world.commit()
    return v.id


# --- through the sandbox ---------------------------------------------------------------------


async def test_a_thread_goes_out_in_order_each_part_answering_the_previous(
    ctx: JobContext, world: World, desk: Desk
) -> None:
    vid = await with_options(world, desk, desk.x, {"thread": ["Bagian dua.", "Bagian tiga."]})
    counts = await jobs.dispatch(ctx)
    assert counts["published"] == 1
    parts = await followups_of(world, vid)
    assert [(p.position, p.status) for p in parts] == [
        (0, FollowupStatus.published),
        (1, FollowupStatus.published),
    ]
    posts = {p.external_id: p for p in (await world.session.scalars(select(SandboxPost))).all()}
    assert len(posts) == 3
    main = next(p for p in posts.values() if p.in_reply_to is None)
    assert posts[parts[0].external_id].in_reply_to == main.external_id  # type: ignore[index]
    assert posts[parts[1].external_id].in_reply_to == parts[0].external_id  # type: ignore[index]
    assert posts[parts[1].external_id].text == "Bagian tiga."  # type: ignore[index]
    # Nothing is sent twice by later runs.
    await jobs.followups(ctx)
    await jobs.dispatch(ctx)
    assert len((await world.session.scalars(select(SandboxPost))).all()) == 3


# --- a scripted connector --------------------------------------------------------------------


@dataclass
class Script:
    """Answers per call: the main publish, then each comment (thread part / first comment)."""

    posts: list[PublishResult | BaseException] = field(default_factory=list)
    comments: list[PublishResult | BaseException] = field(default_factory=list)
    recent: Sequence[RecentPost] = ()
    sent: list[tuple[str, str]] = field(default_factory=list)

    @property
    def platform(self) -> Platform:
        return Platform.x

    async def publish(self, account: AccountCredentials, variant: VariantToPublish) -> Any:
        return self._answer(self.posts, ("post", variant.text))

    async def comment(self, account: AccountCredentials, on: str, text: str) -> Any:
        return self._answer(self.comments, (on, text))

    async def find_recent(self, account: AccountCredentials, since: datetime) -> Any:
        return self.recent

    def _answer(self, answers: list[PublishResult | BaseException], sent: tuple[str, str]) -> Any:
        self.sent.append(sent)
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> Script:
    connector = Script()

    def bind(account: Any, **_kw: Any) -> BoundAccount:
        return BoundAccount(connector, sandbox_credentials(account))  # type: ignore[arg-type]

    monkeypatch.setattr(publishing, "bind", bind)
    monkeypatch.setattr(followups, "bind", bind)
    return connector


def ok(n: int | str) -> PublishResult:
    return PublishResult(f"id-{n}", f"https://x.example/status/id-{n}")


async def test_a_crash_between_parts_resumes_with_the_next_part_only(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, script: Script
) -> None:
    vid = await with_options(world, desk, desk.x, {"thread": ["dua", "tiga", "empat"]})
    script.posts = [ok("main")]
    script.comments = [ok(2)]
    # The worker sends the main post and part 2, then dies before claiming part 3.
    cfg = PublishConfig.from_settings(ctx.settings)
    async with session_scope(ctx.sessionmaker) as session:
        [claim] = await publishing.claim_due(
            session, worker="w-test", now=T0, limit=5, lease=cfg.lease
        )
    call = await publishing.call_platform(ctx.sessionmaker, ctx.settings, ctx.http, claim)
    async with session_scope(ctx.sessionmaker) as session:
        await publishing.record_outcomes(session, [(claim, call)], now=T0, cfg=cfg)
    await followups.run(
        ctx.sessionmaker, ctx.settings, ctx.http, worker="w-test", clock=clock, cfg=cfg, rounds=1
    )
    parts = await followups_of(world, vid)
    assert [p.status for p in parts] == [
        FollowupStatus.published,
        FollowupStatus.pending,
        FollowupStatus.pending,
    ]
    # Restarted: parts 3 and 4 go out, each once, each answering the one before.
    script.comments = [ok(3), ok(4)]
    await jobs.followups(ctx)
    assert script.sent == [
        ("post", "Pendaftaran magang PTPSW dibuka hingga akhir bulan."),
        ("id-main", "dua"),
        ("id-2", "tiga"),
        ("id-3", "empat"),
    ]
    assert [p.external_id for p in await followups_of(world, vid)] == ["id-2", "id-3", "id-4"]


async def test_a_part_whose_answer_was_lost_is_looked_for_not_resent(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, script: Script
) -> None:
    vid = await with_options(world, desk, desk.x, {"thread": ["dua", "tiga"]})
    script.posts = [ok("main")]
    # Part 2's answer is lost after it was sent (a read timeout).
    lost = RetryableError("X did not answer")
    lost.__cause__ = httpx.ReadTimeout("read timed out")
    script.comments = [lost]
    await jobs.dispatch(ctx)
    [two, three] = await followups_of(world, vid)
    assert two.status == FollowupStatus.unconfirmed and three.status == FollowupStatus.pending
    # It is on the account: found, recorded with its id, and part 3 answers it.
    script.recent = [RecentPost("id-found", "https://x.example/id-found", "dua", T0)]
    script.comments = [ok(3)]
    clock.advance(timedelta(minutes=1))
    await jobs.followups(ctx)
    [two, three] = await followups_of(world, vid)
    assert (two.status, two.external_id) == (FollowupStatus.published, "id-found")
    assert (three.status, three.external_id) == (FollowupStatus.published, "id-3")
    assert script.sent[1:] == [("id-main", "dua"), ("id-found", "tiga")]


async def test_an_expired_claim_is_reconciled_before_anything_is_sent_again(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, script: Script
) -> None:
    vid = await with_options(world, desk, desk.x, {"thread": ["dua"]})
    script.posts = [ok("main")]
    script.comments = [RetryableError("X is busy", retry_after=3600)]
    await jobs.dispatch(ctx)
    cfg = PublishConfig.from_settings(ctx.settings)
    clock.advance(timedelta(hours=2))
    async with session_scope(ctx.sessionmaker) as session:
        [claim] = await followups.claim_next(session, worker="w-dead", now=clock(), cfg=cfg)
    # The claimed call went out, but the worker died before recording it.
    script.recent = [RecentPost("id-live", None, "dua", clock())]
    clock.advance(cfg.lease + timedelta(seconds=1))
    counts = await jobs.followups(ctx)
    assert counts["expired"] == 1 and counts["reconciled_published"] == 1
    [two] = await followups_of(world, vid)
    assert (two.status, two.external_id) == (FollowupStatus.published, "id-live")
    assert len([s for s in script.sent if s[1] == "dua"]) == 1
    # The dead worker's late answer is not recorded over it.
    async with session_scope(ctx.sessionmaker) as session:
        late = publishing.CallResult(publishing.Outcome.published, result=ok(9))
        assert not await followups.record(session, claim, late, now=clock(), cfg=cfg)


async def test_a_retryable_error_waits_then_the_part_goes_once(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, script: Script
) -> None:
    vid = await with_options(world, desk, desk.x, {"thread": ["dua", "tiga"]})
    script.posts = [ok("main")]
    script.comments = [RetryableError("X is rate limiting", retry_after=900, message_id="X sibuk")]
    await jobs.dispatch(ctx)
    [two, three] = await followups_of(world, vid)
    assert two.status == FollowupStatus.pending and two.error_id == "X sibuk"
    assert two.next_attempt_at is not None and two.next_attempt_at >= T0 + timedelta(seconds=900)
    assert three.status == FollowupStatus.pending and three.attempts == 0
    await jobs.followups(ctx)  # not due yet: nothing sent
    assert len(script.sent) == 2
    clock.now = two.next_attempt_at
    script.comments = [ok(2), ok(3)]
    await jobs.followups(ctx)
    [two, three] = await followups_of(world, vid)
    assert [two.external_id, three.external_id] == ["id-2", "id-3"]
    assert two.error is None
    assert [s[1] for s in script.sent] == [
        "Pendaftaran magang PTPSW dibuka hingga akhir bulan.",
        "dua",
        "dua",
        "tiga",
    ]


async def test_a_failed_part_leaves_the_post_published_and_the_authors_told(
    ctx: JobContext, world: World, desk: Desk, script: Script
) -> None:
    vid = await with_options(world, desk, desk.x, {"thread": ["dua", "tiga"]})
    script.posts = [ok("main")]
    script.comments = [PermanentError("x.forbidden", "X refused this post.", "X menolak.")]
    await jobs.dispatch(ctx)
    [v] = await variants_of(world.session, await _post_of(world, vid))
    assert v.status == PostStatus.published and v.last_error is None
    [two, three] = await followups_of(world, vid)
    assert (two.status, two.error, two.error_id) == (
        FollowupStatus.failed,
        "X refused this post.",
        "X menolak.",
    )
    assert three.status == FollowupStatus.failed
    assert three.error == "Not sent: part 2 of the thread before it could not be posted."
    notes = (
        await world.session.scalars(
            select(Notification).where(Notification.kind == NotificationKind.followup_failed)
        )
    ).all()
    assert {n.user_id for n in notes} == {desk.author.id, desk.editor.id, desk.admin.id}
    assert notes[0].params["part"] == 2 and notes[0].params["reason"] == "X refused this post."
    # Nothing more is tried.
    await jobs.followups(ctx)
    assert len(script.sent) == 2


async def test_an_instagram_first_comment_goes_on_the_new_media(
    ctx: JobContext, world: World, desk: Desk, script: Script
) -> None:
    ig = await world.account(desk.unit, Platform.instagram)
    await world.commit()
    vid = await with_options(world, desk, ig, {"first_comment": "#magang #ptpsw"})
    script.posts = [ok("media")]
    script.comments = [PublishResult("c-1", None)]
    await jobs.dispatch(ctx)
    [comment] = await followups_of(world, vid)
    assert (comment.status, comment.external_id) == (FollowupStatus.published, "c-1")
    assert script.sent[1] == ("id-media", "#magang #ptpsw")


async def test_a_lost_first_comment_is_left_for_a_person_never_resent(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, script: Script
) -> None:
    ig = await world.account(desk.unit, Platform.instagram)
    await world.commit()
    vid = await with_options(world, desk, ig, {"first_comment": "#magang"})
    script.posts = [ok("media")]
    lost = RetryableError("no answer")
    lost.__cause__ = httpx.ReadTimeout("read timed out")
    script.comments = [lost]
    await jobs.dispatch(ctx)
    clock.advance(timedelta(hours=1))
    await jobs.followups(ctx)
    [comment] = await followups_of(world, vid)
    assert comment.status == FollowupStatus.failed
    assert comment.error_code == "followup.unconfirmed"
    assert len([s for s in script.sent if s[1] == "#magang"]) == 1


async def test_a_part_not_confirmed_within_two_days_is_left_for_a_person(
    ctx: JobContext, world: World, desk: Desk, clock: Clock, script: Script
) -> None:
    vid = await with_options(world, desk, desk.x, {"thread": ["dua"]})
    script.posts = [ok("main")]
    lost = RetryableError("no answer")
    lost.__cause__ = httpx.ReadTimeout("read timed out")
    script.comments = [lost]
    await jobs.dispatch(ctx)
    clock.advance(timedelta(days=3))
    script.recent = [RecentPost("id-x", None, "lain", clock())]
    await jobs.followups(ctx)
    [two] = await followups_of(world, vid)
    assert (two.status, two.error_code) == (FollowupStatus.failed, "publish.unconfirmed_too_old")
    assert len([s for s in script.sent if s[1] == "dua"]) == 1


async def _post_of(world: World, variant_id: int) -> Any:
    post_id = await world.session.scalar(
        select(PostVariant.post_id).where(PostVariant.id == variant_id)
    )
    return await world.session.get(Post, post_id)


# --- the API ---------------------------------------------------------------------------------


async def test_options_are_stored_read_back_and_checked_per_network(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    headers = world.headers(desk.editor)
    body = {
        "unit_id": desk.unit.id,
        "title": "Utas",
        "variants": [
            {"account_id": desk.x.id, "text": "Satu", "options": {"thread": ["Dua", "Tiga"]}},
            {
                "account_id": desk.facebook.id,
                "text": "Baca",
                "options": {"link": "https://gaung.example/a"},
            },
        ],
    }
    res = await client.post("/api/v1/posts", json=body, headers=headers)
    assert res.status_code == 201, res.text
    x, fb = res.json()["variants"]
    assert x["options"] == {"first_comment": None, "thread": ["Dua", "Tiga"], "link": None}
    assert fb["options"]["link"] == "https://gaung.example/a"
    assert x["followups"] == []

    # An option for another network names its field and rule.
    body["variants"][0]["options"] = {"thread": ["Dua"], "link": "https://gaung.example/a"}
    res = await client.post("/api/v1/posts", json=body, headers=headers)
    assert res.status_code == 422
    err = error_of(res)
    assert err["rules"] == {"variants.0.options.link": "option_wrong_platform"}

    # Each thread part is counted as a post of its own.
    body["variants"][0]["options"] = {"thread": ["Dua", "a" * 281]}
    res = await client.post("/api/v1/posts", json=body, headers=headers)
    assert res.status_code == 422
    err = error_of(res)
    [problem] = err["problems"]
    assert problem["field"] == "variants.0.options.thread.1"
    assert problem["rule"] == "x.thread.part_too_long"
    assert problem["params"] == {"part": 3, "length": 281, "max": 280}

    body["variants"][0]["options"] = {"thread": []}
    body["variants"][1]["options"] = {"link": "javascript:alert(1)"}
    res = await client.post("/api/v1/posts", json=body, headers=headers)
    assert error_of(res)["problems"][0]["rule"] == "facebook.link.invalid"

    body["variants"][1]["options"] = {"link": "https://gaung.example", "poll": ["a"]}
    res = await client.post("/api/v1/posts", json=body, headers=headers)
    assert res.status_code == 422
    assert error_of(res)["rules"] == {"variants.1.options.poll": "extra_forbidden"}

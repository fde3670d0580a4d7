"""The polling jobs against mocked networks: snapshots on a spread grid, post figures on the
decaying schedule in batches, a retired metric failing alone, rate-limited and capped accounts
left alone, failures retried later without holding back the others, the import of a new
account's recent posts, and the dormant alert."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.accounts.sandbox import SandboxPost
from gaung.accounts.tokens import store_tokens
from gaung.config import Settings
from gaung.metrics import core, jobs
from gaung.metrics.models import (
    AccountDaily,
    AccountSnapshot,
    MetricsAccountState,
    PostFormat,
    PostMetricSnapshot,
    TrackedPost,
)
from gaung.notifications.models import Notification, NotificationKind
from gaung.platforms.types import Platform
from gaung.posts.models import AttemptOutcome, Post, PostStatus, PostVariant, PublishAttempt
from gaung.units.models import Unit
from gaung.users.models import Role
from gaung.worker.context import JobContext
from tests.accounts.connect_helpers import GRAPH, X_API, configured
from tests.conftest import World

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
JAKARTA_OFFSET = timedelta(hours=7)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return configured(tmp_path)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def ctx(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, http: httpx.AsyncClient
) -> JobContext:
    return JobContext(sessionmaker=sessionmaker, settings=settings, http=http, clock=lambda: NOW)


async def real(world: World, unit: Unit, platform: Platform, external_id: str) -> PlatformAccount:
    account = await world.account(unit, platform, handle=f"@{platform.value}")
    account.sandbox = False
    account.external_id = external_id
    store_tokens(account, world.settings, access_token=f"token-{external_id}")
    await world.session.flush()
    return account


def batch_answer(*bodies: tuple[int, Any]) -> list[dict[str, Any]]:
    return [{"code": code, "headers": [], "body": json.dumps(body)} for code, body in bodies]


RETIRED = {
    "error": {
        "message": "(#100) metric[0] must be one of ...",
        "type": "OAuthException",
        "code": 100,
    }
}


async def snapshots(session: AsyncSession, account_id: int) -> list[AccountSnapshot]:
    return list(
        await session.scalars(
            select(AccountSnapshot).where(AccountSnapshot.account_id == account_id)
        )
    )


async def test_account_snapshots_skip_the_rate_limited_and_retry_the_failed(
    ctx: JobContext, world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    x = await real(world, unit, Platform.x, "2244994945")
    ig = await real(world, unit, Platform.instagram, "17841400000000001")
    fb = await real(world, unit, Platform.facebook, "1010")
    failing = await real(world, unit, Platform.x, "999")
    # Facebook said its budget is spent until 03:30: nobody calls it before then.
    fb.rate_limit = {"remaining": 0, "resets_at": (NOW + timedelta(minutes=30)).isoformat()}
    disabled = await real(world, unit, Platform.x, "555")
    disabled.status = AccountStatus.disabled
    await world.commit()
    with respx.mock(assert_all_called=True) as net:
        net.get(f"{X_API}/2/users/2244994945").respond(
            200,
            json={
                "data": {
                    "id": "2244994945",
                    "public_metrics": {
                        "followers_count": 1200,
                        "following_count": 80,
                        "tweet_count": 3400,
                        "listed_count": 7,
                    },
                }
            },
        )
        net.get(f"{X_API}/2/users/999").respond(503)
        net.get(f"{GRAPH}/17841400000000001").respond(
            200,
            json={
                "id": "17841400000000001",
                "followers_count": 500,
                "follows_count": 3,
                "media_count": 40,
            },
        )
        report = await jobs.poll_accounts(ctx)
    assert (report.polled, report.waited, report.failed) == (2, 1, 1)
    [snap] = await snapshots(session, x.id)
    assert (snap.followers, snap.following, snap.posts) == (1200, 80, 3400)
    assert snap.raw["listed_count"] == 7  # the network's own names are kept
    [ig_snap] = await snapshots(session, ig.id)
    assert (ig_snap.followers, ig_snap.raw) == (
        500,
        {"followers_count": 500, "follows_count": 3, "media_count": 40},
    )
    day = await session.get(AccountDaily, (x.id, (NOW + JAKARTA_OFFSET).date()))
    assert day is not None and day.followers == 1200
    hour = timedelta(seconds=ctx.settings.metrics_account_interval_s)
    x_state = await session.get(MetricsAccountState, x.id)
    assert x_state is not None and x_state.next_poll_at == core.next_slot(NOW, x.id, hour)
    fb_state = await session.get(MetricsAccountState, fb.id)
    assert fb_state is not None and fb_state.next_poll_at == NOW + timedelta(minutes=30)
    failed = await session.get(MetricsAccountState, failing.id)
    assert failed is not None and failed.failures == 1
    assert failed.next_poll_at == NOW + timedelta(seconds=jobs.RETRY_BASE_S)
    assert await session.get(MetricsAccountState, disabled.id) is None
    # Nothing is due again at the same moment: no call is made.
    with respx.mock(assert_all_mocked=True):
        assert await jobs.poll_accounts(ctx) == jobs.PollReport()


async def test_x_reads_stop_at_the_units_spend_cap(
    ctx: JobContext, world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    unit.x_spend_cap_usd = Decimal("0")
    x = await real(world, unit, Platform.x, "2244994945")
    await world.commit()
    with respx.mock(assert_all_mocked=True):  # any call to X would fail the test
        report = await jobs.poll_accounts(ctx)
    assert report.waited == 1
    assert await snapshots(session, x.id) == []


async def published_variant(
    world: World, account: PlatformAccount, external_id: str, at: datetime, category: str
) -> PostVariant:
    post = Post(unit_id=account.unit_id, title=f"Judul {external_id}", category=category)
    variant = PostVariant(
        account_id=account.id,
        text="teks",
        status=PostStatus.published,
        external_id=external_id,
        external_url=f"https://x.com/i/status/{external_id}",
    )
    post.variants = [variant]
    world.session.add(post)
    await world.session.flush()
    world.session.add(
        PublishAttempt(
            variant_id=variant.id,
            worker="w",
            started_at=at - timedelta(seconds=2),
            finished_at=at,
            outcome=AttemptOutcome.published,
        )
    )
    await world.session.flush()
    return variant


async def test_published_variants_are_tracked_and_read_in_batches_of_100(
    ctx: JobContext, world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    x = await real(world, unit, Platform.x, "2244994945")
    world.session.add(
        AccountSnapshot(
            account_id=x.id, unit_id=unit.id, measured_at=NOW - timedelta(days=1), followers=1000
        )
    )
    published = NOW - timedelta(hours=2)
    variant = await published_variant(world, x, "1001", published, "Layanan")
    # 149 more, published by other means (imported), all due.
    for n in range(149):
        post = jobs.new_tracked(x, str(2000 + n), published, core_zone(), followers=1000)
        world.session.add(post)
    await world.commit()
    asked: list[list[str]] = []

    def lookup(request: httpx.Request) -> httpx.Response:
        fields = request.url.params["tweet.fields"]
        if "non_public_metrics" in fields:
            # A retired field refuses the whole lookup.
            return httpx.Response(400, json={"title": "Invalid Request", "detail": "bad field"})
        ids = request.url.params["ids"].split(",")
        asked.append(ids)
        data = [
            {
                "id": i,
                "public_metrics": {
                    "like_count": 10,
                    "reply_count": 2,
                    "retweet_count": 3,
                    "quote_count": 1,
                    "bookmark_count": 4,
                    "impression_count": 700,
                },
            }
            for i in ids
            if i != "2005"  # deleted meanwhile: left out, as X does
        ]
        return httpx.Response(200, json={"data": data})

    with respx.mock(assert_all_called=True) as net:
        net.get(f"{X_API}/2/tweets").mock(side_effect=lookup)
        report = await jobs.poll_posts(ctx)
    assert report.polled == 1
    assert [len(ids) for ids in asked] == [100, 50]
    tracked = await session.scalar(select(TrackedPost).where(TrackedPost.variant_id == variant.id))
    assert tracked is not None
    assert (tracked.category, tracked.format, tracked.title) == (
        "Layanan",
        PostFormat.text,
        "Judul 1001",
    )
    assert tracked.published_at == published
    local = published + JAKARTA_OFFSET
    assert (tracked.weekday, tracked.hour) == (local.weekday(), local.hour)
    assert tracked.followers_at_publish == 1000
    assert (tracked.likes, tracked.comments, tracked.shares, tracked.saves) == (10, 2, 3, 4)
    assert tracked.interactions == 19 and tracked.engagement_basis == "followers"
    assert tracked.engagement_rate == pytest.approx(0.019)
    # Read at two hours old: the 1 h step is done, the next reading is at 6 h.
    assert tracked.polls == 1 and tracked.next_poll_at == published + timedelta(hours=6)
    snap = await session.scalar(
        select(PostMetricSnapshot).where(PostMetricSnapshot.post_id == tracked.id)
    )
    assert snap is not None and snap.raw["bookmark_count"] == 4 and snap.saves == 4
    gone = await session.scalar(select(TrackedPost).where(TrackedPost.external_id == "2005"))
    assert gone is not None and gone.measured_at is None and gone.polls == 1
    total = await session.scalar(select(func.count()).select_from(PostMetricSnapshot))
    assert total == 149


def core_zone() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Jakarta")


async def test_a_retired_instagram_metric_fails_alone(
    ctx: JobContext, world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    ig = await real(world, unit, Platform.instagram, "17841400000000001")
    post = jobs.new_tracked(
        ig, "18000000001", NOW - timedelta(days=1, hours=1), core_zone(), followers=None
    )
    world.session.add(post)
    await world.commit()
    calls: list[list[str]] = []

    def batch(request: httpx.Request) -> httpx.Response:
        form = dict(x.split("=", 1) for x in request.content.decode().split("&"))
        from urllib.parse import unquote_plus

        urls = [r["relative_url"] for r in json.loads(unquote_plus(form["batch"]))]
        calls.append(urls)
        answers = []
        for url in urls:
            if "fields=like_count" in url:
                answers.append((200, {"like_count": 40, "comments_count": 8, "id": "18000000001"}))
            elif url.endswith("metric=views,reach,shares,saved") or url.endswith("metric=views"):
                answers.append((400, RETIRED))
            else:
                name = url.rsplit("=", 1)[1]
                value = {"reach": 400, "shares": 2, "saved": 10}[name]
                answers.append((200, {"data": [{"name": name, "values": [{"value": value}]}]}))
        return httpx.Response(200, json=batch_answer(*answers))

    with respx.mock(assert_all_called=True) as net:
        net.post(f"{GRAPH}/").mock(side_effect=batch)
        report = await jobs.poll_posts(ctx)
    assert report.polled == 1
    assert len(calls) == 2  # the batch, then each insight alone for the refused media
    await session.refresh(post)
    assert (post.likes, post.comments, post.reach, post.shares, post.saves) == (40, 8, 400, 2, 10)
    assert post.impressions is None  # the retired one
    assert post.interactions == 60 and post.engagement_rate == pytest.approx(0.15)
    assert post.engagement_basis == "reach"


async def test_a_failed_batch_waits_and_the_other_accounts_go_on(
    ctx: JobContext, world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    x = await real(world, unit, Platform.x, "2244994945")
    fb = await real(world, unit, Platform.facebook, "1010")
    limited = await real(world, unit, Platform.facebook, "2020")
    limited.rate_limit = {"usage_pct": 99.0, "observed_at": NOW.isoformat()}
    when = NOW - timedelta(hours=7)
    posts = [
        jobs.new_tracked(x, "1", when, core_zone(), followers=100),
        jobs.new_tracked(fb, "1010_1", when, core_zone(), followers=100),
        jobs.new_tracked(limited, "2020_1", when, core_zone(), followers=100),
    ]
    world.session.add_all(posts)
    await world.commit()
    with respx.mock(assert_all_called=True) as net:
        net.get(f"{X_API}/2/tweets").respond(
            429, headers={"x-rate-limit-reset": str(int((NOW + timedelta(minutes=15)).timestamp()))}
        )
        net.post(f"{GRAPH}/").respond(
            200,
            json=batch_answer(
                (
                    200,
                    {
                        "reactions": {"summary": {"total_count": 7}},
                        "comments": {"summary": {"total_count": 1}},
                        "shares": {"count": 2},
                    },
                )
            ),
        )
        report = await jobs.poll_posts(ctx)
    assert (report.polled, report.failed, report.waited) == (1, 1, 1)
    for p in posts:
        await session.refresh(p)
    x_post, fb_post, limited_post = posts
    assert x_post.failures == 1 and x_post.measured_at is None
    assert x_post.next_poll_at is not None and x_post.next_poll_at > NOW
    assert (fb_post.likes, fb_post.comments, fb_post.shares, fb_post.interactions) == (7, 1, 2, 10)
    # Read at 7 hours: 1 h and 6 h are behind it, the next is at 24 h.
    assert fb_post.next_poll_at == when + timedelta(hours=24)
    assert limited_post.measured_at is None and limited_post.next_poll_at == NOW + timedelta(
        hours=1
    )


async def test_a_new_accounts_recent_posts_are_imported_and_read(
    ctx: JobContext, world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    account = await world.account(unit, Platform.x)  # a sandbox account
    old = NOW - timedelta(days=40)
    recent = NOW - timedelta(days=3)
    session.add_all(
        [
            SandboxPost(account_id=account.id, external_id="11", text="Lama", published_at=old),
            SandboxPost(
                account_id=account.id,
                external_id="12",
                text="Info CPNS\nrincian",
                published_at=recent,
            ),
        ]
    )
    await world.commit()
    assert await jobs.backfill(ctx) == 1
    assert await jobs.backfill(ctx) == 0  # once per account
    [tracked] = await session.scalars(
        select(TrackedPost).where(TrackedPost.account_id == account.id)
    )
    assert (tracked.external_id, tracked.title, tracked.next_poll_at) == ("12", "Info CPNS", NOW)
    await jobs.poll_posts(ctx)
    await session.refresh(tracked)
    assert tracked.measured_at is not None and tracked.interactions > 0
    # Read at three days: the 3 d step is done, the next is at 7 d.
    assert tracked.polls == 4 and tracked.next_poll_at == recent + timedelta(days=7)


async def test_dormant_accounts_are_told_to_admins_once(
    ctx: JobContext, world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.user(unit, Role.editor)
    account = await world.account(unit, handle="@sepi")
    account.created_at = NOW - timedelta(days=30)
    await world.commit()
    assert await jobs.alert_dormant(ctx) == 1
    assert await jobs.alert_dormant(ctx) == 0
    notes = list(
        await session.scalars(
            select(Notification).where(Notification.kind == NotificationKind.account_dormant)
        )
    )
    assert [(n.user_id, n.params["handle"], n.params["reasons"]) for n in notes] == [
        (admin.id, "@sepi", "no_posts,no_metrics")
    ]
    # Active again (a post and a reading): the flag clears, so a later spell is told again.
    session.add(
        jobs.new_tracked(account, "1", NOW - timedelta(hours=1), core_zone(), followers=None)
    )
    session.add(
        AccountSnapshot(account_id=account.id, unit_id=unit.id, measured_at=NOW, followers=1)
    )
    state = await session.get(MetricsAccountState, account.id)
    assert state is not None
    state.last_success_at = NOW
    await world.commit()
    assert await jobs.alert_dormant(ctx) == 0
    await session.refresh(state)
    assert state.dormant_alert_at is None

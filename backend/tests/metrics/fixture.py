"""A small hand-computed history: two accounts of one unit (Jakarta, UTC+7) in March and
April 2026, and the figures every analytics endpoint must give for it (see test_analytics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import PlatformAccount
from gaung.metrics.jobs import new_tracked
from gaung.metrics.models import PostFormat, TrackedPost
from gaung.metrics.store import record_account, record_post
from gaung.platforms.protocol import AccountMetrics, PostMetrics
from gaung.platforms.types import Platform
from gaung.units.models import Unit
from tests.conftest import World

WIB = timezone(timedelta(hours=7))
JAKARTA = ZoneInfo("Asia/Jakarta")


def wib(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB).astimezone(UTC)


@dataclass
class History:
    unit: Unit
    x: PlatformAccount
    ig: PlatformAccount
    posts: dict[str, TrackedPost]


async def _reading(s: AsyncSession, account: PlatformAccount, at: datetime, followers: int) -> None:
    await record_account(
        s,
        account_id=account.id,
        unit_id=account.unit_id,
        zone=JAKARTA,
        metrics=AccountMetrics(measured_at=at, followers=followers, following=10, posts=5),
    )


async def _post(
    s: AsyncSession,
    account: PlatformAccount,
    at: datetime,
    followers: int | None,
    *,
    category: str | None,
    fmt: PostFormat,
    figures: PostMetrics,
) -> TrackedPost:
    post = new_tracked(account, figures.external_id, at, JAKARTA, followers=followers)
    post.category = category
    post.format = fmt
    post.title = f"Post {figures.external_id}"
    s.add(post)
    await s.flush()
    record_post(s, post, figures)
    return post


def figures(pid: str, at: datetime, **kw: int) -> PostMetrics:
    extra = {k: kw.pop(k) for k in ("bookmarks", "saved") if k in kw}
    return PostMetrics(external_id=pid, measured_at=at + timedelta(days=2), extra=extra, **kw)


async def build(world: World) -> History:
    s = world.session
    unit = await world.unit("Humas")
    x = await world.account(unit, Platform.x, handle="@humas_x")
    ig = await world.account(unit, Platform.instagram, handle="@humas_ig")
    # X: 1000 before April; 1010 then 1020 on 1 April (the 23:30 reading is still 1 April in
    # Jakarta, the 00:30 one is 2 April); a late, older reading never replaces a newer one.
    await _reading(s, x, wib(3, 31, 23), 1000)
    await _reading(s, x, wib(4, 1, 10), 1010)
    await _reading(s, x, wib(4, 1, 23, 30), 1020)
    await _reading(s, x, wib(4, 2, 21), 1050)
    await _reading(s, x, wib(4, 2, 0, 30), 1030)
    await _reading(s, x, wib(4, 8, 12), 1100)
    # Instagram: no figure before April.
    await _reading(s, ig, wib(4, 1, 12), 500)
    await _reading(s, ig, wib(4, 30, 12), 560)
    posts = {
        # X, Wednesday 09:15: 10 + 5 + 5 + 0 = 20 interactions, per 1000 followers = 0.02.
        "p1": await _post(
            s,
            x,
            wib(4, 1, 9, 15),
            1000,
            category="Layanan",
            fmt=PostFormat.image,
            figures=figures(
                "p1", wib(4, 1, 9, 15), impressions=500, likes=10, replies=5, shares=5, bookmarks=0
            ),
        ),
        # X, Thursday 19:40: 30 + 10 + 11 = 51, per 1020 followers = 0.05.
        "p2": await _post(
            s,
            x,
            wib(4, 2, 19, 40),
            1020,
            category="Edukasi",
            fmt=PostFormat.text,
            figures=figures(
                "p2", wib(4, 2, 19, 40), impressions=1000, likes=30, replies=10, shares=11
            ),
        ),
        # Instagram, Wednesday 09:50: 40 + 8 + 2 + 10 saved = 60, per 400 reached = 0.15.
        "p3": await _post(
            s,
            ig,
            wib(4, 1, 9, 50),
            None,
            category="Layanan",
            fmt=PostFormat.carousel,
            figures=figures(
                "p3",
                wib(4, 1, 9, 50),
                impressions=900,
                reach=400,
                likes=40,
                replies=8,
                shares=2,
                saved=10,
            ),
        ),
        # Instagram, 1 May: outside April.
        "p4": await _post(
            s,
            ig,
            wib(5, 1, 8),
            None,
            category="Layanan",
            fmt=PostFormat.image,
            figures=figures("p4", wib(5, 1, 8), reach=100, likes=99),
        ),
        # X, 1 April 00:30 in Jakarta (31 March in UTC): April, Wednesday 00h; 1 / 1000.
        "p5": await _post(
            s,
            x,
            wib(4, 1, 0, 30),
            1000,
            category=None,
            fmt=PostFormat.video,
            figures=figures("p5", wib(4, 1, 0, 30), impressions=100, likes=1),
        ),
        # X, 15 March: the month before. 5 / 990.
        "p6": await _post(
            s,
            x,
            wib(3, 15, 10),
            990,
            category="Edukasi",
            fmt=PostFormat.text,
            figures=figures("p6", wib(3, 15, 10), impressions=50, likes=5),
        ),
    }
    await s.flush()
    return History(unit, x, ig, posts)

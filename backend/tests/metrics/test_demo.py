"""The demo's dashboard is alive from the first start: a year of daily history for each sandbox
account, growing to what the simulated network reports now, with posts whose figures give the
breakdowns and the best-time grid a shape; the same every time."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.config import Settings
from gaung.kit.time import utcnow
from gaung.metrics.demo import _followers
from gaung.metrics.models import AccountDaily, TrackedPost
from gaung.platforms.sandbox import simulation
from gaung.seed import seed_demo
from gaung.units.models import Unit
from gaung.users.models import Role
from tests.conftest import World

EXTERNAL = {"x": "sandbox-x-ptpsw", "instagram": "sandbox-ig-ptpsw", "facebook": "sandbox-fb-ptpsw"}


async def test_seeded_demo_has_a_year_of_history(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, world: World
) -> None:
    assert await seed_demo(session, settings) is True
    unit = await session.scalar(select(Unit))
    assert unit is not None
    zone = ZoneInfo(unit.timezone)
    yesterday = utcnow().astimezone(zone).date() - timedelta(days=1)
    days = await session.scalar(
        select(func.count(func.distinct(AccountDaily.day))).where(AccountDaily.unit_id == unit.id)
    )
    assert days == 365
    viewer = await world.user(unit, Role.viewer)
    params = {"start": (yesterday - timedelta(days=364)).isoformat(), "end": yesterday.isoformat()}
    res = await client.get(
        f"/api/v1/analytics/units/{unit.id}/followers",
        params={**params, "interval": "month"},
        headers=world.headers(viewer),
    )
    assert res.status_code == 200, res.text
    for account in res.json()["accounts"]:
        key = f"{account['platform']}:{EXTERNAL[account['platform']]}"
        expected = simulation.followers(0, key, datetime.combine(yesterday, time(21), zone))
        assert account["end_followers"] == expected  # the live readings carry the line on
        assert account["net_gain"] > 0
        assert all(p["net_gain"] is None or p["net_gain"] >= 0 for p in account["points"])
    summary = (
        await client.get(
            f"/api/v1/analytics/units/{unit.id}/summary",
            params=params,
            headers=world.headers(viewer),
        )
    ).json()
    assert summary["totals"]["posts"] > 300 and summary["totals"]["interactions"] > 0
    grid = (
        await client.get(
            f"/api/v1/analytics/units/{unit.id}/best-times", headers=world.headers(viewer)
        )
    ).json()
    assert sum(c["reliable"] for c in grid["cells"]) >= 10
    assert (
        await session.scalar(select(func.count()).select_from(TrackedPost))
        == summary["totals"]["posts"]
    )


def test_demo_history_is_deterministic() -> None:
    days = [datetime(2026, 1, 1).date() + timedelta(days=n) for n in range(30)]
    assert _followers("x:a", days, 5000) == _followers("x:a", days, 5000)
    assert _followers("x:a", days, 5000) != _followers("x:b", days, 5000)

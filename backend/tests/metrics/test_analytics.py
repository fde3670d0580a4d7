"""Every analytics endpoint against the hand-computed history in fixture.py: the figures are
exact, days are Jakarta's, and each series is also CSV."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
import time_machine
from sqlalchemy import select

from gaung.metrics.models import AccountDaily, MetricsAccountState
from gaung.users.models import Membership, Role
from tests.conftest import World
from tests.helpers import error_of
from tests.integrations.test_apikeys import bearer, make_key
from tests.metrics.fixture import History, build, wib

APRIL = {"start": "2026-04-01", "end": "2026-04-30"}


@pytest.fixture
async def h(world: World) -> History:
    return await build(world)


async def get(
    client: httpx.AsyncClient, world: World, h: History, what: str, **params: str | int
) -> httpx.Response:
    user = await world.user(h.unit, Role.viewer)
    return await client.get(
        f"/api/v1/analytics/units/{h.unit.id}/{what}", params=params, headers=world.headers(user)
    )


async def test_daily_rollup_keeps_the_last_reading_of_each_local_day(
    world: World, h: History
) -> None:
    rows = await world.session.execute(
        select(AccountDaily.day, AccountDaily.followers, AccountDaily.snapshots)
        .where(AccountDaily.account_id == h.x.id)
        .order_by(AccountDaily.day)
    )
    assert [(d.isoformat(), f, n) for d, f, n in rows] == [
        ("2026-03-31", 1000, 1),
        ("2026-04-01", 1020, 2),
        ("2026-04-02", 1050, 1),  # the older 00:30 reading arrived later and changed nothing
        ("2026-04-08", 1100, 1),
    ]


async def test_followers_by_day_week_and_month(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    res = await get(client, world, h, "followers", **APRIL, account_id=h.x.id)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["range"] == {
        "unit_id": h.unit.id,
        "timezone": "Asia/Jakarta",
        "start": "2026-04-01",
        "end": "2026-04-30",
        "account_id": h.x.id,
        "platform": None,
    }
    [x] = body["accounts"]
    assert (x["start_followers"], x["end_followers"], x["net_gain"]) == (1000, 1100, 100)
    assert x["growth_rate"] == pytest.approx(0.1)
    assert [(p["period"], p["followers"], p["net_gain"]) for p in x["points"]] == [
        ("2026-04-01", 1020, 20),
        ("2026-04-02", 1050, 30),
        ("2026-04-08", 1100, 50),
    ]
    assert x["points"][0]["growth_rate"] == pytest.approx(0.02)
    weekly = (await get(client, world, h, "followers", **APRIL, interval="week")).json()
    by_account = {a["account_id"]: a for a in weekly["accounts"]}
    assert [(p["period"], p["followers"], p["net_gain"]) for p in by_account[h.x.id]["points"]] == [
        ("2026-03-30", 1050, 50),
        ("2026-04-06", 1100, 50),
    ]
    ig = by_account[h.ig.id]
    assert [(p["period"], p["followers"], p["net_gain"]) for p in ig["points"]] == [
        ("2026-03-30", 500, None),
        ("2026-04-27", 560, 60),
    ]
    assert (ig["start_followers"], ig["net_gain"], ig["growth_rate"]) == (500, 60, 0.12)
    monthly = await get(client, world, h, "followers", **APRIL, interval="month", format="csv")
    assert monthly.headers["content-type"].startswith("text/csv")
    assert monthly.text.splitlines() == [
        "account_id,platform,handle,period,followers,net_gain,growth_rate",
        f"{h.x.id},x,@humas_x,2026-04-01,1100,100,0.1",
        f"{h.ig.id},instagram,@humas_ig,2026-04-01,560,,",
    ]


async def test_summary_counts_posts_per_platform_in_local_days(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    body = (await get(client, world, h, "summary", **APRIL)).json()
    # p1, p2, p3 and p5 (published 31 March in UTC but 1 April in Jakarta); not p4 or p6.
    assert body["totals"] == {
        "posts": 4,
        "interactions": 132,
        "impressions": 2500,
        "reach": 400,
        "avg_interactions": 33.0,
        "engagement_rate": pytest.approx((0.02 + 0.05 + 0.15 + 0.001) / 4),
    }
    platforms = {p["platform"]: p for p in body["platforms"]}
    assert (platforms["x"]["posts"], platforms["x"]["interactions"]) == (3, 72)
    assert platforms["x"]["engagement_rate"] == pytest.approx((0.02 + 0.05 + 0.001) / 3)
    assert (platforms["instagram"]["posts"], platforms["instagram"]["reach"]) == (1, 400)
    accounts = {a["account_id"]: a for a in body["accounts"]}
    assert (accounts[h.x.id]["followers"], accounts[h.x.id]["net_gain"]) == (1100, 100)
    assert (accounts[h.ig.id]["followers"], accounts[h.ig.id]["net_gain"]) == (560, 60)
    only_ig = (await get(client, world, h, "summary", **APRIL, platform="instagram")).json()
    assert only_ig["totals"]["posts"] == 1
    csv = (await get(client, world, h, "summary", **APRIL, format="csv")).text.splitlines()
    assert (
        csv[0] == "platform,posts,interactions,impressions,reach,avg_interactions,engagement_rate"
    )
    assert csv[-1].startswith("all,4,132,2500,400,33,")


async def test_top_and_bottom_posts_with_their_basis(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    top = (await get(client, world, h, "posts", **APRIL)).json()
    assert [p["title"] for p in top["items"]] == ["Post p3", "Post p2", "Post p1", "Post p5"]
    p3 = top["items"][0]
    assert (p3["interactions"], p3["saves"], p3["engagement_basis"]) == (60, 10, "reach")
    assert p3["engagement_rate"] == pytest.approx(0.15)
    assert top["items"][1]["engagement_basis"] == "followers"
    bottom = (await get(client, world, h, "posts", **APRIL, order="bottom", limit=2)).json()
    assert [p["title"] for p in bottom["items"]] == ["Post p5", "Post p1"]
    by_rate = (await get(client, world, h, "posts", **APRIL, metric="engagement_rate")).json()
    assert [p["title"] for p in by_rate["items"]] == ["Post p3", "Post p2", "Post p1", "Post p5"]
    recent = (await get(client, world, h, "posts", **APRIL, order="recent")).json()
    assert [p["title"] for p in recent["items"]] == ["Post p2", "Post p3", "Post p1", "Post p5"]
    csv = (await get(client, world, h, "posts", **APRIL, format="csv")).text.splitlines()
    assert csv[0].startswith("id,post_id,variant_id,account_id,platform,title,category,format")
    assert len(csv) == 5


async def test_breakdown_by_category_format_platform_and_account(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    cats = (await get(client, world, h, "breakdown", **APRIL, by="category")).json()["items"]
    assert [(g["key"], g["posts"], g["interactions"]) for g in cats] == [
        ("Layanan", 2, 80),
        ("Edukasi", 1, 51),
        (None, 1, 1),
    ]
    assert cats[0]["avg_interactions"] == 40.0
    assert cats[0]["engagement_rate"] == pytest.approx((0.02 + 0.15) / 2)
    formats = (await get(client, world, h, "breakdown", **APRIL, by="format")).json()["items"]
    assert [(g["key"], g["interactions"]) for g in formats] == [
        ("carousel", 60),
        ("text", 51),
        ("image", 20),
        ("video", 1),
    ]
    accounts = (await get(client, world, h, "breakdown", **APRIL, by="account")).json()["items"]
    assert [(g["key"], g["label"]) for g in accounts] == [
        (str(h.x.id), "@humas_x"),
        (str(h.ig.id), "@humas_ig"),
    ]
    bad = await get(client, world, h, "breakdown", **APRIL, by="colour")
    assert bad.status_code == 422 and "by" in error_of(bad)["fields"]


async def test_best_times_grid_with_sample_sizes(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    body = (await get(client, world, h, "best-times", **APRIL)).json()
    assert body["posts"] == 4 and body["min_reliable_posts"] == 5
    cells = {(c["weekday"], c["hour"]): c for c in body["cells"]}
    assert len(cells) == 168
    wed9 = cells[(2, 9)]
    assert (wed9["posts"], wed9["avg_interactions"], wed9["reliable"]) == (2, 40.0, False)
    assert wed9["avg_engagement_rate"] == pytest.approx(0.085)
    assert cells[(3, 19)]["posts"] == 1
    assert cells[(2, 0)]["posts"] == 1  # p5: 00:30 on Wednesday in Jakarta
    assert cells[(1, 17)]["posts"] == 0  # its UTC weekday and hour count for nothing
    # The default range is the last year: April 2026 falls outside it from April 2027 on.
    default = (await get(client, world, h, "best-times", end="2026-12-31")).json()
    assert default["range"]["start"] == "2026-01-01" and default["posts"] == 6
    csv = (await get(client, world, h, "best-times", **APRIL, format="csv")).text.splitlines()
    assert csv[0] == "weekday,hour,posts,avg_interactions,avg_engagement_rate,reliable"
    assert csv[1 + 2 * 24 + 9] == "2,9,2,40,0.085,False"


async def test_this_month_against_the_last(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    body = (await get(client, world, h, "compare", **APRIL)).json()
    assert (body["previous"]["start"], body["previous"]["end"]) == ("2026-03-01", "2026-03-31")
    changes = {c["metric"]: c for c in body["changes"]}
    assert (changes["posts"]["current"], changes["posts"]["previous"]) == (4, 1)
    assert changes["posts"]["change_pct"] == 3.0
    assert changes["interactions"]["change"] == 127
    # Followers: X 1100 + Instagram 560 now; only X (1000) had figures in March.
    assert (changes["followers"]["current"], changes["followers"]["previous"]) == (1660, 1000)
    assert changes["follower_gain"]["current"] == 160
    assert changes["follower_gain"]["previous"] == 0
    assert changes["follower_gain"]["change_pct"] is None  # from zero
    assert changes["engagement_rate"]["previous"] == pytest.approx(5 / 990)
    custom = (
        await get(
            client,
            world,
            h,
            "compare",
            **APRIL,
            compare_start="2026-05-01",
            compare_end="2026-05-31",
        )
    ).json()
    assert custom["previous"]["posts"] == 1 and custom["previous"]["interactions"] == 99
    half = await get(client, world, h, "compare", **APRIL, compare_start="2026-05-01")
    assert half.status_code == 422 and error_of(half)["fields"] == {"compare_end": "required"}
    csv = (await get(client, world, h, "compare", **APRIL, format="csv")).text.splitlines()
    assert csv[1] == "posts,4,1,3,3"


async def test_bad_ranges_and_foreign_accounts_are_refused(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    backwards = await get(client, world, h, "summary", start="2026-04-30", end="2026-04-01")
    assert backwards.status_code == 422
    assert error_of(backwards)["fields"] == {"end": "must be on or after start"}
    too_long = await get(client, world, h, "summary", start="2020-01-01", end="2026-01-01")
    assert too_long.status_code == 422 and "end" in error_of(too_long)["fields"]
    for far in ("0001-01-01", "9999-12-31"):
        res = await get(client, world, h, "summary", start=far, end=far)
        assert res.status_code == 422 and "start" in error_of(res)["fields"]
    res = await get(
        client, world, h, "compare", compare_start="0001-01-01", compare_end="0001-01-02"
    )
    assert res.status_code == 422 and "compare_start" in error_of(res)["fields"]
    not_a_date = await get(client, world, h, "summary", start="1 April")
    assert not_a_date.status_code == 422 and "start" in error_of(not_a_date)["fields"]
    other = await world.unit()
    foreign = await world.account(other)
    res = await get(client, world, h, "summary", account_id=foreign.id)
    assert res.status_code == 422
    assert error_of(res)["fields"] == {"account_id": "not an account of this unit"}
    wrong_platform = await get(client, world, h, "summary", account_id=h.x.id, platform="facebook")
    assert wrong_platform.status_code == 422


async def test_cross_unit_summary_shows_only_the_callers_units(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    second = await world.unit("Balai")
    third = await world.unit("Tidak terlihat")
    coordinator = await world.user(h.unit, Role.viewer)
    world.session.add(Membership(user_id=coordinator.id, unit_id=second.id, role=Role.viewer))
    await world.session.flush()
    res = await client.get(
        "/api/v1/analytics/units", params=APRIL, headers=world.headers(coordinator)
    )
    assert res.status_code == 200, res.text
    items = {u["unit_id"]: u for u in res.json()["items"]}
    assert set(items) == {h.unit.id, second.id}
    mine = items[h.unit.id]
    assert (mine["accounts"], mine["followers"], mine["follower_gain"]) == (2, 1660, 160)
    assert (mine["posts"], mine["interactions"]) == (4, 132)
    assert items[second.id]["posts"] == 0 and items[second.id]["followers"] is None
    root = await world.user(superuser=True)
    everything = await client.get(
        "/api/v1/analytics/units", params=APRIL, headers=world.headers(root)
    )
    assert {h.unit.id, second.id, third.id} <= {u["unit_id"] for u in everything.json()["items"]}
    csv = await client.get(
        "/api/v1/analytics/units",
        params={**APRIL, "format": "csv"},
        headers=world.headers(coordinator),
    )
    assert csv.text.splitlines()[0].startswith("unit_id,unit_name,timezone,accounts,followers")


async def test_dormant_accounts_follow_the_units_setting(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    now = wib(5, 20, 12)
    for account in (h.x, h.ig):
        account.created_at = wib(3, 1, 0)
    world.session.add(
        MetricsAccountState(account_id=h.ig.id, last_success_at=now - timedelta(hours=2))
    )
    await world.session.flush()
    with time_machine.travel(now, tick=False):
        fresh = await world.account(h.unit, handle="@baru")
        admin = await world.user(h.unit, Role.admin)
        viewer = await world.user(h.unit, Role.viewer)
        body = (await get(client, world, h, "dormant")).json()
        assert body["dormant_days"] == 14
        found = {d["account_id"]: d for d in body["items"]}
        # X: nothing since 2 April and never a snapshot; Instagram: read two hours ago but
        # nothing since 1 May (19 days); the account connected just now is not dormant yet.
        assert set(found) == {h.x.id, h.ig.id}
        assert found[h.x.id]["reasons"] == ["no_posts", "no_metrics"]
        assert found[h.x.id]["last_post_at"] == "2026-04-02T12:40:00Z"
        assert found[h.ig.id]["reasons"] == ["no_posts"]
        assert fresh.id not in found
        units = await client.get("/api/v1/analytics/units", headers=world.headers(viewer))
        assert [(u["accounts"], u["dormant_accounts"]) for u in units.json()["items"]] == [(3, 2)]
        path = f"/api/v1/analytics/units/{h.unit.id}/settings"
        refused = await client.put(path, json={"dormant_days": 30}, headers=world.headers(viewer))
        assert refused.status_code == 403
        bad = await client.put(path, json={"dormant_days": 0}, headers=world.headers(admin))
        assert bad.status_code == 422 and "dormant_days" in error_of(bad)["fields"]
        ok = await client.put(path, json={"dormant_days": 50}, headers=world.headers(admin))
        assert ok.json() == {"unit_id": h.unit.id, "dormant_days": 50}
        body = (await get(client, world, h, "dormant")).json()
        assert body["dormant_days"] == 50
        assert [(d["account_id"], d["reasons"]) for d in body["items"]] == [
            (h.x.id, ["no_metrics"])
        ]
        # The coordinators' summary counts with each unit's own setting too.
        units = await client.get("/api/v1/analytics/units", headers=world.headers(viewer))
        assert [u["dormant_accounts"] for u in units.json()["items"]] == [1]
        csv = (await get(client, world, h, "dormant", format="csv")).text.splitlines()
        assert csv[1].endswith(",no_metrics")


async def test_a_key_with_metrics_read_reads_its_units_analytics_only(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    admin = await world.user(h.unit, Role.admin)
    other = await world.unit("Lain")
    await world.commit()
    key = (await make_key(client, world, admin, h.unit, ["metrics:read"]))["key"]
    posts_key = (await make_key(client, world, admin, h.unit, ["posts:read"]))["key"]
    path = f"/api/v1/analytics/units/{h.unit.id}/summary"
    by_key = await client.get(path, params=APRIL, headers={"X-API-Key": key})
    assert by_key.status_code == 200, by_key.text
    by_person = await client.get(path, params=APRIL, headers=world.headers(admin))
    assert by_key.json() == by_person.json()
    csv = await client.get(path, params={**APRIL, "format": "csv"}, headers=bearer(key))
    assert csv.status_code == 200 and csv.text.startswith("platform,")
    no_scope = await client.get(path, params=APRIL, headers=bearer(posts_key))
    assert no_scope.status_code == 403 and error_of(no_scope)["error"] == "insufficient_scope"
    # Another unit's figures are as unknown as a missing unit's.
    theirs = await client.get(f"/api/v1/analytics/units/{other.id}/summary", headers=bearer(key))
    assert theirs.status_code == 404 and error_of(theirs)["error"] == "unit_not_found"
    # Reading only: the settings change is a person's.
    put = await client.put(
        f"/api/v1/analytics/units/{h.unit.id}/settings",
        json={"dormant_days": 3},
        headers=bearer(key),
    )
    assert put.status_code == 403 and error_of(put)["error"] == "api_key_not_accepted"


async def test_a_key_made_by_the_instance_administrator_sees_only_its_unit(
    client: httpx.AsyncClient, world: World, h: History
) -> None:
    await world.unit("Balai")
    root = await world.user(superuser=True)
    await world.commit()
    key = (await make_key(client, world, root, h.unit, ["metrics:read"]))["key"]
    res = await client.get("/api/v1/analytics/units", params=APRIL, headers=bearer(key))
    assert res.status_code == 200, res.text
    assert [u["unit_id"] for u in res.json()["items"]] == [h.unit.id]
    person = await client.get("/api/v1/analytics/units", params=APRIL, headers=world.headers(root))
    assert len(person.json()["items"]) >= 2


async def test_the_api_document_lists_the_metrics_scope(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/api/v1/openapi.json")).json()

    def scopes(path: str, method: str) -> set[str]:
        found = doc["paths"][f"/api/v1/analytics{path}"][method]["security"]
        return {s for req in found for values in req.values() for s in values}

    for what in ("followers", "summary", "posts", "breakdown", "best-times", "compare"):
        assert scopes(f"/units/{{unit_id}}/{what}", "get") == {"metrics:read"}, what
    assert scopes("/units/{unit_id}/dormant", "get") == {"metrics:read"}
    assert scopes("/units", "get") == {"metrics:read"}
    assert scopes("/units/{unit_id}/settings", "put") == set()
    # The range is declared once and still documented on every series.
    params = {
        p["name"]
        for p in doc["paths"]["/api/v1/analytics/units/{unit_id}/posts"]["get"]["parameters"]
    }
    assert {"start", "end", "account_id", "platform", "order", "limit", "format"} <= params


async def test_a_unit_without_accounts_still_has_its_dormant_setting(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit("Kosong")
    admin = await world.user(unit, Role.admin)
    path = f"/api/v1/analytics/units/{unit.id}"
    body = (await client.get(f"{path}/dormant", headers=world.headers(admin))).json()
    assert body == {"unit_id": unit.id, "dormant_days": 14, "items": []}
    put = await client.put(
        f"{path}/settings", json={"dormant_days": 21}, headers=world.headers(admin)
    )
    assert put.status_code == 200
    body = (await client.get(f"{path}/dormant", headers=world.headers(admin))).json()
    assert body == {"unit_id": unit.id, "dormant_days": 21, "items": []}

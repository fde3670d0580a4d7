"""GET /calendar: the variants of a range in the unit's timezone, with everything the calendar
draws, in a fixed number of queries; filters; observances; who may move what."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from gaung.accounts.models import AccountStatus, Platform, PlatformAccount
from gaung.holds.models import BlackoutKind, BlackoutPeriod, Pause
from gaung.media.models import MediaAsset, MediaKind
from gaung.posts.models import (
    AttemptOutcome,
    Post,
    PostStatus,
    PostVariant,
    PublishAttempt,
    VariantMedia,
)
from gaung.units.models import Unit
from gaung.users.models import Role, User
from tests.conftest import World
from tests.helpers import error_of

WIB = ZoneInfo("Asia/Jakarta")
AUGUST = {"start": "2026-08-01T00:00:00+07:00", "end": "2026-09-01T00:00:00+07:00"}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@dataclass
class Desk:
    world: World
    unit: Unit
    admin: User
    editor: User
    writer: User  # a contributor
    viewer: User
    x: PlatformAccount
    facebook: PlatformAccount
    instagram: PlatformAccount

    def h(self, user: User) -> dict[str, str]:
        return self.world.headers(user)

    async def post(
        self,
        title: str = "Rilis",
        *,
        author: User | None = None,
        planned_at: datetime | None = None,
        category: str | None = None,
        variants: list[dict[str, Any]] | None = None,
    ) -> Post:
        post = Post(
            unit_id=self.unit.id,
            title=title,
            category=category,
            planned_at=planned_at,
            author_id=(author or self.writer).id,
        )
        post.variants = [
            PostVariant(
                account_id=v.get("account", self.x).id,
                text=v.get("text", "Halo"),
                status=v.get("status", PostStatus.draft),
                scheduled_at=v.get("at"),
                external_url=v.get("url"),
                media_links=[],
            )
            for v in variants or [{}]
        ]
        self.world.session.add(post)
        await self.world.session.flush()
        return post


@pytest.fixture
async def desk(world: World) -> Desk:
    unit = await world.unit()
    return Desk(
        world,
        unit,
        admin=await world.user(unit, Role.admin),
        editor=await world.user(unit, Role.editor),
        writer=await world.user(unit, Role.contributor),
        viewer=await world.user(unit, Role.viewer),
        x=await world.account(unit, Platform.x),
        facebook=await world.account(unit, Platform.facebook),
        instagram=await world.account(unit, Platform.instagram),
    )


async def calendar(
    client: httpx.AsyncClient, desk: Desk, user: User | None = None, **params: Any
) -> dict[str, Any]:
    res = await client.get(
        "/api/v1/calendar",
        params={"unit_id": desk.unit.id, **AUGUST, **params},
        headers=desk.h(user or desk.admin),
    )
    assert res.status_code == 200, res.text
    body: dict[str, Any] = res.json()
    return body


def titles(body: dict[str, Any]) -> list[str]:
    return [e["title"] for e in body["entries"]]


async def test_the_range_is_the_units_days_start_inclusive_end_exclusive(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    # 1 August 00:00 WIB is 31 July 17:00 UTC.
    for title, at in [
        ("sebelum", utc(2026, 7, 31, 16, 59)),
        ("awal", utc(2026, 7, 31, 17, 0)),
        ("akhir", utc(2026, 8, 31, 16, 59)),
        ("sesudah", utc(2026, 8, 31, 17, 0)),
    ]:
        await desk.post(title, variants=[{"status": PostStatus.scheduled, "at": at}])
    body = await calendar(client, desk)
    assert titles(body) == ["awal", "akhir"]
    assert body["timezone"] == "Asia/Jakarta"
    assert body["start"] == "2026-07-31T17:00:00Z" and body["end"] == "2026-08-31T17:00:00Z"
    days = [o["date"] for o in body["observances"]]
    assert days[0] >= "2026-08-01" and days[-1] <= "2026-08-31"
    assert {"2026-08-10", "2026-08-17"} <= set(days)
    independence = next(o for o in body["observances"] if o["date"] == "2026-08-17")
    assert independence == {
        "date": "2026-08-17",
        "name": "Hari Kemerdekaan Republik Indonesia",
        "name_en": "Independence Day",
        "kind": "holiday",
        "template_kind": "greeting",
    }


async def test_observance_days_follow_the_units_zone(
    client: httpx.AsyncClient, world: World
) -> None:
    """The same UTC range seen from Jayapura (UTC+9) starts on the next day there."""
    unit = await world.unit(timezone="Asia/Jayapura")
    admin = await world.user(unit, Role.admin)
    res = await client.get(
        "/api/v1/calendar",
        # 16 Aug 15:00 UTC is 17 Aug 00:00 in Jayapura, 22:00 on the 16th in Jakarta.
        params={"unit_id": unit.id, "start": "2026-08-16T15:00:00Z", "end": "2026-08-17T15:00Z"},
        headers=world.headers(admin),
    )
    assert res.status_code == 200, res.text
    assert [o["date"] for o in res.json()["observances"]] == ["2026-08-17"]


async def test_an_entry_carries_what_the_calendar_draws(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    long_text = "Peta lahan sawah " * 20
    post = await desk.post(
        "Sawah",
        category="Teknologi",
        variants=[
            {
                "account": desk.instagram,
                "text": long_text,
                "status": PostStatus.published,
                "at": utc(2026, 8, 3, 2),
                "url": "https://instagram.example/p/1",
            }
        ],
    )
    image = MediaAsset(
        unit_id=desk.unit.id,
        kind=MediaKind.image,
        mime_type="image/jpeg",
        size_bytes=10,
        sha256="0" * 64,
        storage_path="x/1.jpg",
    )
    desk.world.session.add(image)
    await desk.world.session.flush()
    desk.world.session.add_all(
        [
            VariantMedia(variant_id=post.variants[0].id, position=i, media_id=image.id)
            for i in (0, 1)
        ]
    )
    await desk.world.session.flush()
    [entry] = (await calendar(client, desk))["entries"]
    assert entry == {
        "variant_id": post.variants[0].id,
        "post_id": post.id,
        "title": "Sawah",
        "excerpt": long_text[:139] + "…",
        "platform": "instagram",
        "account_id": desk.instagram.id,
        "account_name": desk.instagram.display_name,
        "status": "published",
        "held": False,
        "at": "2026-08-03T02:00:00Z",
        "category": "Teknologi",
        "author_id": desk.writer.id,
        "author_name": desk.writer.name,
        "external_url": "https://instagram.example/p/1",
        "media_count": 2,
        "can_move": False,
    }
    assert len(entry["excerpt"]) == 140


async def test_the_time_is_scheduled_else_published_else_planned(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    planned = utc(2026, 8, 20, 2)
    post = await desk.post(
        "Tiga waktu",
        planned_at=planned,
        variants=[
            {"account": desk.x, "status": PostStatus.scheduled, "at": utc(2026, 8, 21, 2)},
            {"account": desk.facebook, "status": PostStatus.published},
            {"account": desk.instagram, "status": PostStatus.draft},
        ],
    )
    fb = post.variants[1]
    desk.world.session.add_all(
        [
            PublishAttempt(
                variant_id=fb.id,
                worker="w",
                started_at=utc(2026, 8, 5, 1),
                finished_at=utc(2026, 8, 5, 1, 0, 3),
                outcome=AttemptOutcome.retry,
            ),
            PublishAttempt(
                variant_id=fb.id,
                worker="w",
                started_at=utc(2026, 8, 5, 2),
                finished_at=utc(2026, 8, 5, 2, 0, 2),
                outcome=AttemptOutcome.published,
            ),
        ]
    )
    # Without any time, a variant is left out.
    await desk.post("Tanpa waktu")
    await desk.world.session.flush()
    body = await calendar(client, desk)
    assert [(e["platform"], e["at"]) for e in body["entries"]] == [
        ("facebook", "2026-08-05T02:00:02Z"),
        ("instagram", "2026-08-20T02:00:00Z"),
        ("x", "2026-08-21T02:00:00Z"),
    ]


async def test_filters(client: httpx.AsyncClient, desk: Desk) -> None:
    at = utc(2026, 8, 12, 2)
    await desk.post(
        "A",
        category="Acara",
        variants=[
            {"account": desk.x, "status": PostStatus.draft, "at": at},
            {"account": desk.facebook, "status": PostStatus.scheduled, "at": at},
        ],
    )
    await desk.post(
        "B",
        author=desk.editor,
        category="Berita",
        variants=[{"account": desk.instagram, "status": PostStatus.in_review, "at": at}],
    )

    async def seen(**params: Any) -> list[tuple[str, str]]:
        return [
            (e["title"], e["platform"]) for e in (await calendar(client, desk, **params))["entries"]
        ]

    assert await seen(platform="x") == [("A", "x")]
    assert await seen(account_id=desk.facebook.id) == [("A", "facebook")]
    assert await seen(category="Berita") == [("B", "instagram")]
    assert await seen(author_id=desk.editor.id) == [("B", "instagram")]
    assert sorted(await seen(status=["draft", "in_review"])) == [("A", "x"), ("B", "instagram")]
    assert await seen(status="held") == []
    # The unit pauses: its scheduled variant is held, and `held` finds it.
    desk.world.session.add(Pause(unit_id=desk.unit.id, reason="Evaluasi"))
    await desk.world.session.flush()
    assert await seen(status="held") == [("A", "facebook")]
    assert await seen(status=["held", "draft"]) == [("A", "x"), ("A", "facebook")]
    held = {e["platform"]: e["held"] for e in (await calendar(client, desk))["entries"]}
    assert held == {"x": False, "facebook": True, "instagram": False}


@pytest.mark.parametrize("paused", [False, True])
async def test_per_day_is_the_same_answer_cut_for_every_filter(
    client: httpx.AsyncClient, desk: Desk, paused: bool
) -> None:
    # Three days of varied entries; each filter with per_day=2 must give each day's first two
    # of what the filter gives without it, and the same counts.
    statuses = [PostStatus.draft, PostStatus.scheduled, PostStatus.in_review, PostStatus.approved]
    accounts = [desk.x, desk.facebook, desk.instagram]
    for i in range(18):
        await desk.post(
            f"P{i}",
            author=desk.editor if i % 3 else desk.writer,
            category=["Acara", "Berita"][i % 2],
            variants=[
                {
                    "account": accounts[(i + k) % 3],
                    "status": statuses[(i + k) % 4],
                    "at": utc(2026, 8, 10 + i % 3, 1 + i % 5, 7 * k),
                }
                for k in range(2)
            ],
        )
    desk.instagram.status = AccountStatus.needs_reauth
    if paused:
        desk.world.session.add(Pause(unit_id=desk.unit.id, reason="Evaluasi"))
    await desk.world.commit()

    cases: list[dict[str, Any]] = [
        {},
        {"platform": "facebook"},
        {"account_id": desk.x.id},
        {"status": "scheduled"},
        {"status": "held"},
        {"status": ["draft", "held"]},
        {"category": "Berita"},
        {"author_id": desk.editor.id},
        {"platform": "instagram", "status": ["scheduled", "held"], "category": "Acara"},
    ]
    for params in cases:
        every = await calendar(client, desk, **params)
        capped = await calendar(client, desk, per_day=2, **params)
        assert capped["days"] == every["days"], params
        firsts: list[int] = []
        shown: dict[str, int] = {}
        for e in every["entries"]:
            day = datetime.fromisoformat(e["at"]).astimezone(WIB).date().isoformat()
            if shown.get(day, 0) < 2:
                shown[day] = shown.get(day, 0) + 1
                firsts.append(e["variant_id"])
        assert [e["variant_id"] for e in capped["entries"]] == firsts, params
        assert sum(d["total"] for d in every["days"]) == len(every["entries"]), params
    held = await calendar(client, desk, status="held")
    assert held["entries"] and all(e["held"] for e in held["entries"])
    assert all(e["platform"] == "instagram" for e in held["entries"]) is not paused


@pytest.mark.parametrize("hold", ["agency pause", "unit blackout", "agency blackout", "other unit"])
async def test_holds_of_the_unit_and_of_the_agency_hold_its_scheduled_variants(
    client: httpx.AsyncClient, desk: Desk, hold: str
) -> None:
    await desk.post(variants=[{"status": PostStatus.scheduled, "at": utc(2026, 8, 12, 2)}])
    other = await desk.world.unit()
    now = datetime.now(UTC)
    if hold == "agency pause":
        desk.world.session.add(Pause(unit_id=None, reason="Evaluasi nasional"))
    else:
        unit_id = {"unit blackout": desk.unit.id, "agency blackout": None}.get(hold, other.id)
        desk.world.session.add(
            BlackoutPeriod(
                unit_id=unit_id,
                kind=BlackoutKind.other,
                label="Masa tenang",
                starts_at=now - timedelta(hours=1),
                ends_at=now + timedelta(days=1),
            )
        )
    await desk.world.commit()
    [entry] = (await calendar(client, desk))["entries"]
    assert entry["held"] is (hold != "other unit")
    assert len((await calendar(client, desk, status="held", per_day=1))["entries"]) == (
        hold != "other unit"
    )


async def test_an_account_that_cannot_publish_holds_its_scheduled_variant(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    await desk.post(variants=[{"status": PostStatus.scheduled, "at": utc(2026, 8, 12, 2)}])
    desk.x.status = AccountStatus.needs_reauth
    await desk.world.session.flush()
    [entry] = (await calendar(client, desk, status="held"))["entries"]
    assert entry["held"] is True


async def test_can_move_follows_the_callers_role_and_the_status(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    at = utc(2026, 8, 14, 2)
    await desk.post(
        "Milik penulis",
        variants=[
            {"account": desk.x, "status": PostStatus.draft, "at": at},
            {"account": desk.facebook, "status": PostStatus.published, "at": at},
        ],
    )
    await desk.post("Milik editor", author=desk.editor, variants=[{"at": at}])

    async def movable(user: User) -> dict[tuple[str, str], bool]:
        body = await calendar(client, desk, user)
        return {(e["title"], e["platform"]): e["can_move"] for e in body["entries"]}

    assert await movable(desk.writer) == {
        ("Milik penulis", "x"): True,
        ("Milik penulis", "facebook"): False,
        ("Milik editor", "x"): False,
    }
    assert await movable(desk.editor) == {
        ("Milik penulis", "x"): True,
        ("Milik penulis", "facebook"): False,
        ("Milik editor", "x"): True,
    }
    assert set((await movable(desk.viewer)).values()) == {False}


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def on_execute(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", on_execute)


async def test_the_number_of_queries_does_not_grow_with_the_entries(
    client: httpx.AsyncClient, desk: Desk, engine: AsyncEngine
) -> None:
    async def queries() -> tuple[int, int]:
        with counting(engine) as statements:
            body = await calendar(client, desk)
        return len(body["entries"]), len(statements)

    at = utc(2026, 8, 10, 2)
    await desk.post(variants=[{"account": desk.x, "status": PostStatus.scheduled, "at": at}])
    few, few_queries = await queries()
    for i in range(15):
        await desk.post(
            f"Post {i}",
            author=desk.editor if i % 2 else desk.writer,
            category=f"K{i % 3}",
            variants=[
                {"account": a, "status": PostStatus.scheduled, "at": at + timedelta(hours=i)}
                for a in (desk.x, desk.facebook, desk.instagram)
            ],
        )
    many, many_queries = await queries()
    assert (few, many) == (1, 46)
    assert many_queries == few_queries
    print(f"calendar: {many} entries in {many_queries} queries (incl. authentication)")


async def test_per_day_keeps_each_local_days_earliest_and_days_count_them_all(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    # WIB is UTC+7: a day runs from 17:00 UTC the day before.
    times = {
        "9 Agustus, 23.59": utc(2026, 8, 9, 16, 59),
        "10 Agustus, 00.00": utc(2026, 8, 9, 17, 0),
        "10 Agustus, 10.00": utc(2026, 8, 10, 3),
        "10 Agustus, 12.00": utc(2026, 8, 10, 5),
        "10 Agustus, 17.00": utc(2026, 8, 10, 10),
        "10 Agustus, 23.59": utc(2026, 8, 10, 16, 59),
        "11 Agustus, 00.00": utc(2026, 8, 10, 17, 0),
    }
    for i, (title, at) in enumerate(times.items()):
        await desk.post(
            title,
            category="Banjir" if i % 2 else "Acara",
            variants=[{"status": PostStatus.scheduled, "at": at}],
        )
    await desk.world.commit()

    every = await calendar(client, desk)
    assert titles(every) == list(times)
    assert every["per_day"] is None
    days = [{"date": "2026-08-09", "total": 1}, {"date": "2026-08-10", "total": 5}]
    days.append({"date": "2026-08-11", "total": 1})
    assert every["days"] == days

    capped = await calendar(client, desk, per_day=2)
    assert capped["per_day"] == 2 and capped["days"] == days
    assert titles(capped) == [
        "9 Agustus, 23.59",
        "10 Agustus, 00.00",
        "10 Agustus, 10.00",
        "11 Agustus, 00.00",
    ]

    # Filters come first: the cap and the counts are of what matches.
    floods = await calendar(client, desk, per_day=1, category="Banjir")
    assert titles(floods) == ["10 Agustus, 00.00"]
    assert floods["days"] == [{"date": "2026-08-10", "total": 3}]

    # The unit's own zone decides the days: in WIT (UTC+9) the first is on 10 August and the
    # last two on 11 August.
    desk.unit.timezone = "Asia/Jayapura"
    await desk.world.commit()
    wit = await calendar(client, desk, per_day=3)
    assert wit["days"] == [{"date": "2026-08-10", "total": 5}, {"date": "2026-08-11", "total": 2}]
    assert titles(wit)[-2:] == ["10 Agustus, 23.59", "11 Agustus, 00.00"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-08-01T00:00:00+07:00", "end": "2026-10-03T00:00:00+07:00"}, "end"),
        ({"start": "2026-08-02T00:00:00+07:00", "end": "2026-08-01T00:00:00+07:00"}, "end"),
        ({"start": "2026-08-01T00:00:00", "end": "2026-08-02T00:00:00+07:00"}, "start"),
        ({"start": "2026-08-01T00:00:00+07:00"}, "end"),
        ({"status": "dibatalkan"}, "status"),
        ({"per_day": "0"}, "per_day"),
        ({"per_day": "501"}, "per_day"),
    ],
)
async def test_bad_ranges_and_filters_name_the_field(
    client: httpx.AsyncClient, desk: Desk, params: dict[str, str], field: str
) -> None:
    query = {"unit_id": desk.unit.id, **AUGUST, **params}
    if "end" not in params and field == "end":
        query.pop("end")
    res = await client.get("/api/v1/calendar", params=query, headers=desk.h(desk.admin))
    assert res.status_code == 422, res.text
    assert any(key.split(".")[0] == field for key in error_of(res)["fields"]), res.text


async def test_62_days_is_the_longest_range(client: httpx.AsyncClient, desk: Desk) -> None:
    body = await calendar(
        client, desk, start="2026-08-01T00:00:00+07:00", end="2026-10-02T00:00:00+07:00"
    )
    assert body["observances"][-1]["date"] <= "2026-10-01"


def test_the_status_filter_covers_every_variant_status() -> None:
    from gaung.calendar.schemas import CalendarStatus

    assert {s.value for s in CalendarStatus} == {s.value for s in PostStatus} | {"held"}


async def test_a_key_with_calendar_read_reads_its_units_calendar_and_moves_nothing(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    other = await desk.world.unit()
    await desk.post("Milik admin", author=desk.admin, variants=[{"at": utc(2026, 8, 14, 2)}])
    await desk.world.commit()

    async def key(scopes: list[str]) -> dict[str, str]:
        res = await client.post(
            f"/api/v1/units/{desk.unit.id}/api-keys",
            json={"name": "Portal", "scopes": scopes},
            headers=desk.h(desk.admin),
        )
        assert res.status_code == 201, res.text
        return {"X-API-Key": res.json()["key"]}

    # With submissions:write the key acts as a contributor and the admin made the post: only
    # the key's read-only nature keeps the entry from being movable.
    reader = await key(["calendar:read", "submissions:write"])
    res = await client.get(
        "/api/v1/calendar", params={"unit_id": desk.unit.id, **AUGUST}, headers=reader
    )
    assert res.status_code == 200, res.text
    assert [(e["title"], e["can_move"]) for e in res.json()["entries"]] == [("Milik admin", False)]
    # The admin's own view of the same entry may move it.
    assert [e["can_move"] for e in (await calendar(client, desk))["entries"]] == [True]

    theirs = await client.get(
        "/api/v1/calendar", params={"unit_id": other.id, **AUGUST}, headers=reader
    )
    assert theirs.status_code == 404 and error_of(theirs)["error"] == "unit_not_found"
    posts_only = await key(["posts:read"])
    refused = await client.get(
        "/api/v1/calendar", params={"unit_id": desk.unit.id, **AUGUST}, headers=posts_only
    )
    assert refused.status_code == 403 and error_of(refused)["error"] == "insufficient_scope"

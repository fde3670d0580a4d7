"""Calendar feeds: private addresses per unit and per person, revocable, read back with
``icalendar`` and checked against RFC 5545 (UID, DTSTAMP, time zones)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
from icalendar import Calendar

from gaung.accounts.models import Platform
from gaung.kit.time import utcnow
from gaung.posts.models import AttemptOutcome, Post, PostStatus, PostVariant, PublishAttempt
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User
from tests.conftest import World
from tests.helpers import error_of


async def planned(world: World, unit: Unit, author: User, title: str, at: datetime) -> Post:
    x = await world.account(unit, Platform.x)
    fb = await world.account(unit, Platform.facebook)
    post = Post(unit_id=unit.id, title=title, author_id=author.id, planned_at=at)
    post.variants = [
        PostVariant(account_id=x.id, text="Halo, Surakarta!", status=PostStatus.draft),
        PostVariant(
            account_id=fb.id,
            text="Sudah terbit",
            status=PostStatus.published,
            scheduled_at=at + timedelta(hours=1),
            external_url="https://facebook.example/p/1",
        ),
    ]
    world.session.add(post)
    await world.session.flush()
    return post


def check_rfc5545(raw: bytes) -> Calendar:
    """What RFC 5545 requires of what we emit, checked on the text and on the parsed calendar."""
    text = raw.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    # Lines end with CRLF and are folded at 75 octets.
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    uids = set()
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"])
        assert uid not in uids
        uids.add(uid)
        assert re.fullmatch(r"\d{8}T\d{6}Z", ev["DTSTAMP"].to_ical().decode())
        start = ev["DTSTART"]
        # A local time names a zone that the calendar defines.
        assert start.params["TZID"] in zones
        assert start.dt.tzinfo is not None and ev["DTEND"].dt > start.dt
    return cal


async def test_a_unit_feed_lists_planned_and_published_posts_in_its_zone(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit("Humas Surakarta", timezone="Asia/Jakarta")
    admin = await world.user(unit, Role.admin)
    at = (utcnow() + timedelta(days=2)).replace(hour=2, minute=0, second=0, microsecond=0)
    post = await planned(world, unit, admin, "Rapat pleno", at)
    await world.commit()
    made = await client.post(
        f"/api/v1/units/{unit.id}/calendar-feeds", headers=world.headers(admin)
    )
    assert made.status_code == 201, made.text
    url = made.json()["url"]
    assert url.startswith("https://gaung.example.go.id/api/v1/feeds/") and url.endswith(".ics")
    res = await client.get(url.removeprefix("https://gaung.example.go.id"))
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/calendar")
    cal = check_rfc5545(res.content)
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Jakarta"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 2
    draft = next(e for e in events.values() if "[x]" in str(e["SUMMARY"]))
    assert str(draft["SUMMARY"]) == "[x] Rapat pleno" and str(draft["STATUS"]) == "TENTATIVE"
    # 02:00 UTC is 09:00 in Jakarta.
    assert draft["DTSTART"].to_ical().decode().endswith("T090000")
    assert draft["DTSTART"].dt.astimezone(UTC) == at
    out = next(e for e in events.values() if "[facebook]" in str(e["SUMMARY"]))
    assert str(out["STATUS"]) == "CONFIRMED" and str(out["URL"]) == "https://facebook.example/p/1"
    assert all(uid.endswith("@gaung.example.go.id") for uid in events)
    assert post.id  # the same post, two variants

    revoked = await client.post(
        f"/api/v1/units/{unit.id}/calendar-feeds/{made.json()['id']}/revoke",
        headers=world.headers(admin),
    )
    assert revoked.status_code == 200
    gone = await client.get(url.removeprefix("https://gaung.example.go.id"))
    assert gone.status_code == 404 and error_of(gone)["error"] == "calendar_feed_not_found"


async def test_a_post_published_without_a_schedule_is_at_its_published_time(
    client: httpx.AsyncClient, world: World
) -> None:
    # The feed reads the calendar's own time, so "publish now" lands when it went out, not at
    # the post's plan.
    unit = await world.unit("Humas Boyolali", timezone="Asia/Jakarta")
    admin = await world.user(unit, Role.admin)
    x = await world.account(unit, Platform.x)
    plan = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    done = (utcnow() - timedelta(hours=5)).replace(microsecond=0)
    post = Post(unit_id=unit.id, title="Siaran pers", author_id=admin.id, planned_at=plan)
    post.variants = [PostVariant(account_id=x.id, text="Terbit", status=PostStatus.published)]
    world.session.add(post)
    await world.session.flush()
    world.session.add(
        PublishAttempt(
            variant_id=post.variants[0].id,
            worker="w",
            started_at=done - timedelta(seconds=2),
            finished_at=done,
            outcome=AttemptOutcome.published,
        )
    )
    await world.commit()
    made = await client.post(
        f"/api/v1/units/{unit.id}/calendar-feeds", headers=world.headers(admin)
    )
    res = await client.get(made.json()["url"].removeprefix("https://gaung.example.go.id"))
    [event] = check_rfc5545(res.content).walk("VEVENT")
    assert event["DTSTART"].dt.astimezone(UTC) == done


async def test_a_personal_feed_follows_the_persons_units(
    client: httpx.AsyncClient, world: World
) -> None:
    jakarta = await world.unit(timezone="Asia/Jakarta")
    papua = await world.unit(timezone="Asia/Jayapura")
    elsewhere = await world.unit()
    person = await world.user(jakarta, Role.viewer)
    author = await world.user(papua, Role.admin)
    soon = utcnow() + timedelta(days=1)
    await planned(world, jakarta, author, "Di Jakarta", soon)
    await planned(world, papua, author, "Di Jayapura", soon)
    await planned(world, elsewhere, author, "Bukan urusannya", soon)
    world.session.add(Membership(user_id=person.id, unit_id=papua.id, role=Role.viewer))
    await world.commit()
    made = await client.post("/api/v1/me/calendar-feeds", headers=world.headers(person))
    path = made.json()["url"].removeprefix("https://gaung.example.go.id")
    cal = check_rfc5545((await client.get(path)).content)
    titles = {str(e["SUMMARY"]).split("] ", 1)[1] for e in cal.walk("VEVENT")}
    assert titles == {"Di Jakarta", "Di Jayapura"}
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Asia/Jakarta", "Asia/Jayapura"}
    listed = await client.get("/api/v1/me/calendar-feeds", headers=world.headers(person))
    assert [f["id"] for f in listed.json()["items"]] == [made.json()["id"]]
    assert "url" not in listed.json()["items"][0]


async def test_a_key_reads_the_unit_calendar(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    other = await world.unit()
    await planned(world, unit, admin, "Rapat", utcnow() + timedelta(days=3))
    await world.commit()
    made = await client.post(
        f"/api/v1/units/{unit.id}/api-keys",
        json={"name": "Portal", "scopes": ["calendar:read"]},
        headers=world.headers(admin),
    )
    key = {"X-API-Key": made.json()["key"]}
    res = await client.get(f"/api/v1/units/{unit.id}/calendar.ics", headers=key)
    assert res.status_code == 200
    assert len(check_rfc5545(res.content).walk("VEVENT")) == 2
    assert (
        await client.get(f"/api/v1/units/{other.id}/calendar.ics", headers=key)
    ).status_code == 404
    bad = await client.get("/api/v1/feeds/" + "a" * 43 + ".ics")
    assert bad.status_code == 404

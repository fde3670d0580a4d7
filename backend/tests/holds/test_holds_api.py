"""Holds over HTTP: pausing and resuming a unit, blackout periods in the unit's zone, the
coordinator's agency-wide holds, the status a unit's members read, audit, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from gaung.posts.models import PostStatus, PostVariant
from gaung.units.models import Unit
from gaung.users.models import Role, User
from tests.conftest import World
from tests.helpers import audit_events, error_of

API = "/api/v1"
WIB = ZoneInfo("Asia/Jakarta")


def iso(at: datetime) -> str:
    return at.isoformat()


def now() -> datetime:
    return datetime.now(UTC)


def period(
    start: datetime, end: datetime, kind: str = "mourning", label: str = "Hari berkabung"
) -> dict[str, Any]:
    return {"kind": kind, "label": label, "starts_at": iso(start), "ends_at": iso(end)}


async def setup(world: World, role: Role = Role.editor) -> tuple[Unit, User]:
    unit = await world.unit()
    return unit, await world.user(unit, role)


async def status(client: httpx.AsyncClient, world: World, user: User, unit: Unit) -> Any:
    res = await client.get(f"{API}/units/{unit.id}/holds", headers=world.headers(user))
    assert res.status_code == 200, res.text
    return res.json()


async def test_pause_and_resume_a_unit(client: httpx.AsyncClient, world: World) -> None:
    unit, editor = await setup(world)
    viewer = await world.user(unit, Role.viewer)
    headers = world.headers(editor)
    before = await status(client, world, viewer, unit)
    assert before["held"] is False and before["reasons"] == [] and before["pause"] is None

    res = await client.post(
        f"{API}/units/{unit.id}/pause", json={"reason": "  Evaluasi konten  "}, headers=headers
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["held"] is True
    assert body["pause"]["reason"] == "Evaluasi konten"
    assert body["pause"]["paused_by"] == {"id": editor.id, "name": editor.name}
    assert [r["kind"] for r in body["reasons"]] == ["unit_pause"]
    assert body["reasons"][0]["until"] is None
    assert (await status(client, world, viewer, unit))["held"] is True

    again = await client.post(
        f"{API}/units/{unit.id}/pause", json={"reason": "Lagi"}, headers=headers
    )
    assert again.status_code == 409 and error_of(again)["error"] == "already_paused"

    res = await client.post(f"{API}/units/{unit.id}/resume", headers=headers)
    assert res.status_code == 200, res.text
    assert res.json()["held"] is False and res.json()["pause"] is None
    again = await client.post(f"{API}/units/{unit.id}/resume", headers=headers)
    assert again.status_code == 409 and error_of(again)["error"] == "not_paused"

    events = await audit_events(world.session, "hold_pause", unit_id=unit.id)
    assert [(e.action, e.actor_id) for e in events] == [
        ("pause", editor.id),
        ("resume", editor.id),
    ]
    assert events[0].after is not None and events[0].after["reason"] == "Evaluasi konten"
    assert events[1].after is not None and events[1].after["resumed_at"] is not None


async def test_due_scheduled_posts_are_counted_as_waiting(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, editor = await setup(world)
    account = await world.account(unit)
    headers = world.headers(editor)
    created = await client.post(
        f"{API}/posts",
        json={
            "unit_id": unit.id,
            "title": "Info",
            "variants": [{"account_id": account.id, "text": "Halo"}],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    variant = await world.session.get(PostVariant, created.json()["variants"][0]["id"])
    assert variant is not None
    variant.status = PostStatus.scheduled
    variant.scheduled_at = now() - timedelta(minutes=5)
    await world.session.flush()
    assert (await status(client, world, editor, unit))["waiting"] == 0  # not held: not waiting
    res = await client.post(f"{API}/units/{unit.id}/pause", json={"reason": "Cek"}, headers=headers)
    assert res.json()["waiting"] == 1


async def test_blackout_periods_in_the_units_zone_stored_utc(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, editor = await setup(world)
    headers = world.headers(editor)
    # Midnight WIB two days from now, sent with its +07:00 offset.
    wib = (now() + timedelta(days=2)).astimezone(WIB).replace(hour=0, minute=0, second=0)
    wib = wib.replace(microsecond=0)
    body = period(wib, wib + timedelta(days=3), "election_quiet", "Masa tenang Pilkada")
    assert body["starts_at"].endswith("+07:00")
    res = await client.post(f"{API}/units/{unit.id}/blackouts", json=body, headers=headers)
    assert res.status_code == 201, res.text
    created = res.json()
    stored = datetime.fromisoformat(created["starts_at"])
    assert stored.utcoffset() == timedelta(0) and stored == wib and stored.hour == 17
    assert created["kind"] == "election_quiet" and created["active"] is False
    assert created["unit_id"] == unit.id and created["created_by"]["id"] == editor.id

    current = await client.post(
        f"{API}/units/{unit.id}/blackouts",
        json=period(now() - timedelta(hours=1), now() + timedelta(hours=5)),
        headers=headers,
    )
    assert current.status_code == 201
    seen = await status(client, world, editor, unit)
    assert [b["id"] for b in seen["blackouts"]] == [current.json()["id"], created["id"]]
    assert [b["active"] for b in seen["blackouts"]] == [True, False]
    assert seen["held"] is True and seen["quiet_period"] is False
    [reason] = seen["reasons"]
    assert reason["kind"] == "blackout" and reason["blackout"]["id"] == current.json()["id"]

    res = await client.delete(
        f"{API}/units/{unit.id}/blackouts/{current.json()['id']}", headers=headers
    )
    assert res.status_code == 204
    assert (await status(client, world, editor, unit))["held"] is False
    events = await audit_events(world.session, "blackout_period", unit_id=unit.id)
    assert [e.action for e in events] == ["create", "create", "delete"]
    assert events[0].after is not None and events[0].after["kind"] == "election_quiet"


async def test_another_units_or_the_agencys_period_is_not_found_through_a_unit(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, editor = await setup(world)
    other, other_editor = await setup(world)
    root = await world.user(superuser=True)
    theirs = await client.post(
        f"{API}/units/{other.id}/blackouts",
        json=period(now(), now() + timedelta(days=1)),
        headers=world.headers(other_editor),
    )
    agency = await client.post(
        f"{API}/holds/agency/blackouts",
        json=period(now(), now() + timedelta(days=1)),
        headers=world.headers(root),
    )
    for blackout_id in (theirs.json()["id"], agency.json()["id"], 2_000_000_000):
        res = await client.delete(
            f"{API}/units/{unit.id}/blackouts/{blackout_id}", headers=world.headers(editor)
        )
        assert res.status_code == 404 and error_of(res)["error"] == "blackout_not_found"
    # The agency's period shows in the unit's status, and holds it.
    seen = await status(client, world, editor, unit)
    assert [b["id"] for b in seen["blackouts"]] == [agency.json()["id"]]
    assert seen["blackouts"][0]["unit_id"] is None and seen["held"] is True


async def test_agency_holds_are_the_coordinators(client: httpx.AsyncClient, world: World) -> None:
    unit, admin = await setup(world, Role.admin)
    root = await world.user(superuser=True)
    attempts = [
        ("GET", "/holds/agency", None),
        ("POST", "/holds/agency/pause", {"reason": "Semua berhenti"}),
        ("POST", "/holds/agency/resume", None),
        ("POST", "/holds/agency/blackouts", period(now(), now() + timedelta(days=1))),
        ("DELETE", "/holds/agency/blackouts/1", None),
    ]
    for method, path, body in attempts:
        res = await client.request(method, API + path, json=body, headers=world.headers(admin))
        assert res.status_code == 403, (path, res.text)
        assert error_of(res)["error"] == "insufficient_role"
    assert await audit_events(world.session, "hold_pause") == []

    headers = world.headers(root)
    res = await client.post(
        f"{API}/holds/agency/pause", json={"reason": "Arahan pimpinan"}, headers=headers
    )
    assert res.status_code == 200, res.text
    assert res.json()["pause"]["unit_id"] is None
    seen = await status(client, world, admin, unit)
    assert seen["held"] is True and seen["agency_pause"]["reason"] == "Arahan pimpinan"
    assert seen["pause"] is None and [r["kind"] for r in seen["reasons"]] == ["agency_pause"]
    # A unit cannot lift the agency's pause by resuming itself.
    res = await client.post(f"{API}/units/{unit.id}/resume", headers=world.headers(admin))
    assert res.status_code == 409 and error_of(res)["error"] == "not_paused"

    added = await client.post(
        f"{API}/holds/agency/blackouts",
        json=period(now() + timedelta(days=1), now() + timedelta(days=2), "other", "Libur"),
        headers=headers,
    )
    assert added.status_code == 201 and added.json()["unit_id"] is None
    agency = (await client.get(f"{API}/holds/agency", headers=headers)).json()
    assert [b["id"] for b in agency["blackouts"]] == [added.json()["id"]]
    res = await client.delete(f"{API}/holds/agency/blackouts/{added.json()['id']}", headers=headers)
    assert res.status_code == 204
    res = await client.post(f"{API}/holds/agency/resume", headers=headers)
    assert res.status_code == 200 and res.json()["pause"] is None
    assert (await status(client, world, admin, unit))["held"] is False
    events = await audit_events(world.session, "hold_pause", unit_id=None)
    assert [(e.action, e.actor_id) for e in events] == [("pause", root.id), ("resume", root.id)]
    assert [e.action for e in await audit_events(world.session, "blackout_period")] == [
        "create",
        "delete",
    ]


@pytest.mark.parametrize("role", list(Role))
async def test_resuming_and_removing_periods_follow_the_table(
    client: httpx.AsyncClient, world: World, role: Role
) -> None:
    unit, admin = await setup(world, Role.admin)
    headers = world.headers(admin)
    await client.post(f"{API}/units/{unit.id}/pause", json={"reason": "Cek"}, headers=headers)
    added = await client.post(
        f"{API}/units/{unit.id}/blackouts",
        json=period(now(), now() + timedelta(days=1)),
        headers=headers,
    )
    user = world.headers(await world.user(unit, role))
    resumed = await client.post(f"{API}/units/{unit.id}/resume", headers=user)
    removed = await client.delete(
        f"{API}/units/{unit.id}/blackouts/{added.json()['id']}", headers=user
    )
    allowed = role in (Role.admin, Role.editor)
    for res in (resumed, removed):
        assert res.status_code == (200 if res is resumed else 204) if allowed else 403, res.text
        if not allowed:
            assert error_of(res)["error"] == "insufficient_role"


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("pause", {"reason": ""}, "reason"),
    ("pause", {"reason": "   "}, "reason"),
    ("pause", {"reason": "a" * 501}, "reason"),
    ("pause", {}, "reason"),
    ("pause", {"reason": "ok", "until": "besok"}, "until"),
    ("blackouts", {"kind": "holiday"}, "kind"),
    ("blackouts", {"label": ""}, "label"),
    ("blackouts", {"starts_at": "2029-11-21T00:00:00"}, "starts_at"),  # no offset
    ("blackouts", {"ends_at": "kemarin"}, "ends_at"),
    ("blackouts", {"ends_at": "start"}, "ends_at"),  # before the start
    ("blackouts", {"ends_at": "past"}, "ends_at"),
    ("blackouts", {"ends_at": "far"}, "ends_at"),
]


@pytest.mark.parametrize(("path", "change", "field"), BAD)
async def test_bad_input_names_the_field(
    client: httpx.AsyncClient, world: World, path: str, change: dict[str, Any], field: str
) -> None:
    unit, editor = await setup(world)
    body: dict[str, Any] = (
        period(now() + timedelta(days=1), now() + timedelta(days=2)) if path == "blackouts" else {}
    )
    body.update(change)
    special = {
        "start": iso(now()),
        "past": iso(now() - timedelta(minutes=1)),
        "far": iso(now() + timedelta(days=400)),
    }
    if body.get("ends_at") in special:
        if body["ends_at"] == "past":
            body["starts_at"] = iso(now() - timedelta(days=1))
        body["ends_at"] = special[body["ends_at"]]
    res = await client.post(
        f"{API}/units/{unit.id}/{path}", json=body, headers=world.headers(editor)
    )
    assert res.status_code == 422, res.text
    assert field in error_of(res)["fields"], res.text

"""Adding members by e-mail: people the admin can already see are added at once; anyone else is
invited, with the same answer whether or not the address had an account, and joins only by
accepting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from gaung.audit.models import AuditEvent
from gaung.invites.models import MembershipInvite
from gaung.kit.time import utcnow
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User
from tests.conftest import PASSWORD, World
from tests.helpers import audit_events, error_of

NEW = {"name": "Pegawai Baru", "password": "kata-sandi-awal-123"}


async def add(
    client: httpx.AsyncClient, world: World, admin: User, unit: Unit, email: str, **extra: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/units/{unit.id}/members",
        json={"email": email, "role": "editor", **extra},
        headers=world.headers(admin),
    )


async def member_ids(world: World, unit: Unit) -> set[int]:
    rows = await world.session.scalars(
        select(Membership.user_id).where(Membership.unit_id == unit.id)
    )
    return set(rows)


async def audit_events_of_unit(world: World, unit: Unit) -> list[AuditEvent]:
    rows = await world.session.scalars(
        select(AuditEvent).where(AuditEvent.unit_id == unit.id).order_by(AuditEvent.id)
    )
    return list(rows)


async def login(client: httpx.AsyncClient, email: str, password: str) -> int:
    res = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    return res.status_code


# --- added at once ---------------------------------------------------------------------------


async def test_a_member_of_my_other_unit_is_added_at_once(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, sibling = await world.unit(), await world.unit()
    admin = await world.user(unit, Role.admin)
    world.session.add(Membership(user_id=admin.id, unit_id=sibling.id, role=Role.viewer))
    colleague = await world.user(sibling, Role.editor)
    await world.session.flush()
    res = await add(client, world, admin, unit, colleague.email.upper())
    assert res.status_code == 201, res.text
    assert res.json() == {
        "user_id": colleague.id,
        "email": colleague.email,
        "name": colleague.name,
        "role": "editor",
    }
    assert colleague.id in await member_ids(world, unit)
    [event] = await audit_events(world.session, "membership", unit_id=unit.id)
    assert (event.action, event.actor_id) == ("create", admin.id)
    assert event.after == {"user_id": colleague.id, "role": "editor"}
    assert await audit_events(world.session, "membership_invite") == []
    assert await audit_events(world.session, "user") == []


async def test_the_superuser_adds_anyone_at_once(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    root = await world.user(superuser=True)
    elsewhere = await world.user(await world.unit(), Role.viewer)
    res = await add(client, world, root, unit, elsewhere.email)
    assert res.status_code == 201 and res.json()["user_id"] == elsewhere.id, res.text
    res = await add(client, world, root, unit, "Baru@Example.go.id", **NEW)
    assert res.status_code == 201, res.text
    created = res.json()
    assert (created["email"], created["name"]) == ("baru@example.go.id", "Pegawai Baru")
    assert await member_ids(world, unit) == {elsewhere.id, created["user_id"]}
    [event] = await audit_events(world.session, "user", created["user_id"])
    assert (event.action, event.actor_id, event.unit_id) == ("create", root.id, unit.id)
    assert await audit_events(world.session, "membership_invite") == []
    assert await login(client, "baru@example.go.id", NEW["password"]) == 200


# --- invited: the same answer whether or not the address exists ------------------------------


async def test_unknown_and_other_units_addresses_get_the_same_answer(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    stranger = await world.user(await world.unit(), Role.admin)
    new = await add(client, world, admin, unit, "Baru@Example.go.id", **NEW)
    known = await add(client, world, admin, unit, stranger.email.upper(), **NEW)
    assert (new.status_code, known.status_code) == (202, 202), (new.text, known.text)
    assert new.json() == {"email": "baru@example.go.id", "role": "editor", "status": "pending"}
    assert known.json() == {"email": stranger.email, "role": "editor", "status": "pending"}
    assert new.headers.keys() == known.headers.keys()
    # Neither is a member yet; both are listed the same way among the unit's invitations.
    assert await member_ids(world, unit) == {admin.id}
    sent = await client.get(f"/api/v1/units/{unit.id}/invitations", headers=world.headers(admin))
    assert sent.status_code == 200, sent.text
    items = sent.json()["items"]
    assert [(i["email"], i["role"]) for i in items] == [
        ("baru@example.go.id", "editor"),
        (stranger.email, "editor"),
    ]
    assert {frozenset(i) for i in items} == {
        frozenset({"id", "email", "role", "created_at", "expires_at"})
    }
    # The existing account keeps its name and password; the new one got the admin's.
    await world.session.refresh(stranger)
    assert stranger.name != NEW["name"]
    assert await login(client, stranger.email, NEW["password"]) == 401
    assert await login(client, stranger.email, PASSWORD) == 200
    assert await login(client, "baru@example.go.id", NEW["password"]) == 200
    invites = await audit_events(world.session, "membership_invite", unit_id=unit.id)
    assert [(e.action, e.actor_id) for e in invites] == [("create", admin.id)] * 2
    # The new account is audited, but not in the unit's trail, where it would tell the two apart.
    [created] = await audit_events(world.session, "user", action="create")
    assert (created.action, created.actor_id, created.unit_id) == ("create", admin.id, None)
    assert [e.object_type for e in await audit_events_of_unit(world, unit)] == [
        "membership_invite",
        "membership_invite",
    ]


async def test_name_and_password_are_needed_whether_or_not_the_address_exists(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    stranger = await world.user(await world.unit(), Role.admin)
    for extra, missing in (
        ({}, {"name", "password"}),
        ({"name": "Pegawai Baru"}, {"password"}),
        ({"password": "kata-sandi-awal-123"}, {"name"}),
    ):
        new = await add(client, world, admin, unit, "baru@example.go.id", **extra)
        known = await add(client, world, admin, unit, stranger.email, **extra)
        assert (new.status_code, known.status_code) == (422, 422)
        new_body, known_body = error_of(new), error_of(known)
        assert set(new_body["fields"]) == missing
        assert new_body == {
            **known_body,
            "detail": known_body["detail"].replace(stranger.email, "baru@example.go.id"),
        }
    assert await audit_events(world.session, "user") == []
    assert await audit_events(world.session, "membership_invite") == []


async def test_inviting_again_renews_the_pending_invitation(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    stranger = await world.user(await world.unit(), Role.viewer)
    first = await add(client, world, admin, unit, stranger.email, **NEW)
    again = await client.post(
        f"/api/v1/units/{unit.id}/members",
        json={"email": stranger.email, "role": "viewer", **NEW},
        headers=world.headers(admin),
    )
    assert (first.status_code, again.status_code) == (202, 202)
    [invite] = (await world.session.scalars(select(MembershipInvite))).all()
    assert invite.role == Role.viewer
    events = await audit_events(world.session, "membership_invite", invite.id)
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].before is not None and events[1].before["role"] == "editor"
    # A new address invited twice: the second call finds the account the first one made.
    for _ in range(2):
        res = await add(client, world, admin, unit, "baru@example.go.id", **NEW)
        assert res.status_code == 202, res.text
    assert len(await audit_events(world.session, "user")) == 1


# --- the invitee answers ---------------------------------------------------------------------


@pytest.fixture
async def invited(client: httpx.AsyncClient, world: World) -> tuple[Unit, User, User]:
    """(unit, its admin, a user of another unit invited into it as editor)"""
    unit = await world.unit("Biro Humas")
    admin = await world.user(unit, Role.admin)
    stranger = await world.user(await world.unit(), Role.viewer)
    res = await add(client, world, admin, unit, stranger.email, **NEW)
    assert res.status_code == 202, res.text
    return unit, admin, stranger


async def my_invitations(
    client: httpx.AsyncClient, world: World, user: User
) -> list[dict[str, Any]]:
    res = await client.get("/api/v1/me/invitations", headers=world.headers(user))
    assert res.status_code == 200, res.text
    items: list[dict[str, Any]] = res.json()["items"]
    return items


async def test_the_invitee_accepts(
    client: httpx.AsyncClient, world: World, invited: tuple[Unit, User, User]
) -> None:
    unit, admin, invitee = invited
    [item] = await my_invitations(client, world, invitee)
    assert item["unit"] == {"id": unit.id, "name": "Biro Humas"}
    assert (item["role"], item["invited_by"]) == ("editor", admin.name)
    headers = world.headers(invitee)
    res = await client.post(f"/api/v1/me/invitations/{item['id']}/accept", headers=headers)
    assert res.status_code == 200, res.text
    assert res.json()["role"] == "editor" and res.json()["unit"]["id"] == unit.id
    assert invitee.id in await member_ids(world, unit)
    me = await client.get("/api/v1/me", headers=headers)
    assert unit.id in {m["unit"]["id"] for m in me.json()["memberships"]}
    assert await my_invitations(client, world, invitee) == []
    sent = await client.get(f"/api/v1/units/{unit.id}/invitations", headers=world.headers(admin))
    assert sent.json() == {"items": []}
    invite_events = await audit_events(world.session, "membership_invite", item["id"])
    assert [(e.action, e.actor_id) for e in invite_events] == [
        ("create", admin.id),
        ("accept", invitee.id),
    ]
    [joined] = await audit_events(world.session, "membership", unit_id=unit.id)
    assert (joined.action, joined.actor_id) == ("create", invitee.id)
    assert joined.after == {"user_id": invitee.id, "role": "editor", "invite_id": item["id"]}
    again = await client.post(f"/api/v1/me/invitations/{item['id']}/accept", headers=headers)
    assert again.status_code == 404 and error_of(again)["error"] == "invitation_not_found"


async def test_the_invitee_declines(
    client: httpx.AsyncClient, world: World, invited: tuple[Unit, User, User]
) -> None:
    unit, admin, invitee = invited
    [item] = await my_invitations(client, world, invitee)
    headers = world.headers(invitee)
    res = await client.post(f"/api/v1/me/invitations/{item['id']}/decline", headers=headers)
    assert res.status_code == 204, res.text
    assert invitee.id not in await member_ids(world, unit)
    assert await my_invitations(client, world, invitee) == []
    late = await client.post(f"/api/v1/me/invitations/{item['id']}/accept", headers=headers)
    assert late.status_code == 404 and error_of(late)["error"] == "invitation_not_found"
    events = await audit_events(world.session, "membership_invite", item["id"])
    assert [(e.action, e.actor_id) for e in events] == [
        ("create", admin.id),
        ("decline", invitee.id),
    ]
    # Declined is not final: the admin may invite again.
    res = await add(client, world, admin, unit, invitee.email, **NEW)
    assert res.status_code == 202 and len(await my_invitations(client, world, invitee)) == 1


async def test_nobody_else_answers_an_invitation(
    client: httpx.AsyncClient, world: World, invited: tuple[Unit, User, User]
) -> None:
    unit, admin, invitee = invited
    [item] = await my_invitations(client, world, invitee)
    for user in (admin, await world.user(unit, Role.viewer), await world.user(superuser=True)):
        assert await my_invitations(client, world, user) == []
        for answer in ("accept", "decline"):
            res = await client.post(
                f"/api/v1/me/invitations/{item['id']}/{answer}", headers=world.headers(user)
            )
            assert res.status_code == 404 and error_of(res)["error"] == "invitation_not_found"
    assert len(await my_invitations(client, world, invitee)) == 1


async def test_an_expired_invitation_is_gone(
    client: httpx.AsyncClient, world: World, invited: tuple[Unit, User, User]
) -> None:
    unit, admin, invitee = invited
    [item] = await my_invitations(client, world, invitee)
    assert item["expires_at"] > item["created_at"]
    await world.session.execute(
        update(MembershipInvite).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    assert await my_invitations(client, world, invitee) == []
    res = await client.post(
        f"/api/v1/me/invitations/{item['id']}/accept", headers=world.headers(invitee)
    )
    assert res.status_code == 404 and error_of(res)["error"] == "invitation_not_found"
    assert invitee.id not in await member_ids(world, unit)
    sent = await client.get(f"/api/v1/units/{unit.id}/invitations", headers=world.headers(admin))
    assert sent.json() == {"items": []}


async def test_accepting_when_already_a_member_is_409(
    client: httpx.AsyncClient, world: World, invited: tuple[Unit, User, User]
) -> None:
    unit, _admin, invitee = invited
    [item] = await my_invitations(client, world, invitee)
    world.session.add(Membership(user_id=invitee.id, unit_id=unit.id, role=Role.viewer))
    await world.session.flush()
    res = await client.post(
        f"/api/v1/me/invitations/{item['id']}/accept", headers=world.headers(invitee)
    )
    assert res.status_code == 409 and error_of(res)["error"] == "already_member"
    role = await world.session.scalar(
        select(Membership.role).where(
            Membership.unit_id == unit.id, Membership.user_id == invitee.id
        )
    )
    assert role == Role.viewer


async def test_the_admin_withdraws_an_invitation(
    client: httpx.AsyncClient, world: World, invited: tuple[Unit, User, User]
) -> None:
    unit, admin, invitee = invited
    [item] = await my_invitations(client, world, invitee)
    headers = world.headers(admin)
    # Not through another unit's path, even one the caller administers.
    mine = await world.unit()
    world.session.add(Membership(user_id=admin.id, unit_id=mine.id, role=Role.admin))
    await world.session.flush()
    wrong = await client.delete(
        f"/api/v1/units/{mine.id}/invitations/{item['id']}", headers=headers
    )
    assert wrong.status_code == 404 and error_of(wrong)["error"] == "invitation_not_found"
    url = f"/api/v1/units/{unit.id}/invitations/{item['id']}"
    res = await client.delete(url, headers=headers)
    assert res.status_code == 204, res.text
    assert await my_invitations(client, world, invitee) == []
    late = await client.post(
        f"/api/v1/me/invitations/{item['id']}/accept", headers=world.headers(invitee)
    )
    assert late.status_code == 404
    again = await client.delete(url, headers=headers)
    assert again.status_code == 404 and error_of(again)["error"] == "invitation_not_found"
    events = await audit_events(world.session, "membership_invite", item["id"])
    assert [(e.action, e.actor_id) for e in events] == [("create", admin.id), ("delete", admin.id)]
    assert events[1].before == {"user_id": invitee.id, "role": "editor"}


async def test_a_new_account_joins_by_accepting(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    res = await add(client, world, admin, unit, "baru@example.go.id", **NEW)
    assert res.status_code == 202, res.text
    token = await client.post(
        "/api/v1/auth/login", json={"email": "baru@example.go.id", "password": NEW["password"]}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    me = await client.get("/api/v1/me", headers=headers)
    assert me.json()["name"] == "Pegawai Baru" and me.json()["memberships"] == []
    [item] = (await client.get("/api/v1/me/invitations", headers=headers)).json()["items"]
    res = await client.post(f"/api/v1/me/invitations/{item['id']}/accept", headers=headers)
    assert res.status_code == 200, res.text
    me = await client.get("/api/v1/me", headers=headers)
    assert [(m["unit"]["id"], m["role"]) for m in me.json()["memberships"]] == [(unit.id, "editor")]


@pytest.mark.parametrize("value", [0, -1, 2**31, "abc"])
async def test_bad_invitation_ids(client: httpx.AsyncClient, world: World, value: object) -> None:
    user = await world.user(await world.unit())
    res = await client.post(f"/api/v1/me/invitations/{value}/accept", headers=world.headers(user))
    assert res.status_code == 422 and "invite_id" in error_of(res)["fields"], res.text


async def test_a_weak_initial_password_is_refused_alike_for_known_and_unknown_addresses(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, elsewhere = await world.unit(), await world.unit()
    admin = await world.user(unit, Role.admin)
    stranger = await world.user(elsewhere, Role.editor)
    weak = {"name": "Pegawai Baru", "password": "password12"}
    answers = []
    for email in (stranger.email, "belum.ada@example.go.id"):
        res = await add(client, world, admin, unit, email, **weak)
        assert res.status_code == 422, res.text
        body = error_of(res)
        answers.append((body["error"], body["fields"]))
    assert answers[0] == answers[1] and "password" in answers[0][1]
    assert await world.session.scalar(select(MembershipInvite.id)) is None

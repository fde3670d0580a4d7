"""No endpoint leaks across units, and each role can do exactly what the permission table says.

Unit A and unit B each hold a member, an account, a media file and a post. A member of A asks
for B's objects by id: the answer is the same 404 as for an id that does not exist, B's rows
never appear in A's lists, and B is left untouched."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import select

from gaung.accounts.models import Platform
from gaung.audit.models import AuditEvent
from gaung.config import Settings
from gaung.main import create_app
from gaung.notifications.models import Notification, NotificationKind
from gaung.posts.models import Post
from gaung.units.models import Unit
from gaung.users.models import Role, User
from tests.accounts.connect_helpers import GRAPH, configured
from tests.conftest import World
from tests.helpers import error_of, upload

MISSING = 2_000_000_000  # a valid id that no row has
MISSING_CONNECTION = "tidak-ada-koneksi-seperti-ini"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # With the networks' app credentials, so connections can be started.
    return configured(tmp_path)


@dataclass
class Tenant:
    unit: Unit
    admin: User
    member: User
    account: int
    media: int
    post: int
    category: str
    invite: int  # a pending invitation into the unit, for a user of no unit
    connection: str = MISSING_CONNECTION  # a pending account connection
    submission: int = MISSING  # an activity sent in for publication
    template: int = MISSING  # a post template of the unit
    variant: int = MISSING  # the post's variant


async def tenant(client: httpx.AsyncClient, world: World, tag: str) -> Tenant:
    unit = await world.unit(f"Unit {tag}")
    admin = await world.user(unit, Role.admin)
    member = await world.user(unit, Role.viewer)
    account = await world.account(unit, Platform.facebook, handle=f"@akun_{tag}")
    headers = world.headers(admin)
    media = await upload(client, headers, unit)
    assert media.status_code == 201, media.text
    category = f"Kategori {tag}"
    post = await client.post(
        "/api/v1/posts",
        json={
            "unit_id": unit.id,
            "title": f"Post {tag}",
            "category": category,
            "variants": [
                {"account_id": account.id, "text": f"teks {tag}", "media_ids": [media.json()["id"]]}
            ],
        },
        headers=headers,
    )
    assert post.status_code == 201, post.text
    invited = await client.post(
        f"/api/v1/units/{unit.id}/members",
        json={"email": f"diundang-{tag}@example.go.id", "role": "editor", "name": "D"}
        | {"password": "kata-sandi-awal-123"},
        headers=headers,
    )
    assert invited.status_code == 202, invited.text
    sent = await client.get(f"/api/v1/units/{unit.id}/invitations", headers=headers)
    [invite] = sent.json()["items"]
    connection = await client.post(
        "/api/v1/accounts/connect", json={"unit_id": unit.id, "platform": "x"}, headers=headers
    )
    assert connection.status_code == 201, connection.text
    submission = await client.post(
        "/api/v1/submissions", json={"unit_id": unit.id, **ACTIVITY}, headers=headers
    )
    assert submission.status_code == 201, submission.text
    template = await client.post(
        f"/api/v1/units/{unit.id}/templates",
        json={"name": f"Templat {tag}", "kind": "greeting", "title": "Selamat"},
        headers=headers,
    )
    assert template.status_code == 201, template.text
    return Tenant(
        unit,
        admin,
        member,
        account.id,
        media.json()["id"],
        post.json()["id"],
        category,
        invite["id"],
        connection.json()["id"],
        submission.json()["id"],
        template.json()["id"],
        post.json()["variants"][0]["id"],
    )


@dataclass
class Pair:
    a: Tenant
    b: Tenant


@pytest.fixture
async def pair(client: httpx.AsyncClient, world: World) -> Pair:
    return Pair(await tenant(client, world, "A"), await tenant(client, world, "B"))


def variant(account: int) -> list[dict[str, Any]]:
    return [{"account_id": account, "text": "halo"}]


ACTIVITY = {
    "title": "Kegiatan",
    "activity_date": "2026-12-01",
    "place": "Aula",
    "description": "Rapat",
    "contact_name": "Sari",
}

HOLD_PERIOD = {
    "kind": "mourning",
    "label": "Hari berkabung",
    "starts_at": "2099-01-01T00:00:00+07:00",
    "ends_at": "2099-01-03T00:00:00+07:00",
}
MONTH = "start=2026-08-01T00:00:00%2B07:00&end=2026-09-01T00:00:00%2B07:00"
LATER = {"at": "2099-01-05T09:00:00+07:00"}
TEMPLATE = {"name": "Ucapan", "kind": "greeting", "title": "Selamat"}


# The analytics reads of one unit (tests/metrics/test_analytics.py checks their figures).
ANALYTICS = (
    "followers",
    "summary",
    "posts",
    "breakdown?by=category",
    "best-times",
    "compare",
    "dormant",
    "settings",
)

# Requests against one tenant's objects: (method, path, json body or None). ``t`` is the target.
TARGETED: dict[str, Callable[[Tenant], tuple[str, str, Any]]] = {
    "get unit": lambda t: ("GET", f"/units/{t.unit.id}", None),
    "update unit": lambda t: ("PATCH", f"/units/{t.unit.id}", {"name": "Diambil alih"}),
    "list members": lambda t: ("GET", f"/units/{t.unit.id}/members", None),
    "add member": lambda t: (
        "POST",
        f"/units/{t.unit.id}/members",
        {
            "email": "penyusup@example.go.id",
            "role": "admin",
            "name": "P",
            "password": "kata-sandi-awal-123",
        },
    ),
    "change role": lambda t: (
        "PATCH",
        f"/units/{t.unit.id}/members/{t.member.id}",
        {"role": "admin"},
    ),
    "remove member": lambda t: ("DELETE", f"/units/{t.unit.id}/members/{t.member.id}", None),
    "list invitations": lambda t: ("GET", f"/units/{t.unit.id}/invitations", None),
    "revoke invitation": lambda t: ("DELETE", f"/units/{t.unit.id}/invitations/{t.invite}", None),
    "accept invitation": lambda t: ("POST", f"/me/invitations/{t.invite}/accept", None),
    "decline invitation": lambda t: ("POST", f"/me/invitations/{t.invite}/decline", None),
    "get account": lambda t: ("GET", f"/accounts/{t.account}", None),
    "update account": lambda t: ("PATCH", f"/accounts/{t.account}", {"handle": "@diambil"}),
    "disable account": lambda t: ("POST", f"/accounts/{t.account}/disable", None),
    "enable account": lambda t: ("POST", f"/accounts/{t.account}/enable", None),
    "disconnect account": lambda t: ("POST", f"/accounts/{t.account}/disconnect", None),
    "start connecting": lambda t: (
        "POST",
        "/accounts/connect",
        {"unit_id": t.unit.id, "platform": "x"},
    ),
    "reconnect account": lambda t: (
        "POST",
        "/accounts/connect",
        {"unit_id": t.unit.id, "platform": "facebook", "account_id": t.account},
    ),
    "read connection": lambda t: ("GET", f"/accounts/connect/{t.connection}", None),
    "choose connected accounts": lambda t: (
        "POST",
        f"/accounts/connect/{t.connection}/choose",
        {"external_ids": ["101"]},
    ),
    "add a page token": lambda t: (
        "POST",
        "/accounts/manual",
        {"unit_id": t.unit.id, "platform": "facebook", "access_token": "EAAB-token"},
    ),
    "create account": lambda t: (
        "POST",
        "/accounts",
        {"unit_id": t.unit.id, "platform": "x", "handle": "@x", "display_name": "X"},
    ),
    "get post": lambda t: ("GET", f"/posts/{t.post}", None),
    "update post": lambda t: ("PATCH", f"/posts/{t.post}", {"title": "Diubah"}),
    "delete post": lambda t: ("DELETE", f"/posts/{t.post}", None),
    "create post": lambda t: (
        "POST",
        "/posts",
        {"unit_id": t.unit.id, "title": "Masuk", "variants": variant(t.account)},
    ),
    "validate": lambda t: (
        "POST",
        "/posts/validate",
        {"unit_id": t.unit.id, "title": "Cek", "variants": variant(t.account)},
    ),
    "submit post": lambda t: ("POST", f"/posts/{t.post}/submit", None),
    "approve post": lambda t: ("POST", f"/posts/{t.post}/approve", None),
    "reject post": lambda t: ("POST", f"/posts/{t.post}/reject", {"comment": "Tidak"}),
    "schedule post": lambda t: ("POST", f"/posts/{t.post}/schedule", {}),
    "publish post now": lambda t: ("POST", f"/posts/{t.post}/publish-now", None),
    "cancel post": lambda t: ("POST", f"/posts/{t.post}/cancel", None),
    "retry variant": lambda t: ("POST", f"/posts/{t.post}/variants/{t.post}/retry", None),
    "get media": lambda t: ("GET", f"/media/{t.media}", None),
    "update media": lambda t: ("PATCH", f"/media/{t.media}", {"alt_text": "diambil"}),
    "delete media": lambda t: ("DELETE", f"/media/{t.media}", None),
    "read writing settings": lambda t: ("GET", f"/units/{t.unit.id}/writing-settings", None),
    "update writing settings": lambda t: (
        "PUT",
        f"/units/{t.unit.id}/writing-settings",
        {"ignored_words": ["guna"]},
    ),
    "check writing": lambda t: (
        "POST",
        "/writing/check",
        {"unit_id": t.unit.id, "platform": "x", "text": "Dalam rangka HUT"},
    ),
    "read x spend": lambda t: ("GET", f"/units/{t.unit.id}/x-spend", None),
    "set x spend cap": lambda t: ("PUT", f"/units/{t.unit.id}/x-spend-cap", {"cap_usd": 0}),
    "read holds": lambda t: ("GET", f"/units/{t.unit.id}/holds", None),
    "pause unit": lambda t: ("POST", f"/units/{t.unit.id}/pause", {"reason": "Diambil alih"}),
    "resume unit": lambda t: ("POST", f"/units/{t.unit.id}/resume", None),
    "add blackout": lambda t: ("POST", f"/units/{t.unit.id}/blackouts", HOLD_PERIOD),
    # The unit is checked first; a real period of B's: test_holds_api.py (not found via A).
    "remove blackout": lambda t: ("DELETE", f"/units/{t.unit.id}/blackouts/{t.post}", None),
    **{
        f"analytics {what}": (
            lambda t, what=what: ("GET", f"/analytics/units/{t.unit.id}/{what}", None)
        )
        for what in ANALYTICS
    },
    "update metrics settings": lambda t: (
        "PUT",
        f"/analytics/units/{t.unit.id}/settings",
        {"dormant_days": 3},
    ),
    # Integrations. Keys, webhooks and feeds are reached through their unit (checked first).
    "make api key": lambda t: (
        "POST",
        f"/units/{t.unit.id}/api-keys",
        {"name": "Portal", "scopes": ["posts:read"]},
    ),
    "list api keys": lambda t: ("GET", f"/units/{t.unit.id}/api-keys", None),
    "revoke api key": lambda t: ("POST", f"/units/{t.unit.id}/api-keys/{t.post}/revoke", None),
    "subscribe webhook": lambda t: (
        "POST",
        f"/units/{t.unit.id}/webhooks",
        {"url": "https://penerima.example.go.id/hook", "events": ["post.published"]},
    ),
    "list webhooks": lambda t: ("GET", f"/units/{t.unit.id}/webhooks", None),
    "update webhook": lambda t: (
        "PATCH",
        f"/units/{t.unit.id}/webhooks/{t.post}",
        {"paused": True},
    ),
    "delete webhook": lambda t: ("DELETE", f"/units/{t.unit.id}/webhooks/{t.post}", None),
    "webhook deliveries": lambda t: (
        "GET",
        f"/units/{t.unit.id}/webhooks/{t.post}/deliveries",
        None,
    ),
    "test webhook": lambda t: ("POST", f"/units/{t.unit.id}/webhooks/{t.post}/test", None),
    "submit activity": lambda t: ("POST", "/submissions", {"unit_id": t.unit.id, **ACTIVITY}),
    "get submission": lambda t: ("GET", f"/submissions/{t.submission}", None),
    "start submission": lambda t: ("POST", f"/submissions/{t.submission}/start", None),
    "decline submission": lambda t: (
        "POST",
        f"/submissions/{t.submission}/decline",
        {"reason": "Tidak"},
    ),
    "draft from submission": lambda t: ("POST", f"/submissions/{t.submission}/draft", {}),
    "unit calendar": lambda t: ("GET", f"/units/{t.unit.id}/calendar.ics", None),
    "make unit calendar feed": lambda t: ("POST", f"/units/{t.unit.id}/calendar-feeds", None),
    "list unit calendar feeds": lambda t: ("GET", f"/units/{t.unit.id}/calendar-feeds", None),
    "revoke unit calendar feed": lambda t: (
        "POST",
        f"/units/{t.unit.id}/calendar-feeds/{t.post}/revoke",
        None,
    ),
    # Inbox: a real conversation of B's is tested in tests/inbox/test_inbox_isolation.py.
    "route text": lambda t: ("POST", "/inbox/route", {"unit_id": t.unit.id, "text": "cpns"}),
    "practice question": lambda t: (
        "POST",
        "/inbox/practice-questions",
        {"account_id": t.account, "text": "Lowongan?"},
    ),
    "read conversation": lambda t: ("GET", f"/inbox/conversations/{t.post}", None),
    "assign conversation": lambda t: (
        "POST",
        f"/inbox/conversations/{t.post}/assign",
        {"assignee_id": t.member.id},
    ),
    "conversation status": lambda t: (
        "POST",
        f"/inbox/conversations/{t.post}/status",
        {"status": "closed"},
    ),
    "answer conversation": lambda t: (
        "POST",
        f"/inbox/conversations/{t.post}/answers",
        {"text": "Jawaban"},
    ),
    "approve answer": lambda t: ("POST", f"/inbox/answers/{t.post}/approve", None),
    "mark request": lambda t: (
        "POST",
        f"/inbox/conversations/{t.post}/request",
        {"kind": "information"},
    ),
    "extend request": lambda t: (
        "POST",
        f"/inbox/conversations/{t.post}/request/extend",
        {"reason": "Dokumen masih dikumpulkan"},
    ),
    "lapor reference": lambda t: (
        "PUT",
        f"/inbox/conversations/{t.post}/lapor",
        {"reference": "L-1", "status": "Diproses"},
    ),
    "inbox topics": lambda t: ("GET", f"/units/{t.unit.id}/inbox/topics", None),
    "topic experts": lambda t: (
        "PUT",
        f"/units/{t.unit.id}/inbox/topics/{t.post}/experts",
        {"user_ids": []},
    ),
    "add topic": lambda t: (
        "POST",
        f"/units/{t.unit.id}/inbox/topics",
        {"name": "Umum", "keywords": {"umum": 1}},
    ),
    "update topic": lambda t: (
        "PATCH",
        f"/units/{t.unit.id}/inbox/topics/{t.post}",
        {"name": "Baru"},
    ),
    "delete topic": lambda t: ("DELETE", f"/units/{t.unit.id}/inbox/topics/{t.post}", None),
    "privacy log": lambda t: ("GET", f"/units/{t.unit.id}/inbox/privacy-requests", None),
    "saved answers": lambda t: ("GET", f"/units/{t.unit.id}/inbox/saved-answers", None),
    "add saved answer": lambda t: (
        "POST",
        f"/units/{t.unit.id}/inbox/saved-answers",
        {"title": "Umum", "text": "Terima kasih"},
    ),
    "update saved answer": lambda t: (
        "PUT",
        f"/units/{t.unit.id}/inbox/saved-answers/{t.post}",
        {"title": "Umum", "text": "Terima kasih"},
    ),
    "delete saved answer": lambda t: (
        "DELETE",
        f"/units/{t.unit.id}/inbox/saved-answers/{t.post}",
        None,
    ),
    "inbox settings": lambda t: ("GET", f"/units/{t.unit.id}/inbox/settings", None),
    "update inbox settings": lambda t: (
        "PATCH",
        f"/units/{t.unit.id}/inbox/settings",
        {"retention_days": 90},
    ),
    "inbox stats": lambda t: ("GET", f"/units/{t.unit.id}/inbox/stats", None),
    "privacy request": lambda t: (
        "POST",
        f"/units/{t.unit.id}/inbox/privacy-requests",
        {"platform": "x", "author_handle": "warga", "action": "delete"},
    ),
    "reschedule variant": lambda t: (
        "POST",
        f"/posts/{t.post}/variants/{t.variant}/reschedule",
        LATER,
    ),
    "read comments": lambda t: ("GET", f"/posts/{t.post}/comments", None),
    "comment": lambda t: ("POST", f"/posts/{t.post}/comments", {"body": "Masuk"}),
    "list templates": lambda t: ("GET", f"/units/{t.unit.id}/templates", None),
    "create template": lambda t: ("POST", f"/units/{t.unit.id}/templates", TEMPLATE),
    "update template": lambda t: (
        "PATCH",
        f"/units/{t.unit.id}/templates/{t.template}",
        {"name": "Diambil"},
    ),
    "delete template": lambda t: ("DELETE", f"/units/{t.unit.id}/templates/{t.template}", None),
}


def missing_twin(t: Tenant) -> Tenant:
    """The same requests aimed at ids that do not exist at all."""
    return Tenant(
        Unit(id=MISSING, name="", slug="", timezone=""),
        User(id=MISSING),
        User(id=MISSING),
        MISSING,
        MISSING,
        MISSING,
        "",
        MISSING,
    )


async def send(
    client: httpx.AsyncClient, headers: dict[str, str], req: tuple[str, str, Any]
) -> httpx.Response:
    method, path, body = req
    return await client.request(method, f"/api/v1{path}", json=body, headers=headers)


async def unit_events(world: World, unit: Unit) -> list[tuple[str, str]]:
    rows = await world.session.scalars(
        select(AuditEvent).where(AuditEvent.unit_id == unit.id).order_by(AuditEvent.id)
    )
    return [(e.action, e.object_type) for e in rows]


@pytest.mark.parametrize("name", sorted(TARGETED))
async def test_other_units_objects_are_not_found(
    client: httpx.AsyncClient, world: World, pair: Pair, name: str
) -> None:
    headers = world.headers(pair.a.admin)
    before = await unit_events(world, pair.b.unit)
    res = await send(client, headers, TARGETED[name](pair.b))
    assert res.status_code == 404, res.text
    missing = await send(client, headers, TARGETED[name](missing_twin(pair.b)))
    assert missing.status_code == 404, missing.text
    # Indistinguishable from an object that does not exist.
    assert error_of(res)["error"] == error_of(missing)["error"]
    assert await unit_events(world, pair.b.unit) == before


@pytest.mark.parametrize("what", ANALYTICS)
async def test_a_units_metrics_key_reads_no_other_units_analytics(
    client: httpx.AsyncClient, world: World, pair: Pair, what: str
) -> None:
    made = await client.post(
        f"/api/v1/units/{pair.a.unit.id}/api-keys",
        json={"name": "Dasbor", "scopes": ["metrics:read"]},
        headers=world.headers(pair.a.admin),
    )
    assert made.status_code == 201, made.text
    headers = {"X-API-Key": made.json()["key"]}
    own = await client.get(f"/api/v1/analytics/units/{pair.a.unit.id}/{what}", headers=headers)
    assert own.status_code == 200, own.text
    answers = []
    for unit_id in (pair.b.unit.id, MISSING):
        res = await client.get(f"/api/v1/analytics/units/{unit_id}/{what}", headers=headers)
        assert res.status_code == 404, res.text
        answers.append(error_of(res)["error"])
    assert answers == ["unit_not_found", "unit_not_found"]


async def test_cross_unit_upload_is_not_found(
    client: httpx.AsyncClient, world: World, pair: Pair
) -> None:
    res = await upload(client, world.headers(pair.a.admin), pair.b.unit)
    assert res.status_code == 404 and error_of(res)["error"] == "unit_not_found"
    missing = await upload(client, world.headers(pair.a.admin), MISSING)
    assert missing.status_code == 404 and error_of(missing)["error"] == "unit_not_found"


async def test_cross_unit_references_in_a_post_are_invalid(
    client: httpx.AsyncClient, world: World, pair: Pair
) -> None:
    headers = world.headers(pair.a.admin)
    body = {
        "unit_id": pair.a.unit.id,
        "title": "Campur",
        "variants": [
            {"account_id": pair.b.account, "text": "a"},
            {"account_id": pair.a.account, "text": "b", "media_ids": [pair.b.media]},
        ],
    }
    for path in ("/api/v1/posts", "/api/v1/posts/validate", f"/api/v1/posts/{pair.a.post}"):
        method = "PATCH" if path.endswith(str(pair.a.post)) else "POST"
        send_body = {"variants": body["variants"]} if method == "PATCH" else body
        res = await client.request(method, path, json=send_body, headers=headers)
        assert res.status_code == 422, res.text
        assert set(error_of(res)["fields"]) == {"variants.0.account_id", "variants.1.media_ids"}


LISTS: dict[str, Callable[[Tenant], tuple[str, dict[str, Any], str]]] = {
    # name -> (path, params, what to collect from each item)
    "units": lambda b: ("/units", {}, "id"),
    "accounts": lambda b: ("/accounts", {}, "id"),
    "accounts of B": lambda b: ("/accounts", {"unit_id": b.unit.id}, "id"),
    "posts": lambda b: ("/posts", {}, "id"),
    "posts of B": lambda b: ("/posts", {"unit_id": b.unit.id}, "id"),
    "posts by B's account": lambda b: ("/posts", {"account_id": b.account}, "id"),
    "posts by B's text": lambda b: ("/posts", {"q": "teks B"}, "id"),
    "posts in B's category": lambda b: ("/posts", {"category": b.category}, "id"),
    "media": lambda b: ("/media", {}, "id"),
    "media of B": lambda b: ("/media", {"unit_id": b.unit.id}, "id"),
}


@pytest.mark.parametrize("role", list(Role))
async def test_lists_never_show_other_units_rows(
    client: httpx.AsyncClient, world: World, pair: Pair, role: Role
) -> None:
    user = await world.user(pair.a.unit, role)
    headers = world.headers(user)
    b_ids = {
        "/units": pair.b.unit.id,
        "/accounts": pair.b.account,
        "/posts": pair.b.post,
        "/media": pair.b.media,
    }
    a_ids = {
        "/units": pair.a.unit.id,
        "/accounts": pair.a.account,
        "/posts": pair.a.post,
        "/media": pair.a.media,
    }
    for name, make in LISTS.items():
        path, params, key = make(pair.b)
        res = await client.get(f"/api/v1{path}", params=params, headers=headers)
        assert res.status_code == 200, (name, res.text)
        body = res.json()
        ids = [item[key] for item in body["items"]]
        assert b_ids[path] not in ids, name
        if not params:
            assert a_ids[path] in ids, name  # the list works; it just hides B
        if path == "/posts":
            counted = await client.get(
                f"/api/v1{path}", params={**params, "count": "true"}, headers=headers
            )
            assert counted.json()["total"] == len(ids), name
    categories = await client.get("/api/v1/posts/categories", headers=headers)
    assert categories.json() == {"items": [pair.a.category]}
    of_b = await client.get(
        "/api/v1/posts/categories", params={"unit_id": pair.b.unit.id}, headers=headers
    )
    assert of_b.json() == {"items": []}
    members = await client.get(f"/api/v1/units/{pair.a.unit.id}/members", headers=headers)
    member_ids = {m["user_id"] for m in members.json()["items"]}
    assert pair.b.admin.id not in member_ids and pair.b.member.id not in member_ids
    mine = await client.get("/api/v1/me/invitations", headers=headers)
    assert mine.status_code == 200 and mine.json() == {"items": []}
    if role == Role.admin:
        sent = await client.get(f"/api/v1/units/{pair.a.unit.id}/invitations", headers=headers)
        assert [i["id"] for i in sent.json()["items"]] == [pair.a.invite]


@pytest.mark.parametrize("role", list(Role))
async def test_submission_lists_never_show_other_units_rows(
    client: httpx.AsyncClient, world: World, pair: Pair, role: Role
) -> None:
    headers = world.headers(await world.user(pair.a.unit, role))
    for params in ({}, {"unit_id": pair.b.unit.id}, {"post_id": pair.b.post}):
        res = await client.get("/api/v1/submissions", params=params, headers=headers)
        assert res.status_code == 200, res.text
        ids = [s["id"] for s in res.json()["items"]]
        assert pair.b.submission not in ids
        # Admins and editors work A's queue; others see only their own (none here).
        assert (pair.a.submission in ids) == (not params and role in MANAGERS)


async def test_superuser_sees_every_unit(
    client: httpx.AsyncClient, world: World, pair: Pair
) -> None:
    root = await world.user(superuser=True)
    headers = world.headers(root)
    units = await client.get("/api/v1/units", headers=headers)
    assert {pair.a.unit.id, pair.b.unit.id} <= {u["id"] for u in units.json()["items"]}
    assert (await client.get(f"/api/v1/posts/{pair.b.post}", headers=headers)).status_code == 200


# --- the permission table --------------------------------------------------------------------

ALL = set(Role)
WRITERS = {Role.admin, Role.editor, Role.contributor}
MANAGERS = {Role.admin, Role.editor}
ADMINS = {Role.admin}


@dataclass
class Scene:
    t: Tenant
    headers: dict[str, str]
    outsider: User  # not a member of the unit


Op = Callable[[httpx.AsyncClient, Scene], Awaitable[httpx.Response]]


def req(make: Callable[[Scene], tuple[str, str, Any]]) -> Op:
    async def op(client: httpx.AsyncClient, s: Scene) -> httpx.Response:
        return await send(client, s.headers, make(s))

    return op


async def _upload(client: httpx.AsyncClient, s: Scene) -> httpx.Response:
    return await upload(client, s.headers, s.t.unit)


async def _page_token(client: httpx.AsyncClient, s: Scene) -> httpx.Response:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as net:
        net.get(f"{GRAPH}/me").respond(200, json={"id": "101", "name": "Humas"})
        net.get(f"{GRAPH}/debug_token").respond(
            200, json={"data": {"is_valid": True, "type": "PAGE"}}
        )
        body = {"unit_id": s.t.unit.id, "platform": "facebook", "access_token": "EAAB-token"}
        return await client.post("/api/v1/accounts/manual", json=body, headers=s.headers)


OPERATIONS: dict[str, tuple[Op, set[Role]]] = {
    "read unit": (req(lambda s: ("GET", f"/units/{s.t.unit.id}", None)), ALL),
    "update unit": (req(lambda s: ("PATCH", f"/units/{s.t.unit.id}", {"name": "Baru"})), ADMINS),
    "list members": (req(lambda s: ("GET", f"/units/{s.t.unit.id}/members", None)), ALL),
    "add member": (
        req(
            lambda s: (
                "POST",
                f"/units/{s.t.unit.id}/members",
                {
                    "email": s.outsider.email,
                    "role": "viewer",
                    "name": "O",
                    "password": "kata-sandi-awal-123",
                },
            )
        ),
        ADMINS,
    ),
    "list invitations": (req(lambda s: ("GET", f"/units/{s.t.unit.id}/invitations", None)), ADMINS),
    "revoke invitation": (
        req(lambda s: ("DELETE", f"/units/{s.t.unit.id}/invitations/{s.t.invite}", None)),
        ADMINS,
    ),
    "list my invitations": (req(lambda s: ("GET", "/me/invitations", None)), ALL),
    "change role": (
        req(
            lambda s: ("PATCH", f"/units/{s.t.unit.id}/members/{s.t.member.id}", {"role": "editor"})
        ),
        ADMINS,
    ),
    "remove member": (
        req(lambda s: ("DELETE", f"/units/{s.t.unit.id}/members/{s.t.member.id}", None)),
        ADMINS,
    ),
    "list accounts": (req(lambda s: ("GET", "/accounts", None)), ALL),
    "read account": (req(lambda s: ("GET", f"/accounts/{s.t.account}", None)), ALL),
    "create account": (
        req(
            lambda s: (
                "POST",
                "/accounts",
                {"unit_id": s.t.unit.id, "platform": "x", "handle": "@b", "display_name": "B"},
            )
        ),
        ADMINS,
    ),
    "update account": (
        req(lambda s: ("PATCH", f"/accounts/{s.t.account}", {"display_name": "Baru"})),
        ADMINS,
    ),
    "disable account": (req(lambda s: ("POST", f"/accounts/{s.t.account}/disable", None)), ADMINS),
    "disconnect account": (
        req(lambda s: ("POST", f"/accounts/{s.t.account}/disconnect", None)),
        ADMINS,
    ),
    "start connecting": (
        req(lambda s: ("POST", "/accounts/connect", {"unit_id": s.t.unit.id, "platform": "x"})),
        ADMINS,
    ),
    "read connection": (
        req(lambda s: ("GET", f"/accounts/connect/{s.t.connection}", None)),
        ADMINS,
    ),
    "add a page token": (_page_token, ADMINS),
    "list posts": (req(lambda s: ("GET", "/posts", None)), ALL),
    "read post": (req(lambda s: ("GET", f"/posts/{s.t.post}", None)), ALL),
    "validate": (
        req(
            lambda s: (
                "POST",
                "/posts/validate",
                {"unit_id": s.t.unit.id, "title": "Cek", "variants": variant(s.t.account)},
            )
        ),
        ALL,
    ),
    "create post": (
        req(
            lambda s: (
                "POST",
                "/posts",
                {"unit_id": s.t.unit.id, "title": "Baru", "variants": variant(s.t.account)},
            )
        ),
        WRITERS,
    ),
    "update another's post": (
        req(lambda s: ("PATCH", f"/posts/{s.t.post}", {"title": "Diubah"})),
        MANAGERS,
    ),
    "delete another's post": (req(lambda s: ("DELETE", f"/posts/{s.t.post}", None)), MANAGERS),
    "submit another's post": (req(lambda s: ("POST", f"/posts/{s.t.post}/submit", None)), MANAGERS),
    "list media": (req(lambda s: ("GET", "/media", None)), ALL),
    "read media": (req(lambda s: ("GET", f"/media/{s.t.media}", None)), ALL),
    "upload media": (_upload, WRITERS),
    "update another's media": (
        req(lambda s: ("PATCH", f"/media/{s.t.media}", {"alt_text": "Keterangan"})),
        MANAGERS,
    ),
    "read writing settings": (
        req(lambda s: ("GET", f"/units/{s.t.unit.id}/writing-settings", None)),
        ALL,
    ),
    "update writing settings": (
        req(
            lambda s: (
                "PUT",
                f"/units/{s.t.unit.id}/writing-settings",
                {"glossary": [{"term": "BPPT"}]},
            )
        ),
        ADMINS,
    ),
    "check writing": (
        req(
            lambda s: (
                "POST",
                "/writing/check",
                {"unit_id": s.t.unit.id, "platform": "instagram", "text": "Adapun jadwal"},
            )
        ),
        ALL,
    ),
    "read x spend": (req(lambda s: ("GET", f"/units/{s.t.unit.id}/x-spend", None)), ALL),
    "set x spend cap": (
        req(lambda s: ("PUT", f"/units/{s.t.unit.id}/x-spend-cap", {"cap_usd": 25.5})),
        ADMINS,
    ),
    # Resuming and removing a period: test_holds_api.py (they need a pause and a period first).
    "read holds": (req(lambda s: ("GET", f"/units/{s.t.unit.id}/holds", None)), ALL),
    "pause unit": (
        req(lambda s: ("POST", f"/units/{s.t.unit.id}/pause", {"reason": "Evaluasi"})),
        MANAGERS,
    ),
    "add blackout": (
        req(lambda s: ("POST", f"/units/{s.t.unit.id}/blackouts", HOLD_PERIOD)),
        MANAGERS,
    ),
    **{
        f"read analytics {what}": (
            req(lambda s, what=what: ("GET", f"/analytics/units/{s.t.unit.id}/{what}", None)),
            ALL,
        )
        for what in ANALYTICS
    },
    "update metrics settings": (
        req(lambda s: ("PUT", f"/analytics/units/{s.t.unit.id}/settings", {"dormant_days": 30})),
        ADMINS,
    ),
    "make api key": (
        req(
            lambda s: (
                "POST",
                f"/units/{s.t.unit.id}/api-keys",
                {"name": "Portal", "scopes": ["posts:read"]},
            )
        ),
        ADMINS,
    ),
    # Conversation steps (assign, answer, approve): tests/inbox/test_inbox_api.py.
    "route text": (
        req(lambda s: ("POST", "/inbox/route", {"unit_id": s.t.unit.id, "text": "cpns"})),
        ALL,
    ),
    "list inbox": (req(lambda s: ("GET", "/inbox/conversations", None)), ALL),
    "practice question": (
        req(lambda s: ("POST", "/inbox/practice-questions", {"account_id": s.t.account})),
        WRITERS,
    ),
    "read inbox settings": (
        req(lambda s: ("GET", f"/units/{s.t.unit.id}/inbox/settings", None)),
        ALL,
    ),
    "update inbox settings": (
        req(
            lambda s: (
                "PATCH",
                f"/units/{s.t.unit.id}/inbox/settings",
                {"response_target_hours": 8},
            )
        ),
        ADMINS,
    ),
    "list api keys": (req(lambda s: ("GET", f"/units/{s.t.unit.id}/api-keys", None)), ADMINS),
    "list webhooks": (req(lambda s: ("GET", f"/units/{s.t.unit.id}/webhooks", None)), ADMINS),
    "submit activity": (
        req(lambda s: ("POST", "/submissions", {"unit_id": s.t.unit.id, **ACTIVITY})),
        WRITERS,
    ),
    "unit calendar": (req(lambda s: ("GET", f"/units/{s.t.unit.id}/calendar.ics", None)), ALL),
    "make unit calendar feed": (
        req(lambda s: ("POST", f"/units/{s.t.unit.id}/calendar-feeds", None)),
        ADMINS,
    ),
    "add saved answer": (
        req(
            lambda s: (
                "POST",
                f"/units/{s.t.unit.id}/inbox/saved-answers",
                {"title": "Umum", "text": "Terima kasih"},
            )
        ),
        MANAGERS,
    ),
    "privacy request": (
        req(
            lambda s: (
                "POST",
                f"/units/{s.t.unit.id}/inbox/privacy-requests",
                {"platform": "x", "author_handle": "warga", "action": "restrict"},
            )
        ),
        MANAGERS,
    ),
    "privacy log": (
        req(lambda s: ("GET", f"/units/{s.t.unit.id}/inbox/privacy-requests", None)),
        MANAGERS,
    ),
    # Changing and removing a topic: tests/inbox/test_inbox_admin.py (they need a topic).
    "add topic": (
        req(
            lambda s: (
                "POST",
                f"/units/{s.t.unit.id}/inbox/topics",
                {"name": "Umum", "keywords": {"umum": 1}},
            )
        ),
        MANAGERS,
    ),
    "read calendar": (
        req(lambda s: ("GET", f"/calendar?unit_id={s.t.unit.id}&{MONTH}", None)),
        ALL,
    ),
    "reschedule another's variant": (
        req(lambda s: ("POST", f"/posts/{s.t.post}/variants/{s.t.variant}/reschedule", LATER)),
        MANAGERS,
    ),
    "read comments": (req(lambda s: ("GET", f"/posts/{s.t.post}/comments", None)), ALL),
    "comment": (req(lambda s: ("POST", f"/posts/{s.t.post}/comments", {"body": "Cek"})), ALL),
    "list templates": (req(lambda s: ("GET", f"/units/{s.t.unit.id}/templates", None)), ALL),
    "create template": (
        req(lambda s: ("POST", f"/units/{s.t.unit.id}/templates", TEMPLATE)),
        WRITERS,
    ),
    "update template": (
        req(
            lambda s: (
                "PATCH",
                f"/units/{s.t.unit.id}/templates/{s.t.template}",
                {"title": "Baru"},
            )
        ),
        WRITERS,
    ),
    "delete template": (
        req(lambda s: ("DELETE", f"/units/{s.t.unit.id}/templates/{s.t.template}", None)),
        WRITERS,
    ),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("operation", list(OPERATIONS))
async def test_permission_table(
    client: httpx.AsyncClient, world: World, role: Role, operation: str
) -> None:
    t = await tenant(client, world, "A")
    user = await world.user(t.unit, role)
    scene = Scene(t, world.headers(user), await world.user())
    op, allowed = OPERATIONS[operation]
    before = await unit_events(world, t.unit)
    res = await op(client, scene)
    if role in allowed:
        assert res.status_code in (200, 201, 202, 204), res.text
    else:
        assert res.status_code == 403, res.text
        assert error_of(res)["error"] == "insufficient_role"
        assert await unit_events(world, t.unit) == before  # nothing changed


@pytest.mark.parametrize("role", list(Role))
async def test_deleting_anothers_unused_media_follows_the_table(
    client: httpx.AsyncClient, world: World, role: Role
) -> None:
    t = await tenant(client, world, "A")
    unused = await upload(client, world.headers(t.admin), t.unit)
    user = await world.user(t.unit, role)
    res = await client.delete(f"/api/v1/media/{unused.json()['id']}", headers=world.headers(user))
    assert res.status_code == (204 if role in MANAGERS else 403), res.text


async def test_a_contributor_changes_and_deletes_own_media(
    client: httpx.AsyncClient, world: World
) -> None:
    t = await tenant(client, world, "A")
    headers = world.headers(await world.user(t.unit, Role.contributor))
    own = (await upload(client, headers, t.unit)).json()["id"]
    res = await client.patch(f"/api/v1/media/{own}", json={"alt_text": "Peta"}, headers=headers)
    assert res.status_code == 200 and res.json()["alt_text"] == "Peta"
    assert (await client.delete(f"/api/v1/media/{own}", headers=headers)).status_code == 204


async def test_notifications_are_only_the_callers_own(
    client: httpx.AsyncClient, world: World, pair: Pair
) -> None:
    """A's admin neither sees, counts, nor marks B's notifications (nor a colleague's)."""
    colleague = await world.user(pair.a.unit, Role.admin)
    theirs = [
        Notification(user_id=user.id, unit_id=unit.id, kind=NotificationKind.approved)
        for user, unit in ((pair.b.admin, pair.b.unit), (colleague, pair.a.unit))
    ]
    world.session.add_all(theirs)
    await world.session.flush()
    headers = world.headers(pair.a.admin)
    listed = await client.get("/api/v1/notifications", headers=headers)
    assert listed.json()["items"] == [] and listed.json()["total"] == 0
    count = await client.get("/api/v1/notifications/unread-count", headers=headers)
    assert count.json() == {"unread": 0}
    for note in theirs:
        res = await client.post(f"/api/v1/notifications/{note.id}/read", headers=headers)
        assert res.status_code == 404 and error_of(res)["error"] == "notification_not_found"
    assert (await client.post("/api/v1/notifications/read-all", headers=headers)).json() == {
        "marked": 0
    }
    for note in theirs:
        await world.session.refresh(note)
        assert note.read_at is None


# --- every endpoint is in the matrix ---------------------------------------------------------

# Operations checked outside TARGETED and LISTS, and where.
ELSEWHERE = {
    ("GET", "/feeds/{token}.ics"): "the token is the key: tests/integrations/test_feeds.py",
    ("GET", "/submissions"): "test_submission_lists_never_show_other_units_rows",
    ("POST", "/me/calendar-feeds"): "the caller's own: tests/integrations/test_feeds.py",
    ("GET", "/me/calendar-feeds"): "the caller's own: tests/integrations/test_feeds.py",
    ("POST", "/me/calendar-feeds/{feed_id}/revoke"): "the caller's own feeds only",
    ("GET", "/health"): "public",
    ("GET", "/meta"): "public",
    ("POST", "/auth/login"): "public",
    ("POST", "/auth/refresh"): "the caller's own token",
    ("POST", "/auth/logout"): "the caller's own token",
    ("GET", "/me"): "the caller's own profile",
    ("PATCH", "/me"): "the caller's own profile",
    ("GET", "/me/invitations"): "test_lists_never_show_other_units_rows",
    ("POST", "/units"): "superuser only: test_unit_admin_cannot_create_units",
    ("GET", "/posts/categories"): "test_lists_never_show_other_units_rows",
    ("POST", "/media"): "test_cross_unit_upload_is_not_found",
    ("GET", "/writing/rules"): "any logged-in user: the rules hold no unit's data",
    ("GET", "/accounts/connect/callback/{platform}"): "public, the one-time state is the proof: "
    "tests/accounts/test_connect.py",
    ("GET", "/notifications"): "test_notifications_are_only_the_callers_own",
    ("GET", "/notifications/unread-count"): "test_notifications_are_only_the_callers_own",
    ("POST", "/notifications/read-all"): "test_notifications_are_only_the_callers_own",
    ("POST", "/notifications/{notification_id}/read"): (
        "test_notifications_are_only_the_callers_own"
    ),
    ("GET", "/holds/agency"): "superuser only: test_agency_holds_are_the_coordinators",
    ("POST", "/holds/agency/pause"): "superuser only: test_agency_holds_are_the_coordinators",
    ("POST", "/holds/agency/resume"): "superuser only: test_agency_holds_are_the_coordinators",
    ("POST", "/holds/agency/blackouts"): "superuser only: test_agency_holds_are_the_coordinators",
    ("DELETE", "/holds/agency/blackouts/{blackout_id}"): (
        "superuser only: test_agency_holds_are_the_coordinators"
    ),
    ("GET", "/analytics/units"): "tests/metrics/test_analytics.py: "
    "test_cross_unit_summary_shows_only_the_callers_units",
    ("GET", "/inbox/conversations"): "tests/inbox/test_inbox_isolation.py",
    ("GET", "/inbox/webhooks/meta"): "public, verify token: tests/inbox/test_ingest.py",
    ("POST", "/inbox/webhooks/meta"): "public, signed: tests/inbox/test_ingest.py",
    ("GET", "/calendar"): "test_another_units_calendar_is_not_found",
}


async def test_another_units_calendar_is_not_found(
    client: httpx.AsyncClient, world: World, pair: Pair
) -> None:
    headers = world.headers(pair.a.admin)
    answers = []
    for unit_id in (pair.b.unit.id, MISSING):
        res = await client.get(f"/api/v1/calendar?unit_id={unit_id}&{MONTH}", headers=headers)
        assert res.status_code == 404, res.text
        answers.append(error_of(res)["error"])
    assert answers == ["unit_not_found", "unit_not_found"]
    # A key of unit A is no way into B's calendar either.
    made = await client.post(
        f"/api/v1/units/{pair.a.unit.id}/api-keys",
        json={"name": "Portal", "scopes": ["calendar:read"]},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    key = {"X-API-Key": made.json()["key"]}
    for unit_id in (pair.b.unit.id, MISSING):
        res = await client.get(f"/api/v1/calendar?unit_id={unit_id}&{MONTH}", headers=key)
        assert res.status_code == 404 and error_of(res)["error"] == "unit_not_found", res.text
    # A's calendar never shows B's posts, even filtered by B's account.
    for post_id in (pair.a.post, pair.b.post):
        post = await world.session.get(Post, post_id)
        assert post is not None
        post.planned_at = datetime(2026, 8, 10, 2, tzinfo=UTC)
    await world.session.flush()
    for params, shown in (("", [pair.a.post]), (f"&account_id={pair.b.account}", [])):
        for who in (headers, key):
            res = await client.get(
                f"/api/v1/calendar?unit_id={pair.a.unit.id}&{MONTH}{params}", headers=who
            )
            assert res.status_code == 200
            assert [e["post_id"] for e in res.json()["entries"]] == shown


def test_every_endpoint_is_in_the_matrix(settings: Settings) -> None:
    paths = create_app(settings).openapi()["paths"]
    operations = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, ops in paths.items()
        for method in ops
    }
    t = missing_twin(Tenant(Unit(), User(), User(), 0, 0, 0, "", 0))
    requests = [make(t)[:2] for make in TARGETED.values()]
    requests += [("GET", make(t)[0]) for make in LISTS.values()]

    def template_of(method: str, path: str) -> tuple[str, str]:
        path = path.split("?")[0]
        for op_method, template in operations:
            pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
            if op_method == method and re.fullmatch(pattern, path):
                return op_method, template
        raise AssertionError(f"{method} {path} matches no operation")

    covered = {template_of(m, p) for m, p in requests} | set(ELSEWHERE)
    assert operations - covered == set(), "add these to TARGETED, LISTS or ELSEWHERE"

"""The inbox's configuration through the API: topics added, renamed, re-keyworded and removed
(and the router follows at once), and the log of privacy requests."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.models import AuditEvent
from gaung.inbox.models import Conversation, InboxExpert, InboxTopic, SavedAnswer
from gaung.inbox.schemas import MAX_KEYWORDS
from gaung.inbox.service import MAX_TOPICS
from gaung.users.models import Role
from tests.conftest import World
from tests.helpers import error_of
from tests.inbox.conftest import Desk

EXPO_QUESTION = "Kak, kapan ada pameran teknologi atau expo lagi?"


def topics_url(desk: Desk, topic_id: int | None = None) -> str:
    base = f"/api/v1/units/{desk.unit.id}/inbox/topics"
    return base if topic_id is None else f"{base}/{topic_id}"


async def route(client: httpx.AsyncClient, world: World, desk: Desk, text: str) -> dict[str, Any]:
    res = await client.post(
        "/api/v1/inbox/route",
        json={"unit_id": desk.unit.id, "text": text},
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 200, res.text
    body: dict[str, Any] = res.json()
    return body


def by_name(listing: httpx.Response, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in listing.json()["items"] if t["name"] == name)
    return found


async def test_a_new_topic_routes_questions_by_its_keywords(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    before = await route(client, world, desk, EXPO_QUESTION)
    assert not before["routed"], before
    res = await client.post(
        topics_url(desk),
        json={"name": "Pameran dan Expo", "keywords": {"Expo": 2, "pameran": 0.5}},
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 201, res.text
    topic = by_name(res, "Pameran dan Expo")
    assert topic["key"] == "pameran-dan-expo"
    assert topic["keywords"] == {"expo": 2.0, "pameran": 0.5}  # lower case
    assert topic["learned"] == {} and topic["expert_ids"] == []
    routed = await route(client, world, desk, EXPO_QUESTION)
    best = routed["suggestions"][0]
    assert routed["routed"] and best["topic_id"] == topic["id"]
    assert best["score"] == 2.5 and sorted(best["matched"]) == ["expo", "pameran"]
    event = await session.scalar(
        select(AuditEvent).where(
            AuditEvent.object_type == "inbox_topic", AuditEvent.action == "create"
        )
    )
    assert event is not None and event.object_id == str(topic["id"])


async def test_the_same_name_gets_its_own_key_but_not_twice_in_a_unit(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    admin = world.headers(desk.admin)
    taken = desk.topics["karier"].name
    res = await client.post(
        topics_url(desk), json={"name": taken.upper(), "keywords": {"cpns": 1}}, headers=admin
    )
    assert res.status_code == 409
    body = error_of(res)
    assert body["error"] == "topic_name_taken" and "name" in body["fields"]
    # A name whose key is taken by an existing topic gets the next free key.
    res = await client.post(
        topics_url(desk), json={"name": "Karier!", "keywords": {"cpns": 1}}, headers=admin
    )
    assert res.status_code == 201 and by_name(res, "Karier!")["key"] == "karier-2"


async def test_renaming_and_new_keywords_take_effect_and_learned_weights_stay(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    air = desk.topics["air"]
    air.learned = {"embung": 0.8}
    await session.flush()
    assert all(
        s["key"] != "air" for s in (await route(client, world, desk, EXPO_QUESTION))["suggestions"]
    )
    res = await client.patch(
        topics_url(desk, air.id),
        json={"name": "Air dan pameran", "keywords": {"air": 1, "expo": 1.5}},
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 200, res.text
    topic = by_name(res, "Air dan pameran")
    assert topic["key"] == "air" and topic["keywords"] == {"air": 1.0, "expo": 1.5}
    assert topic["learned"] == {"embung": 0.8}
    routed = await route(client, world, desk, EXPO_QUESTION)
    assert routed["suggestions"][0]["topic_id"] == air.id
    assert routed["suggestions"][0]["matched"] == ["expo"]
    # Keeping its own name (in another case) is not a clash; another topic's name is.
    same = await client.patch(
        topics_url(desk, air.id),
        json={"name": "AIR DAN PAMERAN"},
        headers=world.headers(desk.admin),
    )
    assert same.status_code == 200
    clash = await client.patch(
        topics_url(desk, air.id),
        json={"name": desk.topics["karier"].name},
        headers=world.headers(desk.admin),
    )
    assert clash.status_code == 409 and error_of(clash)["error"] == "topic_name_taken"


async def test_removing_a_topic_returns_its_questions_to_the_admins(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    karier_id = desk.topics["karier"].id
    url, admin = topics_url(desk, karier_id), world.headers(desk.admin)
    asked = await client.post(
        "/api/v1/inbox/practice-questions",
        json={"account_id": desk.account.id, "text": "Formasi CPNS tahun ini kapan dibuka?"},
        headers=admin,
    )
    assert asked.json()["topic_id"] == karier_id
    saved = await client.post(
        f"/api/v1/units/{desk.unit.id}/inbox/saved-answers",
        json={"topic_id": karier_id, "title": "CPNS", "text": "Lihat sscasn.bkn.go.id."},
        headers=admin,
    )
    res = await client.delete(url, headers=admin)
    assert res.status_code == 204, res.text
    session.expire_all()
    conv = await session.get(Conversation, asked.json()["id"])
    assert conv is not None and conv.topic_id is None
    kept = await session.get(SavedAnswer, saved.json()["id"])
    assert kept is not None and kept.topic_id is None  # now a general saved answer
    assert await session.get(InboxTopic, karier_id) is None
    experts = await session.scalars(select(InboxExpert).where(InboxExpert.topic_id == karier_id))
    assert list(experts) == []
    again = await client.delete(url, headers=admin)
    assert again.status_code == 404 and error_of(again)["error"] == "topic_not_found"


async def test_another_units_topic_is_not_found_through_ones_own_unit(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    other = await world.unit("Lain")
    theirs = InboxTopic(unit_id=other.id, key="x", name="X", keywords={"x": 1}, learned={})
    session.add(theirs)
    await session.flush()
    admin = world.headers(desk.admin)
    for res in (
        await client.patch(topics_url(desk, theirs.id), json={"name": "Y"}, headers=admin),
        await client.delete(topics_url(desk, theirs.id), headers=admin),
    ):
        assert res.status_code == 404 and error_of(res)["error"] == "topic_not_found"
    await session.refresh(theirs)
    assert theirs.name == "X"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.admin, True),
        (Role.editor, True),
        (Role.contributor, False),
        (Role.expert, False),
        (Role.viewer, False),
    ],
)
async def test_only_managers_change_and_remove_topics(
    client: httpx.AsyncClient, world: World, desk: Desk, role: Role, allowed: bool
) -> None:
    headers = world.headers(await world.user(desk.unit, role))
    topic = desk.topics["cuaca"].id
    changed = await client.patch(
        topics_url(desk, topic), json={"keywords": {"hujan": 1}}, headers=headers
    )
    removed = await client.delete(topics_url(desk, topic), headers=headers)
    if allowed:
        assert (changed.status_code, removed.status_code) == (200, 204)
    else:
        for res in (changed, removed):
            assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"name": "A", "keywords": {}}, "keywords", "too_short"),
        (
            {"name": "A", "keywords": {f"kata{i}": 1 for i in range(MAX_KEYWORDS + 1)}},
            "keywords",
            "too_long",
        ),
        ({"name": "A", "keywords": {"k" * 61: 1}}, "keywords.kkkk", "too_long"),
        ({"name": "A", "keywords": {"banjir": 0}}, "keywords.banjir", "greater_than"),
        ({"name": "A", "keywords": {"banjir": 6}}, "keywords.banjir", "less_than_equal"),
        ({"name": "A", "keywords": {"banjir": "banyak"}}, "keywords.banjir", "float_parsing"),
        ({"name": "A", "keywords": {"?!": 1}}, "keywords", "value_error"),
        ({"name": "A", "keywords": {"Banjir": 1, "banjir": 2}}, "keywords", "value_error"),
        ({"name": " ", "keywords": {"banjir": 1}}, "name", "too_short"),
        ({"name": "A" * 201, "keywords": {"banjir": 1}}, "name", "too_long"),
        ({"name": "A", "keywords": {"banjir": 1}, "key": "a"}, "key", "extra_forbidden"),
        ({"keywords": {"banjir": 1}}, "name", "missing"),
    ],
)
async def test_bad_topics_are_refused_naming_the_field_and_rule(
    client: httpx.AsyncClient,
    world: World,
    desk: Desk,
    body: dict[str, Any],
    field: str,
    rule: str,
) -> None:
    res = await client.post(topics_url(desk), json=body, headers=world.headers(desk.admin))
    assert res.status_code == 422, res.text
    error = error_of(res)
    # Dict keys show in the path: match the field by its start for the long keyword.
    named = [f for f in error["fields"] if f == field or f.startswith(field)]
    assert named, error
    assert error["rules"][named[0]] == rule, error


async def test_a_patch_with_no_keywords_is_refused(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    res = await client.patch(
        topics_url(desk, desk.topics["air"].id),
        json={"keywords": {}},
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 422 and error_of(res)["rules"] == {"keywords": "too_short"}


async def test_a_unit_has_a_bounded_number_of_topics(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    session.add_all(
        InboxTopic(unit_id=desk.unit.id, key=f"t{i}", name=f"T{i}", keywords={"a": 1}, learned={})
        for i in range(MAX_TOPICS - len(desk.topics))
    )
    await session.flush()
    res = await client.post(
        topics_url(desk),
        json={"name": "Satu lagi", "keywords": {"lagi": 1}},
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 409
    assert error_of(res)["error"] == "too_many_topics"
    assert error_of(res)["limits"] == {"topics": {"max": MAX_TOPICS}}


async def test_the_privacy_log_says_when_and_how_many_but_not_who(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    admin = world.headers(desk.admin)
    asked = await client.post(
        "/api/v1/inbox/practice-questions",
        json={"account_id": desk.account.id, "text": "Lowongan magang ada?"},
        headers=admin,
    )
    handle = asked.json()["messages"][0]["author_handle"]
    url = f"/api/v1/units/{desk.unit.id}/inbox/privacy-requests"
    first = await client.post(
        url,
        json={"platform": "x", "author_handle": "orang_lain", "action": "restrict"},
        headers=admin,
    )
    second = await client.post(
        url,
        json={"platform": "facebook", "author_handle": handle, "action": "delete"},
        headers=admin,
    )
    log = await client.get(url, headers=admin)
    assert log.status_code == 200
    items = log.json()["items"]
    assert [i["id"] for i in items] == [second.json()["id"], first.json()["id"]]
    assert [(i["action"], i["affected"]) for i in items] == [("delete", 1), ("restrict", 0)]
    assert all(i["done_at"] is not None and i["requested_at"] for i in items)
    assert handle not in log.text and "orang_lain" not in log.text
    denied = await client.get(url, headers=world.headers(desk.viewer))
    assert denied.status_code == 403 and error_of(denied)["error"] == "insufficient_role"

"""A unit's inbox stays its own: another unit's conversation is not found by any step, never
listed, and its questions are never routed with another unit's topics or experts."""

from __future__ import annotations

import httpx

from gaung.inbox.service import seed_topics
from gaung.users.models import Role
from tests.conftest import World
from tests.helpers import error_of
from tests.inbox.conftest import Desk


async def test_another_units_conversation_is_not_found(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    made = await client.post(
        "/api/v1/inbox/practice-questions",
        json={"account_id": desk.account.id, "text": "formasi cpns ada?"},
        headers=world.headers(desk.admin),
    )
    conv = made.json()
    other = await world.unit("Lain")
    await seed_topics(world.session, other.id)
    intruder = world.headers(await world.user(other, Role.admin))
    path = f"/api/v1/inbox/conversations/{conv['id']}"
    for method, url, body in [
        ("GET", path, None),
        ("POST", f"{path}/assign", {"assignee_id": desk.expert.id}),
        ("POST", f"{path}/status", {"status": "spam"}),
        ("POST", f"{path}/answers", {"text": "Diambil alih"}),
        ("POST", f"{path}/request", {"kind": "complaint"}),
        ("PUT", f"{path}/lapor", {"reference": "L", "status": "S"}),
    ]:
        res = await client.request(method, url, json=body, headers=intruder)
        assert res.status_code == 404, (url, res.text)
        assert error_of(res)["error"] == "conversation_not_found"
    listed = await client.get("/api/v1/inbox/conversations", headers=intruder)
    assert listed.json() == {"items": [], "total": 0}
    of_a = await client.get(
        "/api/v1/inbox/conversations", params={"unit_id": desk.unit.id}, headers=intruder
    )
    assert of_a.json() == {"items": [], "total": 0}
    mine = await client.get("/api/v1/inbox/conversations", headers=world.headers(desk.admin))
    assert [c["id"] for c in mine.json()["items"]] == [conv["id"]]
    # Routed with its own unit's topic and expert.
    assert conv["topic_id"] == desk.topics["karier"].id

"""Post templates per unit: writers add, change and delete them, every member reads them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gaung.users.models import Role, User
from tests.conftest import World
from tests.helpers import audit_events, error_of

GREETING = {
    "name": "Kartu ucapan",
    "kind": "greeting",
    "title": "Selamat [nama hari]",
    "base_text": "Selamat memperingati [nama hari]!",
    "texts": {"instagram": "Selamat memperingati [nama hari]! 🇮🇩"},
    "category": "Ucapan",
    "hashtags": ["PTPSW", "#BPPT", "#PTPSW"],
}


async def test_writers_keep_a_template_library(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    writer = await world.user(unit, Role.contributor)
    viewer = await world.user(unit, Role.viewer)
    base = f"/api/v1/units/{unit.id}/templates"
    res = await client.post(base, json=GREETING, headers=world.headers(writer))
    assert res.status_code == 201, res.text
    made = res.json()
    assert {k: made[k] for k in GREETING} == GREETING | {"hashtags": ["#PTPSW", "#BPPT"]}
    assert made["unit_id"] == unit.id
    listed = await client.get(base, headers=world.headers(viewer))
    assert [t["id"] for t in listed.json()["items"]] == [made["id"]]

    res = await client.patch(
        f"{base}/{made['id']}",
        json={"title": "Ucapan Hari Pahlawan", "texts": {"x": "Selamat Hari Pahlawan!"}},
        headers=world.headers(writer),
    )
    assert res.status_code == 200, res.text
    assert res.json()["title"] == "Ucapan Hari Pahlawan"
    assert res.json()["texts"] == {"x": "Selamat Hari Pahlawan!"}
    assert res.json()["base_text"] == GREETING["base_text"]

    denied = await client.post(base, json=GREETING, headers=world.headers(viewer))
    assert denied.status_code == 403 and error_of(denied)["error"] == "insufficient_role"
    assert (
        await client.delete(f"{base}/{made['id']}", headers=world.headers(writer))
    ).status_code == 204
    assert (await client.get(base, headers=world.headers(viewer))).json() == {"items": []}
    actions = [e.action for e in await audit_events(world.session, "post_template", made["id"])]
    assert actions == ["create", "update", "delete"]


async def test_another_units_template_is_not_found_through_mine(
    client: httpx.AsyncClient, world: World
) -> None:
    mine, theirs = await world.unit(), await world.unit()
    me: User = await world.user(mine, Role.admin)
    other = await world.user(theirs, Role.admin)
    made = await client.post(
        f"/api/v1/units/{theirs.id}/templates", json=GREETING, headers=world.headers(other)
    )
    res = await client.patch(
        f"/api/v1/units/{mine.id}/templates/{made.json()['id']}",
        json={"name": "Diambil"},
        headers=world.headers(me),
    )
    assert res.status_code == 404 and error_of(res)["error"] == "template_not_found"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "kartu"}, "kind"),
        ({"name": ""}, "name"),
        ({"texts": {"tiktok": "hai"}}, "texts"),
        ({"hashtags": ["dua kata"]}, "hashtags"),
        ({"hashtags": ["#"]}, "hashtags"),
        ({"title": "a" * 201}, "title"),
    ],
)
async def test_bad_templates_name_the_field(
    client: httpx.AsyncClient, world: World, body: dict[str, Any], field: str
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    res = await client.post(
        f"/api/v1/units/{unit.id}/templates", json=GREETING | body, headers=world.headers(admin)
    )
    assert res.status_code == 422, res.text
    assert any(k.split(".")[0] == field for k in error_of(res)["fields"]), res.text


async def test_a_required_field_cannot_be_emptied(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    made = await client.post(
        f"/api/v1/units/{unit.id}/templates", json=GREETING, headers=world.headers(admin)
    )
    res = await client.patch(
        f"/api/v1/units/{unit.id}/templates/{made.json()['id']}",
        json={"title": None},
        headers=world.headers(admin),
    )
    assert res.status_code == 422 and error_of(res)["fields"] == {"title": "required"}

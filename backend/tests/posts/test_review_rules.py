"""The unit's pre-publication checklist on approval, the alt-text rule on submit and schedule,
a post's data source, and the review thread."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.conftest import World
from tests.helpers import error_of, upload
from tests.posts.test_workflow import (
    Team,
    future,
    new_post,
    ok,
    statuses,
    step,
    team_of,
)

from gaung.units.models import DEFAULT_CHECKLIST
from gaung.users.models import Role

SIX = list(DEFAULT_CHECKLIST)


@pytest.fixture
async def team(world: World) -> Team:
    return await team_of(world)


@pytest.fixture
async def strict(world: World) -> Team:
    """A unit with the defaults: the six principles to tick, alt text required."""
    return await team_of(world, await world.unit(checklist=SIX, require_alt_text=True))


async def test_a_new_unit_has_the_six_principles_slots_and_the_alt_text_rule(
    client: httpx.AsyncClient, world: World
) -> None:
    root = await world.user(superuser=True)
    res = await client.post(
        "/api/v1/units",
        json={"name": "Biro Humas", "slug": "biro-humas"},
        headers=world.headers(root),
    )
    assert res.status_code == 201, res.text
    unit = res.json()
    assert unit["checklist"] == [
        "Kredibel",
        "Integritas",
        "Profesional",
        "Responsif",
        "Terintegrasi",
        "Representatif",
    ]
    assert unit["default_slots"] == ["09:00", "12:00", "19:00"]
    assert unit["require_alt_text"] is True


async def test_approving_needs_every_checklist_item(
    client: httpx.AsyncClient, strict: Team
) -> None:
    post = await new_post(client, strict)
    await ok(client, strict, strict.author, post["id"], "submit")
    for body in (None, {}, {"checklist": SIX[:5]}):
        res = await step(client, strict, strict.editor, post["id"], "approve", body)
        assert res.status_code == 422, res.text
        err = error_of(res)
        assert err["error"] == "checklist_incomplete"
        assert "Representatif" in err["fields"]["checklist"]
    approved = await ok(
        client, strict, strict.editor, post["id"], "approve", {"checklist": list(reversed(SIX))}
    )
    assert statuses(approved) == ["approved", "approved"]
    assert approved["checklist_ticked"] == SIX


async def test_without_a_checklist_approving_needs_no_ticks(
    client: httpx.AsyncClient, team: Team
) -> None:
    post = await new_post(client, team)
    await ok(client, team, team.author, post["id"], "submit")
    approved = await ok(client, team, team.editor, post["id"], "approve")
    assert approved["checklist_ticked"] == []


async def _image_post(client: httpx.AsyncClient, team: Team, alt: str | None) -> dict[str, Any]:
    form = {"alt_text": alt} if alt else {}
    media = await upload(client, team.h(team.author), team.unit, **form)
    assert media.status_code == 201, media.text
    return await new_post(
        client,
        team,
        variants=[
            {"account_id": team.x.id, "text": "Halo"},
            {"account_id": team.facebook.id, "text": "Foto", "media_ids": [media.json()["id"]]},
        ],
        planned_at=future().isoformat(),
    )


async def test_an_image_without_alt_text_is_saved_but_not_submitted(
    client: httpx.AsyncClient, strict: Team
) -> None:
    post = await _image_post(client, strict, None)  # saving the draft works
    res = await step(client, strict, strict.author, post["id"], "submit")
    assert res.status_code == 422, res.text
    err = error_of(res)
    assert err["error"] == "alt_text_missing"
    assert list(err["fields"]) == ["variants.1.media.0"]
    assert [p["rule"] for p in err["problems"]] == ["media.alt_text.missing"]
    # The check reports it too, next to the field.
    check = await client.post(
        "/api/v1/posts/validate",
        json={
            "unit_id": strict.unit.id,
            "variants": [
                {"account_id": v["account_id"], "text": v["text"], "media_ids": v["media_ids"]}
                for v in post["variants"]
            ],
        },
        headers=strict.h(strict.author),
    )
    assert check.json()["valid"] is False
    assert [(p["field"], p["rule"]) for p in check.json()["problems"]] == [
        ("variants.1.media.0", "media.alt_text.missing")
    ]


async def test_with_alt_text_or_without_the_rule_it_goes_through(
    client: httpx.AsyncClient, strict: Team
) -> None:
    described = await _image_post(client, strict, "Peta lahan sawah")
    await ok(client, strict, strict.author, described["id"], "submit")
    bare = await _image_post(client, strict, None)
    strict.unit.require_alt_text = False
    await strict.world.session.flush()
    await ok(client, strict, strict.author, bare["id"], "submit")


async def test_scheduling_checks_alt_text_too(client: httpx.AsyncClient, strict: Team) -> None:
    strict.unit.approval_required = False
    await strict.world.session.flush()
    post = await _image_post(client, strict, None)
    res = await step(client, strict, strict.author, post["id"], "schedule")
    assert res.status_code == 422 and error_of(res)["error"] == "alt_text_missing"
    res = await step(client, strict, strict.author, post["id"], "publish-now")
    assert res.status_code == 422 and error_of(res)["error"] == "alt_text_missing"


async def test_data_source_is_kept_and_cleared(client: httpx.AsyncClient, team: Team) -> None:
    post = await new_post(client, team, data_source="BPS, Statistik Indonesia 2026")
    assert post["data_source"] == "BPS, Statistik Indonesia 2026"
    res = await client.patch(
        f"/api/v1/posts/{post['id']}", json={"data_source": ""}, headers=team.h(team.author)
    )
    assert res.status_code == 200 and res.json()["data_source"] is None
    res = await client.patch(
        f"/api/v1/posts/{post['id']}", json={"data_source": "x" * 501}, headers=team.h(team.author)
    )
    assert res.status_code == 422 and "data_source" in error_of(res)["fields"]


async def thread(client: httpx.AsyncClient, team: Team, post_id: int) -> list[tuple[str, str, str]]:
    res = await client.get(f"/api/v1/posts/{post_id}/comments", headers=team.h(team.author))
    assert res.status_code == 200, res.text
    return [(c["kind"], c["author_name"], c["body"]) for c in res.json()["items"]]


async def test_the_review_thread_holds_comments_and_workflow_notes(
    client: httpx.AsyncClient, team: Team, world: World
) -> None:
    post = await new_post(client, team)
    pid = post["id"]
    a, e = team.author.name, team.editor.name
    await ok(client, team, team.author, pid, "submit", {"comment": "Mohon dicek angkanya"})
    await ok(client, team, team.editor, pid, "reject", {"comment": "Sumber data belum ada"})
    expert = await world.user(team.unit, Role.expert)
    res = await client.post(
        f"/api/v1/posts/{pid}/comments",
        json={"body": "Angka dari BPS 2025"},
        headers=team.h(expert),
    )
    assert res.status_code == 201, res.text
    assert res.json()["kind"] == "comment" and res.json()["author_id"] == expert.id
    await ok(client, team, team.author, pid, "submit")
    await ok(client, team, team.editor, pid, "approve", {"comment": "Siap tayang"})
    assert await thread(client, team, pid) == [
        ("submission", a, "Mohon dicek angkanya"),
        ("rejection", e, "Sumber data belum ada"),
        ("comment", expert.name, "Angka dari BPS 2025"),
        ("submission", a, ""),
        ("approval", e, "Siap tayang"),
    ]


@pytest.mark.parametrize("body", [{"body": ""}, {"body": "x" * 2001}, {"body": " "}, {}])
async def test_a_comment_needs_a_body(
    client: httpx.AsyncClient, team: Team, body: dict[str, str]
) -> None:
    post = await new_post(client, team)
    res = await client.post(
        f"/api/v1/posts/{post['id']}/comments", json=body, headers=team.h(team.author)
    )
    assert res.status_code == 422 and "body" in error_of(res)["fields"], res.text

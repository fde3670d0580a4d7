"""POST /posts/{id}/variants/{vid}/reschedule: the calendar's drag, with the review rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from tests.conftest import World
from tests.helpers import audit_events, error_of
from tests.posts.test_workflow import (
    Team,
    future,
    new_post,
    ok,
    statuses,
    team_of,
)

from gaung.notifications.models import Notification, NotificationKind
from gaung.posts.models import Post, PostStatus, PostVariant
from gaung.users.models import Role, User


@pytest.fixture
async def team(world: World) -> Team:
    return await team_of(world)


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


async def move(
    client: httpx.AsyncClient, team: Team, user: User, post: dict[str, Any], index: int, at: Any
) -> httpx.Response:
    variant = post["variants"][index]["id"]
    body = {"at": at.isoformat() if isinstance(at, datetime) else at}
    return await client.post(
        f"/api/v1/posts/{post['id']}/variants/{variant}/reschedule", json=body, headers=team.h(user)
    )


async def scheduled_post(client: httpx.AsyncClient, team: Team) -> dict[str, Any]:
    post = await new_post(client, team, planned_at=iso(future(24)))
    await ok(client, team, team.author, post["id"], "submit")
    await ok(client, team, team.editor, post["id"], "approve")
    return await ok(client, team, team.author, post["id"], "schedule")


async def test_an_editor_moves_a_scheduled_variant_and_it_stays_scheduled(
    client: httpx.AsyncClient, team: Team
) -> None:
    post = await scheduled_post(client, team)
    later = future(48).replace(microsecond=0)
    res = await move(client, team, team.editor, post, 0, later)
    assert res.status_code == 200, res.text
    moved = res.json()
    assert statuses(moved) == ["scheduled", "scheduled"]
    assert moved["variants"][0]["scheduled_at"] == iso(later)
    # The other variant keeps its time; the post's planned time is now its earliest.
    assert moved["variants"][1]["scheduled_at"] == post["variants"][1]["scheduled_at"]
    assert moved["planned_at"] == post["variants"][1]["scheduled_at"]
    [event] = await audit_events(team.world.session, "post", post["id"], action="reschedule")
    assert event.actor_id == team.editor.id
    assert event.after is not None and event.after["at"] == later.isoformat()
    assert event.after["back_to_review"] is False


@pytest.mark.parametrize("reached", ["approved", "scheduled"])
async def test_an_author_who_cannot_approve_sends_it_back_to_review(
    client: httpx.AsyncClient, team: Team, reached: str
) -> None:
    post = await new_post(client, team, planned_at=iso(future(24)))
    await ok(client, team, team.author, post["id"], "submit")
    post = await ok(client, team, team.editor, post["id"], "approve")
    if reached == "scheduled":
        post = await ok(client, team, team.author, post["id"], "schedule")
    later = future(72)
    res = await move(client, team, team.author, post, 1, later)
    assert res.status_code == 200, res.text
    assert statuses(res.json()) == [reached, "in_review"]
    assert res.json()["variants"][1]["scheduled_at"] == iso(later)
    assert res.json()["status"] == "in_review"
    reviewers = await team.world.session.scalars(
        select(Notification.user_id).where(
            Notification.kind == NotificationKind.review_requested,
            Notification.object_id == str(post["id"]),
        )
    )
    assert {team.editor.id, team.admin.id} <= set(reviewers.all())


async def test_four_eyes_an_editor_moving_their_own_post_sends_it_back(
    client: httpx.AsyncClient, team: Team
) -> None:
    post = await new_post(client, team, team.editor, planned_at=iso(future(24)))
    await ok(client, team, team.editor, post["id"], "submit")
    post = await ok(client, team, team.admin, post["id"], "approve")
    res = await move(client, team, team.editor, post, 0, future(30))
    assert statuses(res.json()) == ["in_review", "approved"]
    # Another approver moving it keeps it approved.
    res = await move(client, team, team.admin, res.json(), 1, future(31))
    assert statuses(res.json()) == ["in_review", "approved"]


async def test_without_required_approval_the_author_moves_freely(
    client: httpx.AsyncClient, team: Team
) -> None:
    team.unit.approval_required = False
    await team.world.session.flush()
    post = await new_post(client, team, planned_at=iso(future(24)))
    post = await ok(client, team, team.author, post["id"], "schedule")
    res = await move(client, team, team.author, post, 0, future(40))
    assert statuses(res.json()) == ["scheduled", "scheduled"]


async def test_a_draft_variant_gets_its_own_time_and_the_others_keep_theirs(
    client: httpx.AsyncClient, team: Team
) -> None:
    planned = future(24).replace(microsecond=0)
    post = await new_post(client, team, planned_at=iso(planned))
    sooner = (planned - timedelta(hours=5)).replace(microsecond=0)
    res = await move(client, team, team.author, post, 0, sooner)
    moved = res.json()
    assert statuses(moved) == ["draft", "draft"]
    assert [v["scheduled_at"] for v in moved["variants"]] == [iso(sooner), iso(planned)]
    assert moved["planned_at"] == iso(sooner)


@pytest.mark.parametrize("status", ["published", "publishing", "unconfirmed"])
async def test_what_has_gone_out_cannot_move(
    client: httpx.AsyncClient, team: Team, status: str
) -> None:
    post = await scheduled_post(client, team)
    variant = await team.world.session.get(PostVariant, post["variants"][0]["id"])
    assert variant is not None
    variant.status = PostStatus(status)
    await team.world.session.flush()
    res = await move(client, team, team.editor, post, 0, future(50))
    assert res.status_code == 409, res.text
    assert error_of(res)["error"] == "post_state"
    assert await audit_events(team.world.session, "post", post["id"], action="reschedule") == []


async def test_a_time_in_the_past_is_refused_on_at(client: httpx.AsyncClient, team: Team) -> None:
    post = await scheduled_post(client, team)
    res = await move(client, team, team.editor, post, 0, datetime.now(UTC) - timedelta(minutes=1))
    assert res.status_code == 422
    assert error_of(res)["fields"] == {"at": "must be in the future"}
    res = await move(client, team, team.editor, post, 0, "besok pagi")
    assert res.status_code == 422 and "at" in error_of(res)["fields"]


async def test_who_may_move(client: httpx.AsyncClient, team: Team, world: World) -> None:
    post = await new_post(client, team, planned_at=iso(future(24)))
    other_writer = await world.user(team.unit, Role.contributor)
    viewer = await world.user(team.unit, Role.viewer)
    for user in (other_writer, viewer):
        res = await move(client, team, user, post, 0, future(30))
        assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
    wrong = dict(post, variants=[{"id": 2_000_000_000}])
    res = await move(client, team, team.author, wrong, 0, future(30))
    assert res.status_code == 404 and error_of(res)["error"] == "variant_not_found"
    stored = await world.session.get(Post, post["id"])
    assert stored is not None
    await world.session.refresh(stored)
    assert stored.planned_at == datetime.fromisoformat(post["planned_at"])

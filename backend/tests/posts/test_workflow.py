"""The workflow: submit, approve/reject, schedule, publish now, cancel, retry; unit policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from tests.conftest import World
from tests.helpers import audit_events, error_of

from gaung.accounts.models import AccountStatus, Platform, PlatformAccount
from gaung.notifications.models import Notification, NotificationKind
from gaung.posts import workflow_routes
from gaung.posts.models import PostStatus, PostVariant
from gaung.units.models import Unit
from gaung.users.models import Role, User


@dataclass
class Team:
    unit: Unit
    author: User  # a contributor
    editor: User
    admin: User
    x: PlatformAccount
    facebook: PlatformAccount
    world: World

    def h(self, user: User) -> dict[str, str]:
        return self.world.headers(user)


@pytest.fixture
async def team(world: World) -> Team:
    return await team_of(world)


async def team_of(world: World, unit: Unit | None = None) -> Team:
    unit = unit or await world.unit()
    return Team(
        unit=unit,
        author=await world.user(unit, Role.contributor),
        editor=await world.user(unit, Role.editor),
        admin=await world.user(unit, Role.admin),
        x=await world.account(unit, Platform.x),
        facebook=await world.account(unit, Platform.facebook),
        world=world,
    )


def future(hours: int = 24) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)


async def new_post(
    client: httpx.AsyncClient, team: Team, user: User | None = None, **fields: Any
) -> dict[str, Any]:
    res = await client.post(
        "/api/v1/posts",
        json={
            "unit_id": team.unit.id,
            "title": "Rilis pers",
            "variants": [
                {"account_id": team.x.id, "text": "Halo X"},
                {"account_id": team.facebook.id, "text": "Halo Facebook"},
            ],
            **fields,
        },
        headers=team.h(user or team.author),
    )
    assert res.status_code == 201, res.text
    body: dict[str, Any] = res.json()
    return body


async def step(
    client: httpx.AsyncClient,
    team: Team,
    user: User,
    post_id: int,
    action: str,
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    return await client.post(f"/api/v1/posts/{post_id}/{action}", json=body, headers=team.h(user))


async def ok(
    client: httpx.AsyncClient,
    team: Team,
    user: User,
    post_id: int,
    action: str,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    res = await step(client, team, user, post_id, action, body)
    assert res.status_code == 200, res.text
    out: dict[str, Any] = res.json()
    return out


def statuses(post: dict[str, Any]) -> list[str]:
    return [v["status"] for v in post["variants"]]


async def notes(world: World, user: User) -> list[tuple[NotificationKind, str | None]]:
    rows = await world.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return [(n.kind, n.object_id) for n in rows]


async def test_submit_approve_schedule(client: httpx.AsyncClient, team: Team) -> None:
    post = await new_post(client, team, planned_at=future().isoformat())
    pid = post["id"]
    submitted = await ok(client, team, team.author, pid, "submit")
    assert submitted["status"] == "in_review" and statuses(submitted) == ["in_review"] * 2
    # Reviewers hear of it; the author (who asked) does not.
    assert await notes(team.world, team.editor) == [(NotificationKind.review_requested, str(pid))]
    assert await notes(team.world, team.admin) == [(NotificationKind.review_requested, str(pid))]
    assert await notes(team.world, team.author) == []

    approved = await ok(client, team, team.editor, pid, "approve")
    assert statuses(approved) == ["approved"] * 2
    assert (NotificationKind.approved, str(pid)) in await notes(team.world, team.author)

    scheduled = await ok(client, team, team.author, pid, "schedule")  # no body: planned time
    assert statuses(scheduled) == ["scheduled"] * 2
    assert all(v["scheduled_at"] == post["planned_at"] for v in scheduled["variants"])
    events = await audit_events(team.world.session, "post", pid)
    assert [(e.action, e.actor_id) for e in events] == [
        ("create", team.author.id),
        ("submit", team.author.id),
        ("approve", team.editor.id),
        ("schedule", team.author.id),
    ]
    assert events[-1].before is not None and events[-1].before["status"] == "approved"
    assert events[-1].after is not None and events[-1].after["status"] == "scheduled"


async def test_schedule_at_a_given_time(client: httpx.AsyncClient, team: Team) -> None:
    pid = (await new_post(client, team))["id"]
    await ok(client, team, team.author, pid, "submit")
    await ok(client, team, team.editor, pid, "approve")
    at = future(48)
    post = await ok(client, team, team.author, pid, "schedule", {"at": at.isoformat()})
    assert {datetime.fromisoformat(v["scheduled_at"]) for v in post["variants"]} == {at}


async def test_schedule_needs_a_future_time(client: httpx.AsyncClient, team: Team) -> None:
    pid = (await new_post(client, team))["id"]
    await ok(client, team, team.author, pid, "submit")
    await ok(client, team, team.editor, pid, "approve")
    none = await step(client, team, team.author, pid, "schedule", {})
    assert none.status_code == 422 and error_of(none)["error"] == "schedule_time_missing"
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    res = await step(client, team, team.author, pid, "schedule", {"at": past})
    assert res.status_code == 422, res.text
    body = error_of(res)
    assert body["error"] == "schedule_in_past" and body["fields"] == {"at": "must be in the future"}
    naive = await step(client, team, team.author, pid, "schedule", {"at": "2030-01-01T09:00"})
    assert naive.status_code == 422 and "at" in error_of(naive)["fields"]
    extra = await step(client, team, team.author, pid, "schedule", {"when": "x"})
    assert extra.status_code == 422


async def test_schedule_refuses_inactive_accounts_and_names_them(
    client: httpx.AsyncClient, team: Team
) -> None:
    pid = (await new_post(client, team))["id"]
    await ok(client, team, team.author, pid, "submit")
    await ok(client, team, team.editor, pid, "approve")
    team.facebook.status = AccountStatus.needs_reauth
    await team.world.session.flush()
    res = await step(client, team, team.author, pid, "schedule", {"at": future().isoformat()})
    assert res.status_code == 409, res.text
    body = error_of(res)
    assert body["error"] == "account_not_active"
    assert body["fields"] == {
        "variants.1.account_id": f"account {team.facebook.handle} is needs reauth"
    }
    assert team.facebook.handle in body["detail"]


async def test_wrong_state_is_a_conflict_naming_it(client: httpx.AsyncClient, team: Team) -> None:
    pid = (await new_post(client, team))["id"]
    for action in ("approve", "schedule", "publish-now", "cancel"):
        res = await step(
            client, team, team.admin, pid, action, {} if action == "schedule" else None
        )
        assert res.status_code == 409, (action, res.text)
        assert error_of(res)["error"] == "post_draft", action
    rej = await step(client, team, team.admin, pid, "reject", {"comment": "Kurang"})
    assert rej.status_code == 409 and error_of(rej)["error"] == "post_draft"
    await ok(client, team, team.author, pid, "submit")
    again = await step(client, team, team.author, pid, "submit")
    assert again.status_code == 409 and error_of(again)["error"] == "post_in_review"


async def test_reject_with_a_comment(client: httpx.AsyncClient, team: Team) -> None:
    pid = (await new_post(client, team))["id"]
    await ok(client, team, team.author, pid, "submit")
    empty = await step(client, team, team.editor, pid, "reject", {"comment": "  "})
    assert empty.status_code == 422 and "comment" in error_of(empty)["fields"]
    missing = await step(client, team, team.editor, pid, "reject", {})
    assert missing.status_code == 422 and "comment" in error_of(missing)["fields"]
    post = await ok(client, team, team.editor, pid, "reject", {"comment": "Tambahkan tautan."})
    assert statuses(post) == ["draft"] * 2 and post["review_comment"] == "Tambahkan tautan."
    shown = await client.get(f"/api/v1/posts/{pid}", headers=team.h(team.author))
    assert shown.json()["review_comment"] == "Tambahkan tautan."
    assert (NotificationKind.rejected, str(pid)) in await notes(team.world, team.author)
    [event] = await audit_events(team.world.session, "post", pid, action="reject")
    assert event.after is not None and event.after["comment"] == "Tambahkan tautan."
    # Submitted again and approved: the comment is settled.
    await ok(client, team, team.author, pid, "submit")
    approved = await ok(client, team, team.editor, pid, "approve")
    assert approved["review_comment"] is None


async def test_four_eyes_author_cannot_approve_own_post(
    client: httpx.AsyncClient, team: Team
) -> None:
    pid = (await new_post(client, team, user=team.editor))["id"]
    await ok(client, team, team.editor, pid, "submit")
    res = await step(client, team, team.editor, pid, "approve")
    assert res.status_code == 403 and error_of(res)["error"] == "four_eyes"
    assert await audit_events(team.world.session, "post", pid, action="approve") == []
    await ok(client, team, team.admin, pid, "approve")


async def test_without_four_eyes_the_author_approves(client: httpx.AsyncClient, team: Team) -> None:
    team.unit.four_eyes = False
    await team.world.session.flush()
    pid = (await new_post(client, team, user=team.admin))["id"]
    await ok(client, team, team.admin, pid, "submit")
    post = await ok(client, team, team.admin, pid, "approve")
    assert statuses(post) == ["approved"] * 2
    # Nobody is told what they did themselves.
    assert NotificationKind.approved not in [k for k, _ in await notes(team.world, team.admin)]


@pytest.mark.parametrize("role", [Role.contributor, Role.expert, Role.viewer])
async def test_only_editors_and_admins_approve_or_reject(
    client: httpx.AsyncClient, team: Team, role: Role
) -> None:
    pid = (await new_post(client, team, user=team.editor))["id"]
    await ok(client, team, team.editor, pid, "submit")
    user = await team.world.user(team.unit, role)
    for action, body in (("approve", None), ("reject", {"comment": "Tidak"})):
        res = await step(client, team, user, pid, action, body)
        assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"


async def test_another_contributor_cannot_move_the_post(
    client: httpx.AsyncClient, team: Team
) -> None:
    pid = (await new_post(client, team))["id"]
    other = await team.world.user(team.unit, Role.contributor)
    res = await step(client, team, other, pid, "submit")
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
    viewer = await team.world.user(team.unit, Role.viewer)
    res = await step(client, team, viewer, pid, "submit")
    assert res.status_code == 403


async def test_policy_off_a_writer_schedules_a_draft(client: httpx.AsyncClient, team: Team) -> None:
    team.unit.approval_required = False
    await team.world.session.flush()
    pid = (await new_post(client, team))["id"]
    post = await ok(client, team, team.author, pid, "schedule", {"at": future().isoformat()})
    assert statuses(post) == ["scheduled"] * 2
    cancelled = await ok(client, team, team.author, pid, "cancel")
    assert statuses(cancelled) == ["draft"] * 2


async def test_policy_on_a_draft_cannot_be_scheduled(client: httpx.AsyncClient, team: Team) -> None:
    pid = (await new_post(client, team))["id"]
    res = await step(client, team, team.author, pid, "schedule", {"at": future().isoformat()})
    assert res.status_code == 409 and error_of(res)["error"] == "post_draft"


async def test_publish_now_and_cancel(
    client: httpx.AsyncClient, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    woken: list[bool] = []
    monkeypatch.setattr(workflow_routes, "wake_dispatch", lambda: woken.append(True))
    pid = (await new_post(client, team))["id"]
    await ok(client, team, team.author, pid, "submit")
    await ok(client, team, team.editor, pid, "approve")
    before = datetime.now(UTC)
    post = await ok(client, team, team.author, pid, "publish-now")
    assert statuses(post) == ["scheduled"] * 2
    assert woken == [True]  # this process's dispatch runs now, not at its next tick
    assert all(datetime.fromisoformat(v["scheduled_at"]) >= before for v in post["variants"])
    cancelled = await ok(client, team, team.author, pid, "cancel")
    assert statuses(cancelled) == ["approved"] * 2
    actions = [e.action for e in await audit_events(team.world.session, "post", pid)]
    assert actions[-2:] == ["publish_now", "cancel"]


async def test_cancel_leaves_what_is_going_out(client: httpx.AsyncClient, team: Team) -> None:
    pid = (await new_post(client, team))["id"]
    await ok(client, team, team.author, pid, "submit")
    await ok(client, team, team.editor, pid, "approve")
    await ok(client, team, team.author, pid, "schedule", {"at": future().isoformat()})
    x_variant = await team.world.session.scalar(
        select(PostVariant).where(PostVariant.post_id == pid, PostVariant.account_id == team.x.id)
    )
    assert x_variant is not None
    x_variant.status = PostStatus.publishing
    await team.world.session.flush()
    post = await ok(client, team, team.author, pid, "cancel")
    assert statuses(post) == ["publishing", "approved"]
    x_variant.status = PostStatus.published
    await team.world.session.flush()
    res = await step(client, team, team.author, pid, "cancel")
    assert res.status_code == 409


async def test_retry_a_failed_variant(client: httpx.AsyncClient, team: Team) -> None:
    pid = (await new_post(client, team))["id"]
    await ok(client, team, team.author, pid, "submit")
    await ok(client, team, team.editor, pid, "approve")
    await ok(client, team, team.author, pid, "schedule", {"at": future().isoformat()})
    variants = (
        await team.world.session.scalars(
            select(PostVariant).where(PostVariant.post_id == pid).order_by(PostVariant.id)
        )
    ).all()
    failed, other = variants
    failed.status, failed.last_error = PostStatus.failed, "Teks ditolak"
    failed.last_error_code, failed.next_attempt_at = "x.duplicate_content", future()
    await team.world.session.flush()
    refused = await client.post(
        f"/api/v1/posts/{pid}/variants/{other.id}/retry", headers=team.h(team.author)
    )
    assert refused.status_code == 409 and error_of(refused)["error"] == "variant_scheduled"
    missing = await client.post(
        f"/api/v1/posts/{pid}/variants/2000000000/retry", headers=team.h(team.author)
    )
    assert missing.status_code == 404 and error_of(missing)["error"] == "variant_not_found"
    res = await client.post(
        f"/api/v1/posts/{pid}/variants/{failed.id}/retry", headers=team.h(team.author)
    )
    assert res.status_code == 200, res.text
    [retried, untouched] = res.json()["variants"]
    assert retried["status"] == "scheduled" and retried["last_error"] is None
    # The earlier attempt's wait and error are gone, so the next dispatch takes it.
    await team.world.session.refresh(failed)
    assert (failed.next_attempt_at, failed.last_error_code) == (None, None)
    assert untouched["status"] == "scheduled"
    [event] = await audit_events(team.world.session, "post", pid, action="retry")
    assert event.actor_id == team.author.id


@pytest.mark.parametrize("reached", ["approved", "scheduled"])
async def test_editing_sends_it_back_to_review(
    client: httpx.AsyncClient, team: Team, reached: str
) -> None:
    pid = (await new_post(client, team))["id"]
    await ok(client, team, team.author, pid, "submit")
    await ok(client, team, team.editor, pid, "approve")
    at = future()
    if reached == "scheduled":
        await ok(client, team, team.author, pid, "schedule", {"at": at.isoformat()})
    res = await client.patch(
        f"/api/v1/posts/{pid}", json={"title": "Rilis pers (revisi)"}, headers=team.h(team.author)
    )
    assert res.status_code == 200, res.text
    post = res.json()
    assert post["status"] == "in_review" and statuses(post) == ["in_review"] * 2
    assert [k for k, _ in await notes(team.world, team.editor)].count(
        NotificationKind.review_requested
    ) == 2
    if reached == "scheduled":
        # The time is kept, so approving and scheduling again needs no new time.
        await ok(client, team, team.editor, pid, "approve")
        again = await ok(client, team, team.author, pid, "schedule", {})
        assert {datetime.fromisoformat(v["scheduled_at"]) for v in again["variants"]} == {at}


async def test_editing_a_draft_or_without_policy_changes_no_status(
    client: httpx.AsyncClient, team: Team
) -> None:
    pid = (await new_post(client, team))["id"]
    res = await client.patch(
        f"/api/v1/posts/{pid}", json={"title": "Draf"}, headers=team.h(team.author)
    )
    assert res.json()["status"] == "draft"
    team.unit.approval_required = False
    await team.world.session.flush()
    await ok(client, team, team.author, pid, "schedule", {"at": future().isoformat()})
    res = await client.patch(
        f"/api/v1/posts/{pid}", json={"title": "Terjadwal"}, headers=team.h(team.author)
    )
    assert res.json()["status"] == "scheduled"


async def test_unit_admin_sets_the_policy(client: httpx.AsyncClient, team: Team) -> None:
    res = await client.patch(
        f"/api/v1/units/{team.unit.id}",
        json={"approval_required": False, "four_eyes": False},
        headers=team.h(team.admin),
    )
    assert res.status_code == 200, res.text
    assert (res.json()["approval_required"], res.json()["four_eyes"]) == (False, False)
    [event] = await audit_events(team.world.session, "unit", team.unit.id, action="update")
    assert event.after is not None and event.after["four_eyes"] is False
    refused = await client.patch(
        f"/api/v1/units/{team.unit.id}", json={"four_eyes": True}, headers=team.h(team.editor)
    )
    assert refused.status_code == 403
    bad = await client.patch(
        f"/api/v1/units/{team.unit.id}", json={"four_eyes": "maybe"}, headers=team.h(team.admin)
    )
    assert bad.status_code == 422 and "four_eyes" in error_of(bad)["fields"]


async def test_other_units_posts_are_not_found(
    client: httpx.AsyncClient, team: Team, world: World
) -> None:
    pid = (await new_post(client, team))["id"]
    stranger_unit = await world.unit()
    stranger = await world.user(stranger_unit, Role.admin)
    for action in ("submit", "approve", "publish-now", "cancel"):
        res = await step(client, team, stranger, pid, action)
        assert res.status_code == 404 and error_of(res)["error"] == "post_not_found"


async def test_scheduled_variants_show_what_holds_them(
    client: httpx.AsyncClient, team: Team
) -> None:
    pid = (await new_post(client, team))["id"]
    await ok(client, team, team.author, pid, "submit")
    await ok(client, team, team.editor, pid, "approve")
    post = await ok(client, team, team.author, pid, "schedule", {"at": future().isoformat()})
    assert [v["held"] for v in post["variants"]] == [None, None]

    team.facebook.status = AccountStatus.needs_reauth
    await team.world.session.flush()
    res = await client.post(
        f"/api/v1/units/{team.unit.id}/pause",
        json={"reason": "Evaluasi"},
        headers=team.h(team.editor),
    )
    assert res.status_code in (200, 201), res.text
    res = await client.get(f"/api/v1/posts/{pid}", headers=team.h(team.author))
    # The account's own trouble is named over the unit's pause: resuming does not release it.
    assert [v["held"] for v in res.json()["variants"]] == ["unit_pause", "account_needs_reauth"]
    listed = await client.get(f"/api/v1/posts?unit_id={team.unit.id}", headers=team.h(team.author))
    [item] = listed.json()["items"]
    assert [v["held"] for v in item["variants"]] == ["unit_pause", "account_needs_reauth"]

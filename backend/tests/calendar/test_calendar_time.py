"""The stored calendar time (post_variant.calendar_at, and the unit beside it) follows every path
that changes what it derives from: a post's planned time, a variant's scheduled time, and when it
was published, whether written through the ORM or by the publishing pipeline's statements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import insert, select

from gaung.accounts.models import Platform
from gaung.posts import jobs, publishing
from gaung.posts.calendar_time import rule
from gaung.posts.models import AttemptOutcome, Post, PostStatus, PostVariant, PublishAttempt
from gaung.posts.publishing import Claim
from gaung.worker.context import JobContext
from tests.conftest import World
from tests.posts.test_publishing import clock, ctx  # noqa: F401  (fixtures)
from tests.posts.test_workflow import Team, future, new_post, ok, team_of


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


async def stored(world: World, team: Team) -> dict[int, datetime | None]:
    """Each of the unit's variants' stored time, after checking it against the rule computed
    afresh, and the stored unit against the post's."""
    s = world.session
    rows = (
        await s.execute(
            select(PostVariant.id, PostVariant.calendar_at, rule(), PostVariant.unit_id)
            .where(PostVariant.post_id.in_(select(Post.id).where(Post.unit_id == team.unit.id)))
            .order_by(PostVariant.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    for vid, at, fresh, unit_id in rows:
        assert (at, unit_id) == (fresh, team.unit.id), f"variant {vid}"
    return {vid: at for vid, at, _fresh, _unit in rows}


def second(at: datetime) -> datetime:
    return at.replace(microsecond=0)


async def test_the_stored_time_follows_the_posts_and_the_workflows_changes(
    client: httpx.AsyncClient, world: World
) -> None:
    team = await team_of(world)
    second_x = await world.account(team.unit, Platform.x)
    p1, p2, p3 = second(future(24)), second(future(30)), second(future(50))

    # Created with a planned time: every variant follows it.
    post = await new_post(client, team, planned_at=iso(p1))
    x_id, fb_id = (v["id"] for v in post["variants"])
    assert await stored(world, team) == {x_id: p1, fb_id: p1}

    # The planned time moves, and a variant joins.
    res = await client.patch(
        f"/api/v1/posts/{post['id']}",
        json={
            "planned_at": iso(p2),
            "variants": [
                {"account_id": team.x.id, "text": "Halo X"},
                {"account_id": team.facebook.id, "text": "Halo Facebook"},
                {"account_id": second_x.id, "text": "Halo lagi"},
            ],
        },
        headers=team.h(team.author),
    )
    assert res.status_code == 200, res.text
    ig_id = next(v["id"] for v in res.json()["variants"] if v["account_id"] == second_x.id)
    assert await stored(world, team) == {x_id: p2, fb_id: p2, ig_id: p2}

    # Scheduled, then one variant dragged in the calendar: it moves alone.
    await ok(client, team, team.author, post["id"], "submit")
    await ok(client, team, team.editor, post["id"], "approve")
    await ok(client, team, team.author, post["id"], "schedule")
    res = await client.post(
        f"/api/v1/posts/{post['id']}/variants/{x_id}/reschedule",
        json={"at": p3.isoformat()},
        headers=team.h(team.editor),
    )
    assert res.status_code == 200, res.text
    assert await stored(world, team) == {x_id: p3, fb_id: p2, ig_id: p2}


async def _timeless_variant(world: World, team: Team) -> int:
    """A published variant that was never scheduled, of a post with no planned time."""
    post = Post(unit_id=team.unit.id, title="Tanpa jadwal", author_id=team.author.id)
    post.variants = [
        PostVariant(account_id=team.x.id, text="Halo", status=PostStatus.publishing, attempts=1)
    ]
    world.session.add(post)
    await world.session.flush()
    return post.variants[0].id


async def test_a_publish_attempt_added_through_the_orm_gives_the_time(world: World) -> None:
    team = await team_of(world)
    vid = await _timeless_variant(world, team)
    assert await stored(world, team) == {vid: None}
    done = datetime(2026, 8, 5, 2, 0, 2, tzinfo=UTC)
    world.session.add(
        PublishAttempt(
            variant_id=vid,
            worker="w",
            started_at=done - timedelta(seconds=2),
            finished_at=done,
            outcome=AttemptOutcome.published,
        )
    )
    await world.session.flush()
    assert await stored(world, team) == {vid: done}


async def test_the_pipelines_published_outcome_gives_the_time(world: World) -> None:
    team = await team_of(world)
    vid = await _timeless_variant(world, team)
    started = datetime(2026, 8, 5, 2, tzinfo=UTC)
    # Claims and outcomes are written by statements, past the ORM, as the pipeline does.
    attempt_id = await world.session.scalar(
        insert(PublishAttempt)
        .values(variant_id=vid, worker="w", started_at=started)
        .returning(PublishAttempt.id)
    )
    assert attempt_id is not None
    assert await stored(world, team) == {vid: None}
    done = started + timedelta(seconds=3)
    claim = Claim(vid, attempt_id, 1, "w", started)
    await publishing._finish_attempt(world.session, claim, done, AttemptOutcome.published)
    assert await stored(world, team) == {vid: done}


async def test_the_dispatcher_keeps_the_stored_time(world: World, ctx: JobContext) -> None:  # noqa: F811
    team = await team_of(world)
    at = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    post = Post(unit_id=team.unit.id, title="Magang", author_id=team.author.id)
    post.variants = [
        PostVariant(account_id=a.id, text="Halo", status=PostStatus.scheduled, scheduled_at=at)
        for a in (team.x, team.facebook)
    ]
    world.session.add(post)
    await world.session.commit()
    counts = await jobs.dispatch(ctx)
    assert counts["published"] == 2
    assert set((await stored(world, team)).values()) == {at}

"""My notifications: listed newest first, counted, read one by one or all; only ever mine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.notifications.models import Notification, NotificationKind
from gaung.users.models import Role, User
from tests.conftest import World
from tests.helpers import error_of


def note(user: User, unit_id: int, minutes_ago: int, title: str) -> Notification:
    return Notification(
        user_id=user.id,
        unit_id=unit_id,
        kind=NotificationKind.approved,
        object_type="post",
        object_id="1",
        params={"title": title},
        created_at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
    )


async def test_list_count_and_read(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    me, other = await world.user(unit, Role.editor), await world.user(unit, Role.editor)
    session.add_all(
        [note(me, unit.id, 30, "lama"), note(me, unit.id, 1, "baru"), note(other, unit.id, 5, "x")]
    )
    await session.flush()
    h = world.headers(me)

    res = await client.get("/api/v1/notifications", headers=h)
    assert res.status_code == 200, res.text
    body = res.json()
    assert [n["params"]["title"] for n in body["items"]] == ["baru", "lama"]
    assert body["total"] == 2 and body["items"][0]["kind"] == "approved"
    page = await client.get("/api/v1/notifications", params={"limit": 1, "offset": 1}, headers=h)
    assert [n["params"]["title"] for n in page.json()["items"]] == ["lama"]
    count = await client.get("/api/v1/notifications/unread-count", headers=h)
    assert count.json() == {"unread": 2}

    newest = body["items"][0]["id"]
    read = await client.post(f"/api/v1/notifications/{newest}/read", headers=h)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    again = await client.post(f"/api/v1/notifications/{newest}/read", headers=h)
    assert again.json()["read_at"] == read.json()["read_at"]  # the first reading counts
    unread = await client.get("/api/v1/notifications", params={"unread_only": True}, headers=h)
    assert [n["params"]["title"] for n in unread.json()["items"]] == ["lama"]
    assert (await client.get("/api/v1/notifications/unread-count", headers=h)).json() == {
        "unread": 1
    }

    everything = await client.post("/api/v1/notifications/read-all", headers=h)
    assert everything.json() == {"marked": 1}
    assert (await client.get("/api/v1/notifications/unread-count", headers=h)).json() == {
        "unread": 0
    }
    # The other user's notification is untouched.
    oh = world.headers(other)
    assert (await client.get("/api/v1/notifications/unread-count", headers=oh)).json() == {
        "unread": 1
    }


async def test_someone_elses_notification_is_not_found(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    me, other = await world.user(unit, Role.admin), await world.user(unit, Role.admin)
    theirs = note(other, unit.id, 1, "rahasia")
    session.add(theirs)
    await session.flush()
    res = await client.post(f"/api/v1/notifications/{theirs.id}/read", headers=world.headers(me))
    missing = await client.post("/api/v1/notifications/2000000000/read", headers=world.headers(me))
    assert res.status_code == missing.status_code == 404
    assert error_of(res) == error_of(missing) | {"detail": error_of(res)["detail"]}
    assert error_of(res)["error"] == "notification_not_found"
    await session.refresh(theirs)
    assert theirs.read_at is None
    mine = await client.get("/api/v1/notifications", headers=world.headers(me))
    assert mine.json()["items"] == []


async def test_bad_query_is_a_clear_error(client: httpx.AsyncClient, world: World) -> None:
    me = await world.user(await world.unit())
    res = await client.get("/api/v1/notifications", params={"limit": 0}, headers=world.headers(me))
    assert res.status_code == 422 and "limit" in error_of(res)["fields"]
    res = await client.get("/api/v1/notifications", headers={})
    assert res.status_code == 401

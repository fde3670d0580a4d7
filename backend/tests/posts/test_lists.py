"""Lists at scale: keyset (cursor) paging, counting only when asked, variant filters met by one
variant, and text search through the search structures kept in step with the rows."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, update
from tests.helpers import error_of
from tests.posts.test_posts_api import Desk, desk, make_post

from gaung.posts import service
from gaung.posts.models import AttemptOutcome, Post, PostStatus, PostVariant, PublishAttempt

__all__ = ["desk"]


async def _list(client: httpx.AsyncClient, desk: Desk, **params: Any) -> dict[str, Any]:
    res = await client.get("/api/v1/posts", params=params, headers=desk.headers)
    assert res.status_code == 200, res.text
    body: dict[str, Any] = res.json()
    return body


async def _titles(client: httpx.AsyncClient, desk: Desk, **params: Any) -> list[str]:
    return sorted(p["title"] for p in (await _list(client, desk, **params))["items"])


async def test_cursor_walks_every_post_once_in_order(client: httpx.AsyncClient, desk: Desk) -> None:
    # Two posts share a planned time and one has none, so the id breaks ties and the
    # creation time stands in for the missing plan.
    for n, at in enumerate(["2026-05-01T09:00:00Z", "2026-05-02T09:00:00Z"] * 2 + [None]):
        await make_post(
            client,
            desk.headers,
            desk.unit.id,
            [{"account_id": desk.x.id, "text": f"isi {n}"}],
            title=f"P{n}",
            planned_at=at,
        )
    everything = [p["title"] for p in (await _list(client, desk, limit=50))["items"]]
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = await _list(client, desk, **params)
        assert body["total"] is None  # not counted unless asked
        seen += [p["title"] for p in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and seen == everything
    # Written now, so the unplanned post is the newest; ties go to the higher id.
    assert everything == ["P4", "P3", "P1", "P2", "P0"]
    counted = await _list(client, desk, limit=2, count="true")
    assert counted["total"] == 5 and counted["next_cursor"] is not None
    # The last page knows it is the last.
    assert (await _list(client, desk, limit=5))["next_cursor"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense!",
        base64.urlsafe_b64encode(b"2026-05-01T09:00:00|7").decode(),  # no zone
        base64.urlsafe_b64encode(b"2026-05-01T09:00:00+00:00|0").decode(),
        base64.urlsafe_b64encode(b"2026-05-01T09:00:00+00:00").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe|1").decode(),
        "x" * 201,
    ],
)
async def test_forged_cursor_is_a_422_on_cursor(
    client: httpx.AsyncClient, desk: Desk, cursor: str
) -> None:
    res = await client.get("/api/v1/posts", params={"cursor": cursor}, headers=desk.headers)
    assert res.status_code == 422, res.text
    assert list(error_of(res)["fields"]) == ["cursor"]


async def test_variant_filters_are_met_by_one_variant(
    client: httpx.AsyncClient, world: Any, desk: Desk
) -> None:
    both = await make_post(
        client,
        desk.headers,
        desk.unit.id,
        [{"account_id": desk.x.id, "text": "a"}, {"account_id": desk.facebook.id, "text": "b"}],
        title="Dua",
    )
    await make_post(
        client, desk.headers, desk.unit.id, [{"account_id": desk.x.id, "text": "c"}], title="X"
    )
    # The X variant of "Dua" failed; its Facebook variant is still a draft.
    await world.session.execute(
        update(PostVariant)
        .where(PostVariant.id == both["variants"][0]["id"])
        .values(status=PostStatus.failed)
    )
    await world.session.flush()
    assert await _titles(client, desk, platform="x", status="draft") == ["X"]
    assert await _titles(client, desk, platform="x", status="failed") == ["Dua"]
    assert await _titles(client, desk, platform="facebook", status="draft") == ["Dua"]
    assert await _titles(client, desk, account_id=desk.facebook.id, status="failed") == []


async def test_search_finds_parts_of_words_and_follows_changes(
    client: httpx.AsyncClient, world: Any, desk: Desk
) -> None:
    post = await make_post(
        client,
        desk.headers,
        desk.unit.id,
        [{"account_id": desk.x.id, "text": "Warga yang KEBANJIRAN bisa melapor"}],
        title="Posko darurat",
        notes="Koordinasi dengan BPBD",
    )
    await make_post(
        client,
        desk.headers,
        desk.unit.id,
        [{"account_id": desk.x.id, "text": "lain"}],
        title="Lain",
    )
    assert await _titles(client, desk, q="banjir") == ["Posko darurat"]  # inside a word
    assert await _titles(client, desk, q="bpbd") == ["Posko darurat"]  # notes
    assert await _titles(client, desk, q="Darurat") == ["Posko darurat"]  # title
    assert await _titles(client, desk, q='"darurat') == []  # quotes are text, not syntax
    # Changes to the rows reach the search: a new title, a new variant text, a deletion.
    await world.session.execute(
        update(Post).where(Post.id == post["id"]).values(title="Posko siaga")
    )
    await world.session.execute(
        update(PostVariant)
        .where(PostVariant.post_id == post["id"])
        .values(text="Warga yang terdampak longsor")
    )
    await world.session.flush()
    assert await _titles(client, desk, q="darurat") == []
    assert await _titles(client, desk, q="banjir") == []
    assert await _titles(client, desk, q="siaga") == ["Posko siaga"]
    assert await _titles(client, desk, q="longsor") == ["Posko siaga"]
    await world.session.execute(delete(PostVariant).where(PostVariant.post_id == post["id"]))
    await world.session.flush()
    assert await _titles(client, desk, q="longsor") == []
    await world.session.execute(delete(Post).where(Post.id == post["id"]))
    await world.session.flush()
    assert await _titles(client, desk, q="siaga") == []


@pytest.mark.parametrize("window", [2, 1000])
async def test_search_beyond_the_newest_posts(
    client: httpx.AsyncClient, desk: Desk, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    # A small window makes the rare word's match lie beyond it, so the text index answers;
    # the common word's page comes from the window either way.
    monkeypatch.setattr(service, "SEARCH_WINDOW", window)
    for day in range(1, 7):
        await make_post(
            client,
            desk.headers,
            desk.unit.id,
            [{"account_id": desk.x.id, "text": "langka sekali" if day == 1 else "umum"}],
            title=f"Hari {day}",
            planned_at=f"2026-05-0{day}T09:00:00+07:00",
        )
    assert await _titles(client, desk, q="langka") == ["Hari 1"]
    assert await _titles(client, desk, q="zzz") == []
    first = await _list(client, desk, q="umum", limit=2)
    assert [p["title"] for p in first["items"]] == ["Hari 6", "Hari 5"]
    rest = await _list(client, desk, q="umum", limit=10, cursor=first["next_cursor"])
    assert [p["title"] for p in rest["items"]] == ["Hari 4", "Hari 3", "Hari 2"]
    assert await _titles(client, desk, platform="x", status="draft", limit=1) == ["Hari 6"]


async def test_calendar_range_finds_each_kind_of_time(
    client: httpx.AsyncClient, world: Any, desk: Desk
) -> None:
    """The calendar's time is the scheduled time, else when it was published, else the post's
    planned time; the range query finds each through its own index, and only those inside."""
    in_range = datetime(2026, 6, 10, 2, tzinfo=UTC)
    outside = datetime(2026, 8, 10, 2, tzinfo=UTC)
    made = {}
    for title in ("scheduled", "published", "planned", "scheduled outside", "published outside"):
        made[title] = await make_post(
            client,
            desk.headers,
            desk.unit.id,
            [{"account_id": desk.x.id, "text": title}],
            title=title,
            planned_at="2026-06-01T09:00:00+07:00" if title == "planned" else None,
        )
    session = world.session

    async def set_variant(title: str, **values: Any) -> int:
        variant_id: int = made[title]["variants"][0]["id"]
        await session.execute(
            update(PostVariant).where(PostVariant.id == variant_id).values(**values)
        )
        return variant_id

    await set_variant("scheduled", scheduled_at=in_range, status=PostStatus.scheduled)
    await set_variant("scheduled outside", scheduled_at=outside, status=PostStatus.scheduled)
    # A post planned in the range but scheduled outside it is drawn where it is scheduled.
    await session.execute(
        update(Post).where(Post.id == made["scheduled outside"]["id"]).values(planned_at=in_range)
    )
    for title, at in (("published", in_range), ("published outside", outside)):
        variant_id = await set_variant(title, status=PostStatus.published)
        session.add(
            PublishAttempt(
                variant_id=variant_id,
                worker="w",
                started_at=at,
                finished_at=at,
                outcome=AttemptOutcome.published,
            )
        )
    await session.flush()
    res = await client.get(
        "/api/v1/calendar",
        params={
            "unit_id": desk.unit.id,
            "start": "2026-06-01T00:00:00+07:00",
            "end": "2026-07-01T00:00:00+07:00",
        },
        headers=desk.headers,
    )
    assert res.status_code == 200, res.text
    assert sorted(e["title"] for e in res.json()["entries"]) == [
        "planned",
        "published",
        "scheduled",
    ]

"""The posts API: create with per-account variants, validate, read, change, delete, find."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from tests.conftest import World
from tests.helpers import audit_events, error_of, image_bytes, upload

from gaung.accounts.models import AccountStatus, Platform, PlatformAccount
from gaung.posts.models import Post, PostStatus, PostVariant
from gaung.units.models import Unit
from gaung.users.models import Role, User


@dataclass
class Desk:
    """A unit with an editor and one account per platform."""

    unit: Unit
    editor: User
    x: PlatformAccount
    instagram: PlatformAccount
    facebook: PlatformAccount
    headers: dict[str, str]


@pytest.fixture
async def desk(world: World) -> Desk:
    unit = await world.unit()
    editor = await world.user(unit, Role.editor)
    return Desk(
        unit=unit,
        editor=editor,
        x=await world.account(unit, Platform.x),
        instagram=await world.account(unit, Platform.instagram),
        facebook=await world.account(unit, Platform.facebook),
        headers=world.headers(editor),
    )


async def photo(client: httpx.AsyncClient, desk: Desk) -> int:
    res = await upload(client, desk.headers, desk.unit)
    assert res.status_code == 201, res.text
    media_id: int = res.json()["id"]
    return media_id


def post_body(unit_id: int, variants: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {"unit_id": unit_id, "title": "Rilis pers", **fields, "variants": variants}


async def make_post(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    unit_id: int,
    variants: list[dict[str, Any]],
    **fields: Any,
) -> dict[str, Any]:
    res = await client.post(
        "/api/v1/posts", json=post_body(unit_id, variants, **fields), headers=headers
    )
    assert res.status_code == 201, res.text
    body: dict[str, Any] = res.json()
    return body


async def count_posts(world: World) -> int:
    return int(await world.session.scalar(select(func.count()).select_from(Post)) or 0)


async def test_create_with_three_variants(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    media_id = await photo(client, desk)
    res = await client.post(
        "/api/v1/posts",
        json=post_body(
            desk.unit.id,
            [
                {"account_id": desk.x.id, "text": "Siaran pers hari ini #humas"},
                {"account_id": desk.instagram.id, "text": "Foto kegiatan", "media_ids": [media_id]},
                {"account_id": desk.facebook.id, "text": "Selengkapnya di situs kami."},
            ],
            category="Kegiatan",
            planned_at="2026-03-02T09:00:00+07:00",
        ),
        headers=desk.headers,
    )
    assert res.status_code == 201, res.text
    post = res.json()
    assert post["status"] == "draft" and post["category"] == "Kegiatan"
    assert post["planned_at"].startswith("2026-03-02T02:00:00")  # stored in UTC
    assert post["author"] == {"id": desk.editor.id, "name": desk.editor.name}
    variants = post["variants"]
    assert [(v["account_id"], v["platform"]) for v in variants] == [
        (desk.x.id, "x"),
        (desk.instagram.id, "instagram"),
        (desk.facebook.id, "facebook"),
    ]
    assert variants[1]["media_ids"] == [media_id]
    assert variants[1]["media"][0]["url"].startswith("https://gaung.example.go.id/media/")
    assert all(v["status"] == "draft" and v["id"] for v in variants)
    [event] = await audit_events(world.session, "post", post["id"])
    assert (event.action, event.actor_id, event.unit_id) == ("create", desk.editor.id, desk.unit.id)
    assert event.after is not None
    assert [v["account_id"] for v in event.after["variants"]] == [
        desk.x.id,
        desk.instagram.id,
        desk.facebook.id,
    ]


async def test_x_text_too_long_is_rejected(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    res = await client.post(
        "/api/v1/posts",
        json=post_body(
            desk.unit.id,
            [
                {"account_id": desk.x.id, "text": "a" * 281},
                {"account_id": desk.facebook.id, "text": "ok"},
            ],
        ),
        headers=desk.headers,
    )
    assert res.status_code == 422, res.text
    body = error_of(res)
    assert body["error"] == "variant_invalid"
    assert "281/280" in body["fields"]["variants.0.text"]
    assert list(body["fields"]) == ["variants.0.text"]
    [problem] = body["problems"]
    assert problem["rule"] == "x.text.too_long" and problem["account_id"] == desk.x.id
    assert problem["params"] == {"length": 281, "max": 280}
    assert await count_posts(world) == 0
    assert await audit_events(world.session, "post") == []


async def test_instagram_without_media_is_rejected(client: httpx.AsyncClient, desk: Desk) -> None:
    res = await client.post(
        "/api/v1/posts",
        json=post_body(desk.unit.id, [{"account_id": desk.instagram.id, "text": "tanpa foto"}]),
        headers=desk.headers,
    )
    assert res.status_code == 422
    body = error_of(res)
    assert body["error"] == "variant_invalid" and "variants.0.media" in body["fields"]


async def test_validate_reports_without_saving(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    wide = await upload(client, desk.headers, desk.unit, data=image_bytes(2000, 1000))
    assert wide.status_code == 201
    res = await client.post(
        "/api/v1/posts/validate",
        json=post_body(
            desk.unit.id,
            [
                {"account_id": desk.x.id, "text": "é" * 10 + " https://example.com/" + "a" * 100},
                {
                    "account_id": desk.instagram.id,
                    "text": "#a #b",
                    "media_ids": [wide.json()["id"]],
                },
                {"account_id": desk.facebook.id, "text": "x" * 300},
            ],
        ),
        headers=desk.headers,
    )
    assert res.status_code == 200, res.text
    report = res.json()
    assert report["valid"] is False
    assert [
        (c["index"], c["platform"], c["length"], c["max_length"]) for c in report["variants"]
    ] == [
        (0, "x", 10 + 1 + 23, 280),  # a URL counts 23
        (1, "instagram", 5, 2200),
        (2, "facebook", 300, 63206),
    ]
    assert [(p["field"], p["rule"]) for p in report["problems"]] == [
        ("variants.1.media.0", "instagram.media.aspect_ratio_too_wide")
    ]
    assert await count_posts(world) == 0


async def test_validate_valid_post(client: httpx.AsyncClient, desk: Desk) -> None:
    res = await client.post(
        "/api/v1/posts/validate",
        json=post_body(desk.unit.id, [{"account_id": desk.x.id, "text": "halo"}]),
        headers=desk.headers,
    )
    assert res.status_code == 200
    assert res.json()["valid"] is True and res.json()["problems"] == []


async def test_validate_works_before_a_title_is_typed(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    variants = [{"account_id": desk.x.id, "text": "a" * 281}]
    for extra in ({}, {"title": ""}):
        res = await client.post(
            "/api/v1/posts/validate",
            json={"unit_id": desk.unit.id, "variants": variants, **extra},
            headers=desk.headers,
        )
        assert res.status_code == 200, res.text
        assert [p["rule"] for p in res.json()["problems"]] == ["x.text.too_long"]


async def test_unusable_accounts_and_media_name_the_field(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    other_unit = await world.unit()
    foreign_account = await world.account(other_unit, Platform.x)
    disabled = await world.account(desk.unit, Platform.x)
    disabled.status = AccountStatus.disabled
    await world.session.flush()
    cases = [
        ([{"account_id": foreign_account.id, "text": "a"}], "variants.0.account_id"),
        ([{"account_id": 2_000_000_000, "text": "a"}], "variants.0.account_id"),
        (
            [{"account_id": desk.facebook.id, "text": "a", "media_ids": [2_000_000_000]}],
            "variants.0.media_ids",
        ),
        (
            [{"account_id": desk.x.id, "text": "a"}, {"account_id": desk.x.id, "text": "b"}],
            "variants.1.account_id",
        ),
        (
            [
                {"account_id": desk.facebook.id, "text": "a"},
                {"account_id": disabled.id, "text": "b"},
            ],
            "variants.1.account_id",
        ),
    ]
    for variants, field in cases:
        for path in ("/api/v1/posts", "/api/v1/posts/validate"):
            res = await client.post(
                path, json=post_body(desk.unit.id, variants), headers=desk.headers
            )
            assert res.status_code == 422, (path, variants, res.text)
            assert list(error_of(res)["fields"]) == [field], (path, variants, res.text)
    assert await count_posts(world) == 0


async def test_media_of_another_unit_cannot_be_attached(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    other_unit = await world.unit()
    other = await world.user(other_unit, Role.editor)
    foreign = await upload(client, world.headers(other), other_unit)
    assert foreign.status_code == 201
    res = await client.post(
        "/api/v1/posts",
        json=post_body(
            desk.unit.id,
            [{"account_id": desk.facebook.id, "text": "a", "media_ids": [foreign.json()["id"]]}],
        ),
        headers=desk.headers,
    )
    assert res.status_code == 422
    assert list(error_of(res)["fields"]) == ["variants.0.media_ids"]


async def test_read_update_and_delete(client: httpx.AsyncClient, world: World, desk: Desk) -> None:
    media_id = await photo(client, desk)
    post = await make_post(
        client,
        desk.headers,
        desk.unit.id,
        [
            {"account_id": desk.x.id, "text": "pertama"},
            {"account_id": desk.facebook.id, "text": "pertama"},
        ],
    )
    url = f"/api/v1/posts/{post['id']}"
    got = await client.get(url, headers=desk.headers)
    assert got.status_code == 200 and got.json() == post
    x_variant_id = post["variants"][0]["id"]

    res = await client.patch(
        url,
        json={
            "title": "Judul baru",
            "category": "Layanan",
            "variants": [
                {"account_id": desk.x.id, "text": "kedua", "media_ids": [media_id]},
                {"account_id": desk.instagram.id, "text": "baru", "media_ids": [media_id]},
            ],
        },
        headers=desk.headers,
    )
    assert res.status_code == 200, res.text
    updated = res.json()
    assert (updated["title"], updated["category"]) == ("Judul baru", "Layanan")
    variants = {v["account_id"]: v for v in updated["variants"]}
    assert set(variants) == {desk.x.id, desk.instagram.id}
    assert variants[desk.x.id]["id"] == x_variant_id  # kept account keeps its variant
    assert variants[desk.x.id]["text"] == "kedua"
    assert variants[desk.x.id]["media_ids"] == [media_id]
    rows = (
        await world.session.scalars(select(PostVariant).where(PostVariant.post_id == post["id"]))
    ).all()
    assert sorted(v.account_id for v in rows) == sorted([desk.x.id, desk.instagram.id])

    # Changing only the media list again (same positions) works too.
    second = await photo(client, desk)
    again = await client.patch(
        url,
        json={
            "variants": [
                {"account_id": desk.x.id, "text": "kedua", "media_ids": [second, media_id]},
                {"account_id": desk.instagram.id, "text": "baru", "media_ids": [second]},
            ]
        },
        headers=desk.headers,
    )
    assert again.status_code == 200, again.text
    assert again.json()["variants"][0]["media_ids"] == [second, media_id]

    # An update without variants re-checks the kept ones and leaves them alone.
    plain = await client.patch(url, json={"notes": "catatan"}, headers=desk.headers)
    assert plain.status_code == 200 and plain.json()["notes"] == "catatan"
    assert plain.json()["variants"] == again.json()["variants"]

    bad = await client.patch(
        url, json={"variants": [{"account_id": desk.x.id, "text": "b" * 300}]}, headers=desk.headers
    )
    assert bad.status_code == 422 and "variants.0.text" in error_of(bad)["fields"]
    null_title = await client.patch(url, json={"title": None}, headers=desk.headers)
    assert null_title.status_code == 422 and "title" in error_of(null_title)["fields"]

    deleted = await client.delete(url, headers=desk.headers)
    assert deleted.status_code == 204
    assert (await client.get(url, headers=desk.headers)).status_code == 404
    assert await count_posts(world) == 0
    events = await audit_events(world.session, "post", post["id"])
    assert [e.action for e in events] == ["create", "update", "update", "update", "delete"]
    assert events[1].before is not None and events[1].after is not None
    assert (events[1].before["title"], events[1].after["title"]) == ("Rilis pers", "Judul baru")
    assert events[-1].before is not None and events[-1].before["title"] == "Judul baru"


async def test_contributor_edits_only_own_posts(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    contributor = await world.user(desk.unit, Role.contributor)
    headers = world.headers(contributor)
    own = await make_post(client, headers, desk.unit.id, [{"account_id": desk.x.id, "text": "a"}])
    theirs = await make_post(
        client, desk.headers, desk.unit.id, [{"account_id": desk.x.id, "text": "b"}]
    )
    ok = await client.patch(f"/api/v1/posts/{own['id']}", json={"title": "Saya"}, headers=headers)
    assert ok.status_code == 200 and ok.json()["title"] == "Saya"
    denied = await client.patch(
        f"/api/v1/posts/{theirs['id']}", json={"title": "Bukan"}, headers=headers
    )
    assert denied.status_code == 403 and error_of(denied)["error"] == "insufficient_role"
    no_delete = await client.delete(f"/api/v1/posts/{theirs['id']}", headers=headers)
    assert no_delete.status_code == 403
    # ...but may read it.
    assert (await client.get(f"/api/v1/posts/{theirs['id']}", headers=headers)).status_code == 200
    # An editor may change anyone's post.
    editor_ok = await client.patch(
        f"/api/v1/posts/{own['id']}", json={"title": "Disunting"}, headers=desk.headers
    )
    assert editor_ok.status_code == 200
    assert (await client.delete(f"/api/v1/posts/{own['id']}", headers=headers)).status_code == 204


@pytest.mark.parametrize("role", [Role.viewer, Role.expert])
async def test_read_only_roles_cannot_create(
    client: httpx.AsyncClient, world: World, desk: Desk, role: Role
) -> None:
    user = await world.user(desk.unit, role)
    res = await client.post(
        "/api/v1/posts",
        json=post_body(desk.unit.id, [{"account_id": desk.x.id, "text": "a"}]),
        headers=world.headers(user),
    )
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
    assert await count_posts(world) == 0


# --- finding posts ---------------------------------------------------------------------------


async def test_list_filters(client: httpx.AsyncClient, world: World, desk: Desk) -> None:
    h, u = desk.headers, desk.unit.id
    march = await make_post(
        client,
        h,
        u,
        [{"account_id": desk.x.id, "text": "Diskon 50% untuk layanan"}],
        title="Maret",
        category="Layanan",
        planned_at="2026-03-10T08:00:00+07:00",
    )
    april = await make_post(
        client,
        h,
        u,
        [{"account_id": desk.facebook.id, "text": "kode_promo berlaku"}],
        title="April_edisi",
        category="Kegiatan",
        planned_at="2026-04-01T00:30:00+07:00",  # 31 March 17:30 UTC
    )
    unplanned = await make_post(
        client,
        h,
        u,
        [
            {"account_id": desk.x.id, "text": "tanpa tanggal"},
            {"account_id": desk.facebook.id, "text": "tanpa tanggal"},
        ],
        title="Tanpa jadwal",
    )
    variant = await world.session.get(PostVariant, unplanned["variants"][1]["id"])
    assert variant is not None
    variant.status = PostStatus.failed
    await world.session.flush()

    async def titles(**params: Any) -> list[str]:
        res = await client.get("/api/v1/posts", params=params, headers=h)
        assert res.status_code == 200, res.text
        return sorted(p["title"] for p in res.json()["items"])

    assert await titles() == sorted(["Maret", "April_edisi", "Tanpa jadwal"])
    # Half-open range [from, to), in any offset.
    assert await titles(
        date_from="2026-03-01T00:00:00+07:00", date_to="2026-04-01T00:00:00+07:00"
    ) == ["Maret"]
    assert await titles(date_from="2026-03-31T17:30:00Z") == ["April_edisi"]
    assert await titles(date_to="2026-03-10T01:00:00Z") == []
    assert await titles(date_to="2026-03-10T01:00:01Z") == ["Maret"]
    assert await titles(status="failed") == ["Tanpa jadwal"]
    assert await titles(status="draft") == sorted(["Maret", "April_edisi", "Tanpa jadwal"])
    assert await titles(platform="facebook") == sorted(["April_edisi", "Tanpa jadwal"])
    assert await titles(platform="instagram") == []
    assert await titles(account_id=desk.x.id) == sorted(["Maret", "Tanpa jadwal"])
    assert await titles(category="Layanan") == ["Maret"]
    assert await titles(q="maret") == ["Maret"]  # title, any case
    assert await titles(q="PROMO") == ["April_edisi"]  # variant text
    assert await titles(q="50%") == ["Maret"]
    assert await titles(q="%") == ["Maret"]  # literal, not a wildcard
    assert await titles(q="_") == ["April_edisi"]
    assert await titles(q="5_%") == []
    assert await titles(q="  ") == sorted(["Maret", "April_edisi", "Tanpa jadwal"])
    assert await titles(unit_id=u, category="Kegiatan", platform="facebook") == ["April_edisi"]
    assert march["id"] and april["id"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-03-01T00:00:00"}, "date_from"),
        ({"date_to": "2026-03-01"}, "date_to"),
        ({"status": "lost"}, "status"),
        ({"platform": "tiktok"}, "platform"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"account_id": "abc"}, "account_id"),
    ],
)
async def test_list_rejects_bad_filters(
    client: httpx.AsyncClient, desk: Desk, params: dict[str, str], field: str
) -> None:
    res = await client.get("/api/v1/posts", params=params, headers=desk.headers)
    assert res.status_code == 422, res.text
    body = error_of(res)
    assert body["error"] == "validation_error" and list(body["fields"]) == [field]


async def test_list_pagination(client: httpx.AsyncClient, desk: Desk) -> None:
    for day in range(1, 6):
        await make_post(
            client,
            desk.headers,
            desk.unit.id,
            [{"account_id": desk.x.id, "text": f"hari {day}"}],
            title=f"Hari {day}",
            planned_at=f"2026-05-0{day}T09:00:00+07:00",
        )
    pages = []
    for offset in (0, 2, 4, 6):
        res = await client.get(
            "/api/v1/posts",
            params={"limit": 2, "offset": offset, "count": "true"},
            headers=desk.headers,
        )
        assert res.status_code == 200
        body = res.json()
        assert (body["total"], body["limit"], body["offset"]) == (5, 2, offset)
        pages.append([p["title"] for p in body["items"]])
    # Newest planned first.
    assert pages == [["Hari 5", "Hari 4"], ["Hari 3", "Hari 2"], ["Hari 1"], []]
    filtered = await client.get(
        "/api/v1/posts", params={"q": "hari 3", "limit": 1, "count": "true"}, headers=desk.headers
    )
    assert filtered.json()["total"] == 1


async def test_categories(client: httpx.AsyncClient, world: World, desk: Desk) -> None:
    for category in ("Layanan", "Kegiatan", "Layanan", None, ""):
        await make_post(
            client,
            desk.headers,
            desk.unit.id,
            [{"account_id": desk.x.id, "text": "a"}],
            category=category,
        )
    other_unit = await world.unit()
    other = await world.user(other_unit, Role.editor)
    other_x = await world.account(other_unit)
    await make_post(
        client,
        world.headers(other),
        other_unit.id,
        [{"account_id": other_x.id, "text": "a"}],
        category="Rahasia",
    )
    res = await client.get("/api/v1/posts/categories", headers=desk.headers)
    assert res.status_code == 200 and res.json() == {"items": ["Kegiatan", "Layanan"]}
    scoped = await client.get(
        "/api/v1/posts/categories", params={"unit_id": other_unit.id}, headers=desk.headers
    )
    assert scoped.json() == {"items": []}


async def test_update_clears_blank_fields_and_refuses_a_null_title(
    client: httpx.AsyncClient, desk: Desk
) -> None:
    post = await make_post(
        client,
        desk.headers,
        desk.unit.id,
        [{"account_id": desk.x.id, "text": "halo"}],
        category="Acara",
        campaign="Pameran",
    )
    url = f"/api/v1/posts/{post['id']}"
    res = await client.patch(url, json={"category": "", "notes": "Cek data"}, headers=desk.headers)
    assert res.status_code == 200, res.text
    body = res.json()
    assert (body["category"], body["campaign"], body["notes"]) == (None, "Pameran", "Cek data")
    res = await client.patch(url, json={"title": None}, headers=desk.headers)
    assert res.status_code == 422 and "title" in res.json()["fields"]


async def test_adversarial_texts_get_their_exact_count(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    """Texts that once took the X count quadratic time (minutes at this size) are answered."""
    viewer = await world.user(desk.unit, Role.viewer)  # any role that may read posts
    cases = [
        (desk.x, "a." * 35_000, "x.text.too_long", {"length": 70_000, "max": 280}),
        (desk.x, "a.com " * 11_666 + "a.co", "x.text.too_long", {"length": 280_007, "max": 280}),
        (desk.x, "a.b/" * 17_500, "x.text.too_long", {"length": 70_000, "max": 280}),
        (desk.instagram, "#a " * 23_333, "instagram.text.too_long", None),
    ]
    for account, text, rule, params in cases:
        res = await client.post(
            "/api/v1/posts/validate",
            json=post_body(desk.unit.id, [{"account_id": account.id, "text": text}]),
            headers=world.headers(viewer),
        )
        assert res.status_code == 200, res.text
        problems = res.json()["problems"]
        assert problems[0]["rule"] == rule
        if params is not None:
            assert problems[0]["params"] == params
            assert res.json()["variants"][0]["length"] == params["length"]
    instagram_rules = [p["rule"] for p in problems]
    assert "instagram.text.too_many_hashtags" in instagram_rules
    assert next(
        p["params"] for p in problems if p["rule"] == "instagram.text.too_many_hashtags"
    ) == {"count": 23_333, "max": 30}

    # Creating a post runs the same check.
    res = await client.post(
        "/api/v1/posts",
        json=post_body(desk.unit.id, [{"account_id": desk.x.id, "text": "a." * 35_000}]),
        headers=desk.headers,
    )
    assert res.status_code == 422
    body = error_of(res)
    assert body["error"] == "variant_invalid"
    assert body["problems"][0]["params"] == {"length": 70_000, "max": 280}
    assert await count_posts(world) == 0


async def test_checks_run_off_the_event_loop_two_at_a_time(
    client: httpx.AsyncClient, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaung.posts import service

    seen: list[tuple[bool, float]] = []
    real = service.check_variant

    def spy(*args: Any) -> Any:
        loop_here = True
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            loop_here = False
        seen.append((loop_here, service._validation_limiter_of_loop(loop).total_tokens))
        return real(*args)

    loop = asyncio.get_running_loop()
    monkeypatch.setattr(service, "check_variant", spy)
    for path in ("/api/v1/posts/validate", "/api/v1/posts"):
        res = await client.post(
            path,
            json=post_body(desk.unit.id, [{"account_id": desk.x.id, "text": "halo"}]),
            headers=desk.headers,
        )
        assert res.status_code in (200, 201), res.text
    assert seen == [(False, 2), (False, 2)]

"""Whatever a client sends, the answer is never a 500 and always has the one error shape.

Run on PostgreSQL too: it rejects NUL characters and integers beyond its column types where
SQLite silently accepts them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gaung.accounts.models import Platform
from gaung.units.models import Unit
from gaung.users.models import Role, User
from tests.conftest import World
from tests.helpers import error_of, image_bytes, upload

HUGE = 99999999999999999999
NUL = "a\x00b"


@dataclass
class Ctx:
    unit: Unit
    admin: User
    headers: dict[str, str]
    account: int
    post: int
    media: int


@pytest.fixture
async def ctx(client: httpx.AsyncClient, world: World) -> Ctx:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    headers = world.headers(admin)
    account = await world.account(unit, Platform.facebook)
    media = await upload(client, headers, unit)
    post = await client.post(
        "/api/v1/posts",
        json={
            "unit_id": unit.id,
            "title": "Ada",
            "variants": [{"account_id": account.id, "text": "halo"}],
        },
        headers=headers,
    )
    assert post.status_code == 201, post.text
    return Ctx(unit, admin, headers, account.id, post.json()["id"], media.json()["id"])


def check(
    res: httpx.Response, status: int, field: str | None = None, error: str | None = None
) -> dict[str, Any]:
    assert res.status_code == status, res.text
    assert res.headers["content-type"].startswith("application/json"), res.headers
    body = error_of(res)
    if error is not None:
        assert body["error"] == error, body
    if field is not None:
        assert field in body["fields"], body
    return body


def post_body(ctx: Ctx, **change: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit_id": ctx.unit.id,
        "title": "Judul",
        "variants": [{"account_id": ctx.account, "text": "halo"}],
    }
    body.update(change)
    return body


async def test_malformed_json(client: httpx.AsyncClient, ctx: Ctx) -> None:
    for raw in (b'{"title": ', b"not json", b"\xff\xfe", b""):
        res = await client.post(
            "/api/v1/posts",
            content=raw,
            headers={**ctx.headers, "Content-Type": "application/json"},
        )
        body = check(res, 422, error="validation_error")
        assert list(body["fields"]) == ["body"], body


async def test_body_must_be_an_object(client: httpx.AsyncClient, ctx: Ctx) -> None:
    for value in ([], "x", 1, None):
        res = await client.post("/api/v1/posts", json=value, headers=ctx.headers)
        check(res, 422, error="validation_error")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit_id": "satu"}, "unit_id"),
        ({"unit_id": 1.5}, "unit_id"),
        ({"unit_id": True}, "unit_id"),
        ({"unit_id": "1"}, "unit_id"),
        ({"variants": [{"account_id": 1.0}]}, "variants.0.account_id"),
        ({"title": 12}, "title"),
        ({"title": ["a"]}, "title"),
        ({"variants": {"account_id": 1}}, "variants"),
        ({"variants": ["x"]}, "variants.0"),
        ({"variants": [{"account_id": "abc"}]}, "variants.0.account_id"),
        ({"variants": [{"account_id": 1, "media_ids": "1"}]}, "variants.0.media_ids"),
        ({"variants": [{"account_id": 1, "media_ids": [1, 1]}]}, "variants.0.media_ids"),
        ({"planned_at": "besok"}, "planned_at"),
        ({"planned_at": "2026-13-01T00:00:00Z"}, "planned_at"),
    ],
)
async def test_wrong_types(
    client: httpx.AsyncClient, ctx: Ctx, change: dict[str, Any], field: str
) -> None:
    res = await client.post("/api/v1/posts", json=post_body(ctx, **change), headers=ctx.headers)
    check(res, 422, field, "validation_error")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/posts", {"colour": "red"}, "colour"),
        ("/posts", {"variants": [{"account_id": 1, "txt": "typo"}]}, "variants.0.txt"),
        ("/posts/validate", {"extra": 1}, "extra"),
    ],
)
async def test_unknown_fields(
    client: httpx.AsyncClient, ctx: Ctx, path: str, body: dict[str, Any], field: str
) -> None:
    res = await client.post(f"/api/v1{path}", json=post_body(ctx, **body), headers=ctx.headers)
    check(res, 422, field, "validation_error")


async def test_unknown_fields_on_every_kind_of_input(
    client: httpx.AsyncClient, world: World, ctx: Ctx
) -> None:
    root = await world.user(superuser=True)
    cases = [
        (
            "POST",
            "/auth/login",
            {"email": "a@b.c", "password": "x", "remember": True},
            {},
            "remember",
        ),
        ("PATCH", "/me", {"nickname": "x"}, ctx.headers, "nickname"),
        (
            "POST",
            "/units",
            {"name": "Baru", "slug": "baru", "owner": 1},
            world.headers(root),
            "owner",
        ),
        ("PATCH", f"/units/{ctx.unit.id}", {"slug": "x"}, ctx.headers, "slug"),
        (
            "PATCH",
            f"/units/{ctx.unit.id}/members/{ctx.admin.id}",
            {"role": "admin", "x": 1},
            ctx.headers,
            "x",
        ),
        ("PATCH", f"/accounts/{ctx.account}", {"status": "active"}, ctx.headers, "status"),
        ("PATCH", f"/posts/{ctx.post}", {"status": "published"}, ctx.headers, "status"),
        ("PATCH", f"/media/{ctx.media}", {"url": "http://evil"}, ctx.headers, "url"),
    ]
    for method, path, body, headers, field in cases:
        res = await client.request(method, f"/api/v1{path}", json=body, headers=headers)
        check(res, 422, field, "validation_error")


# --- huge and out-of-range ids ---------------------------------------------------------------

HUGE_PATHS = [
    "/units/{}",
    "/units/{}/members",
    "/units/{}/invitations",
    "/accounts/{}",
    "/posts/{}",
    "/media/{}",
]


@pytest.mark.parametrize("template", HUGE_PATHS)
@pytest.mark.parametrize("value", [HUGE, 2**31, 2**63, -1, 0, "1e3", "0x10"])
async def test_huge_ids_in_paths(
    client: httpx.AsyncClient, ctx: Ctx, template: str, value: object
) -> None:
    res = await client.get("/api/v1" + template.format(value), headers=ctx.headers)
    assert res.status_code in (404, 422), res.text
    check(res, res.status_code)


async def test_huge_ids_in_write_paths(client: httpx.AsyncClient, ctx: Ctx) -> None:
    for method, path, body in [
        ("PATCH", f"/units/{HUGE}", {"name": "Baru"}),
        ("PATCH", f"/units/{ctx.unit.id}/members/{HUGE}", {"role": "viewer"}),
        ("DELETE", f"/units/{ctx.unit.id}/members/{HUGE}", None),
        ("PATCH", f"/accounts/{HUGE}", {"handle": "@x"}),
        ("POST", f"/accounts/{HUGE}/disable", None),
        ("PATCH", f"/posts/{HUGE}", {"title": "x"}),
        ("DELETE", f"/posts/{HUGE}", None),
        ("PATCH", f"/media/{HUGE}", {"alt_text": "x"}),
        ("DELETE", f"/media/{HUGE}", None),
    ]:
        res = await client.request(method, f"/api/v1{path}", json=body, headers=ctx.headers)
        body_ = check(res, 422)
        assert len(body_["fields"]) == 1, body_


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/posts", "unit_id"),
        ("/posts", "account_id"),
        ("/posts", "limit"),
        ("/posts", "offset"),
        ("/posts/categories", "unit_id"),
        ("/accounts", "unit_id"),
        ("/media", "unit_id"),
        ("/media", "limit"),
        ("/media", "offset"),
    ],
)
async def test_huge_ids_in_queries(
    client: httpx.AsyncClient, ctx: Ctx, path: str, param: str
) -> None:
    res = await client.get(f"/api/v1{path}", params={param: str(HUGE)}, headers=ctx.headers)
    check(res, 422, param, "validation_error")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit_id": HUGE}, "unit_id"),
        ({"unit_id": 2**31}, "unit_id"),
        ({"variants": [{"account_id": HUGE}]}, "variants.0.account_id"),
        ({"variants": [{"account_id": 1, "media_ids": [HUGE]}]}, "variants.0.media_ids.0"),
        ({"variants": [{"account_id": -5}]}, "variants.0.account_id"),
    ],
)
async def test_huge_ids_in_bodies(
    client: httpx.AsyncClient, ctx: Ctx, change: dict[str, Any], field: str
) -> None:
    for path in ("/api/v1/posts", "/api/v1/posts/validate"):
        res = await client.post(path, json=post_body(ctx, **change), headers=ctx.headers)
        check(res, 422, field, "validation_error")


async def test_huge_ids_in_other_bodies(client: httpx.AsyncClient, ctx: Ctx) -> None:
    res = await client.post(
        "/api/v1/accounts",
        json={"unit_id": HUGE, "platform": "x", "handle": "@x", "display_name": "X"},
        headers=ctx.headers,
    )
    check(res, 422, "unit_id")
    res = await upload(client, ctx.headers, HUGE)
    check(res, 422, "unit_id")


# --- strings ---------------------------------------------------------------------------------


async def test_nul_characters_are_rejected(
    client: httpx.AsyncClient, world: World, ctx: Ctx
) -> None:
    root = await world.user(superuser=True)
    cases: list[tuple[str, str, Any, dict[str, str], str]] = [
        ("POST", "/auth/login", {"email": "a\x00@b.go.id", "password": "x"}, {}, "email"),
        ("POST", "/auth/login", {"email": "a@b.go.id", "password": NUL}, {}, "password"),
        ("PATCH", "/me", {"name": NUL}, ctx.headers, "name"),
        ("POST", "/units", {"name": NUL, "slug": "nul"}, world.headers(root), "name"),
        ("PATCH", f"/units/{ctx.unit.id}", {"name": NUL}, ctx.headers, "name"),
        (
            "POST",
            f"/units/{ctx.unit.id}/members",
            {"email": "nul@example.go.id", "role": "viewer", "name": NUL, "password": "x" * 12},
            ctx.headers,
            "name",
        ),
        (
            "POST",
            "/accounts",
            {"unit_id": ctx.unit.id, "platform": "x", "handle": NUL, "display_name": "X"},
            ctx.headers,
            "handle",
        ),
        ("PATCH", f"/accounts/{ctx.account}", {"display_name": NUL}, ctx.headers, "display_name"),
        ("POST", "/posts", post_body(ctx, title=NUL), ctx.headers, "title"),
        ("POST", "/posts", post_body(ctx, notes=NUL), ctx.headers, "notes"),
        (
            "POST",
            "/posts",
            post_body(ctx, variants=[{"account_id": ctx.account, "text": NUL}]),
            ctx.headers,
            "variants.0.text",
        ),
        (
            "POST",
            "/posts/validate",
            post_body(ctx, variants=[{"account_id": ctx.account, "text": NUL}]),
            ctx.headers,
            "variants.0.text",
        ),
        ("PATCH", f"/posts/{ctx.post}", {"category": NUL}, ctx.headers, "category"),
        ("PATCH", f"/media/{ctx.media}", {"alt_text": NUL}, ctx.headers, "alt_text"),
    ]
    for method, path, body, headers, field in cases:
        res = await client.request(method, f"/api/v1{path}", json=body, headers=headers)
        check(res, 422, field)
    for param in ("q", "category"):
        res = await client.get("/api/v1/posts", params={param: NUL}, headers=ctx.headers)
        check(res, 422, param)


async def test_nul_characters_in_uploads(client: httpx.AsyncClient, ctx: Ctx) -> None:
    res = await upload(client, ctx.headers, ctx.unit, alt_text=NUL)
    check(res, 422, "alt_text")
    # The file name is the client's, not something typed into a form: cleaned, not refused.
    boundary = "gaungboundary"
    raw = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="unit_id"\r\n\r\n'
            f"{ctx.unit.id}\r\n"
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="fo\x00to\x7f.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + image_bytes(20, 20)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    res = await client.post(
        "/api/v1/media",
        content=raw,
        headers={**ctx.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert res.status_code == 201, res.text
    assert res.json()["original_filename"] == "foto.jpg"


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/posts", {"title": "a" * 201}, "title"),
        ("POST", "/posts", {"category": "a" * 81}, "category"),
        ("POST", "/posts", {"notes": "a" * 10_001}, "notes"),
        (
            "POST",
            "/posts",
            {"variants": [{"account_id": 1, "text": "a" * 70_001}]},
            "variants.0.text",
        ),
        ("POST", "/posts", {"variants": [{"account_id": i} for i in range(1, 22)]}, "variants"),
        (
            "POST",
            "/posts",
            {"variants": [{"account_id": 1, "media_ids": list(range(1, 22))}]},
            "variants.0.media_ids",
        ),
        ("POST", "/posts", {"variants": []}, "variants"),
        ("POST", "/posts", {"title": "   "}, "title"),
    ],
)
async def test_overlong_and_empty_post_fields(
    client: httpx.AsyncClient, ctx: Ctx, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    res = await client.request(
        method, f"/api/v1{path}", json=post_body(ctx, **body), headers=ctx.headers
    )
    check(res, 422, field, "validation_error")


async def test_overlong_strings_elsewhere(client: httpx.AsyncClient, ctx: Ctx) -> None:
    for method, path, body, field in [
        ("PATCH", f"/units/{ctx.unit.id}", {"name": "a" * 201}, "name"),
        ("PATCH", f"/accounts/{ctx.account}", {"handle": "a" * 101}, "handle"),
        ("PATCH", f"/media/{ctx.media}", {"alt_text": "a" * 1001}, "alt_text"),
        ("PATCH", f"/posts/{ctx.post}", {"variants": []}, "variants"),
        ("POST", "/auth/login", {"email": "a" * 300 + "@b.go.id", "password": "x"}, "email"),
    ]:
        res = await client.request(method, f"/api/v1{path}", json=body, headers=ctx.headers)
        check(res, 422, field, "validation_error")
    res = await client.get("/api/v1/posts", params={"q": "a" * 201}, headers=ctx.headers)
    check(res, 422, "q")
    res = await upload(client, ctx.headers, ctx.unit, alt_text="a" * 1001)
    check(res, 422, "alt_text")
    # A long file name is cut, not refused.
    res = await upload(client, ctx.headers, ctx.unit, filename="a" * 400 + ".jpg")
    assert res.status_code == 201 and len(res.json()["original_filename"]) == 255


# --- datetimes and enums ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-03-01T09:00:00", "2026-03-01", "09:00"])
async def test_naive_datetimes_are_rejected(
    client: httpx.AsyncClient, ctx: Ctx, value: str
) -> None:
    res = await client.post(
        "/api/v1/posts", json=post_body(ctx, planned_at=value), headers=ctx.headers
    )
    check(res, 422, "planned_at", "validation_error")
    res = await client.patch(
        f"/api/v1/posts/{ctx.post}", json={"planned_at": value}, headers=ctx.headers
    )
    check(res, 422, "planned_at", "validation_error")
    for param in ("date_from", "date_to"):
        res = await client.get("/api/v1/posts", params={param: value}, headers=ctx.headers)
        check(res, 422, param, "validation_error")


async def test_datetimes_out_of_range(client: httpx.AsyncClient, ctx: Ctx) -> None:
    # Valid with their offset, but outside years 1-9999 in UTC.
    for value in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"):
        res = await client.post(
            "/api/v1/posts", json=post_body(ctx, planned_at=value), headers=ctx.headers
        )
        check(res, 422, "planned_at", "validation_error")
        res = await client.patch(
            f"/api/v1/posts/{ctx.post}", json={"planned_at": value}, headers=ctx.headers
        )
        check(res, 422, "planned_at", "validation_error")
        res = await client.get("/api/v1/posts", params={"date_to": value}, headers=ctx.headers)
        check(res, 422, "date_to", "validation_error")
    # The extremes themselves are fine.
    res = await client.post(
        "/api/v1/posts", json=post_body(ctx, planned_at="9999-12-31T23:59:59Z"), headers=ctx.headers
    )
    assert res.status_code == 201, res.text
    res = await client.get(
        "/api/v1/posts",
        params={"date_from": "0001-01-01T00:00:00Z", "count": "true"},
        headers=ctx.headers,
    )
    assert res.status_code == 200 and res.json()["total"] == 1  # the one with a date


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", "/posts?status=lost", None, "status"),
        ("GET", "/posts?platform=TikTok", None, "platform"),
        ("GET", "/accounts?status=sleeping", None, "status"),
        (
            "POST",
            "/accounts",
            {"unit_id": 1, "platform": "X", "handle": "@a", "display_name": "A"},
            "platform",
        ),
        ("PATCH", "/units/{unit}/members/{admin}", {"role": "owner"}, "role"),
        ("PATCH", "/me", {"locale": "fr"}, "locale"),
    ],
)
async def test_bad_enum_values(
    client: httpx.AsyncClient, ctx: Ctx, method: str, path: str, body: Any, field: str
) -> None:
    url = "/api/v1" + path.format(unit=ctx.unit.id, admin=ctx.admin.id)
    res = await client.request(method, url, json=body, headers=ctx.headers)
    check(res, 422, field, "validation_error")


# --- routes and methods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v1/posts/1/likes", "/api/v2/posts", "/api/v1/"]
)
async def test_unknown_routes_are_json_404(client: httpx.AsyncClient, ctx: Ctx, path: str) -> None:
    for method in ("GET", "POST", "DELETE"):
        res = await client.request(method, path, headers=ctx.headers)
        check(res, 404, error="not_found")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/api/v1/units"),
        ("PUT", "/api/v1/posts/1"),
        ("PATCH", "/api/v1/posts"),
        ("POST", "/api/v1/posts/categories"),
        ("DELETE", "/api/v1/accounts/1"),
        ("GET", "/api/v1/auth/login"),
    ],
)
async def test_wrong_methods_are_405(
    client: httpx.AsyncClient, ctx: Ctx, method: str, path: str
) -> None:
    res = await client.request(method, path, headers=ctx.headers)
    check(res, 405, error="method_not_allowed")
    assert "allow" in res.headers


async def test_missing_and_odd_auth_headers(client: httpx.AsyncClient) -> None:
    for value in ("Bearer", "Basic dXNlcjpwYXNz", "Bearer " + "a" * 10_000, "Bearer \x7f"):
        res = await client.get("/api/v1/posts", headers={"Authorization": value})
        check(res, 401)


async def test_upload_without_file_or_unit(client: httpx.AsyncClient, ctx: Ctx) -> None:
    res = await client.post(
        "/api/v1/media", data={"unit_id": str(ctx.unit.id)}, headers=ctx.headers
    )
    check(res, 422, "file", "validation_error")
    res = await client.post(
        "/api/v1/media", files={"file": ("a.jpg", b"x", "image/jpeg")}, headers=ctx.headers
    )
    check(res, 422, "unit_id", "validation_error")
    res = await client.post("/api/v1/media", json={"unit_id": ctx.unit.id}, headers=ctx.headers)
    check(res, 422)


# --- names, titles and handles ---------------------------------------------------------------


def label_cases(ctx: Ctx, root: dict[str, str], value: str) -> list[tuple[str, str, Any, str]]:
    """Every single-line field people read as a label, set to ``value``: (method, path, body,
    field). Post and variant texts are not among them."""
    h = ctx.headers
    member = {"email": "baru@example.go.id", "role": "viewer", "password": "x" * 12}
    account = {"unit_id": ctx.unit.id, "platform": "x", "handle": "@a", "display_name": "A"}
    return [
        ("POST", "/units", ({"name": value, "slug": "baru"}, root), "name"),
        ("PATCH", f"/units/{ctx.unit.id}", ({"name": value}, h), "name"),
        ("POST", f"/units/{ctx.unit.id}/members", ({**member, "name": value}, h), "name"),
        ("PATCH", "/me", ({"name": value}, h), "name"),
        ("POST", "/accounts", ({**account, "handle": value}, h), "handle"),
        ("POST", "/accounts", ({**account, "display_name": value}, h), "display_name"),
        ("PATCH", f"/accounts/{ctx.account}", ({"handle": value}, h), "handle"),
        ("PATCH", f"/accounts/{ctx.account}", ({"display_name": value}, h), "display_name"),
        ("POST", "/posts", (post_body(ctx, title=value), h), "title"),
        ("POST", "/posts", (post_body(ctx, category=value), h), "category"),
        ("POST", "/posts", (post_body(ctx, campaign=value), h), "campaign"),
        ("POST", "/posts/validate", (post_body(ctx, title=value), h), "title"),
        ("POST", "/posts/validate", (post_body(ctx, category=value), h), "category"),
        ("POST", "/posts/validate", (post_body(ctx, campaign=value), h), "campaign"),
        ("PATCH", f"/posts/{ctx.post}", ({"title": value}, h), "title"),
        ("PATCH", f"/posts/{ctx.post}", ({"category": value}, h), "category"),
        ("PATCH", f"/posts/{ctx.post}", ({"campaign": value}, h), "campaign"),
    ]


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("Rapat\u202egnp.exe", "bidirectional control characters (U+202E)"),
        ("\u2067Humas", "bidirectional control characters (U+2067)"),
        ("Humas\u200f", "bidirectional control characters (U+200F)"),
        ("Hu\u061cmas", "bidirectional control characters (U+061C)"),
        ("\u200b", "visible characters"),
        ("\u200b\u200c\u200d", "visible characters"),
        ("\ufeff\u2060", "visible characters"),
        (" \u200b \u00ad ", "visible characters"),
        ("\u3164\u3164", "visible characters"),
        ("Baris\nbaru", "line breaks, tabs or other control characters (U+000A)"),
        ("Tab\there", "line breaks, tabs or other control characters (U+0009)"),
        ("Baris\u2028baru", "line breaks, tabs or other control characters (U+2028)"),
        ("Bel\x07", "line breaks, tabs or other control characters (U+0007)"),
        ("C1\x85x", "line breaks, tabs or other control characters (U+0085)"),
    ],
)
async def test_labels_refuse_bidi_controls_and_invisible_values(
    client: httpx.AsyncClient, world: World, ctx: Ctx, value: str, rule: str
) -> None:
    root = world.headers(await world.user(superuser=True))
    for method, path, (body, headers), field in label_cases(ctx, root, value):
        res = await client.request(method, f"/api/v1{path}", json=body, headers=headers)
        message = check(res, 422, field, "validation_error")["fields"][field]
        if message == "String should have at least 2 characters" and len(value.strip()) < 2:
            continue  # unit names: the length rule speaks first
        assert message.startswith("must ") and rule in message, (path, message)


@pytest.mark.parametrize(
    "value",
    [
        "Tim \U0001f469\u200d\U0001f4bb Humas",  # woman technologist: a ZWJ sequence
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag, nothing else
        "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # tag sequence
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with a ZWNJ
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 Humas",  # right-to-left text itself is fine
    ],
)
async def test_labels_keep_joiners_inside_visible_text(
    client: httpx.AsyncClient, world: World, ctx: Ctx, value: str
) -> None:
    res = await client.post(
        "/api/v1/posts", json=post_body(ctx, title=value, category=value), headers=ctx.headers
    )
    assert res.status_code == 201, res.text
    assert (res.json()["title"], res.json()["category"]) == (value, value)
    res = await client.patch("/api/v1/me", json={"name": value}, headers=ctx.headers)
    assert res.status_code == 200 and res.json()["name"] == value, res.text


async def test_post_texts_are_not_restricted_like_labels(
    client: httpx.AsyncClient, ctx: Ctx
) -> None:
    # A variant's text is what is published: joiners, marks and line breaks are all content.
    text = (
        "Selamat \U0001f468\u200d\U0001f469\u200d\U0001f467\n\u200f\u0633\u0644\u0627\u0645\u200b"
    )
    res = await client.post(
        "/api/v1/posts",
        json=post_body(ctx, variants=[{"account_id": ctx.account, "text": text}], notes="a\nb"),
        headers=ctx.headers,
    )
    assert res.status_code == 201, res.text
    assert res.json()["variants"][0]["text"] == text


async def test_alt_text_allows_line_breaks_but_not_bidi_or_invisible_values(
    client: httpx.AsyncClient, ctx: Ctx
) -> None:
    url = f"/api/v1/media/{ctx.media}"
    for bad, rule in (("\u200b\u200b", "visible"), ("Peta\u202e", "bidirectional")):
        res = await client.patch(url, json={"alt_text": bad}, headers=ctx.headers)
        assert rule in check(res, 422, "alt_text", "validation_error")["fields"]["alt_text"]
    good = "Peta lokasi\nJakarta \U0001f469\u200d\U0001f4bb"
    res = await client.patch(url, json={"alt_text": good}, headers=ctx.headers)
    assert res.status_code == 200 and res.json()["alt_text"] == good, res.text


async def test_a_body_that_is_not_utf8_is_a_422(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user(await world.unit())
    res = await client.patch(
        "/api/v1/me",
        content=b"\x12\xff",
        headers={**world.headers(user), "Content-Type": "application/json"},
    )
    assert res.status_code == 422, res.text
    assert list(error_of(res)["fields"]) == ["body"]

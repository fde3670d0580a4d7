"""The HTTP edge: body limits before reading, login before a body, security headers, the built
web app served precompressed, and 404/405 in the one error shape."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gaung.config import Settings
from gaung.edge import MULTIPART_OVERHEAD, body_rule
from gaung.kit.static import accepted_encodings, choose_encoding
from gaung.main import create_app
from tests.conftest import PASSWORD, World
from tests.helpers import error_of

MiB = 1024 * 1024
CHUNK = 64 * 1024


class Pulled:
    """A streamed request body that counts how much of it the server pulled."""

    def __init__(self, total: int, start: bytes = b"") -> None:
        self.total = total
        self.start = start
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = len(self.start)
        self.pulled = sent
        yield self.start
        while sent < self.total:
            chunk = b" " * min(CHUNK, self.total - sent)
            sent += len(chunk)
            self.pulled = sent
            yield chunk


def _client(app: FastAPI, base_url: str = "http://testserver") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


# --- body limits ---------------------------------------------------------------------------------


async def test_a_200_mb_login_body_is_refused_without_being_read(
    client: httpx.AsyncClient,
) -> None:
    body = Pulled(200 * MiB)
    res = await client.post(
        "/api/v1/auth/login", content=body, headers={"Content-Type": "application/json"}
    )
    assert res.status_code == 413
    err = error_of(res)
    assert err["error"] == "payload_too_large"
    assert err["fields"] == {"body": "at most 1 MiB"}
    # Cut off at the 1 MiB limit: what was pulled is the limit plus at most one chunk.
    assert body.pulled <= MiB + CHUNK
    print(f"\n200 MiB login body: server pulled {body.pulled / 1024:.0f} KiB before the 413")


async def test_a_declared_length_over_the_limit_is_refused_before_any_byte(
    client: httpx.AsyncClient,
) -> None:
    body = Pulled(200 * MiB)
    res = await client.post(
        "/api/v1/auth/login",
        content=body,
        headers={"Content-Type": "application/json", "Content-Length": str(200 * MiB)},
    )
    assert res.status_code == 413
    assert error_of(res)["error"] == "payload_too_large"
    assert res.headers["connection"] == "close"
    assert body.pulled == 0


async def test_the_json_limit_is_a_setting(tmp_path: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path, spa_dir=tmp_path / "none", max_body_kb=1)
    async with _client(create_app(settings)) as c:
        res = await c.post("/api/v1/auth/login", json={"email": "a@b.id", "password": "x" * 1100})
    assert res.status_code == 413
    assert error_of(res)["fields"] == {"body": "at most 1 KiB"}


async def test_an_unauthenticated_body_gets_401_before_it_is_read(
    client: httpx.AsyncClient,
) -> None:
    body = Pulled(50 * MiB)
    res = await client.post(
        "/api/v1/media", content=body, headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert res.status_code == 401
    assert error_of(res)["error"] == "not_authenticated"
    assert res.headers["www-authenticate"] == "Bearer"
    assert body.pulled == 0


async def test_a_body_with_a_bad_token_gets_401_before_it_is_read(
    client: httpx.AsyncClient,
) -> None:
    body = Pulled(5 * MiB)
    res = await client.patch(
        "/api/v1/posts/1",
        content=body,
        headers={"Authorization": "Bearer not.a.token", "Content-Type": "application/json"},
    )
    assert res.status_code == 401
    assert error_of(res)["error"] == "invalid_token"
    assert res.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert body.pulled == 0


async def test_a_logged_in_body_over_the_limit_is_cut_off(
    client: httpx.AsyncClient, world: World
) -> None:
    headers = world.headers(await world.user(await world.unit()))
    body = Pulled(20 * MiB)
    res = await client.post(
        "/api/v1/posts", content=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert res.status_code == 413
    assert error_of(res)["error"] == "payload_too_large"
    assert body.pulled <= MiB + CHUNK


async def test_normal_requests_pass(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user(await world.unit())
    res = await client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert res.status_code == 200, res.text
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {res.json()['access_token']}"}
    )
    assert me.status_code == 200, me.text
    # A logged-in body under the limit reaches the route (which judges it).
    res = await client.post("/api/v1/posts/validate", json={}, headers=world.headers(user))
    assert res.status_code == 422
    assert "unit_id" in error_of(res)["fields"]


async def test_an_upload_may_be_larger_than_a_json_body(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    headers = world.headers(await world.user(unit))
    res = await client.post(
        "/api/v1/media",
        data={"unit_id": str(unit.id)},
        files={"file": ("big.jpg", b"\0" * (3 * MiB), "image/jpeg")},
        headers=headers,
    )
    # Not an image: the route refuses it, the edge let it through.
    assert res.status_code not in (401, 413), res.text
    assert res.status_code < 500


async def test_an_upload_is_cut_off_at_its_limit(
    tmp_path: Path, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    settings = Settings(env="test", data_dir=tmp_path, spa_dir=tmp_path / "none", max_upload_mb=1)
    session = sessionmaker()
    world = World(session, settings)
    unit = await world.unit()
    headers = world.headers(await world.user(unit))
    app = create_app(settings, engine=engine)
    app.state.sessionmaker = sessionmaker
    part = (
        b'--x\r\nContent-Disposition: form-data; name="unit_id"\r\n\r\n%d\r\n'
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
        b"Content-Type: image/jpeg\r\n\r\n" % unit.id
    )
    body = Pulled(50 * MiB, part)
    async with _client(app) as c:
        res = await c.post(
            "/api/v1/media",
            content=body,
            headers={**headers, "Content-Type": "multipart/form-data; boundary=x"},
        )
    await session.close()
    assert res.status_code == 413
    assert error_of(res)["error"] == "payload_too_large"
    assert body.pulled <= MiB + MULTIPART_OVERHEAD + CHUNK


def test_body_rules_by_route(tmp_path: Path) -> None:
    rule_for = body_rule(Settings(env="test", data_dir=tmp_path, max_upload_mb=2, max_body_kb=8))
    upload = rule_for("POST", "/api/v1/media")
    assert (upload.limit, upload.needs_login) == (2 * MiB + MULTIPART_OVERHEAD, True)
    assert rule_for("PATCH", "/api/v1/media/3").limit == 8 * 1024
    for public in ("/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/health"):
        assert rule_for("POST", public).needs_login is False
    assert rule_for("POST", "/api/v1/auth/logout").needs_login is True
    assert rule_for("POST", "/somewhere").needs_login is False


# --- security headers ----------------------------------------------------------------------------

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}


def _has_common(res: httpx.Response) -> None:
    for name, value in COMMON.items():
        assert res.headers.get(name) == value, name
    assert "camera=()" in res.headers["permissions-policy"]
    assert "microphone=()" in res.headers["permissions-policy"]
    assert "geolocation=()" in res.headers["permissions-policy"]
    assert "frame-ancestors 'none'" in res.headers["content-security-policy"]


async def test_api_responses_and_refusals_carry_security_headers(
    client: httpx.AsyncClient,
) -> None:
    for res in (
        await client.get("/api/v1/health"),
        await client.get("/api/v1/nothing"),
        await client.post("/api/v1/posts", content=b"{}"),  # refused by the edge itself
    ):
        _has_common(res)
        assert res.headers["content-security-policy"].startswith("default-src 'none'")


async def test_hsts_only_for_https(tmp_path: Path) -> None:
    plain = Settings(env="test", data_dir=tmp_path, public_base_url="http://localhost:8000")
    async with _client(create_app(plain)) as c:
        assert "strict-transport-security" not in (await c.get("/api/v1/health")).headers
    async with _client(create_app(plain), base_url="https://gaung.example") as c:
        res = await c.get("/api/v1/health")
        assert res.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    public = Settings(env="test", data_dir=tmp_path, public_base_url="https://gaung.example.go.id")
    async with _client(create_app(public)) as c:
        assert "strict-transport-security" in (await c.get("/api/v1/health")).headers


async def test_hsts_behind_a_trusted_proxy_only(tmp_path: Path) -> None:
    proto = {"X-Forwarded-Proto": "https"}
    untrusted = Settings(env="test", data_dir=tmp_path, public_base_url="http://gaung.local")
    async with _client(create_app(untrusted)) as c:
        res = await c.get("/api/v1/health", headers=proto)
        assert "strict-transport-security" not in res.headers  # anyone can send the header
    # The test client's peer is 127.0.0.1.
    trusted = untrusted.model_copy(update={"trusted_proxies": "127.0.0.1"})
    async with _client(create_app(trusted)) as c:
        assert "strict-transport-security" in (await c.get("/api/v1/health", headers=proto)).headers
        assert "strict-transport-security" not in (await c.get("/api/v1/health")).headers


async def test_media_is_served_sandboxed(client: httpx.AsyncClient, settings: Settings) -> None:
    folder = settings.effective_media_dir / "1"
    folder.mkdir(parents=True)
    (folder / "evil.html").write_bytes(b"<script>alert(1)</script>")
    res = await client.get("/media/1/evil.html")
    assert res.status_code == 200
    assert res.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert res.headers["x-content-type-options"] == "nosniff"
    assert res.headers["cross-origin-resource-policy"] == "cross-origin"
    assert res.headers["cache-control"].startswith("public, max-age=")


async def test_the_docs_pages_allow_exactly_their_inline_script(
    client: httpx.AsyncClient,
) -> None:
    for url in ("/api/v1/docs", "/api/v1/docs/oauth2-redirect"):
        res = await client.get(url)
        assert res.status_code == 200
        csp = res.headers["content-security-policy"]
        script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        inline = re.findall(r"<script>(.*?)</script>", res.text, re.DOTALL)
        assert inline, url
        for script in inline:
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in script_src
        assert "unsafe-inline" not in script_src and "frame-ancestors 'none'" in csp
    assert "/api/v1/openapi.json" in (await client.get("/api/v1/docs")).text
    # The API's own JSON keeps the strict policy.
    spec = await client.get("/api/v1/openapi.json")
    assert spec.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


# --- the built web app ---------------------------------------------------------------------------

SCRIPT = b"console.log('gaung');" * 200
GZIPPED = gzip.compress(SCRIPT, mtime=0)
BROTLI = b"brotli bytes"  # served as stored: the server never decodes it
INDEX = b'<!doctype html><script type="module" src="/assets/app-abc123.js"></script>'


@pytest.fixture
def spa(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_bytes(INDEX)
    (dist / "favicon.svg").write_bytes(b"<svg/>")
    (dist / "secret.txt").write_bytes(b"")
    script = dist / "assets" / "app-abc123.js"
    script.write_bytes(SCRIPT)
    (dist / "assets" / "app-abc123.js.gz").write_bytes(GZIPPED)
    (dist / "assets" / "app-abc123.js.br").write_bytes(BROTLI)
    (dist / "assets" / "plain-def456.css").write_bytes(b"body{}")
    return dist


@pytest.fixture
async def web(tmp_path: Path, spa: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        env="test",
        data_dir=tmp_path / "data",
        spa_dir=spa,
        public_base_url="https://media.example.go.id",
    )
    async with _client(create_app(settings)) as c:
        yield c


async def _raw(client: httpx.AsyncClient, url: str, **headers: str) -> tuple[httpx.Response, bytes]:
    """The response and its body as sent (not decoded by the client)."""
    async with client.stream("GET", url, headers=headers) as res:
        return res, b"".join([chunk async for chunk in res.aiter_raw()])


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("br", "br"),
        ("gzip, deflate", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("*;q=0.5, br;q=0", "gzip"),
        ("identity", None),
        ("br;q=0, gzip;q=0", None),
        ("", None),
    ],
)
async def test_assets_are_served_precompressed_by_accept_encoding(
    web: httpx.AsyncClient, accept: str, coding: str | None
) -> None:
    body = {"br": BROTLI, "gzip": GZIPPED, None: SCRIPT}[coding]
    res, raw = await _raw(web, "/assets/app-abc123.js", **{"Accept-Encoding": accept})
    assert res.status_code == 200
    assert res.headers.get("content-encoding") == coding
    assert res.headers["content-type"].startswith("text/javascript")
    assert res.headers["vary"] == "Accept-Encoding"
    assert res.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert res.headers["content-length"] == str(len(body))
    assert raw == body


async def test_an_asset_without_variants_has_no_vary(web: httpx.AsyncClient) -> None:
    res, raw = await _raw(web, "/assets/plain-def456.css", **{"Accept-Encoding": "br, gzip"})
    assert raw == b"body{}"
    assert "content-encoding" not in res.headers and "vary" not in res.headers
    assert res.headers["content-type"].startswith("text/css")


async def test_index_and_client_routes_are_never_cached(web: httpx.AsyncClient) -> None:
    for url in ("/", "/index.html", "/posts/12", "/accounts"):
        res = await web.get(url)
        assert res.status_code == 200, url
        assert res.content == INDEX
        assert res.headers["cache-control"] == "no-cache"
        csp = res.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "object-src 'none'" in csp
        # Media come from the public address, which may differ from the app's.
        assert "img-src 'self' data: blob: https://media.example.go.id;" in csp
        _has_common(res)


async def test_head_gives_the_headers_alone(web: httpx.AsyncClient) -> None:
    for url in ("/assets/app-abc123.js", "/posts", "/favicon.svg"):
        res = await web.head(url, headers={"Accept-Encoding": "gzip"})
        assert res.status_code == 200, url
        assert res.content == b""
    res = await web.head("/assets/app-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert res.headers["content-length"] == str(len(GZIPPED))


async def test_other_root_files_get_a_short_cache(web: httpx.AsyncClient) -> None:
    res = await web.get("/favicon.svg")
    assert res.content == b"<svg/>"
    assert res.headers["cache-control"] == "public, max-age=3600"


async def test_missing_assets_and_traversal_are_404(web: httpx.AsyncClient) -> None:
    for url in ("/assets/nope-000.js", "/assets/%2e%2e/index.html", "/assets/..%2f..%2fdata"):
        res = await web.get(url)
        assert res.status_code == 404, url
        assert error_of(res)["error"] == "not_found"


async def _asgi_get(app: FastAPI, path: str) -> tuple[int, bytes]:
    """A request with the path exactly as given (clients normalise ``..`` away)."""
    messages: list[dict[str, Any]] = []
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays until the response is done
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    status = next(m["status"] for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return status, body


async def test_dot_dot_paths_stay_inside(tmp_path: Path, spa: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path / "data", spa_dir=spa)
    (tmp_path / "data" / "outside.txt").parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "outside.txt").write_bytes(b"secret")
    app = create_app(settings)
    for path in ("/media/../outside.txt", "/media/../../data/outside.txt", "/assets/../../x"):
        status, body = await _asgi_get(app, path)
        assert status == 404, path
        assert b"secret" not in body
    status, body = await _asgi_get(app, "/../data/outside.txt")
    assert b"secret" not in body


def test_accept_encoding_parsing() -> None:
    assert accepted_encodings("gzip;q=0.8, BR ; q=1, x;q=oops, y;q=7") == {
        "gzip": 0.8,
        "br": 1.0,
        "x": 0.0,
        "y": 0.0,
    }
    assert choose_encoding(None, ["br", "gzip"]) is None
    assert choose_encoding("gzip;q=0.5, br;q=0.4", ["br", "gzip"]) == "gzip"
    assert choose_encoding("br", ["gzip"]) is None


# --- routing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("with_app", [True, False])
async def test_unknown_api_paths_are_404_whatever_the_method(
    tmp_path: Path, spa: Path, with_app: bool
) -> None:
    settings = Settings(
        env="test", data_dir=tmp_path / "data", spa_dir=spa if with_app else tmp_path / "none"
    )
    async with _client(create_app(settings)) as c:
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            for url in ("/api/v1/nothing", "/api/v2/posts", "/api/v1/posts/1/nothing"):
                res = await c.request(method, url)
                assert res.status_code == 404, (method, url, res.status_code)
                assert error_of(res)["error"] == "not_found"
        assert error_of(await c.get("/media/nothing.jpg"))["error"] == "not_found"
        # Media are files to read: writing to them is a wrong method, in the one shape too.
        assert error_of(await c.post("/media/nothing.jpg"))["error"] == "method_not_allowed"


async def test_a_known_path_with_the_wrong_method_is_405(client: httpx.AsyncClient) -> None:
    res = await client.delete("/api/v1/posts")
    assert res.status_code == 405
    assert error_of(res)["error"] == "method_not_allowed"
    assert "GET" in res.headers["allow"]


async def test_get_validate_is_405_not_a_bad_post_id(
    client: httpx.AsyncClient, world: World
) -> None:
    headers = world.headers(await world.user(await world.unit()))
    for method in ("GET", "PUT", "DELETE"):
        res = await client.request(method, "/api/v1/posts/validate", headers=headers)
        assert res.status_code == 405, method
        assert error_of(res)["error"] == "method_not_allowed"
        assert res.headers["allow"] == "POST"

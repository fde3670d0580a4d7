"""The upload body is read as a stream, after authentication, and no further than its limits."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gaung.config import Settings
from gaung.main import create_app
from gaung.media.upload import MAX_FIELD_BYTES
from gaung.users.models import Role
from tests.conftest import World
from tests.helpers import CountedBody, error_of, image_bytes, multipart
from tests.media.support import editor_of, stored_files

MIB = 1024 * 1024


async def post_stream(
    client: httpx.AsyncClient,
    parts: list[tuple[str, str | tuple[str, bytes]]],
    headers: dict[str, str] | None = None,
    *,
    content_length: bool = False,
) -> tuple[httpx.Response, CountedBody, int]:
    """Send the form as a stream; returns the response, the counted body and its full size."""
    data, content_type = multipart(parts)
    body = CountedBody(data)
    sent_headers = {**(headers or {}), "Content-Type": content_type}
    if content_length:
        sent_headers["Content-Length"] = str(len(data))
    res = await client.post("/api/v1/media", content=body, headers=sent_headers)
    return res, body, len(data)


async def test_unauthenticated_upload_is_401_without_reading_the_body(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    big = b"\0" * (8 * MIB)
    res, body, size = await post_stream(client, [("unit_id", "1"), ("file", ("a.jpg", big))])
    assert res.status_code == 401 and error_of(res)["error"] == "not_authenticated"
    assert body.sent == 0 < size
    bad_token = {"Authorization": "Bearer not-a-token"}
    res, body, _ = await post_stream(
        client, [("unit_id", "1"), ("file", ("a.jpg", big))], bad_token
    )
    assert res.status_code == 401 and body.sent == 0
    assert stored_files(settings) == []


async def test_over_the_limit_stops_reading(
    small_client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    unit, headers = await editor_of(world)
    parts: list[tuple[str, str | tuple[str, bytes]]] = [
        ("unit_id", str(unit.id)),
        ("file", ("besar.jpg", image_bytes().ljust(16 * MIB, b"\0"))),
    ]
    # Sent without a length (chunked): reading stops at the first chunk over 1 MB.
    res, body, size = await post_stream(small_client, parts, headers)
    assert res.status_code == 413, res.text
    error = error_of(res)
    assert error["error"] == "payload_too_large" and error["fields"] == {"file": "at most 1 MB"}
    assert body.sent <= MIB + 2 * body.chunk < size
    assert stored_files(settings) == []  # the partial temporary file is gone


async def test_content_length_over_the_limit_is_413_at_once(
    small_client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    unit, headers = await editor_of(world)
    parts: list[tuple[str, str | tuple[str, bytes]]] = [
        ("unit_id", str(unit.id)),
        ("file", ("besar.jpg", b"\0" * (2 * MIB))),
    ]
    res, body, _ = await post_stream(small_client, parts, headers, content_length=True)
    assert res.status_code == 413 and "file" in error_of(res)["fields"]
    assert body.sent == 0


async def test_wrong_unit_is_refused_before_the_file_is_read(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    _, headers = await editor_of(world)
    other = await world.unit()
    file = ("foto.jpg", image_bytes().ljust(8 * MIB, b"\0"))
    res, body, size = await post_stream(
        client, [("unit_id", str(other.id)), ("file", file)], headers
    )
    assert res.status_code == 404 and error_of(res)["error"] == "unit_not_found"
    # Only the first chunk (the unit field and the start of the file) was read.
    assert body.sent <= body.chunk < size
    assert stored_files(settings) == []


async def test_read_only_role_is_refused_before_the_file_is_read(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    unit, headers = await editor_of(world, Role.viewer)
    file = ("foto.jpg", image_bytes().ljust(8 * MIB, b"\0"))
    res, body, _ = await post_stream(client, [("unit_id", str(unit.id)), ("file", file)], headers)
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
    assert body.sent <= body.chunk
    assert stored_files(settings) == []


async def test_unit_after_the_file_is_checked_after_reading(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    _, headers = await editor_of(world)
    other = await world.unit()
    parts: list[tuple[str, str | tuple[str, bytes]]] = [
        ("file", ("foto.jpg", image_bytes())),
        ("unit_id", str(other.id)),
    ]
    res, _, _ = await post_stream(client, parts, headers)
    assert res.status_code == 404 and error_of(res)["error"] == "unit_not_found"
    assert stored_files(settings) == []  # the temporary file was removed


async def test_file_first_is_accepted(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    unit, headers = await editor_of(world)
    parts: list[tuple[str, str | tuple[str, bytes]]] = [
        ("file", ("foto.jpg", image_bytes(640, 480))),
        ("alt_text", "Rapat koordinasi"),
        ("unit_id", str(unit.id)),
    ]
    res, _, _ = await post_stream(client, parts, headers)
    assert res.status_code == 201, res.text
    assert (res.json()["width"], res.json()["alt_text"]) == (640, "Rapat koordinasi")
    assert len(stored_files(settings)) == 1


FILE = ("file", ("foto.jpg", b"x"))


@pytest.mark.parametrize(
    ("parts", "field", "message"),
    [
        ([FILE], "unit_id", "Field required"),
        ([("unit_id", "satu"), FILE], "unit_id", "valid integer"),
        ([("unit_id", "0"), FILE], "unit_id", "greater than or equal to 1"),
        ([("unit_id", "99999999999"), FILE], "unit_id", "less than or equal to"),
        ([("unit_id", "1")], "file", "Field required"),
        ([("unit_id", "1"), ("file", "not a file")], "file", "must be a file"),
        ([("unit_id", ("id.txt", b"1")), FILE], "unit_id", "not a file"),
        ([("unit_id", "1"), ("unit_id", "2"), FILE], "unit_id", "more than once"),
        ([("unit_id", "1"), FILE, ("caption", "x")], "caption", "not permitted"),
        ([("unit_id", "1"), ("alt_text", "a" * 1001), FILE], "alt_text", "at most 1000"),
        ([("unit_id", "1"), ("alt_text", "a\0b"), FILE], "alt_text", "NUL"),
        ([("unit_id", "1"), ("alt_text", "é" * MAX_FIELD_BYTES), FILE], "alt_text", "bytes"),
    ],
)
async def test_bad_fields(
    client: httpx.AsyncClient,
    world: World,
    settings: Settings,
    parts: list[tuple[str, str | tuple[str, bytes]]],
    field: str,
    message: str,
) -> None:
    unit, headers = await editor_of(world)
    # The unit the caller edits, where a valid unit id is expected.
    parts = [(n, str(unit.id)) if (n, v) == ("unit_id", "1") else (n, v) for n, v in parts]
    res, _, _ = await post_stream(client, parts, headers)
    assert res.status_code == 422, res.text
    error = error_of(res)
    assert field in error["fields"] and message in error["fields"][field], error
    assert stored_files(settings) == []


async def test_url_encoded_form_has_no_file(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    res = await client.post("/api/v1/media", data={"unit_id": str(unit.id)}, headers=headers)
    assert res.status_code == 422
    assert "multipart/form-data" in error_of(res)["fields"]["file"]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"unit_id": 1}', "application/json"),
        (
            b'--abc\r\nContent-Disposition: form-data; name="unit_id"\r\n\r\n1',
            "multipart/form-data",
        ),
        # Cut off in the middle of the file part.
        (
            b'--abc\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nxyz',
            "multipart/form-data; boundary=abc",
        ),
        (b"garbage without any boundary", "multipart/form-data; boundary=abc"),
    ],
)
async def test_bad_body(
    client: httpx.AsyncClient,
    world: World,
    settings: Settings,
    content: bytes,
    content_type: str,
) -> None:
    _, headers = await editor_of(world)
    res = await client.post(
        "/api/v1/media", content=content, headers={**headers, "Content-Type": content_type}
    )
    assert res.status_code == 422, res.text
    assert "body" in error_of(res)["fields"]
    assert stored_files(settings) == []


async def test_no_database_connection_is_held_while_the_body_arrives(
    settings: Settings,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    world: World,
) -> None:
    sessions: list[AsyncSession] = []

    def recording_factory() -> AsyncSession:
        session = sessionmaker()
        sessions.append(session)
        return session

    app = create_app(settings, engine=engine)
    app.state.sessionmaker = recording_factory
    unit, headers = await editor_of(world)
    data, content_type = multipart([("unit_id", str(unit.id)), ("file", ("a.jpg", image_bytes()))])
    in_transaction: list[bool] = []

    async def body() -> AsyncIterator[bytes]:
        # Asked for only once the request is authenticated.
        in_transaction.extend(s.in_transaction() for s in sessions)
        yield data

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        res = await c.post(
            "/api/v1/media", content=body(), headers={**headers, "Content-Type": content_type}
        )
    assert res.status_code == 201, res.text
    assert in_transaction == [False]


async def test_interrupted_upload_leaves_nothing_behind(
    settings: Settings,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    world: World,
) -> None:
    app = create_app(settings, engine=engine)
    app.state.sessionmaker = sessionmaker
    unit, headers = await editor_of(world)
    data, content_type = multipart([("unit_id", str(unit.id)), ("file", ("a.jpg", image_bytes()))])
    # The connection drops halfway through the file.
    messages = [
        {"type": "http.request", "body": data[: len(data) // 2], "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return messages.pop(0)

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/media",
        "raw_path": b"/api/v1/media",
        "query_string": b"",
        "root_path": "",
        "headers": [*raw_headers, (b"content-type", content_type.encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    await app(scope, receive, send)
    assert sent[0]["status"] == 400
    assert b'"upload_interrupted"' in sent[1]["body"]  # type: ignore[operator]
    assert stored_files(settings) == []

"""Uploads: recognised by decoding them, measured, stored, served; alt text; deletion."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import Image

from gaung.accounts.models import Platform
from gaung.config import Settings
from gaung.media.models import MediaAsset
from gaung.users.models import Role
from tests.conftest import World
from tests.helpers import audit_events, error_of, image_bytes, upload, video_bytes
from tests.media.support import editor_of, stored_files


@pytest.mark.parametrize(
    ("fmt", "filename", "mime", "kind"),
    [
        ("JPEG", "foto.jpg", "image/jpeg", "image"),
        ("PNG", "grafis.png", "image/png", "image"),
        ("GIF", "animasi.gif", "image/gif", "gif"),
    ],
)
async def test_upload_image(
    client: httpx.AsyncClient,
    world: World,
    settings: Settings,
    fmt: str,
    filename: str,
    mime: str,
    kind: str,
) -> None:
    unit, headers = await editor_of(world)
    data = image_bytes(1200, 900, fmt)
    # The client's content type is ignored: the content decides.
    res = await upload(
        client, headers, unit, data, filename, "application/octet-stream", alt_text=" Foto "
    )
    assert res.status_code == 201, res.text
    body = res.json()
    assert (body["kind"], body["mime_type"], body["width"], body["height"]) == (
        kind,
        mime,
        1200,
        900,
    )
    assert body["original_filename"] == filename
    assert body["alt_text"] == "Foto" and body["unit_id"] == unit.id
    assert body["url"].startswith("https://gaung.example.go.id/media/")
    served = await client.get(urlsplit(body["url"]).path)
    # What is served is rebuilt from the decoded pixels: same format and size, not same bytes.
    assert served.status_code == 200 and body["size_bytes"] == len(served.content)
    with Image.open(io.BytesIO(served.content)) as stored:
        assert (stored.format, stored.size) == (fmt, (1200, 900))
    [event] = await audit_events(world.session, "media", body["id"])
    assert event.action == "create" and event.unit_id == unit.id


@pytest.mark.parametrize(
    ("fmt", "codec", "mime", "extension"),
    [
        ("mp4", "h264", "video/mp4", ".mp4"),
        ("mp4", "mpeg4", "video/mp4", ".mp4"),
        ("mov", "h264", "video/quicktime", ".mov"),
    ],
)
async def test_upload_video(
    client: httpx.AsyncClient, world: World, fmt: str, codec: str, mime: str, extension: str
) -> None:
    unit, headers = await editor_of(world)
    data = video_bytes(frames=25, width=96, height=64, rate=10, codec=codec, fmt=fmt)
    res = await upload(client, headers, unit, data, f"klip.{fmt}", "application/octet-stream")
    assert res.status_code == 201, res.text
    body = res.json()
    assert (body["kind"], body["mime_type"]) == ("video", mime)
    # Size and duration come from the video itself: the platforms' video rules need them.
    assert (body["width"], body["height"], body["duration_s"]) == (96, 64, 2.5)
    assert body["url"].endswith(extension)
    served = await client.get(urlsplit(body["url"]).path)
    assert body["size_bytes"] == len(served.content)
    # Stored remuxed, with the index (moov) before the frames (mdat).
    assert served.content.find(b"moov") < served.content.find(b"mdat")
    [event] = await audit_events(world.session, "media", body["id"])
    assert event.after is not None and event.after["codec"] == codec


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"Ini bukan gambar, hanya teks biasa.\n" * 10, "palsu.jpg"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "rusak.jpg"),  # a JPEG header, then nothing
        (b"%PDF-1.7\n" + b"0" * 200, "dokumen.png"),
    ],
)
async def test_not_an_image_is_rejected(
    client: httpx.AsyncClient, world: World, settings: Settings, data: bytes, filename: str
) -> None:
    unit, headers = await editor_of(world)
    res = await upload(client, headers, unit, data, filename, "image/jpeg")
    assert res.status_code == 422, res.text
    body = error_of(res)
    assert body["error"] == "unsupported_media_type" and "file" in body["fields"]
    assert stored_files(settings) == []  # the temporary file is gone


async def test_unsupported_image_format(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    res = await upload(client, headers, unit, image_bytes(10, 10, "BMP"), "gambar.bmp")
    assert res.status_code == 422
    assert error_of(res)["error"] == "unsupported_media_type"


async def test_empty_file_is_rejected(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    unit, headers = await editor_of(world)
    res = await upload(client, headers, unit, b"", "kosong.jpg")
    assert res.status_code == 422
    assert "file" in error_of(res)["fields"]
    assert stored_files(settings) == []


async def test_too_large_is_413(
    small_client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    unit, headers = await editor_of(world)
    # Bytes after a JPEG's end are ignored by decoders (and dropped when it is rebuilt).
    at_limit = await upload(small_client, headers, unit, image_bytes().ljust(1024 * 1024, b"\0"))
    assert at_limit.status_code == 201, at_limit.text
    res = await upload(small_client, headers, unit, image_bytes().ljust(1024 * 1024 + 1, b"\0"))
    assert res.status_code == 413
    body = error_of(res)
    assert body["error"] == "payload_too_large" and "file" in body["fields"]
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize("role", [Role.viewer, Role.expert])
async def test_read_only_roles_cannot_upload(
    client: httpx.AsyncClient, world: World, settings: Settings, role: Role
) -> None:
    unit, headers = await editor_of(world, role)
    res = await upload(client, headers, unit)
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"
    assert stored_files(settings) == []


async def test_contributor_can_upload(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world, Role.contributor)
    assert (await upload(client, headers, unit)).status_code == 201


async def test_list_and_read(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    first = (await upload(client, headers, unit)).json()
    second = (await upload(client, headers, unit, image_bytes(fmt="PNG"), "b.png")).json()
    res = await client.get("/api/v1/media", headers=headers)
    assert [m["id"] for m in res.json()["items"]] == [second["id"], first["id"]]
    page = await client.get("/api/v1/media", params={"limit": 1, "offset": 1}, headers=headers)
    assert [m["id"] for m in page.json()["items"]] == [first["id"]]
    one = await client.get(f"/api/v1/media/{first['id']}", headers=headers)
    assert one.status_code == 200 and one.json() == first


async def test_update_alt_text(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    media = (await upload(client, headers, unit)).json()
    url = f"/api/v1/media/{media['id']}"
    res = await client.patch(url, json={"alt_text": "Kepala dinas membuka acara"}, headers=headers)
    assert res.status_code == 200 and res.json()["alt_text"] == "Kepala dinas membuka acara"
    cleared = await client.patch(url, json={"alt_text": ""}, headers=headers)
    assert cleared.status_code == 200 and cleared.json()["alt_text"] is None
    too_long = await client.patch(url, json={"alt_text": "a" * 1001}, headers=headers)
    assert too_long.status_code == 422 and "alt_text" in error_of(too_long)["fields"]
    events = await audit_events(world.session, "media", media["id"], action="update")
    assert [(e.before, e.after) for e in events] == [
        ({"alt_text": None}, {"alt_text": "Kepala dinas membuka acara"}),
        ({"alt_text": "Kepala dinas membuka acara"}, {"alt_text": None}),
    ]


async def test_viewer_cannot_change_alt_text(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    media = (await upload(client, headers, unit)).json()
    viewer = await world.user(unit, Role.viewer)
    res = await client.patch(
        f"/api/v1/media/{media['id']}", json={"alt_text": "x"}, headers=world.headers(viewer)
    )
    assert res.status_code == 403


async def test_delete(client: httpx.AsyncClient, world: World, settings: Settings) -> None:
    unit, headers = await editor_of(world)
    media = (await upload(client, headers, unit)).json()
    path = urlsplit(media["url"]).path
    assert len(stored_files(settings)) == 1
    res = await client.delete(f"/api/v1/media/{media['id']}", headers=headers)
    assert res.status_code == 204
    assert stored_files(settings) == []
    assert await world.session.get(MediaAsset, media["id"]) is None
    assert (await client.get(f"/api/v1/media/{media['id']}", headers=headers)).status_code == 404
    assert (await client.get(path)).status_code == 404
    assert [e.action for e in await audit_events(world.session, "media", media["id"])] == [
        "create",
        "delete",
    ]


async def test_delete_in_use_is_409(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    unit, headers = await editor_of(world)
    account = await world.account(unit, Platform.facebook)
    media = (await upload(client, headers, unit)).json()
    post = await client.post(
        "/api/v1/posts",
        json={
            "unit_id": unit.id,
            "title": "Dengan foto",
            "variants": [{"account_id": account.id, "text": "", "media_ids": [media["id"]]}],
        },
        headers=headers,
    )
    assert post.status_code == 201, post.text
    res = await client.delete(f"/api/v1/media/{media['id']}", headers=headers)
    assert res.status_code == 409 and error_of(res)["error"] == "media_in_use"
    assert len(stored_files(settings)) == 1
    # Once the post is gone, so can the file be.
    assert (
        await client.delete(f"/api/v1/posts/{post.json()['id']}", headers=headers)
    ).status_code == 204
    assert (await client.delete(f"/api/v1/media/{media['id']}", headers=headers)).status_code == 204

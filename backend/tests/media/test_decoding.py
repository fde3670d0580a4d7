"""Uploads are decoded, not sniffed: only what decodes is stored, and images are rebuilt from
their pixels so nothing that rode along (HTML, EXIF GPS, comments) is served."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import av
import httpx
import pytest
from PIL import ExifTags, Image
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gaung.accounts.models import Platform
from gaung.config import Settings
from gaung.main import create_app
from gaung.media.decode import _webp_lossless
from tests.conftest import World
from tests.helpers import error_of, image_bytes, png_bytes, upload, video_bytes
from tests.media.support import editor_of, stored_files

HTML = b"<html><script>alert(document.cookie)</script></html>"


async def stored_bytes(client: httpx.AsyncClient, res: httpx.Response) -> bytes:
    assert res.status_code == 201, res.text
    served = await client.get(urlsplit(res.json()["url"]).path)
    assert served.status_code == 200
    return served.content


def refused(res: httpx.Response, code: str = "unsupported_media_type") -> str:
    """The reason given for the file, after checking the refusal's shape."""
    assert res.status_code == 422, res.text
    body = error_of(res)
    assert body["error"] == code, body
    return str(body["fields"]["file"])


# --- images ------------------------------------------------------------------------------------


async def test_html_appended_to_a_jpeg_is_not_stored(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, headers = await editor_of(world)
    res = await upload(client, headers, unit, image_bytes(300, 200) + HTML, "foto.jpg")
    data = await stored_bytes(client, res)
    assert b"<html>" not in data and b"<script>" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert (img.format, img.size) == ("JPEG", (300, 200))


def photo_with_exif() -> bytes:
    """A phone photo: 40 × 20 pixels stored sideways (orientation 6), GPS position, a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "S",
            ExifTags.GPS.GPSLatitude: (6.0, 54.0, 52.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (107.0, 36.0, 35.0),
        }
    )
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buf, "JPEG", exif=exif, comment=HTML)
    return buf.getvalue()


async def test_exif_is_dropped_after_applying_the_orientation(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, headers = await editor_of(world)
    original = photo_with_exif()
    with Image.open(io.BytesIO(original)) as img:  # the test photo does carry GPS
        assert img.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    res = await upload(client, headers, unit, original, "foto.jpg")
    data = await stored_bytes(client, res)
    assert (res.json()["width"], res.json()["height"]) == (20, 40)  # turned upright
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (20, 40)
        assert not img.getexif() and "exif" not in img.info and "comment" not in img.info
    assert b"PhoneMaker" not in data and b"<script>" not in data


def animated_gif(frames: int = 4) -> bytes:
    images = [Image.new("P", (30, 20), i * 40) for i in range(frames)]
    for i, img in enumerate(images):
        img.putpalette([c for n in range(256) for c in (n, (n * 3) % 256, 255 - n)])
        img.paste(i * 40 + 1, (i * 5, 0, i * 5 + 5, 5))
    buf = io.BytesIO()
    images[0].save(
        buf, "GIF", save_all=True, append_images=images[1:], duration=120, loop=0, comment=HTML
    )
    return buf.getvalue() + HTML


async def test_animated_gif_keeps_its_frames_not_its_comment(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, headers = await editor_of(world)
    original = animated_gif()
    assert b"<script>" in original
    res = await upload(client, headers, unit, original, "animasi.gif")
    data = await stored_bytes(client, res)
    assert res.json()["kind"] == "gif"
    assert b"<script>" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert (img.format, img.n_frames, img.info["duration"]) == ("GIF", 4, 120)


async def test_animated_webp_keeps_its_frames_not_its_xmp(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, headers = await editor_of(world)
    frames = [Image.new("RGB", (32, 24), (i * 60, 0, 0)) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(
        buf, "WEBP", save_all=True, append_images=frames[1:], duration=80, lossless=True, xmp=HTML
    )
    assert b"<script>" in buf.getvalue()
    res = await upload(client, headers, unit, buf.getvalue(), "animasi.webp")
    data = await stored_bytes(client, res)
    assert res.json()["kind"] == "image" and b"<script>" not in data
    with Image.open(io.BytesIO(data)) as img:
        img.load()  # WebP frames tell their duration once decoded
        assert (img.format, img.n_frames, img.info["duration"]) == ("WEBP", 3, 80)
        img.seek(2)
        assert img.convert("RGB").getpixel((0, 0)) == (120, 0, 0)


async def test_camera_jpeg_with_a_second_picture_is_stored_as_its_first(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, headers = await editor_of(world)
    first, second = Image.new("RGB", (40, 30), (255, 0, 0)), Image.new("RGB", (40, 30), "blue")
    buf = io.BytesIO()
    first.save(buf, "MPO", save_all=True, append_images=[second])
    res = await upload(client, headers, unit, buf.getvalue(), "kamera.jpg")
    data = await stored_bytes(client, res)
    assert res.json()["mime_type"] == "image/jpeg"
    with Image.open(io.BytesIO(data)) as img:
        assert (img.format, getattr(img, "n_frames", 1)) == ("JPEG", 1)
        r, g, b = img.convert("RGB").getpixel((0, 0))  # type: ignore[misc]
        assert r > 200 and g < 50 and b < 50


async def test_animated_png_stays_an_animated_png(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    frames = [Image.new("RGBA", (20, 16), (0, i * 100, 0, 255)) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:], duration=50, loop=0)
    res = await upload(client, headers, unit, buf.getvalue(), "animasi.png")
    data = await stored_bytes(client, res)
    assert res.json()["mime_type"] == "image/png" and res.json()["url"].endswith(".png")
    with Image.open(io.BytesIO(data)) as img:
        assert (img.format, img.n_frames) == ("PNG", 3)
        img.seek(2)
        assert img.convert("RGBA").getpixel((0, 0)) == (0, 200, 0, 255)


async def test_png_keeps_its_transparency(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    buf = io.BytesIO()
    Image.new("RGBA", (50, 40), (10, 20, 30, 0)).save(buf, "PNG")
    data = await stored_bytes(client, await upload(client, headers, unit, buf.getvalue(), "a.png"))
    with Image.open(io.BytesIO(data)) as img:
        assert (img.format, img.mode, img.getpixel((0, 0))) == ("PNG", "RGBA", (10, 20, 30, 0))


@pytest.mark.parametrize("lossless", [True, False])
async def test_webp_stays_lossless_or_lossy(
    client: httpx.AsyncClient, world: World, tmp_path: Path, lossless: bool
) -> None:
    unit, headers = await editor_of(world)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(buf, "WEBP", lossless=lossless)
    data = await stored_bytes(client, await upload(client, headers, unit, buf.getvalue(), "a.webp"))
    (tmp_path / "stored.webp").write_bytes(data)
    assert _webp_lossless(tmp_path / "stored.webp") is lossless
    with Image.open(io.BytesIO(data)) as img:
        assert (img.format, img.size) == ("WEBP", (64, 48))


# A 12,000 × 12,000 image is over Pillow's own warning threshold, which our limit replaces.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
async def test_too_many_pixels_is_refused_before_decoding(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    unit, headers = await editor_of(world)
    res = await upload(client, headers, unit, png_bytes(12_000, 12_000), "besar.png")
    assert refused(res, "image_too_large") == "at most 67,108,864 pixels"
    assert "12,000 × 12,000" in error_of(res)["detail"]
    # Far over Pillow's own limit, where it refuses to open the file at all.
    res = await upload(client, headers, unit, png_bytes(30_000, 30_000), "bom.png")
    assert refused(res, "image_too_large") == "at most 67,108,864 pixels"
    assert stored_files(settings) == []


async def test_the_largest_image_the_networks_take_is_accepted(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, headers = await editor_of(world)
    res = await upload(client, headers, unit, png_bytes(8192, 8192), "besar.png")
    assert res.status_code == 201, res.text
    assert (res.json()["width"], res.json()["height"]) == (8192, 8192)


@pytest.fixture
async def tiny_client(
    settings: Settings, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[httpx.AsyncClient]:
    """The app accepting images and videos of at most 1,000 pixels."""
    app = create_app(settings.model_copy(update={"max_image_pixels": 1000}), engine=engine)
    app.state.sessionmaker = sessionmaker
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_pixel_limit_is_a_setting(tiny_client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    ok = await upload(tiny_client, headers, unit, image_bytes(40, 25))
    assert ok.status_code == 201, ok.text
    res = await upload(tiny_client, headers, unit, image_bytes(40, 26))
    assert refused(res, "image_too_large") == "at most 1,000 pixels"
    res = await upload(tiny_client, headers, unit, video_bytes(width=64, height=48), "v.mp4")
    assert refused(res, "image_too_large") == "at most 1,000 pixels"
    assert "video" in error_of(res)["detail"]


# --- videos ------------------------------------------------------------------------------------


def video_with_sound() -> bytes:
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4") as out:
        video = out.add_stream("mpeg4", rate=10)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        audio = out.add_stream("aac", rate=48000, layout="mono")
        for i in range(10):
            frame = av.VideoFrame(64, 48, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([i * 20]) * plane.buffer_size)
            out.mux(video.encode(frame))
            for j in range(5):
                sound = av.AudioFrame(format="fltp", layout="mono", samples=960)
                sound.planes[0].update(b"\0" * sound.planes[0].buffer_size)
                sound.sample_rate, sound.pts = 48000, (i * 5 + j) * 960
                out.mux(audio.encode(sound))
        out.mux(video.encode(None))
        out.mux(audio.encode(None))
    return buf.getvalue()


async def test_video_keeps_its_sound(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    res = await upload(client, headers, unit, video_with_sound(), "suara.mp4")
    stored = await stored_bytes(client, res)
    assert res.json()["duration_s"] == 1.0
    with av.open(io.BytesIO(stored)) as container:
        assert [s.type for s in container.streams] == ["video", "audio"]
        assert container.streams.audio[0].codec_context.name == "aac"


def audio_only_mp4() -> bytes:
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4") as out:
        stream = out.add_stream("aac", rate=48000, layout="mono")
        for i in range(10):
            frame = av.AudioFrame(format="fltp", layout="mono", samples=1024)
            frame.planes[0].update(b"\0" * frame.planes[0].buffer_size)
            frame.sample_rate, frame.pts = 48000, i * 1024
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return buf.getvalue()


def truncated_mdat() -> bytes:
    """The index (moov) first, then the frame data cut short: the header alone looks fine."""
    data = video_bytes(frames=30, width=160, height=120, options={"movflags": "faststart"})
    assert data.find(b"moov") < data.find(b"mdat")
    return data[: data.find(b"mdat") + 40]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        # The file from the report: an MP4 signature, then a web page.
        (b"\0\0\0\x18ftypisom" + HTML, "not a readable image or video"),
        (b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom" + b"\0" * 64, "not a readable image or video"),
        (video_bytes()[: len(video_bytes()) // 2], "not a readable image or video"),
        (truncated_mdat(), "video frames do not decode"),
        (audio_only_mp4(), "no video stream"),
        (
            b"#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\nfile:///etc/passwd\n",
            "not a readable image or video",
        ),
    ],
)
async def test_video_that_does_not_decode_is_refused(
    client: httpx.AsyncClient, world: World, settings: Settings, data: bytes, reason: str
) -> None:
    unit, headers = await editor_of(world)
    res = await upload(client, headers, unit, data, "klip.mp4", "video/mp4")
    assert refused(res) == reason
    assert stored_files(settings) == []


@pytest.mark.parametrize(("fmt", "extension"), [("mp4", "mp4"), ("mov", "mov")])
async def test_video_metadata_and_trailing_bytes_are_not_stored(
    client: httpx.AsyncClient, world: World, fmt: str, extension: str
) -> None:
    unit, headers = await editor_of(world)
    tags = {"location": "-06.9147+107.6098/", "comment": "<script>alert(1)</script>"}
    data = video_bytes(fmt=fmt, metadata=tags, rotation=90)
    assert b"<script>" in data
    if fmt == "mov":  # the MP4 writer has no place for the recording's position
        assert b"107.6098" in data
    res = await upload(client, headers, unit, data + HTML, f"klip.{extension}")
    stored = await stored_bytes(client, res)
    assert b"<script>" not in stored and b"107.6098" not in stored
    with av.open(io.BytesIO(stored)) as container:
        assert "location" not in container.metadata and "comment" not in container.metadata
        frame = next(container.decode(video=0))
        assert (frame.rotation, frame.width, frame.height) == (90, 64, 48)  # kept upright


async def test_portrait_video_is_measured_as_shown(client: httpx.AsyncClient, world: World) -> None:
    unit, headers = await editor_of(world)
    # Recorded as 96 × 64 frames with a quarter turn to show them upright, as phones do.
    data = video_bytes(width=96, height=64, rotation=90)
    res = await upload(client, headers, unit, data, "potret.mp4")
    assert res.status_code == 201, res.text
    assert (res.json()["width"], res.json()["height"]) == (64, 96)


async def test_video_duration_reaches_the_platform_rules(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, headers = await editor_of(world)
    account = await world.account(unit, Platform.x)
    short = await upload(client, headers, unit, video_bytes(frames=3, rate=10), "pendek.mp4")
    assert short.status_code == 201 and short.json()["duration_s"] == 0.3
    res = await client.post(
        "/api/v1/posts/validate",
        json={
            "unit_id": unit.id,
            "title": "Video pendek",
            "variants": [{"account_id": account.id, "text": "", "media_ids": [short.json()["id"]]}],
        },
        headers=headers,
    )
    assert res.status_code == 200, res.text
    assert [p["rule"] for p in res.json()["problems"]] == ["x.media.too_short"]

"""Upload figures on a fresh embedded database: streaming throughput, what a refused upload
costs, decode-and-rebuild times per kind of file, and how long the event loop stalls while a
large image is decoded. Prints the figures; run by hand or with `make bench`.

    python bench/bench_media.py [--stream-mb 200]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import resource
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import av
import httpx
from PIL import Image

from gaung.auth.tokens import create_access_token
from gaung.config import Settings
from gaung.db import create_engine, make_sessionmaker
from gaung.main import create_app
from gaung.media.decode import decode
from gaung.migrate import upgrade
from gaung.seed import seed_demo
from gaung.users.models import User

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers import multipart, png_bytes, video_bytes

MIB = 1024 * 1024


def photo(width: int, height: int) -> bytes:
    """A photo-like JPEG (noise compresses like detail does), as a camera would save it."""
    buf = io.BytesIO()
    Image.effect_noise((width, height), 40).convert("RGB").save(buf, "JPEG", quality=92)
    return buf.getvalue()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_decode(name: str, data: bytes, folder: Path, max_pixels: int = 8192 * 8192) -> None:
    src = folder / "bench-upload"
    src.write_bytes(data)
    start = time.perf_counter()
    try:
        result = decode(src, max_pixels=max_pixels)
        outcome = f"{result.width}×{result.height} → {result.path.stat().st_size / MIB:6.2f} MB"
        result.path.unlink()
    except Exception as exc:
        outcome = f"refused: {exc}"
    ms = (time.perf_counter() - start) * 1000
    print(f"decode {name:<34} {len(data) / MIB:7.2f} MB in {ms:8.1f} ms   {outcome}")


async def zeros_after(head: bytes, tail: bytes, size: int) -> AsyncIterator[bytes]:
    """``head``, then zeros, then ``tail``: ``size`` bytes in all, made as they are sent."""
    yield head
    chunk = b"\0" * (256 * 1024)
    left = size - len(head) - len(tail)
    while left > 0:
        piece = chunk[: min(left, len(chunk))]
        left -= len(piece)
        yield piece
    yield tail


async def main(stream_mb: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="gaung-bench-media-"))
    url = f"sqlite+aiosqlite:///{folder}/b.sqlite3"
    await asyncio.to_thread(upgrade, url)
    settings = Settings(data_dir=folder, database_url=url, max_upload_mb=stream_mb + 8)
    engine = create_engine(url)
    sessionmaker = make_sessionmaker(engine)
    async with sessionmaker() as session:
        await seed_demo(session, settings)
        await session.commit()
        admin = await session.get(User, 1)
        assert admin is not None
    app = create_app(settings, engine=engine)
    app.state.sessionmaker = sessionmaker
    headers = {"Authorization": f"Bearer {create_access_token(admin.id, settings)}"}
    transport = httpx.ASGITransport(app=app)

    print("== streamed uploads (ASGI, in process)")
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        # A JPEG padded with zeros (decoders ignore what follows the image).
        body, content_type = multipart([("unit_id", "1"), ("file", ("b.jpg", photo(1080, 1080)))])
        head, tail = body[: body.rindex(b"\xff\xd9") + 2], body[body.rindex(b"\xff\xd9") + 2 :]
        size = stream_mb * MIB
        before = rss_mb()
        start = time.perf_counter()
        res = await client.post(
            "/api/v1/media",
            content=zeros_after(head, tail, size),
            headers={**headers, "Content-Type": content_type},
        )
        seconds = time.perf_counter() - start
        assert res.status_code == 201, res.text
        print(
            f"{stream_mb} MB upload accepted in {seconds:.2f} s ({stream_mb / seconds:.0f} MB/s); "
            f"peak RSS grew {rss_mb() - before:.0f} MB"
        )

        sent = 0

        async def counted() -> AsyncIterator[bytes]:
            nonlocal sent
            async for piece in zeros_after(head, tail, 1024 * MIB):
                sent += len(piece)
                yield piece

        start = time.perf_counter()
        res = await client.post(
            "/api/v1/media", content=counted(), headers={"Content-Type": content_type}
        )
        ms = (time.perf_counter() - start) * 1000
        print(f"1 GiB upload without a token: {res.status_code} in {ms:.1f} ms, {sent} bytes read")

        sent = 0
        small = create_app(settings.model_copy(update={"max_upload_mb": 10}), engine=engine)
        small.state.sessionmaker = sessionmaker
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=small), base_url="http://bench"
        ) as limited:
            start = time.perf_counter()
            res = await limited.post(
                "/api/v1/media",
                content=counted(),
                headers={**headers, "Content-Type": content_type},
            )
        ms = (time.perf_counter() - start) * 1000
        print(
            f"1 GiB upload over a 10 MB limit: {res.status_code} in {ms:.1f} ms, "
            f"{sent / MIB:.2f} MB read"
        )

        print("== event loop while a 48 MP photo is decoded and rebuilt")
        big = photo(8000, 6000)
        body, content_type = multipart([("unit_id", "1"), ("file", ("48mp.jpg", big))])
        gaps: list[float] = []
        done = asyncio.Event()

        async def ticker() -> None:
            last = time.perf_counter()
            while not done.is_set():
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                gaps.append((now - last) * 1000)
                last = now

        async def in_chunks() -> AsyncIterator[bytes]:  # as a server hands the body over
            for at in range(0, len(body), 64 * 1024):
                yield body[at : at + 64 * 1024]

        tick = asyncio.create_task(ticker())
        start = time.perf_counter()
        res = await client.post(
            "/api/v1/media", content=in_chunks(), headers={**headers, "Content-Type": content_type}
        )
        seconds = time.perf_counter() - start
        done.set()
        await tick
        assert res.status_code == 201, res.text
        print(
            f"upload of {len(big) / MIB:.1f} MB 48 MP JPEG: {seconds:.2f} s; longest event-loop "
            f"gap {max(gaps):.1f} ms over {len(gaps)} ticks of 5 ms"
        )
    await engine.dispose()

    print("== decode and rebuild, one file at a time (worker-thread work)")
    cases: list[tuple[str, Callable[[], bytes]]] = [
        ("JPEG 12 MP photo (4000×3000)", lambda: photo(4000, 3000)),
        ("JPEG 48 MP photo (8000×6000)", lambda: photo(8000, 6000)),
        ("PNG 8192×8192 (1-bit)", lambda: png_bytes(8192, 8192)),
        ("PNG 12000×12000 (refused)", lambda: png_bytes(12_000, 12_000)),
        ("MP4 h264 1280×720, 10 s, 30 fps", lambda: video_bytes(300, 1280, 720, 30)),
        ("fake MP4 (ftyp + HTML)", lambda: b"\0\0\0\x18ftypisom<html><script>"),
    ]
    for name, make in cases:
        timed_decode(name, make(), folder)
    print(f"PyAV {av.__version__}; peak RSS of this process {rss_mb():.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--stream-mb", type=int, default=200)
    asyncio.run(main(parser.parse_args().stream_mb))

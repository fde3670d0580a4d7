"""Round trips and time per publish for each X publish type, against an in-process stub of
the X API that answers every request after a fixed latency (50 ms by default). Prints the
figures; run by hand:

    python bench/connectors_x.py [--latency-ms 50] [--runs 5]

Video processing answers "pending" at FINALIZE and "succeeded" at the first STATUS poll; the
wait X asks for between polls (``check_after_secs``) is skipped here, so the time shown is
the connector's own round trips only.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from gaung.platforms.protocol import (
    AccountCredentials,
    Context,
    Endpoints,
    MediaFile,
    VariantToPublish,
)
from gaung.platforms.types import MediaInfo, MediaKind, Platform
from gaung.platforms.x.connector import CHUNK_BYTES, XConnector

API = "http://x.stub"
ACCOUNT = AccountCredentials(Platform.x, "2244994945", "dinaskominfo", "akses")


def stub(latency_s: float, counter: list[int]) -> httpx.MockTransport:
    ids = itertools.count(1000)

    async def answer(request: httpx.Request) -> httpx.Response:
        counter[0] += 1
        await asyncio.sleep(latency_s)
        path = request.url.path
        if path == "/2/tweets":
            return httpx.Response(201, json={"data": {"id": str(next(ids)), "text": ""}})
        if path.endswith("/append"):
            return httpx.Response(204)
        if path.endswith("/finalize"):
            info = {"state": "pending", "check_after_secs": 1}
            return httpx.Response(200, json={"data": {"id": "77", "processing_info": info}})
        if path == "/2/media/upload" and request.method == "GET":
            info = {"state": "succeeded"}
            return httpx.Response(200, json={"data": {"id": "77", "processing_info": info}})
        return httpx.Response(200, json={"data": {"id": str(next(ids))}})

    return httpx.MockTransport(answer)


def media_file(folder: Path, name: str, kind: MediaKind, mime: str, size: int) -> MediaFile:
    path = folder / name
    path.write_bytes(b"\0" * size)
    info = MediaInfo(kind=kind, mime_type=mime, size_bytes=size)
    return MediaFile(info=info, path=path, public_url=f"https://gaung.example/{name}")


def cases(connector: XConnector, folder: Path) -> list[tuple[str, Callable[[], Awaitable[object]]]]:
    images = [media_file(folder, f"f{i}.jpg", "image", "image/jpeg", 300_000) for i in range(4)]
    gif = media_file(folder, "a.gif", "gif", "image/gif", 2_000_000)
    video = media_file(folder, "v.mp4", "video", "video/mp4", 3 * CHUNK_BYTES - 1)

    clip = VariantToPublish("Video", [video])

    async def thread() -> None:
        previous = (await connector.publish(ACCOUNT, VariantToPublish("1/3"))).external_id
        for text in ("2/3", "3/3"):
            variant = VariantToPublish(text, in_reply_to=previous)
            previous = (await connector.publish(ACCOUNT, variant)).external_id

    return [
        ("text", lambda: connector.publish(ACCOUNT, VariantToPublish("Halo"))),
        ("1 image", lambda: connector.publish(ACCOUNT, VariantToPublish("Foto", images[:1]))),
        ("4 images", lambda: connector.publish(ACCOUNT, VariantToPublish("Foto", images))),
        ("GIF (2 MB)", lambda: connector.publish(ACCOUNT, VariantToPublish("", [gif]))),
        ("video (12 MiB, 3 chunks)", lambda: connector.publish(ACCOUNT, clip)),
        ("thread of 3 posts", thread),
        ("reply", lambda: connector.reply(ACCOUNT, "1234", "Terima kasih")),
    ]


async def run(latency_ms: float, runs: int) -> None:
    counter = [0]

    async def no_wait(_seconds: float) -> None:
        return None

    async with httpx.AsyncClient(transport=stub(latency_ms / 1000, counter)) as http:
        ctx = Context(http=http, endpoints=Endpoints(x_api_base_url=API))
        connector = XConnector(ctx, sleep=no_wait)
        with tempfile.TemporaryDirectory() as folder:
            print(f"X publish against a stub answering in {latency_ms:g} ms ({runs} runs each)")
            print(f"{'type':<26} {'requests':>8} {'median ms':>10} {'min ms':>8}")
            for name, publish in cases(connector, Path(folder)):
                times: list[float] = []
                for _ in range(runs):
                    counter[0] = 0
                    start = time.perf_counter()
                    await publish()
                    times.append((time.perf_counter() - start) * 1000)
                median = statistics.median(times)
                print(f"{name:<26} {counter[0]:>8} {median:>10.1f} {min(times):>8.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    asyncio.run(run(args.latency_ms, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())

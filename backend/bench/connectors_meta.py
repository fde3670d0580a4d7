"""Requests and time per publish for the Facebook Page and Instagram connectors, against a
fake Graph API answering every request after 50 ms (respx, in process). Prints the figures;
run by hand or with `make bench`.

    python bench/connectors_meta.py [--latency-ms 50]

Instagram's polling pause is not counted (it is Meta's processing time, not a round trip):
each container here is ready at its first status check, the Reel at its second.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import deque
from pathlib import Path

import httpx
import respx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.platforms.meta.fake import IG_ACCOUNT, PAGE_ACCOUNT, FakeGraph, image, video

from gaung.platforms.facebook.connector import FacebookConnector
from gaung.platforms.instagram.connector import InstagramConnector
from gaung.platforms.protocol import AccountCredentials, MediaFile, VariantToPublish


async def _no_sleep(_seconds: float) -> None:
    return None


def _images(n: int) -> tuple[MediaFile, ...]:
    return tuple(image(f"https://media.gaung.example/{i}.jpg") for i in range(n))


CASES: list[tuple[str, str, tuple[MediaFile, ...]]] = [
    ("facebook", "text/link post", ()),
    ("facebook", "single photo", _images(1)),
    ("facebook", "4 photos", _images(4)),
    ("facebook", "10 photos", _images(10)),
    ("facebook", "video (file_url)", (video(),)),
    ("instagram", "single image", _images(1)),
    ("instagram", "reel (1 IN_PROGRESS poll)", (video(),)),
    ("instagram", "carousel of 10 images", _images(10)),
]


async def run_case(
    network: str, media: tuple[MediaFile, ...], latency_s: float
) -> tuple[int, float]:
    async def latency() -> None:
        await asyncio.sleep(latency_s)

    graph = FakeGraph(latency=latency)
    graph.statuses["C1"] = (
        deque(["IN_PROGRESS", "FINISHED"])
        if network == "instagram" and media and media[0].info.kind == "video"
        else deque(["FINISHED"])
    )
    with respx.mock(assert_all_called=False) as router:
        graph.mount(router)
        async with httpx.AsyncClient() as http:
            ctx = graph.context(http)
            account: AccountCredentials
            if network == "facebook":
                connector: FacebookConnector | InstagramConnector = FacebookConnector(ctx)
                account = PAGE_ACCOUNT
            else:
                connector = InstagramConnector(ctx, sleep=_no_sleep)
                account = IG_ACCOUNT
            started = time.perf_counter()
            await connector.publish(account, VariantToPublish("Halo dari Gaung", media))
            elapsed = time.perf_counter() - started
    return len(graph.sent), elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args()
    print(f"stub latency {args.latency_ms:.0f} ms per request")
    print(f"{'network':<10} {'publish type':<28} {'requests':>8} {'time ms':>9}")
    for network, label, media in CASES:
        requests, elapsed = await run_case(network, media, args.latency_ms / 1000)
        print(f"{network:<10} {label:<28} {requests:>8} {elapsed * 1000:>9.0f}")


if __name__ == "__main__":
    asyncio.run(main())

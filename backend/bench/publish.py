"""The publishing pipeline end to end: 1,000 variants due at the same instant on PostgreSQL,
published by real `gaung worker` processes to the fake platform (tests/fakeplatform, 50 ms a
call by default). Prints, for 1 and for 3 workers, the lateness (from the scheduled instant to
the platform receiving the publish request) p50/p95/p99/max, the throughput, and how many
variants were published twice (duplicates) or not at all (lost).

    python bench/publish.py [--variants 1000] [--workers 1 3] [--latency-ms 50]
                            [--set GAUNG_PUBLISH_CONCURRENCY=50 ...]

The variants are spread over 25 units, each with an X account and a Facebook Page (real
accounts, tokens stored encrypted), 20 posts per unit with one variant per account. The
workers start first and are running when the instant comes, as in production.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakeplatform import RunningFake, fake_in_thread
from tests.faults.harness import DONE, fresh_database, harness, percentile, prepare_template
from tests.pg import PostgresServer, postgres_server

from gaung.accounts.models import Platform

UNITS = 25
# Time the workers get to start (imports, first connection) before the instant comes.
LEAD_S = 8.0


async def run_once(
    server: PostgresServer,
    fake: RunningFake,
    workers: int,
    variants: int,
    latency_ms: float,
    env: dict[str, str],
) -> str:
    fake.state.reset()
    fake.state.configure(latency_ms=latency_ms)
    with (
        tempfile.TemporaryDirectory(prefix="gaung-bench-publish-") as folder,
        harness(fresh_database(server), fake, Path(folder)) as h,
    ):
        h.worker_env = env
        seeded = await h.seed(units=UNITS, platforms=(Platform.x, Platform.facebook))
        posts = math.ceil(variants / (UNITS * 2))
        at = datetime.now(UTC) + timedelta(seconds=LEAD_S)
        total = await h.schedule(seeded, posts=posts, at=at, tag="Bench")
        for _ in range(workers):
            h.start_worker()
        await _until(at)
        counts = await h.wait_until(
            lambda c: sum(c[s.value] for s in DONE) >= total, timeout_s=300, poll_s=0.5
        )
        cpu = sum(w.cpu_s() for w in h.workers)
        h.stop_all()
        report = await h.report()
        if sum(counts[s.value] for s in DONE) < total:
            print(h.logs(), file=sys.stderr)
    late = report.lateness_s()
    walls = sorted(report.publish_walls.values())
    span = walls[-1] - at.timestamp() if walls else float("nan")
    return (
        f"{workers:>7} {total:>8} {percentile(late, 50):>7.3f} {percentile(late, 95):>7.3f} "
        f"{percentile(late, 99):>7.3f} {late[-1] if late else float('nan'):>7.3f} "
        f"{len(walls) / span if span > 0 else float('nan'):>10.1f} "
        f"{report.duplicates:>10} {len(report.lost):>5} {cpu:>10.1f}   {dict(report.by_status())}"
    )


async def _until(moment: datetime) -> None:
    await asyncio.sleep(max(0.0, moment.timestamp() - time.time()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument(
        "--set", action="append", default=[], metavar="GAUNG_NAME=VALUE", help="worker setting"
    )
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.set)
    with postgres_server() as server, fake_in_thread() as fake:
        prepare_template(server)
        print(
            f"{args.variants} variants due at one instant, fake platform answering in "
            f"{args.latency_ms:g} ms; lateness in seconds (scheduled → platform received)"
            + (f"; settings {env}" if env else "")
        )
        print(
            f"{'workers':>7} {'variants':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} "
            f"{'posts/s':>10} {'duplicates':>10} {'lost':>5} {'worker cpu':>10}   statuses"
        )
        for workers in args.workers:
            print(
                asyncio.run(run_once(server, fake, workers, args.variants, args.latency_ms, env)),
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

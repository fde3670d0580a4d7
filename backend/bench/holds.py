"""held_units, as the publishing claim asks it every few seconds: the time of one call on a
SQLite database with 1,000 units, 5,000 blackout periods (most of them over) and 1,000 pauses
(most of them resumed), with and without an agency-wide pause; and the time to find the
political terms in a 63,000-character text. Prints the figures.

    python bench/holds.py [--runs 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gaung.db import database, session_scope
from gaung.holds.models import BlackoutKind, BlackoutPeriod, Pause
from gaung.holds.service import held_units
from gaung.migrate import upgrade
from gaung.units.models import Unit
from gaung.writing.engine import political_terms

UNITS = 1_000
PERIODS = 5_000
PAUSES = 1_000
NOW = datetime(2029, 11, 21, 3, 0, tzinfo=UTC)
TEXT = (
    "Layanan KTP tetap buka selama libur. Ayo coblos nomor urut 2 di TPS! #Pemilu2029 "
    "Warga diimbau memeriksa jadwal di kantor kecamatan. "
) * 460


async def seed(url: str) -> None:
    async with database(url) as factory, session_scope(factory) as session:
        session.add_all(Unit(name=f"Unit {i}", slug=f"unit-{i}") for i in range(UNITS))
        await session.flush()
        for i in range(PERIODS):
            # One in fifty is in force now; the rest ended days ago.
            start = NOW - timedelta(days=30 - i % 20) if i % 50 else NOW - timedelta(hours=1)
            session.add(
                BlackoutPeriod(
                    unit_id=1 + i % UNITS,
                    kind=BlackoutKind.election_quiet if i % 3 == 0 else BlackoutKind.mourning,
                    label=f"Periode {i}",
                    starts_at=start,
                    ends_at=start + timedelta(days=2),
                )
            )
        for i in range(PAUSES):
            resumed = None if i % 20 == 0 else NOW - timedelta(days=1)
            session.add(
                Pause(
                    unit_id=1 + i % UNITS,
                    reason="Evaluasi",
                    paused_at=NOW - timedelta(days=2),
                    resumed_at=resumed,
                )
            )


async def time_calls(url: str, runs: int, agency: bool) -> tuple[float, int]:
    async with database(url) as factory:
        if agency:
            async with session_scope(factory) as session:
                session.add(
                    Pause(unit_id=None, reason="Arahan", paused_at=NOW - timedelta(hours=1))
                )
        times: list[float] = []
        held = 0
        for _ in range(runs):
            async with session_scope(factory) as session:
                start = time.perf_counter()
                held = len(await held_units(session, NOW))
                times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), held


async def measure(url: str, runs: int) -> None:
    await seed(url)
    for agency in (False, True):
        ms, held = await time_calls(url, runs, agency)
        what = "with an agency-wide pause" if agency else "units' own holds only"
        print(f"held_units, {what}: {ms:.2f} ms median ({held} of {UNITS} units held)")


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)  # runs its own event loop
        asyncio.run(measure(url, runs))
    times = []
    for _ in range(max(3, runs // 10)):
        start = time.perf_counter()
        found = political_terms(TEXT)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"political terms in a {len(TEXT):,}-character text: {statistics.median(times):.1f} ms "
        f"median ({len(found)} found)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    main(parser.parse_args().runs)

"""The embedded mode's path: one `gaung worker` on a SQLite file publishes every variant once
through errors and lost answers (several processes need PostgreSQL; see the other tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gaung.accounts.models import Platform
from tests.conftest import TEST_DB
from tests.fakeplatform import RunningFake
from tests.faults.harness import Harness, fresh_sqlite, harness
from tests.faults.test_worker_faults import FAST, assert_exactly_once, settled

pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="the SQLite run covers this path")


@pytest.fixture
def h(fake: RunningFake, tmp_path: Path) -> Iterator[Harness]:
    with harness(fresh_sqlite(tmp_path), fake, tmp_path) as h:
        yield h


async def test_one_worker_on_sqlite_publishes_once_through_errors_and_lost_answers(
    h: Harness, fake: RunningFake
) -> None:
    h.worker_env = FAST
    seeded = await h.seed(units=2, platforms=(Platform.x, Platform.facebook))
    fake.state.add_fault("server_error", op="fb.feed", times=3)
    fake.state.add_fault("accept_drop", op="x.post", times=2)
    fake.state.add_fault("drop", op="fb.feed", times=1)
    total = await h.schedule(seeded, posts=8, at=datetime.now(UTC))
    h.start_worker()
    counts = await h.wait_until(settled, timeout_s=60, poll_s=0.5)
    h.stop_all()
    report, logs = await h.report(), h.logs()
    assert settled(counts), f"{counts}\n{logs}"
    assert_exactly_once(report, logs)
    assert len(report.published_once) == total
    assert {f.kind: f.hits for f in fake.state.faults} == {
        "server_error": 3,
        "accept_drop": 2,
        "drop": 1,
    }

"""Fixtures of the publishing fault tests: their own PostgreSQL server (they restart it), one
migrated template cloned per test, and the fake platform in this process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_DB
from tests.fakeplatform import RunningFake, fake_in_thread
from tests.faults.harness import Harness, fresh_database, harness, prepare_template
from tests.pg import PostgresServer, postgres_server

# Several worker processes against one database: that is PostgreSQL's job (FOR UPDATE SKIP
# LOCKED); the single-process SQLite path is tested with the pipeline itself.
postgresql_only = pytest.mark.skipif(
    TEST_DB != "postgresql", reason="worker processes in parallel need PostgreSQL"
)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        prepare_template(server)
        yield server


@pytest.fixture(scope="session")
def running_fake() -> Iterator[RunningFake]:
    with fake_in_thread() as fake:
        yield fake


@pytest.fixture
def fake(running_fake: RunningFake) -> RunningFake:
    running_fake.state.reset()
    return running_fake


@pytest.fixture
def h(pg_server: PostgresServer, fake: RunningFake, tmp_path: Path) -> Iterator[Harness]:
    with harness(fresh_database(pg_server), fake, tmp_path) as h:
        yield h

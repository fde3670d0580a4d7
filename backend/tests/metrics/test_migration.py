"""The ``metrics_history`` migration goes down and up again on its own database, and the
notification kinds' CHECK constraint follows it (the dormant alert can be stored after it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from gaung.migrate import alembic_config, upgrade
from tests.pg import temporary_postgres

TABLES = {
    "account_snapshot",
    "account_daily",
    "tracked_post",
    "post_metric_snapshot",
    "metrics_account_state",
    "unit_metrics_settings",
}


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the suite's kind (not the shared, already migrated one)."""
    with ExitStack() as stack:
        if os.environ.get("GAUNG_TEST_DB", "postgresql") == "sqlite":
            yield f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}"
        else:
            yield stack.enter_context(temporary_postgres())


def _sync(url: str) -> str:
    return url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")


def _insert_notification(engine: sa.Engine, kind: str) -> None:
    with engine.begin() as conn:
        user = conn.execute(
            sa.text(
                "INSERT INTO user_account (email, name, password_hash, is_active, is_superuser,"
                " locale, created_at, updated_at) VALUES ('m@example.go.id', 'M', 'x', true,"
                " false, 'id', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"
            )
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO notification (user_id, kind, params, created_at)"
                " VALUES (:u, :k, '{}', CURRENT_TIMESTAMP)"
            ),
            {"u": user, "k": kind},
        )


def test_metrics_history_down_and_up(fresh_url: str) -> None:
    upgrade(fresh_url)
    engine = sa.create_engine(_sync(fresh_url))
    try:
        assert set(sa.inspect(engine).get_table_names()) >= TABLES
        _insert_notification(engine, "account_dormant")
        command.downgrade(alembic_config(fresh_url), "holds_pauses_blackouts")
        assert not TABLES & set(sa.inspect(engine).get_table_names())
        with engine.begin() as conn:  # the dormant alerts went with the kind
            assert conn.execute(sa.text("SELECT count(*) FROM notification")).scalar_one() == 0
        upgrade(fresh_url)
        assert set(sa.inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()

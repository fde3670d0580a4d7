"""The migrations build the schema on this database, and agree with the models (`alembic check`)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from gaung.migrate import alembic_config
from gaung.models import Base
from gaung.posts.search import include_object


def _diff(conn: Connection) -> list[object]:
    ctx = MigrationContext.configure(
        conn,
        opts={
            "compare_type": True,
            "render_as_batch": conn.dialect.name == "sqlite",
            # Search structures are the migration's own (FTS5 tables, trigram indexes).
            "include_object": include_object,
        },
    )
    return list(compare_metadata(ctx, Base.metadata))


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == [], f"models differ from the migrations; add a migration: {diff}"


async def test_database_is_at_head(engine: AsyncEngine, database_url: str) -> None:
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    async with engine.connect() as conn:
        assert await conn.run_sync(_current) == head


def test_migration_files_are_date_stamped(database_url: str) -> None:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    for rev in script.walk_revisions():
        name = rev.path.rsplit("/", 1)[-1]
        assert name[:16].replace("_", "").replace("-", "").isdigit(), name

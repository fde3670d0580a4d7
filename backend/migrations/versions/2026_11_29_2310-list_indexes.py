"""Lists stay fast at 100,000 posts: indexes matching the list and calendar filters, and text
search structures (pg_trgm GIN indexes on PostgreSQL, FTS5 trigram tables kept in step by
triggers on SQLite; see gaung/posts/search.py).

Revision ID: list_indexes
Revises: calendar_templates
Create Date: 2026-11-29 23:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "list_indexes"
down_revision: str | None = "calendar_templates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, table, columns or SQL expressions); the same indexes are declared in the models.
INDEXES = [
    ("ix_post_unit_sort", "post", ["unit_id", sa.text("coalesce(planned_at, created_at)"), "id"]),
    ("ix_post_unit_planned_at", "post", ["unit_id", "planned_at"]),
    ("ix_post_unit_status", "post", ["unit_id", "status"]),
    ("ix_post_unit_category", "post", ["unit_id", "category"]),
    ("ix_post_variant_account_status_at", "post_variant", ["account_id", "status", "scheduled_at"]),
    ("ix_post_variant_status_post", "post_variant", ["status", "post_id"]),
    # The calendar: what was published in a range.
    ("ix_publish_attempt_finished_at", "publish_attempt", ["finished_at"]),
]

# Trigram GIN indexes serve ILIKE '%q%' on PostgreSQL.
TRIGRAM = [
    ("ix_post_title_trgm", "post", "title"),
    ("ix_post_notes_trgm", "post", "notes"),
    ("ix_post_variant_text_trgm", "post_variant", "text"),
]

# FTS5 tables over the rows of their table (external content), with the trigram tokenizer so a
# phrase matches any substring of three characters or more, in any case.
SQLITE_FTS = [
    ("post_fts", "post", ["title", "notes"]),
    ("post_variant_fts", "post_variant", ["text"]),
]


def _sqlite_fts_up() -> None:
    for fts, table, columns in SQLITE_FTS:
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
            "content_rowid='id', tokenize='trigram')"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
        )
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _postgresql_trigram_up() -> None:
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).scalar()
    if not available:
        raise RuntimeError(
            "Text search needs the PostgreSQL extension pg_trgm, which this server does not "
            "have: install the server's contrib package (postgresql-contrib) and migrate again."
        )
    # A trusted extension: the database owner may create it (PostgreSQL 13 and later).
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM:
        op.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")


# Single-column indexes the composite ones above replace (they start with the same column,
# or the unit comes first now).
REPLACED = [
    ("ix_post_unit_id", "post", ["unit_id"]),
    ("ix_post_planned_at", "post", ["planned_at"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    for name, table, _columns in REPLACED:
        op.drop_index(name, table_name=table)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_fts_up()
    elif dialect == "postgresql":
        _postgresql_trigram_up()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for fts, _table, _columns in SQLITE_FTS:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    elif dialect == "postgresql":
        for name, _table, _column in TRIGRAM:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        # The extension stays: other schemas in the database may use it.
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns)
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)

"""Text search over posts: title, notes and every variant's text, as a substring match in any
case (Indonesian words take prefixes and suffixes, so "banjir" must find "kebanjiran").

The search structures are owned by the ``list_indexes`` migration, not by the ORM models:
trigram GIN indexes (``pg_trgm``) on PostgreSQL, and FTS5 tables with the ``trigram`` tokenizer,
kept in step by triggers, on SQLite. Both answer the same question as ``ILIKE '%q%'`` without
reading every row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, literal_column, or_, select, text, union
from sqlalchemy.sql.elements import ColumnElement

from gaung.posts.models import Post, PostVariant

# FTS5 virtual tables (SQLite) and trigram indexes (PostgreSQL) made by the migration.
FTS_TABLES = ("post_fts", "post_variant_fts")
TRIGRAM_INDEXES = ("ix_post_title_trgm", "ix_post_notes_trgm", "ix_post_variant_text_trgm")
# The trigram tokenizer matches nothing for a query shorter than one trigram.
MIN_FTS_LENGTH = 3


def is_search_object(name: str | None, type_: str) -> bool:
    """Whether a reflected schema object belongs to the search structures above (FTS5 keeps
    shadow tables ``<name>_data``, ``_idx``, ``_docsize``, ``_config`` beside each table)."""
    if name is None:
        return False
    if type_ == "table":
        return any(name == t or name.startswith(f"{t}_") for t in FTS_TABLES)
    return type_ == "index" and name in TRIGRAM_INDEXES


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's hook: compare the models with everything but the search structures."""
    return not (reflected and compare_to is None and is_search_object(name, type_))


def _like_pattern(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(q: str) -> str:
    # One FTS5 phrase: its trigrams in a row, i.e. the substring; quotes are doubled.
    return '"' + q.replace('"', '""') + '"'


def _like(column: Any, q: str) -> ColumnElement[bool]:
    # ILIKE on PostgreSQL (served by the trigram indexes); LIKE is case-blind on SQLite.
    return column.ilike(_like_pattern(q), escape="\\")  # type: ignore[no-any-return]


def post_contains(
    q: str, post_id: ColumnElement[int], title: ColumnElement[str], notes: ColumnElement[str]
) -> ColumnElement[bool]:
    """Whether the post with these columns contains ``q``: checked row by row, which is cheap
    for the newest few hundred posts and finds a common word's first matches without an index.
    The variant check is a scalar subquery, which stays a lookup by post for each row, where
    PostgreSQL would turn an EXISTS into one pass over every variant's text."""
    first = select(PostVariant.id).where(PostVariant.post_id == post_id, _like(PostVariant.text, q))
    return or_(_like(title, q), _like(notes, q), first.limit(1).scalar_subquery().is_not(None))


def matching_post_ids(dialect: str, q: str) -> Select[Any]:
    """Ids of posts whose title, notes or a variant's text contains ``q`` in any case."""
    if dialect == "sqlite" and len(q) >= MIN_FTS_LENGTH:
        phrase = _fts_phrase(q)
        in_posts: Select[Any] = (
            select(literal_column("rowid").label("id"))
            .select_from(text("post_fts"))
            .where(text("post_fts MATCH :post_q").bindparams(post_q=phrase))
        )
        in_variants = select(PostVariant.post_id.label("id")).where(
            PostVariant.id.in_(
                select(literal_column("rowid"))
                .select_from(text("post_variant_fts"))
                .where(text("post_variant_fts MATCH :variant_q").bindparams(variant_q=phrase))
            )
        )
        return select(union(in_posts, in_variants).subquery().c.id)
    # A union of index lookups, not one OR over a join, so each branch uses its own index.
    return select(
        union(
            select(Post.id).where(or_(_like(Post.title, q), _like(Post.notes, q))),
            select(PostVariant.post_id.label("id")).where(_like(PostVariant.text, q)),
        )
        .subquery()
        .c.id
    )

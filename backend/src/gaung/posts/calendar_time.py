"""A variant's calendar time, stored on it so the calendar reads a range from one index.

The rule, written only here: the variant's scheduled time, else when it was published (its
latest published attempt), else its post's planned time; a variant with none of them has no
calendar time. ``post_variant.calendar_at`` holds it, beside ``post_variant.unit_id`` (the
post's unit, which never changes), and ``(unit_id, calendar_at)`` is indexed: a month is then a
range of that index, not a union of three look-ups and a correlated sub-query per row.

It is kept in step in one place: after every flush that adds a variant or changes a time the
rule reads (``scheduled_at``, the post's ``planned_at``, a publish attempt), the touched
variants are recomputed by one UPDATE from the rule, and so are the rows an UPDATE statement
run through the session changes in those columns. Only a statement run with many parameter
sets at once (the publishing pipeline's batch of outcomes) calls ``refresh`` itself.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Update, event, func, inspect, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value

from gaung.posts.models import AttemptOutcome, Post, PostVariant, PublishAttempt

_PENDING = "gaung_calendar_time_pending"


def rule() -> ColumnElement[datetime | None]:
    """The calendar time of the ``post_variant`` row in the statement around it."""
    published_at = (
        select(func.max(PublishAttempt.finished_at))
        .where(
            PublishAttempt.variant_id == PostVariant.id,
            PublishAttempt.outcome == AttemptOutcome.published,
        )
        .scalar_subquery()
    )
    planned_at = select(Post.planned_at).where(Post.id == PostVariant.post_id).scalar_subquery()
    return func.coalesce(PostVariant.scheduled_at, published_at, planned_at)


def refresh_statement(where: ColumnElement[bool]) -> Update:
    """Recompute the calendar time (and copy the unit) of the variants ``where`` selects."""
    unit_id = select(Post.unit_id).where(Post.id == PostVariant.post_id).scalar_subquery()
    return update(PostVariant).where(where).values(calendar_at=rule(), unit_id=unit_id)


def _refreshing(where: ColumnElement[bool]) -> Update:
    return refresh_statement(where).returning(
        PostVariant.id, PostVariant.calendar_at, PostVariant.unit_id
    )


def _where(variant_ids: Collection[int], post_ids: Collection[int]) -> ColumnElement[bool]:
    return or_(PostVariant.id.in_(sorted(variant_ids)), PostVariant.post_id.in_(sorted(post_ids)))


def _remember(session: Session, rows: Iterable[Any]) -> None:
    """The loaded variants get the stored values, as if read: nothing reloads them later."""
    for vid, at, unit_id in rows:
        obj = session.identity_map.get(session.identity_key(PostVariant, vid))
        if obj is not None:
            set_committed_value(obj, "calendar_at", at)
            set_committed_value(obj, "unit_id", unit_id)


async def refresh(
    session: AsyncSession, *, variant_ids: Collection[int] = (), post_ids: Collection[int] = ()
) -> None:
    """For statements that change a time the rule reads without the ORM."""
    if not variant_ids and not post_ids:
        return
    rows = (
        await session.execute(
            _refreshing(_where(variant_ids, post_ids)).execution_options(synchronize_session=False)
        )
    ).all()
    _remember(session.sync_session, rows)


def _changed(obj: Any, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _flush: UOWTransaction) -> None:
    # The flush's changes are still visible here (new, dirty, deleted and their history); the
    # UPDATE waits for after_flush_postexec, where the session may run SQL and set values.
    variants: set[int] = set()
    posts: set[int] = set()
    for obj in session.new:
        if isinstance(obj, PostVariant):
            variants.add(obj.id)
        elif isinstance(obj, PublishAttempt):
            variants.add(obj.variant_id)
    for obj in session.dirty:
        if isinstance(obj, PostVariant) and _changed(obj, "scheduled_at", "post_id"):
            variants.add(obj.id)
        elif isinstance(obj, Post) and _changed(obj, "planned_at", "unit_id"):
            posts.add(obj.id)
        elif isinstance(obj, PublishAttempt) and _changed(
            obj, "outcome", "finished_at", "variant_id"
        ):
            variants.add(obj.variant_id)
    for obj in session.deleted:
        if isinstance(obj, PublishAttempt):
            variants.add(obj.variant_id)
    if variants or posts:
        pending = session.info.setdefault(_PENDING, (set(), set()))
        pending[0].update(variants)
        pending[1].update(posts)


@event.listens_for(Session, "after_flush_postexec")
def _apply(session: Session, _flush: UOWTransaction) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    variants, posts = pending
    rows = session.connection().execute(_refreshing(_where(variants, posts))).all()
    _remember(session, rows)


# The columns the rule reads, per table, and how to reach the variants from a changed row.
_READ = {
    "post_variant": ({"scheduled_at", "post_id"}, "variants"),
    "post": ({"planned_at", "unit_id"}, "posts"),
    "publish_attempt": ({"outcome", "finished_at", "variant_id"}, "attempts"),
}


@event.listens_for(Session, "do_orm_execute")
def _statement(state: ORMExecuteState) -> Any:
    """An UPDATE of a column the rule reads: the rows it will change are found first (the
    new values may no longer match its WHERE), then refreshed after it."""
    stmt = state.statement
    if not state.is_update or not isinstance(stmt, Update) or isinstance(state.parameters, list):
        return None
    table = getattr(stmt.table, "name", None)
    if table not in _READ:
        return None
    columns, kind = _READ[table]
    if not columns & {getattr(k, "key", k) for k in stmt._values or ()}:
        return None
    target = stmt.table.c
    key = target.variant_id if kind == "attempts" else target.id
    found = select(key).where(*([stmt.whereclause] if stmt.whereclause is not None else []))
    ids = set(state.session.execute(found, state.parameters).scalars())
    result = state.invoke_statement()
    if ids:
        where = _where((), ids) if kind == "posts" else _where(ids, ())
        _remember(state.session, state.session.connection().execute(_refreshing(where)).all())
    return result

"""The calendar's range query, observances, and the unit's post templates."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Executable,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import AccountStatus, Platform, PlatformAccount
from gaung.audit.service import audit, snapshot
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.calendar import observances
from gaung.calendar.models import PostTemplate
from gaung.calendar.schemas import (
    EXCERPT,
    CalendarRead,
    Observance,
    Template,
    TemplateIn,
    TemplateUpdate,
)
from gaung.holds import service as holds
from gaung.kit.errors import Invalid, NotFound
from gaung.kit.time import UTCDateTime, utcnow
from gaung.posts.models import (
    Post,
    PostStatus,
    PostVariant,
    VariantMedia,
)
from gaung.posts.service import LOCKED
from gaung.units.models import Unit
from gaung.users.models import User

MAX_RANGE = timedelta(days=62)
MAX_PER_DAY = 500
# The calendar's own filter value beside the statuses: scheduled but waiting.
HELD = "held"


@dataclass
class CalendarFilters:
    platform: Platform | None = None
    account_id: int | None = None
    statuses: Sequence[str] = field(default_factory=tuple)
    category: str | None = None
    author_id: int | None = None


def _check_range(start: datetime, end: datetime) -> None:
    if end <= start:
        raise Invalid("The range ends before it starts.", fields={"end": "must be after start"})
    if end - start > MAX_RANGE:
        raise Invalid(
            f"The range is longer than {MAX_RANGE.days} days; ask for a month at a time.",
            code="range_too_long",
            fields={"end": f"at most {MAX_RANGE.days} days after start"},
        )


def _can_move(principal: Principal, unit_id: int, author_id: int | None, status: str) -> bool:
    """What reschedule allows (see posts.workflow): the author with write access or an editor,
    and a variant that has not gone out. A key reads only: rescheduling never takes one."""
    if status in LOCKED or principal.api_key_id is not None:
        return False
    if principal.can(unit_id, Perm.manage_posts):
        return True
    return principal.can(unit_id, Perm.write_posts) and author_id == principal.user.id


def _held() -> ColumnElement[bool]:
    """Scheduled, but waiting: its unit is held (a pause, a blackout: ``holds``) or its
    account cannot publish. The one rule for both the ``held`` flag and the ``held`` filter."""
    return and_(
        PostVariant.status == PostStatus.scheduled,
        or_(
            PlatformAccount.status != AccountStatus.active,
            holds.unit_held_clause(bindparam("unit_id"), bindparam("now")),
        ),
    )


@dataclass(frozen=True)
class Day:
    """One of the unit's local days within a range, as the UTC span of it the range covers."""

    date: date
    start: datetime
    end: datetime


def days_of(start: datetime, end: datetime, zone: ZoneInfo) -> list[Day]:
    """The unit's local days the range touches, each clipped to the range. Computed here, so
    the database needs no timezone rules."""
    days = []
    day = start.astimezone(zone).date()
    begins = start
    while begins < end:
        midnight = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
        days.append(Day(day, begins, min(midnight, end)))
        day, begins = day + timedelta(days=1), midnight
    return days


@dataclass(frozen=True)
class _Shape:
    """Which filters are set: what a calendar statement's structure depends on. Statements are
    built once per shape with their values as parameters (a month is a statement of a part per
    day, and building one costs more than running it)."""

    platform: bool
    account: bool
    statuses: bool
    held: bool
    post: tuple[bool, bool]  # category, author


def _shape(filters: CalendarFilters) -> _Shape:
    return _Shape(
        platform=filters.platform is not None,
        account=filters.account_id is not None,
        statuses=bool(filters.statuses),
        held=HELD in filters.statuses,
        post=(filters.category is not None, filters.author_id is not None),
    )


def _conditions(shape: _Shape, start: Any, end: Any) -> list[ColumnElement[bool]]:
    """The unit, a span of the range, and the filters, for a statement over variants joined
    to their accounts."""
    at = PostVariant.calendar_at
    where = [PostVariant.unit_id == bindparam("unit_id"), at >= start, at < end]
    if shape.platform:
        where.append(PlatformAccount.platform == bindparam("platform"))
    if shape.account:
        where.append(PostVariant.account_id == bindparam("account_id"))
    if shape.statuses:
        wanted = PostVariant.status.in_(bindparam("statuses", expanding=True))
        where.append(or_(wanted, _held()) if shape.held else wanted)
    # The post's own filters as a look-up by key per variant of the range: the range, not
    # the unit's whole history, bounds the work.
    category, author = shape.post
    post_filters = []
    if category:
        post_filters.append(Post.category == bindparam("category"))
    if author:
        post_filters.append(Post.author_id == bindparam("author_id"))
    if post_filters:
        where.append(exists(select(Post.id).where(Post.id == PostVariant.post_id, *post_filters)))
    return where


def _part(shape: _Shape, start: Any, end: Any) -> Select[Any]:
    """The variants of a span of the range with their accounts, in calendar order: a range
    of the variants' stored calendar time (``posts/calendar_time.py``) read from the
    ``(unit_id, calendar_at)`` index."""
    media_count = (
        select(func.count())
        .where(VariantMedia.variant_id == PostVariant.id)
        .correlate(PostVariant)
        .scalar_subquery()
    )
    return (
        select(
            PostVariant.id,
            PostVariant.post_id,
            func.substr(PostVariant.text, 1, EXCERPT + 1).label("text"),
            PlatformAccount.platform,
            PostVariant.account_id,
            func.coalesce(
                func.nullif(PlatformAccount.display_name, ""), PlatformAccount.handle
            ).label("account"),
            PostVariant.status,
            _held().label("held"),
            PostVariant.calendar_at.label("at"),
            PostVariant.external_url,
            media_count.label("media_count"),
        )
        .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
        .where(*_conditions(shape, start, end))
        .order_by(PostVariant.calendar_at, PostVariant.id)
    )


def _span(i: int) -> tuple[Any, Any]:
    return bindparam(f"start_{i}"), bindparam(f"end_{i}")


@lru_cache(maxsize=128)
def _every_entry(shape: _Shape) -> Select[Any]:
    return _part(shape, *_span(0))


@lru_cache(maxsize=512)
def _first_of_each_day(shape: _Shape, n_days: int) -> Select[Any]:
    """Each day's first ``per_day`` entries: one short read of the index per day, however
    many the days hold (a window over the whole range would read and sort them all)."""
    per_day = bindparam("per_day", type_=Integer)
    firsts = union_all(
        *(_part(shape, *_span(i)).limit(per_day).subquery().select() for i in range(n_days))
    ).subquery("firsts")
    return select(*firsts.c).order_by(firsts.c.at, firsts.c.id)


@lru_cache(maxsize=512)
def _count_each_day(shape: _Shape, n_days: int) -> CompoundSelect[int, int]:
    """How many entries match on each day, as (day's number, count): counted in the index."""
    return union_all(
        *(
            select(literal(i).label("day"), func.count().label("total"))
            .join_from(PostVariant, PlatformAccount, PlatformAccount.id == PostVariant.account_id)
            .where(*_conditions(shape, *_span(i)))
            for i in range(n_days)
        )
    )


def _days_table() -> Any:
    """PostgreSQL: the days as rows (start, end, day's number from 1), from two arrays."""
    moments = ARRAY(UTCDateTime())
    return (
        func.unnest(
            cast(bindparam("starts", type_=moments), moments),
            cast(bindparam("ends", type_=moments), moments),
        )
        .table_valued(
            column("start", UTCDateTime()), column("end", UTCDateTime()), with_ordinality="day"
        )
        .render_derived()
        .alias("days")
    )


@lru_cache(maxsize=128)
def _first_of_each_day_pg(shape: _Shape) -> Select[Any]:
    """PostgreSQL: the same, as one short index read per row of the days (a lateral join):
    a statement of fixed size, planned in a millisecond where a union of a part per day
    takes longer to plan than to run."""
    days = _days_table()
    per_day = bindparam("per_day", type_=Integer)
    firsts = _part(shape, days.c.start, days.c.end).limit(per_day).lateral("firsts")
    return (
        select(*firsts.c).select_from(days).join(firsts, true()).order_by(firsts.c.at, firsts.c.id)
    )


@lru_cache(maxsize=128)
def _count_each_day_pg(shape: _Shape) -> Select[Any]:
    days = _days_table()
    total = (
        select(func.count())
        .join_from(PostVariant, PlatformAccount, PlatformAccount.id == PostVariant.account_id)
        .where(*_conditions(shape, days.c.start, days.c.end))
        .scalar_subquery()
    )
    return select((days.c.day - 1).label("day"), total.label("total")).select_from(days)


class Query(NamedTuple):
    """A statement and the values of its parameters."""

    statement: Executable
    params: dict[str, Any]


def _params(
    unit_id: int, spans: Sequence[tuple[datetime, datetime]], filters: CalendarFilters
) -> dict[str, Any]:
    params: dict[str, Any] = {"unit_id": unit_id, "now": utcnow()}
    for i, (start, end) in enumerate(spans):
        params[f"start_{i}"], params[f"end_{i}"] = start, end
    if filters.platform is not None:
        params["platform"] = filters.platform
    if filters.account_id is not None:
        params["account_id"] = filters.account_id
    if filters.statuses:
        params["statuses"] = [PostStatus(s) for s in filters.statuses if s != HELD]
    if filters.category is not None:
        params["category"] = filters.category
    if filters.author_id is not None:
        params["author_id"] = filters.author_id
    return params


def entries_query(
    unit_id: int,
    start: datetime,
    end: datetime,
    filters: CalendarFilters,
) -> Query:
    """Every variant of the unit in the range, in calendar order. Their posts come from
    ``posts_statement``."""
    shape = _shape(filters)
    return Query(_every_entry(shape), _params(unit_id, [(start, end)], filters))


def _days_params(
    unit_id: int, days: Sequence[Day], filters: CalendarFilters, dialect: str
) -> dict[str, Any]:
    if dialect == "postgresql":
        params = _params(unit_id, [], filters)
        return params | {"starts": [d.start for d in days], "ends": [d.end for d in days]}
    return _params(unit_id, [(d.start, d.end) for d in days], filters)


def first_entries_query(
    unit_id: int,
    days: Sequence[Day],
    filters: CalendarFilters,
    per_day: int,
    dialect: str,
) -> Query:
    """The first ``per_day`` variants of each day, in calendar order."""
    shape = _shape(filters)
    params = _days_params(unit_id, days, filters, dialect) | {"per_day": per_day}
    if dialect == "postgresql":
        return Query(_first_of_each_day_pg(shape), params)
    return Query(_first_of_each_day(shape, len(days)), params)


def counts_query(
    unit_id: int,
    days: Sequence[Day],
    filters: CalendarFilters,
    dialect: str,
) -> Query:
    """(day's number from 0, how many variants match on it) for each day."""
    shape = _shape(filters)
    params = _days_params(unit_id, days, filters, dialect)
    if dialect == "postgresql":
        return Query(_count_each_day_pg(shape), params)
    return Query(_count_each_day(shape, len(days)), params)


def posts_statement(
    post_ids: Collection[int], dialect: str
) -> Select[int, str, str | None, int | None, str]:
    """The posts of the variants the entry queries found, by id, with their authors.
    A query of its own, not a join: joined, PostgreSQL prices reading every post and hashing
    them below a few thousand look-ups by key, which grows with the whole table."""
    ids = sorted(post_ids)
    # One array parameter on PostgreSQL, not thousands of them (binding those costs more
    # than the query).
    among = (
        Post.id == any_(bindparam("post_ids", ids, type_=ARRAY(Integer)))
        if dialect == "postgresql"
        else Post.id.in_(ids)
    )
    return (
        select(Post.id, Post.title, Post.category, Post.author_id, User.name)
        .outerjoin(User, User.id == Post.author_id)
        .where(among)
    )


async def calendar(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    start: datetime,
    end: datetime,
    filters: CalendarFilters,
    per_day: int | None = None,
) -> CalendarRead:
    principal.require(unit_id, Perm.read)
    _check_range(start, end)
    unit = await session.get(Unit, unit_id)
    assert unit is not None  # membership implies the unit exists
    zone = ZoneInfo(unit.timezone)
    days = days_of(start, end, zone)
    # Plain rows through the connection: a busy month is thousands of them, and the ORM's
    # per-row handling of a column query would cost more than the query.
    conn = await session.connection()
    if per_day is None:
        rows = (await conn.execute(*entries_query(unit_id, start, end, filters))).all()
        totals = _count_rows(rows, days)
    else:
        dialect = conn.dialect.name
        firsts = first_entries_query(unit_id, days, filters, per_day, dialect)
        rows = (await conn.execute(*firsts)).all()
        counted = await conn.execute(*counts_query(unit_id, days, filters, dialect))
        totals = {days[i].date: n for i, n in counted.all() if n}
    posts: dict[int, Any] = {}
    if rows:
        found = await conn.execute(posts_statement({r.post_id for r in rows}, conn.dialect.name))
        posts = {p[0]: p for p in found.all()}

    # Plain dicts, validated as one list when the answer is built: one call into pydantic's
    # core rather than thousands of model constructions.
    entries: list[dict[str, Any]] = []
    for row in rows:
        _, title, category, author_id, author_name = posts[row.post_id]
        text = row.text
        entries.append(
            {
                "variant_id": row.id,
                "post_id": row.post_id,
                "title": title,
                "excerpt": text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…",
                "platform": row.platform,
                "account_id": row.account_id,
                "account_name": row.account,
                "status": row.status,
                "held": bool(row.held),
                "at": row.at,
                "category": category,
                "author_id": author_id,
                "author_name": author_name,
                "external_url": row.external_url,
                "media_count": row.media_count,
                "can_move": _can_move(principal, unit_id, author_id, row.status),
            }
        )
    return CalendarRead(
        unit_id=unit_id,
        timezone=unit.timezone,
        start=start,
        end=end,
        per_day=per_day,
        entries=entries,  # validated into CalendarEntry here, as one list
        days=[{"date": day, "total": n} for day, n in sorted(totals.items())],
        observances=[
            Observance(
                date=o.date,
                name=o.name,
                name_en=o.name_en,
                kind=o.kind,
                template_kind=o.template_kind,
            )
            for o in observances.observances_between(days[0].date, days[-1].date)
        ],
    )


def _count_rows(rows: Sequence[Any], days: Sequence[Day]) -> dict[date, int]:
    """Entries per local day, for rows in calendar order."""
    totals: dict[date, int] = {}
    i = 0
    for row in rows:
        while row.at >= days[i].end:
            i += 1
        totals[days[i].date] = totals.get(days[i].date, 0) + 1
    return totals


# --- templates ------------------------------------------------------------------------------

TEMPLATE_FIELDS = ["name", "kind", "title", "base_text", "texts", "category", "hashtags"]


def template_read(t: PostTemplate) -> Template:
    return Template(
        id=t.id,
        unit_id=t.unit_id,
        name=t.name,
        kind=t.kind,
        title=t.title,
        base_text=t.base_text,
        texts={
            k: v for k, v in (t.texts or {}).items() if k in ("x", "instagram", "facebook") and v
        },
        category=t.category,
        hashtags=list(t.hashtags or []),
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


async def list_templates(
    session: AsyncSession, principal: Principal, unit_id: int
) -> list[PostTemplate]:
    principal.require(unit_id, Perm.read)
    stmt = select(PostTemplate).where(PostTemplate.unit_id == unit_id)
    return list((await session.scalars(stmt.order_by(PostTemplate.name, PostTemplate.id))).all())


async def _template(
    session: AsyncSession, principal: Principal, unit_id: int, template_id: int
) -> PostTemplate:
    principal.require(unit_id, Perm.write_posts)
    template = await session.get(PostTemplate, template_id)
    if template is None or template.unit_id != unit_id:
        raise NotFound(f"Template {template_id} not found.", code="template_not_found")
    return template


def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    t: PostTemplate,
    before: dict[str, Any] | None = None,
) -> None:
    audit(
        session,
        principal,
        action=action,
        object_type="post_template",
        object_id=t.id,
        unit_id=t.unit_id,
        before=before,
        after=None if action == "delete" else snapshot(t, TEMPLATE_FIELDS),
    )


async def create_template(
    session: AsyncSession, principal: Principal, unit_id: int, body: TemplateIn
) -> PostTemplate:
    principal.require(unit_id, Perm.write_posts)
    data = body.model_dump()
    data["texts"] = body.texts.model_dump(exclude_none=True)
    template = PostTemplate(unit_id=unit_id, **data)
    session.add(template)
    await session.flush()
    _audit(session, principal, "create", template)
    return template


async def update_template(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    template_id: int,
    body: TemplateUpdate,
) -> PostTemplate:
    template = await _template(session, principal, unit_id, template_id)
    before = snapshot(template, TEMPLATE_FIELDS)
    changes = body.model_dump(exclude_unset=True)
    for required in ("name", "title", "kind", "base_text", "texts", "hashtags"):
        if required in changes and changes[required] is None:
            raise Invalid(f"The {required} cannot be empty.", fields={required: "required"})
    if body.texts is not None:
        changes["texts"] = body.texts.model_dump(exclude_none=True)
    for key, value in changes.items():
        setattr(template, key, value)
    await session.flush()
    _audit(session, principal, "update", template, before)
    return template


async def delete_template(
    session: AsyncSession, principal: Principal, unit_id: int, template_id: int
) -> None:
    template = await _template(session, principal, unit_id, template_id)
    _audit(session, principal, "delete", template, snapshot(template, TEMPLATE_FIELDS))
    await session.delete(template)
    await session.flush()

"""The calendar's range query, observances, and the unit's post templates."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
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
from gaung.kit.time import utcnow
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


def _held(unit_held: bool) -> ColumnElement[bool]:
    """Scheduled, but waiting: its unit is held (a pause, a blackout) or its account cannot
    publish. The one rule for both the ``held`` flag and the ``held`` filter."""
    scheduled = PostVariant.status == PostStatus.scheduled
    if unit_held:
        return scheduled
    return and_(scheduled, PlatformAccount.status != AccountStatus.active)


def _days(start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[date, datetime]]:
    """The unit's local days the range touches, each with the UTC instant it ends."""
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    days = []
    day = first
    while day <= last:
        nxt = day + timedelta(days=1)
        days.append((day, datetime.combine(nxt, time(), zone).astimezone(UTC)))
        day = nxt
    return days


def calendar_statement(
    unit_id: int,
    start: datetime,
    end: datetime,
    filters: CalendarFilters,
    *,
    zone: ZoneInfo,
    unit_held: bool = False,
    per_day: int | None = None,
) -> Select[Any]:
    """The unit's variants in the range with their accounts, in calendar order: a range of
    the variants' stored calendar time (``posts/calendar_time.py``) read from the
    ``(unit_id, calendar_at)`` index. Each row carries its local day's number in the range and
    how many entries that day has; with ``per_day`` only a day's first ``per_day`` come back.
    Their posts come from ``posts_statement``."""
    at = PostVariant.calendar_at
    days = _days(start, end, zone)
    # The local day as a number: the UTC instants where the unit's days end are computed
    # here, so the database needs no timezone rules.
    day: ColumnElement[int] = (
        case(*((at < ends, i) for i, (_, ends) in enumerate(days[:-1])), else_=len(days) - 1)
        if len(days) > 1
        else literal(0)
    )
    held = _held(unit_held)
    inner = (
        select(
            PostVariant.id.label("id"),
            PostVariant.post_id.label("post_id"),
            func.substr(PostVariant.text, 1, EXCERPT + 1).label("text"),
            PlatformAccount.platform.label("platform"),
            PostVariant.account_id.label("account_id"),
            func.coalesce(
                func.nullif(PlatformAccount.display_name, ""), PlatformAccount.handle
            ).label("account"),
            PostVariant.status.label("status"),
            held.label("held"),
            at.label("at"),
            PostVariant.external_url.label("external_url"),
            day.label("day"),
            func.row_number().over(partition_by=day, order_by=(at, PostVariant.id)).label("nth"),
            func.count().over(partition_by=day).label("total"),
        )
        .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
        .where(PostVariant.unit_id == unit_id, at >= start, at < end)
    )
    if filters.platform is not None:
        inner = inner.where(PlatformAccount.platform == filters.platform)
    if filters.account_id is not None:
        inner = inner.where(PostVariant.account_id == filters.account_id)
    if filters.statuses:
        wanted = [PostStatus(s) for s in filters.statuses if s != HELD]
        inner = inner.where(
            or_(PostVariant.status.in_(wanted), held)
            if HELD in filters.statuses
            else PostVariant.status.in_(wanted)
        )
    # The post's own filters as a look-up by key per variant of the range: the range, not
    # the unit's whole history, bounds the work.
    post_filters = []
    if filters.category is not None:
        post_filters.append(Post.category == filters.category)
    if filters.author_id is not None:
        post_filters.append(Post.author_id == filters.author_id)
    if post_filters:
        inner = inner.where(
            exists(select(Post.id).where(Post.id == PostVariant.post_id, *post_filters))
        )
    ranked = inner.subquery("ranked")
    media_count = (
        select(func.count())
        .where(VariantMedia.variant_id == ranked.c.id)
        .correlate(ranked)
        .scalar_subquery()
    )
    stmt = select(*ranked.c, media_count.label("media_count")).order_by(ranked.c.at, ranked.c.id)
    if per_day is not None:
        stmt = stmt.where(ranked.c.nth <= per_day)
    return stmt


def posts_statement(
    post_ids: Collection[int], dialect: str
) -> Select[int, str, str | None, int | None, str]:
    """The posts of the variants ``calendar_statement`` found, by id, with their authors.
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
    unit_held = unit_id in await holds.held_units(session, utcnow())
    # Plain rows through the connection: a busy month is thousands of them, and the ORM's
    # per-row handling of a column query would cost more than the query.
    conn = await session.connection()
    stmt = calendar_statement(
        unit_id, start, end, filters, zone=zone, unit_held=unit_held, per_day=per_day
    )
    rows = (await conn.execute(stmt)).all()
    posts: dict[int, Any] = {}
    if rows:
        found = await conn.execute(posts_statement({r.post_id for r in rows}, conn.dialect.name))
        posts = {p[0]: p for p in found.all()}

    # Plain dicts, validated as one list when the answer is built: one call into pydantic's
    # core rather than thousands of model constructions.
    entries: list[dict[str, Any]] = []
    totals: dict[int, int] = {}
    for row in rows:
        _, title, category, author_id, author_name = posts[row.post_id]
        text = row.text
        totals[row.day] = row.total
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
    days = _days(start, end, zone)
    return CalendarRead(
        unit_id=unit_id,
        timezone=unit.timezone,
        start=start,
        end=end,
        per_day=per_day,
        entries=entries,  # validated into CalendarEntry here, as one list
        days=[{"date": days[i][0], "total": n} for i, n in sorted(totals.items())],
        observances=[
            Observance(
                date=o.date,
                name=o.name,
                name_en=o.name_en,
                kind=o.kind,
                template_kind=o.template_kind,
            )
            for o in observances.observances_between(days[0][0], days[-1][0])
        ],
    )


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

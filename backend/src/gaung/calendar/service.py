"""The calendar's range query, observances, and the unit's post templates."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, any_, bindparam, func, select
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


def calendar_statement(
    unit_id: int, start: datetime, end: datetime, filters: CalendarFilters
) -> Select[Any]:
    """The unit's variants in the range with their accounts, in calendar order: a range of
    the variants' stored calendar time (``posts/calendar_time.py``) read from the
    ``(unit_id, calendar_at)`` index. Their posts come from ``posts_statement``."""
    media_count = (
        select(func.count())
        .where(VariantMedia.variant_id == PostVariant.id)
        .correlate(PostVariant)
        .scalar_subquery()
    )
    at = PostVariant.calendar_at
    stmt = (
        select(
            PostVariant.id,
            PostVariant.post_id,
            func.substr(PostVariant.text, 1, EXCERPT + 1),
            PlatformAccount.platform,
            PostVariant.account_id,
            PlatformAccount.display_name,
            PlatformAccount.handle,
            PlatformAccount.status,
            PostVariant.status,
            at,
            PostVariant.external_url,
            media_count,
        )
        .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
        .where(PostVariant.unit_id == unit_id, at >= start, at < end)
        .order_by(at, PostVariant.id)
    )
    if filters.platform is not None:
        stmt = stmt.where(PlatformAccount.platform == filters.platform)
    if filters.account_id is not None:
        stmt = stmt.where(PostVariant.account_id == filters.account_id)
    wanted = {PostStatus(s) for s in filters.statuses if s != HELD}
    want_held = HELD in filters.statuses
    if filters.statuses:
        stmt = stmt.where(
            PostVariant.status.in_(wanted | ({PostStatus.scheduled} if want_held else set()))
        )
    return stmt


def posts_statement(
    post_ids: Collection[int], filters: CalendarFilters, dialect: str
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
    stmt = (
        select(Post.id, Post.title, Post.category, Post.author_id, User.name)
        .outerjoin(User, User.id == Post.author_id)
        .where(among)
    )
    if filters.category is not None:
        stmt = stmt.where(Post.category == filters.category)
    if filters.author_id is not None:
        stmt = stmt.where(Post.author_id == filters.author_id)
    return stmt


async def calendar(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    start: datetime,
    end: datetime,
    filters: CalendarFilters,
) -> CalendarRead:
    principal.require(unit_id, Perm.read)
    _check_range(start, end)
    unit = await session.get(Unit, unit_id)
    assert unit is not None  # membership implies the unit exists
    wanted = {PostStatus(s) for s in filters.statuses if s != HELD}
    want_held = HELD in filters.statuses
    # Plain rows through the connection: a busy month is thousands of them, and the ORM's
    # per-row handling of a column query would cost more than the query.
    conn = await session.connection()
    rows = (await conn.execute(calendar_statement(unit_id, start, end, filters))).all()
    posts: dict[int, Any] = {}
    if rows:
        stmt = posts_statement({row[1] for row in rows}, filters, conn.dialect.name)
        posts = {p[0]: p for p in (await conn.execute(stmt)).all()}

    unit_held = unit_id in await holds.held_units(session, utcnow()) if rows else False
    # Plain dicts, validated as one list when the answer is built: one call into pydantic's
    # core rather than thousands of model constructions.
    entries: list[dict[str, Any]] = []
    for row in rows:
        (
            vid,
            pid,
            text,
            platform,
            account_id,
            display,
            handle,
            account_status,
            status,
            when,
            url,
            n_media,
        ) = row
        post = posts.get(pid)
        if post is None:  # left out by the category or author filter
            continue
        _, title, category, author_id, author_name = post
        held = status == PostStatus.scheduled and (
            unit_held or account_status != AccountStatus.active
        )
        if filters.statuses and not (status in wanted or (want_held and held)):
            continue
        excerpt = text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
        entries.append(
            {
                "variant_id": vid,
                "post_id": pid,
                "title": title,
                "excerpt": excerpt,
                "platform": platform,
                "account_id": account_id,
                "account_name": display or handle,
                "status": status,
                "held": held,
                "at": when,
                "category": category,
                "author_id": author_id,
                "author_name": author_name,
                "external_url": url,
                "media_count": n_media,
                "can_move": _can_move(principal, unit_id, author_id, status),
            }
        )
    zone = ZoneInfo(unit.timezone)
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    return CalendarRead(
        unit_id=unit_id,
        timezone=unit.timezone,
        start=start,
        end=end,
        entries=entries,  # validated into CalendarEntry here, as one list
        observances=[
            Observance(
                date=o.date,
                name=o.name,
                name_en=o.name_en,
                kind=o.kind,
                template_kind=o.template_kind,
            )
            for o in observances.observances_between(first, last)
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

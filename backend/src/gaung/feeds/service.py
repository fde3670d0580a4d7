"""Private calendar feeds: made, listed and revoked by their owners, read by token."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import PlatformAccount
from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.config import Settings
from gaung.edge import API_PREFIX
from gaung.feeds import ical
from gaung.feeds.models import CalendarFeed
from gaung.feeds.schemas import FeedCreated, FeedList, FeedRead
from gaung.kit.errors import NotFound
from gaung.kit.time import utcnow
from gaung.posts.models import Post, PostVariant
from gaung.units.models import Unit
from gaung.users.models import Membership, User

MANAGE = Perm.manage_unit
PAST = timedelta(days=92)
AHEAD = timedelta(days=366)
MOST = 5000


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _url(settings: Settings, token: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}{API_PREFIX}/feeds/{token}.ics"


async def _create(
    session: AsyncSession, principal: Principal, settings: Settings, unit_id: int | None
) -> FeedCreated:
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(unit_id=unit_id, user_id=principal.user.id, token_hash=_hash(token))
    session.add(feed)
    await session.flush()
    audit(
        session,
        principal,
        action="create",
        object_type="calendar_feed",
        object_id=feed.id,
        unit_id=unit_id,
    )
    read = FeedRead.model_validate(feed)
    return FeedCreated.model_validate({**read.model_dump(), "url": _url(settings, token)})


async def create_unit_feed(
    session: AsyncSession, principal: Principal, settings: Settings, unit_id: int
) -> FeedCreated:
    principal.require(unit_id, MANAGE)
    return await _create(session, principal, settings, unit_id)


async def create_personal_feed(
    session: AsyncSession, principal: Principal, settings: Settings
) -> FeedCreated:
    return await _create(session, principal, settings, None)


async def list_unit_feeds(session: AsyncSession, principal: Principal, unit_id: int) -> FeedList:
    principal.require(unit_id, MANAGE)
    rows = await session.scalars(
        select(CalendarFeed).where(CalendarFeed.unit_id == unit_id).order_by(CalendarFeed.id)
    )
    return FeedList(items=[FeedRead.model_validate(r) for r in rows])


async def list_personal_feeds(session: AsyncSession, principal: Principal) -> FeedList:
    rows = await session.scalars(
        select(CalendarFeed)
        .where(CalendarFeed.unit_id.is_(None), CalendarFeed.user_id == principal.user.id)
        .order_by(CalendarFeed.id)
    )
    return FeedList(items=[FeedRead.model_validate(r) for r in rows])


async def _revoke(session: AsyncSession, principal: Principal, feed: CalendarFeed) -> FeedRead:
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        await session.flush()
        audit(
            session,
            principal,
            action="revoke",
            object_type="calendar_feed",
            object_id=feed.id,
            unit_id=feed.unit_id,
        )
    return FeedRead.model_validate(feed)


async def revoke_unit_feed(
    session: AsyncSession, principal: Principal, unit_id: int, feed_id: int
) -> FeedRead:
    principal.require(unit_id, MANAGE)
    feed = await session.get(CalendarFeed, feed_id)
    if feed is None or feed.unit_id != unit_id:
        raise NotFound(f"Calendar feed {feed_id} not found.", code="calendar_feed_not_found")
    return await _revoke(session, principal, feed)


async def revoke_personal_feed(
    session: AsyncSession, principal: Principal, feed_id: int
) -> FeedRead:
    feed = await session.get(CalendarFeed, feed_id)
    if feed is None or feed.unit_id is not None or feed.user_id != principal.user.id:
        raise NotFound(f"Calendar feed {feed_id} not found.", code="calendar_feed_not_found")
    return await _revoke(session, principal, feed)


# --- the documents ----------------------------------------------------------------------------


async def entries(
    session: AsyncSession, unit_ids: Collection[int], now: datetime
) -> list[ical.Entry]:
    """Every variant of these units with a calendar time (the calendar's own rule, stored on
    the variant) from three months back to a year ahead, in one query."""
    at = PostVariant.calendar_at
    rows = (
        await session.execute(
            select(
                PostVariant.id,
                PostVariant.post_id,
                PostVariant.text,
                PostVariant.status,
                PostVariant.external_url,
                PostVariant.updated_at,
                Post.title,
                PlatformAccount.platform,
                PlatformAccount.handle,
                Unit.timezone,
                at.label("at"),
            )
            .join(Post, Post.id == PostVariant.post_id)
            .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
            .join(Unit, Unit.id == Post.unit_id)
            .where(PostVariant.unit_id.in_(list(unit_ids)), at >= now - PAST, at <= now + AHEAD)
            .order_by(at, PostVariant.id)
            .limit(MOST)
        )
    ).all()
    return [
        ical.Entry(
            variant_id=r.id,
            post_id=r.post_id,
            title=r.title,
            text=r.text,
            platform=r.platform.value,
            account=r.handle,
            status=r.status.value,
            at=r.at,
            timezone=r.timezone,
            url=r.external_url,
            updated_at=r.updated_at,
        )
        for r in rows
    ]


async def unit_calendar(
    session: AsyncSession, settings: Settings, unit: Unit, now: datetime | None = None
) -> bytes:
    now = now or utcnow()
    host = urlsplit(settings.public_base_url).hostname or "gaung"
    return ical.build(
        f"Gaung · {unit.name}",
        unit.timezone,
        await entries(session, [unit.id], now),
        host=host,
        now=now,
    )


async def unit_calendar_for(
    session: AsyncSession, principal: Principal, settings: Settings, unit_id: int
) -> bytes:
    principal.require(unit_id, Perm.read)
    unit = await session.get(Unit, unit_id)
    assert unit is not None  # the caller's role names it
    return await unit_calendar(session, settings, unit)


async def by_token(session: AsyncSession, settings: Settings, token: str) -> bytes:
    """The feed the token opens: 404 for an unknown or revoked one (nothing tells them apart)."""
    feed = await session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == _hash(token), CalendarFeed.revoked_at.is_(None)
        )
    )
    missing = NotFound("Calendar feed not found.", code="calendar_feed_not_found")
    if feed is None:
        raise missing
    if feed.unit_id is not None:
        unit = await session.get(Unit, feed.unit_id)
        assert unit is not None  # feeds go with their unit
        return await unit_calendar(session, settings, unit)
    # A person's feed: the units they belong to now, so leaving a unit takes its posts away.
    user = await session.get(User, feed.user_id)
    if user is None or not user.is_active:
        raise missing
    stmt = (
        select(Unit)
        if user.is_superuser
        else (
            select(Unit)
            .join(Membership, Membership.unit_id == Unit.id)
            .where(Membership.user_id == user.id)
        )
    )
    units = list(await session.scalars(stmt.order_by(Unit.id)))
    now = utcnow()
    host = urlsplit(settings.public_base_url).hostname or "gaung"
    zone = units[0].timezone if units else "Asia/Jakarta"
    return ical.build(
        f"Gaung · {user.name}",
        zone,
        await entries(session, [u.id for u in units], now),
        host=host,
        now=now,
    )

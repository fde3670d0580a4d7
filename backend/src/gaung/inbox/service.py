"""The inbox: storing what the networks deliver (polling and webhooks alike), routing it to an
expert, answering, deadlines, legal requests and commenters' privacy.

Who may do what: anyone who can read the unit sees its inbox; the question's assignee answers
it; the unit's admins and editors (``manage_posts``) assign, approve answers, change settings
and carry out privacy requests. A complainant's identity is shown to them only."""

from __future__ import annotations

import hashlib
import re
import secrets
import statistics
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

import httpx
from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.connectors import bind
from gaung.accounts.health import mark_needs_reauth
from gaung.accounts.models import PlatformAccount
from gaung.accounts.rate_limits import recorder
from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal, get_in_scope, scoped
from gaung.config import Settings
from gaung.inbox import kinds, kip
from gaung.inbox.models import (
    AnswerStatus,
    Conversation,
    ConversationKind,
    ConversationStatus,
    InboxAnswer,
    InboxExpert,
    InboxMessage,
    InboxSettings,
    InboxTopic,
    PrivacyRequest,
    RequestKind,
    SavedAnswer,
)
from gaung.inbox.routing import THRESHOLD, Suggestion, Topic, classify, learn
from gaung.inbox.schemas import (
    AnswerIn,
    AnswerRead,
    AssignIn,
    ConversationList,
    ConversationRead,
    ConversationSummary,
    ExpertsIn,
    ExtendIn,
    InboxSettingsIn,
    InboxSettingsRead,
    LaporIn,
    MatchedTopic,
    MessageRead,
    OriginalPost,
    PracticeIn,
    PrivacyIn,
    PrivacyList,
    PrivacyRead,
    RequestIn,
    ResponseFigure,
    ResponseStats,
    RouteIn,
    RouteRead,
    SavedAnswerIn,
    SavedAnswerList,
    SavedAnswerRead,
    StatusIn,
    TopicIn,
    TopicList,
    TopicPatch,
    TopicRead,
)
from gaung.inbox.topics import demo_topics
from gaung.kit.errors import AppError, Conflict, Forbidden, Invalid, NotFound
from gaung.kit.time import utcnow
from gaung.notifications.models import NotificationKind
from gaung.notifications.service import notify
from gaung.platforms import protocol
from gaung.platforms.sandbox import simulation
from gaung.posts.models import Post, PostVariant
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User

MANAGE = Perm.manage_posts
OPEN = (ConversationStatus.new, ConversationStatus.assigned)
HIDDEN = "(disembunyikan)"  # a complainant's handle, for everyone but the unit's managers
ANONYMOUS = "anonim"
EXCERPT = 200


# --- settings and topics ------------------------------------------------------------------------


async def unit_settings(session: AsyncSession, unit_id: int) -> InboxSettings:
    row = await session.get(InboxSettings, unit_id)
    return row or InboxSettings(
        unit_id=unit_id, response_target_hours=24, answers_need_approval=False, retention_days=365
    )


async def unit_topics(session: AsyncSession, unit_id: int) -> list[InboxTopic]:
    rows = await session.scalars(
        select(InboxTopic).where(InboxTopic.unit_id == unit_id).order_by(InboxTopic.id)
    )
    return list(rows)


def _classifier(topic: InboxTopic) -> Topic:
    return Topic(
        key=topic.key,
        keywords={str(k): float(v) for k, v in topic.keywords.items()},
        categories=tuple(topic.categories),
        learned={str(k): float(v) for k, v in topic.learned.items()},
    )


def _matched(s: Suggestion, by_key: dict[str, InboxTopic]) -> MatchedTopic:
    topic = by_key.get(s.key)
    return MatchedTopic(
        topic_id=topic.id if topic else None,
        key=s.key,
        name=topic.name if topic else s.key,
        score=s.score,
        matched=list(s.matched),
    )


async def seed_topics(session: AsyncSession, unit_id: int) -> list[InboxTopic]:
    """The demo topics (``data/ptpsw_topics.toml``) for a unit that has none."""
    if await unit_topics(session, unit_id):
        return []
    rows = [
        InboxTopic(
            unit_id=unit_id,
            key=t.key,
            name=t.name,
            name_en=t.name_en,
            keywords=dict(t.keywords),
            categories=list(t.categories),
            learned={},
        )
        for t in demo_topics()
    ]
    session.add_all(rows)
    await session.flush()
    return rows


async def route_text(session: AsyncSession, principal: Principal, body: RouteIn) -> RouteRead:
    principal.require(body.unit_id, Perm.read)
    topics = await unit_topics(session, body.unit_id)
    by_key = {t.key: t for t in topics}
    found = classify(body.text, [_classifier(t) for t in topics], body.category)
    return RouteRead(
        suggestions=[_matched(s, by_key) for s in found], threshold=THRESHOLD, routed=bool(found)
    )


async def list_topics(session: AsyncSession, principal: Principal, unit_id: int) -> TopicList:
    principal.require(unit_id, Perm.read)
    topics = await unit_topics(session, unit_id)
    experts = (
        await session.execute(
            select(InboxExpert.topic_id, InboxExpert.user_id)
            .where(InboxExpert.unit_id == unit_id)
            .order_by(InboxExpert.user_id)
        )
    ).all()
    by_topic: dict[int, list[int]] = {}
    for topic_id, user_id in experts:
        by_topic.setdefault(topic_id, []).append(user_id)
    return TopicList(
        items=[
            TopicRead(
                id=t.id,
                key=t.key,
                name=t.name,
                name_en=t.name_en,
                keywords={str(k): float(v) for k, v in t.keywords.items()},
                learned={str(k): float(v) for k, v in t.learned.items()},
                expert_ids=by_topic.get(t.id, []),
            )
            for t in topics
        ]
    )


MAX_TOPICS = 50
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def _topic_key(name: str, taken: set[str]) -> str:
    """A stable key from the name (``Air dan banjir`` -> ``air-dan-banjir``), unique in the unit."""
    folded = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    base = _NOT_KEY.sub("-", folded).strip("-")[:56].strip("-") or "topik"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


async def _unit_topic(session: AsyncSession, unit_id: int, topic_id: int) -> InboxTopic:
    topic = await session.get(InboxTopic, topic_id)
    if topic is None or topic.unit_id != unit_id:
        raise NotFound(f"Topic {topic_id} not found.", code="topic_not_found")
    return topic


def _name_free(topics: Sequence[InboxTopic], name: str, own_id: int | None = None) -> None:
    if any(t.name.casefold() == name.casefold() and t.id != own_id for t in topics):
        raise Conflict(
            f"The unit already has a topic named {name!r}.",
            code="topic_name_taken",
            fields={"name": "already the name of another topic of this unit"},
        )


async def create_topic(
    session: AsyncSession, principal: Principal, unit_id: int, body: TopicIn
) -> TopicList:
    principal.require(unit_id, MANAGE)
    topics = await unit_topics(session, unit_id)
    if len(topics) >= MAX_TOPICS:
        raise Conflict(
            f"A unit has at most {MAX_TOPICS} topics.",
            code="too_many_topics",
            limits={"topics": {"max": MAX_TOPICS}},
        )
    _name_free(topics, body.name)
    topic = InboxTopic(
        unit_id=unit_id,
        key=_topic_key(body.name, {t.key for t in topics}),
        name=body.name,
        name_en=body.name_en,
        keywords=dict(body.keywords),
        categories=[],
        learned={},
    )
    session.add(topic)
    await session.flush()
    audit(
        session,
        principal,
        action="create",
        object_type="inbox_topic",
        object_id=topic.id,
        unit_id=unit_id,
        after={"name": topic.name, "keywords": sorted(topic.keywords)},
    )
    return await list_topics(session, principal, unit_id)


async def update_topic(
    session: AsyncSession, principal: Principal, unit_id: int, topic_id: int, body: TopicPatch
) -> TopicList:
    """Rename a topic or replace its keywords. Its key (in stored suggestions) stays."""
    principal.require(unit_id, MANAGE)
    topic = await _unit_topic(session, unit_id, topic_id)
    changes = body.model_dump(exclude_none=True)
    if body.name is not None:
        _name_free(await unit_topics(session, unit_id), body.name, topic.id)
    before = {"name": topic.name, "keywords": sorted(topic.keywords)}
    for name, value in changes.items():
        setattr(topic, name, value)
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="inbox_topic",
        object_id=topic.id,
        unit_id=unit_id,
        before=before,
        after={"name": topic.name, "keywords": sorted(topic.keywords)},
    )
    return await list_topics(session, principal, unit_id)


async def delete_topic(
    session: AsyncSession, principal: Principal, unit_id: int, topic_id: int
) -> None:
    """Remove a topic: its questions go back to the admins (no topic), its saved answers
    become general ones, its experts are released."""
    principal.require(unit_id, MANAGE)
    topic = await _unit_topic(session, unit_id, topic_id)
    # Explicit rather than left to the foreign keys: SQLite may run without them enforced,
    # and saved answers are kept (the key would delete them).
    await session.execute(
        update(Conversation).where(Conversation.topic_id == topic_id).values(topic_id=None)
    )
    await session.execute(
        update(SavedAnswer).where(SavedAnswer.topic_id == topic_id).values(topic_id=None)
    )
    await session.execute(delete(InboxExpert).where(InboxExpert.topic_id == topic_id))
    name = topic.name
    await session.delete(topic)
    await session.flush()
    audit(
        session,
        principal,
        action="delete",
        object_type="inbox_topic",
        object_id=topic_id,
        unit_id=unit_id,
        before={"name": name},
    )


async def _topic_in_unit(session: AsyncSession, unit_id: int, topic_id: int) -> InboxTopic:
    topic = await session.get(InboxTopic, topic_id)
    if topic is None or topic.unit_id != unit_id:
        raise Invalid(
            f"Topic {topic_id} is not one of this unit's topics.",
            fields={"topic_id": "not a topic of this unit"},
        )
    return topic


async def _member(session: AsyncSession, unit_id: int, user_id: int, field: str) -> User:
    user = await session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.unit_id == unit_id, User.id == user_id, User.is_active.is_(True))
    )
    if user is None:
        raise Invalid(
            f"User {user_id} is not an active member of this unit.",
            fields={field: "not an active member of this unit"},
        )
    return user


async def set_experts(
    session: AsyncSession, principal: Principal, unit_id: int, topic_id: int, body: ExpertsIn
) -> TopicList:
    principal.require(unit_id, MANAGE)
    await _unit_topic(session, unit_id, topic_id)
    for i, user_id in enumerate(body.user_ids):
        await _member(session, unit_id, user_id, f"user_ids.{i}")
    await session.execute(delete(InboxExpert).where(InboxExpert.topic_id == topic_id))
    session.add_all(
        InboxExpert(topic_id=topic_id, user_id=u, unit_id=unit_id)
        for u in dict.fromkeys(body.user_ids)
    )
    await session.flush()
    audit(
        session,
        principal,
        action="set_experts",
        object_type="inbox_topic",
        object_id=topic_id,
        unit_id=unit_id,
        after={"user_ids": list(dict.fromkeys(body.user_ids))},
    )
    return await list_topics(session, principal, unit_id)


async def _pick_expert(session: AsyncSession, topic_id: int) -> int | None:
    """The topic's expert with the fewest open questions (then the lowest id)."""
    load = (
        select(func.count(Conversation.id))
        .where(Conversation.assignee_id == InboxExpert.user_id, Conversation.status.in_(OPEN))
        .scalar_subquery()
    )
    return await session.scalar(
        select(InboxExpert.user_id)
        .join(User, User.id == InboxExpert.user_id)
        .where(InboxExpert.topic_id == topic_id, User.is_active.is_(True))
        .order_by(load, InboxExpert.user_id)
        .limit(1)
    )


# --- storing what arrives -----------------------------------------------------------------------


def subject_hash(platform: str, handle: str) -> str:
    """Names a commenter in privacy records without keeping who they are."""
    return hashlib.sha256(f"{platform}:{handle.lstrip('@').casefold()}".encode()).hexdigest()


async def _erased_subjects(session: AsyncSession, unit_id: int) -> set[str]:
    rows = await session.scalars(
        select(PrivacyRequest.subject_hash).where(
            PrivacyRequest.unit_id == unit_id, PrivacyRequest.action == "delete"
        )
    )
    return set(rows)


async def _route(
    session: AsyncSession, conv: Conversation, text: str, category: str | None
) -> None:
    """Suggest topics; the best one with an expert is assigned (the admins confirm or
    reassign). Unrouted questions stay ``new`` with the admins."""
    topics = await unit_topics(session, conv.unit_id)
    by_key = {t.key: t for t in topics}
    found = classify(text, [_classifier(t) for t in topics], category)
    conv.suggestions = [_matched(s, by_key).model_dump() for s in found]
    if not found:
        return
    topic = by_key[found[0].key]
    conv.topic_id = topic.id
    expert = await _pick_expert(session, topic.id)
    if expert is not None:
        conv.assignee_id = expert
        conv.status = ConversationStatus.assigned
        await session.flush()
        await notify(
            session,
            unit_id=conv.unit_id,
            kind=NotificationKind.inbox_assigned,
            object_type="inbox_conversation",
            object_id=conv.id,
            params={"topic": topic.name},
            user_ids=[expert],
        )


async def _original_post(
    session: AsyncSession, account_id: int, external_id: str | None
) -> Post | None:
    if not external_id:
        return None
    found: Post | None = await session.scalar(
        select(Post)
        .join(PostVariant, PostVariant.post_id == Post.id)
        .where(PostVariant.account_id == account_id, PostVariant.external_id == external_id)
        .limit(1)
    )
    return found


async def store_conversations(
    session: AsyncSession,
    account: PlatformAccount,
    conversations: Sequence[protocol.Conversation],
    now: datetime | None = None,
) -> int:
    """Add what a network delivered, from polling or a webhook: a message already stored (same
    account and external id) is skipped, so both paths merge. New questions are routed and
    get their due time. Returns how many messages were new."""
    now = now or utcnow()
    policy = await unit_settings(session, account.unit_id)
    erased = await _erased_subjects(session, account.unit_id)
    added = 0
    for item in conversations:
        wanted = [
            m
            for m in item.messages
            if m.from_account or subject_hash(account.platform, m.author_handle) not in erased
        ]
        if not wanted:
            continue
        known = set(
            await session.scalars(
                select(InboxMessage.external_id).where(
                    InboxMessage.account_id == account.id,
                    InboxMessage.external_id.in_([m.external_id for m in wanted]),
                )
            )
        )
        fresh = [m for m in wanted if m.external_id not in known]
        if not fresh:
            continue
        conv = await session.scalar(
            select(Conversation).where(
                Conversation.account_id == account.id,
                Conversation.external_id == item.external_id,
            )
        )
        incoming = sorted((m for m in fresh if not m.from_account), key=lambda m: m.sent_at)
        created = conv is None
        if conv is None:
            post = await _original_post(session, account.id, item.post_external_id)
            first = incoming[0].sent_at if incoming else fresh[0].sent_at
            conv = Conversation(
                unit_id=account.unit_id,
                account_id=account.id,
                platform=account.platform,
                external_id=item.external_id,
                kind=ConversationKind(item.kind),
                post_external_id=item.post_external_id,
                post_id=post.id if post else None,
                status=ConversationStatus.new,
                suggestions=[],
                opened_at=first,
                last_message_at=first,
            )
            session.add(conv)
            await session.flush()
        for m in fresh:
            session.add(
                InboxMessage(
                    conversation_id=conv.id,
                    account_id=account.id,
                    external_id=m.external_id,
                    author_external_id=m.author_id,
                    author_handle=m.author_handle[:200],
                    author_name=(m.author_name or None) and m.author_name[:200],
                    text=m.text,
                    sent_at=m.sent_at,
                    from_account=m.from_account,
                )
            )
            added += 1
        conv.last_message_at = max(conv.last_message_at, *(m.sent_at for m in fresh))
        own = [m.sent_at for m in fresh if m.from_account]
        if own and conv.first_response_at is None:
            conv.first_response_at = min(own)
        if not incoming:
            continue
        if not created and conv.status in (ConversationStatus.answered, ConversationStatus.closed):
            # A follow-up question reopens it with whoever answered before.
            conv.status = (
                ConversationStatus.assigned if conv.assignee_id else ConversationStatus.new
            )
            conv.resolved_at = None
            conv.reminded_at = None
            conv.due_at = None  # the follow-up gets its own response time
        if conv.status in OPEN and conv.due_at is None:
            conv.due_at = incoming[0].sent_at + timedelta(hours=policy.response_target_hours)
        if conv.status == ConversationStatus.new and conv.topic_id is None and not conv.restricted:
            post = await session.get(Post, conv.post_id) if conv.post_id else None
            await _route(
                session, conv, "\n".join(m.text for m in incoming), post.category if post else None
            )
    await session.flush()
    return added


# --- reading ------------------------------------------------------------------------------------


class _Due(Protocol):
    status: ConversationStatus
    due_at: datetime | None
    kip_due_at: datetime | None


def _overdue(conv: _Due, now: datetime) -> bool:
    late = conv.due_at is not None and conv.due_at < now
    legal = conv.kip_due_at is not None and conv.kip_due_at < now
    return conv.status in OPEN and (late or legal)


async def _excerpts(session: AsyncSession, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each conversation's newest message from outside: (text, handle)."""
    if not ids:
        return {}
    newest = (
        select(InboxMessage.conversation_id, func.max(InboxMessage.id).label("mid"))
        .where(InboxMessage.conversation_id.in_(ids), InboxMessage.from_account.is_(False))
        .group_by(InboxMessage.conversation_id)
        .subquery()
    )
    rows = await session.execute(
        select(InboxMessage.conversation_id, InboxMessage.text, InboxMessage.author_handle).join(
            newest, InboxMessage.id == newest.c.mid
        )
    )
    return {cid: (text, handle) for cid, text, handle in rows}


def _summary(
    conv: Conversation,
    excerpt: tuple[str, str],
    assignee: str | None,
    now: datetime,
    can_manage: bool,
) -> dict[str, Any]:
    text, handle = excerpt
    if conv.request_kind == RequestKind.complaint and not can_manage:
        handle = HIDDEN
    return {
        "id": conv.id,
        "unit_id": conv.unit_id,
        "account_id": conv.account_id,
        "platform": conv.platform,
        "kind": conv.kind,
        "status": conv.status,
        "topic_id": conv.topic_id,
        "assignee_id": conv.assignee_id,
        "assignee_name": assignee,
        "excerpt": text[:EXCERPT],
        "author_handle": handle,
        "last_message_at": conv.last_message_at,
        "due_at": conv.due_at,
        "overdue": _overdue(conv, now),
        "request_kind": conv.request_kind,
    }


async def list_conversations(
    session: AsyncSession,
    principal: Principal,
    *,
    unit_id: int | None,
    status: Sequence[ConversationStatus],
    topic_id: int | None,
    platform: str | None,
    assignee_id: int | None,
    mine: bool,
    overdue: bool,
    limit: int,
    offset: int,
) -> ConversationList:
    now = utcnow()
    stmt: Select[Any] = scoped(select(Conversation), Conversation, principal)
    if unit_id is not None:
        stmt = stmt.where(Conversation.unit_id == unit_id)
    if status:
        stmt = stmt.where(Conversation.status.in_(list(status)))
    if topic_id is not None:
        stmt = stmt.where(Conversation.topic_id == topic_id)
    if platform is not None:
        stmt = stmt.where(Conversation.platform == platform)
    if assignee_id is not None:
        stmt = stmt.where(Conversation.assignee_id == assignee_id)
    if mine:
        stmt = stmt.where(Conversation.assignee_id == principal.user.id)
    if overdue:
        stmt = stmt.where(
            Conversation.status.in_(OPEN),
            or_(Conversation.due_at < now, Conversation.kip_due_at < now),
        )
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(
        await session.scalars(
            stmt.order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    excerpts = await _excerpts(session, [c.id for c in rows])
    names = await _names(session, {c.assignee_id for c in rows if c.assignee_id})
    return ConversationList(
        items=[
            ConversationSummary.model_validate(
                _summary(
                    c,
                    excerpts.get(c.id, ("", "")),
                    names.get(c.assignee_id or 0),
                    now,
                    principal.can(c.unit_id, MANAGE),
                )
            )
            for c in rows
        ],
        total=total,
    )


async def _names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.name).where(User.id.in_(list(ids))))
    return {uid: name for uid, name in rows}


async def _conversation(
    session: AsyncSession, principal: Principal, conversation_id: int, perm: Perm = Perm.read
) -> Conversation:
    return await get_in_scope(
        session, Conversation, conversation_id, principal, perm, what="conversation"
    )


async def read_conversation(
    session: AsyncSession, principal: Principal, conversation_id: int
) -> ConversationRead:
    conv = await _conversation(session, principal, conversation_id)
    return await _read(session, principal, conv)


async def _read(
    session: AsyncSession, principal: Principal, conv: Conversation
) -> ConversationRead:
    now = utcnow()
    can_manage = principal.can(conv.unit_id, MANAGE)
    hide = conv.request_kind == RequestKind.complaint and not can_manage
    messages = list(
        await session.scalars(
            select(InboxMessage)
            .where(InboxMessage.conversation_id == conv.id)
            .order_by(InboxMessage.sent_at, InboxMessage.id)
        )
    )
    answers = list(
        await session.scalars(
            select(InboxAnswer)
            .where(InboxAnswer.conversation_id == conv.id)
            .order_by(InboxAnswer.id)
        )
    )
    post = await session.get(Post, conv.post_id) if conv.post_id else None
    variant_text = None
    if post is not None:
        variant_text = await session.scalar(
            select(PostVariant.text).where(
                PostVariant.post_id == post.id, PostVariant.account_id == conv.account_id
            )
        )
    last = next((m for m in reversed(messages) if not m.from_account), None)
    unit = await session.get(Unit, conv.unit_id) if conv.kip_due_at else None
    timezone = unit.timezone if unit else "Asia/Jakarta"
    # Computed on reading, never stored: only a person's mark (``request_kind``) counts, and
    # a restricted conversation's text is not processed further.
    kind = (
        None
        if conv.restricted
        else kinds.suggest(
            "\n".join(m.text for m in messages if not m.from_account and m.erased_at is None)
        )
    )
    names = await _names(session, {conv.assignee_id} if conv.assignee_id else set())
    summary = _summary(
        conv,
        (last.text, last.author_handle) if last else ("", ""),
        names.get(conv.assignee_id or 0),
        now,
        can_manage,
    )
    return ConversationRead.model_validate(
        summary
        | {
            "messages": [
                MessageRead(
                    id=m.id,
                    external_id=m.external_id,
                    author_handle=HIDDEN if hide and not m.from_account else m.author_handle,
                    author_name=None if hide and not m.from_account else m.author_name,
                    text=m.text,
                    sent_at=m.sent_at,
                    from_account=m.from_account,
                    erased=m.erased_at is not None,
                )
                for m in messages
            ],
            "answers": [AnswerRead.model_validate(a) for a in answers],
            "suggestions": [MatchedTopic.model_validate(s) for s in conv.suggestions],
            "post": OriginalPost(
                post_id=post.id if post else None,
                external_id=conv.post_external_id,
                title=post.title if post else None,
                text=variant_text,
                category=post.category if post else None,
            ),
            "first_response_at": conv.first_response_at,
            "resolved_at": conv.resolved_at,
            "kip_due_at": conv.kip_due_at,
            "kip_working_days_left": kip.working_days_left(now, conv.kip_due_at, timezone)
            if conv.kip_due_at
            else None,
            "kip_extended": conv.kip_extension_reason is not None,
            "kip_extension_reason": conv.kip_extension_reason,
            "lapor_reference": conv.lapor_reference,
            "lapor_status": conv.lapor_status,
            "restricted": conv.restricted,
            "can_answer": can_manage or conv.assignee_id == principal.user.id,
            "can_manage": can_manage,
            "suggested_kind": kind.kind if kind else None,
            "suggested_kind_words": list(kind.words) if kind else [],
        }
    )


# --- assigning ----------------------------------------------------------------------------------


async def assign(
    session: AsyncSession, principal: Principal, conversation_id: int, body: AssignIn
) -> ConversationRead:
    """Confirm or change the topic and the expert. Moving a question to another topic teaches
    the classifier (its words weigh more for the right topic, less for the wrong one)."""
    conv = await _conversation(session, principal, conversation_id, MANAGE)
    before = {"topic_id": conv.topic_id, "assignee_id": conv.assignee_id}
    if body.topic_id is not None and body.topic_id != conv.topic_id:
        right = await _topic_in_unit(session, conv.unit_id, body.topic_id)
        wrong = await session.get(InboxTopic, conv.topic_id) if conv.topic_id else None
        topics = await unit_topics(session, conv.unit_id)
        text = "\n".join(
            await session.scalars(
                select(InboxMessage.text).where(
                    InboxMessage.conversation_id == conv.id, InboxMessage.from_account.is_(False)
                )
            )
        )
        changed = learn(
            text, [_classifier(t) for t in topics], wrong.key if wrong else None, right.key
        )
        for t in topics:
            if t.key in changed:
                t.learned = changed[t.key]
        conv.topic_id = right.id
        if body.assignee_id is None:
            conv.assignee_id = await _pick_expert(session, right.id)
    if body.assignee_id is not None:
        await _member(session, conv.unit_id, body.assignee_id, "assignee_id")
        conv.assignee_id = body.assignee_id
    if conv.assignee_id is not None and conv.status == ConversationStatus.new:
        conv.status = ConversationStatus.assigned
    await session.flush()
    if conv.assignee_id is not None and conv.assignee_id != before["assignee_id"]:
        await notify(
            session,
            unit_id=conv.unit_id,
            kind=NotificationKind.inbox_assigned,
            object_type="inbox_conversation",
            object_id=conv.id,
            user_ids=[conv.assignee_id],
            exclude_user_id=principal.user.id,
        )
    audit(
        session,
        principal,
        action="assign",
        object_type="inbox_conversation",
        object_id=conv.id,
        unit_id=conv.unit_id,
        before=before,
        after={"topic_id": conv.topic_id, "assignee_id": conv.assignee_id},
    )
    return await _read(session, principal, conv)


async def set_status(
    session: AsyncSession, principal: Principal, conversation_id: int, body: StatusIn
) -> ConversationRead:
    conv = await _conversation(session, principal, conversation_id, MANAGE)
    before = conv.status
    new = ConversationStatus(body.status)
    if new == ConversationStatus.new:
        conv.status = ConversationStatus.assigned if conv.assignee_id else ConversationStatus.new
        conv.resolved_at = None
    else:
        conv.status = new
        conv.resolved_at = conv.resolved_at or utcnow()
    audit(
        session,
        principal,
        action="set_status",
        object_type="inbox_conversation",
        object_id=conv.id,
        unit_id=conv.unit_id,
        before={"status": before},
        after={"status": conv.status},
    )
    await session.flush()
    return await _read(session, principal, conv)


# --- answering ----------------------------------------------------------------------------------


def _refusal(error: protocol.ConnectorError) -> AppError:
    if isinstance(error, protocol.PermanentError) and error.code == "x.reply_not_summoned":
        return Conflict(
            "X only lets an app reply to a post that mentions or quotes the account. Answer "
            "this one on X itself, then mark it answered outside Gaung.",
            code="reply_not_summoned",
        )
    if isinstance(error, protocol.RetryableError):
        return AppError(
            f"The network is not answering now; try again shortly. ({error.message})",
            code="platform_unavailable",
            status_code=503,
        )
    if isinstance(error, protocol.AuthError):
        return Conflict(
            f"The account's access is gone; an admin must reconnect it. ({error.message})",
            code="account_needs_reauth",
        )
    return Conflict(f"The network refused the reply: {error.message}", code="reply_refused")


async def _post_reply(
    session: AsyncSession,
    actor: Principal,
    conv: Conversation,
    answer: InboxAnswer,
    settings: Settings,
    http: httpx.AsyncClient,
) -> None:
    account = await session.get(PlatformAccount, conv.account_id)
    target = await session.scalar(
        select(InboxMessage.external_id)
        .where(InboxMessage.conversation_id == conv.id, InboxMessage.from_account.is_(False))
        .order_by(InboxMessage.sent_at.desc(), InboxMessage.id.desc())
        .limit(1)
    )
    if account is None or target is None:
        raise Conflict("There is nothing to reply to in this conversation.", code="no_target")
    bound = bind(
        account, session=session, settings=settings, http=http, on_rate_limit=recorder(account)
    )
    if bound is None:
        raise Conflict(
            "This account cannot post replies (it is not connected).", code="account_unavailable"
        )
    try:
        result = await bound.connector.reply(bound.credentials, target, answer.text)
    except protocol.ConnectorError as error:
        # The failed attempt (and a lost access) is kept, though the request answers an error.
        answer.status = AnswerStatus.failed
        answer.error = error.message
        if isinstance(error, protocol.AuthError):
            await mark_needs_reauth(session, actor, account, error.message)
        await session.commit()
        raise _refusal(error) from None
    now = utcnow()
    answer.status = AnswerStatus.posted
    answer.external_id = result.external_id
    session.add(
        InboxMessage(
            conversation_id=conv.id,
            account_id=account.id,
            external_id=result.external_id,
            author_external_id=account.external_id,
            author_handle=account.handle,
            author_name=account.display_name,
            text=answer.text,
            sent_at=now,
            from_account=True,
        )
    )
    _answered(conv, now)


def _answered(conv: Conversation, now: datetime) -> None:
    conv.first_response_at = conv.first_response_at or now
    conv.resolved_at = now
    conv.status = ConversationStatus.answered


async def answer(
    session: AsyncSession,
    principal: Principal,
    conversation_id: int,
    body: AnswerIn,
    settings: Settings,
    http: httpx.AsyncClient,
) -> ConversationRead:
    """The assignee (or an admin/editor) answers. Under the unit's approval policy an
    expert's answer waits for an admin; otherwise it is posted as a reply at once."""
    conv = await _conversation(session, principal, conversation_id)
    can_manage = principal.can(conv.unit_id, MANAGE)
    if not can_manage and conv.assignee_id != principal.user.id:
        raise Forbidden(
            "Only the question's assignee or the unit's admins and editors may answer it.",
            code="not_assignee",
        )
    if conv.restricted:
        raise Conflict(
            "The commenter asked to restrict the use of their data; answer outside Gaung.",
            code="conversation_restricted",
        )
    if conv.status == ConversationStatus.spam:
        raise Conflict("This conversation is marked as spam.", code="conversation_spam")
    policy = await unit_settings(session, conv.unit_id)
    row = InboxAnswer(
        conversation_id=conv.id,
        unit_id=conv.unit_id,
        author_id=principal.user.id,
        text=body.text,
        status=AnswerStatus.outside if body.outside else AnswerStatus.pending,
    )
    session.add(row)
    await session.flush()
    if body.outside:
        _answered(conv, utcnow())
    elif policy.answers_need_approval and not can_manage:
        await notify(
            session,
            unit_id=conv.unit_id,
            kind=NotificationKind.inbox_answer_review,
            object_type="inbox_conversation",
            object_id=conv.id,
            roles=[Role.admin, Role.editor],
            exclude_user_id=principal.user.id,
        )
    else:
        await _post_reply(session, principal, conv, row, settings, http)
    audit(
        session,
        principal,
        action="answer",
        object_type="inbox_conversation",
        object_id=conv.id,
        unit_id=conv.unit_id,
        after={"answer_id": row.id, "status": row.status},
    )
    await session.flush()
    return await _read(session, principal, conv)


async def approve_answer(
    session: AsyncSession,
    principal: Principal,
    answer_id: int,
    settings: Settings,
    http: httpx.AsyncClient,
) -> ConversationRead:
    row = await get_in_scope(session, InboxAnswer, answer_id, principal, MANAGE, what="answer")
    if row.status != AnswerStatus.pending:
        raise Conflict("This answer is not waiting for approval.", code="answer_state")
    conv = await session.get(Conversation, row.conversation_id)
    assert conv is not None  # the answer's conversation is deleted with it
    row.approved_by_id = principal.user.id
    await _post_reply(session, principal, conv, row, settings, http)
    audit(
        session,
        principal,
        action="approve_answer",
        object_type="inbox_conversation",
        object_id=conv.id,
        unit_id=conv.unit_id,
        after={"answer_id": row.id},
    )
    await session.flush()
    return await _read(session, principal, conv)


# --- legal requests -----------------------------------------------------------------------------


async def mark_request(
    session: AsyncSession, principal: Principal, conversation_id: int, body: RequestIn
) -> ConversationRead:
    """A request for public information starts the UU KIP clock (10 working days from the
    question); a complaint is to be forwarded to SP4N-LAPOR!."""
    conv = await _conversation(session, principal, conversation_id, MANAGE)
    unit = await session.get(Unit, conv.unit_id)
    assert unit is not None
    conv.request_kind = RequestKind(body.kind)
    if conv.request_kind == RequestKind.information:
        conv.kip_due_at = conv.kip_due_at or kip.due_at(conv.opened_at, unit.timezone)
    else:
        conv.kip_due_at = None
        conv.kip_extension_reason = None
    audit(
        session,
        principal,
        action="mark_request",
        object_type="inbox_conversation",
        object_id=conv.id,
        unit_id=conv.unit_id,
        after={"request_kind": conv.request_kind},
    )
    await session.flush()
    return await _read(session, principal, conv)


async def extend_request(
    session: AsyncSession, principal: Principal, conversation_id: int, body: ExtendIn
) -> ConversationRead:
    conv = await _conversation(session, principal, conversation_id, MANAGE)
    if conv.request_kind != RequestKind.information or conv.kip_due_at is None:
        raise Conflict("Only a public-information request has a deadline.", code="not_a_request")
    if conv.kip_extension_reason is not None:
        raise Conflict("The deadline can be extended only once.", code="already_extended")
    unit = await session.get(Unit, conv.unit_id)
    assert unit is not None
    conv.kip_due_at = kip.extended(conv.kip_due_at, unit.timezone)
    conv.kip_extension_reason = body.reason
    audit(
        session,
        principal,
        action="extend_request",
        object_type="inbox_conversation",
        object_id=conv.id,
        unit_id=conv.unit_id,
        after={"kip_due_at": conv.kip_due_at.isoformat()},
    )
    await session.flush()
    return await _read(session, principal, conv)


async def set_lapor(
    session: AsyncSession, principal: Principal, conversation_id: int, body: LaporIn
) -> ConversationRead:
    conv = await _conversation(session, principal, conversation_id, MANAGE)
    if conv.request_kind != RequestKind.complaint:
        raise Conflict("Mark the conversation as a complaint first.", code="not_a_complaint")
    conv.lapor_reference = body.reference
    conv.lapor_status = body.status
    audit(
        session,
        principal,
        action="forward_lapor",
        object_type="inbox_conversation",
        object_id=conv.id,
        unit_id=conv.unit_id,
        after={"reference": body.reference, "status": body.status},
    )
    await session.flush()
    return await _read(session, principal, conv)


# --- saved answers and settings -----------------------------------------------------------------


async def list_saved(
    session: AsyncSession, principal: Principal, unit_id: int, topic_id: int | None
) -> SavedAnswerList:
    principal.require(unit_id, Perm.read)
    stmt = select(SavedAnswer).where(SavedAnswer.unit_id == unit_id)
    if topic_id is not None:
        stmt = stmt.where(or_(SavedAnswer.topic_id == topic_id, SavedAnswer.topic_id.is_(None)))
    rows = await session.scalars(stmt.order_by(SavedAnswer.title, SavedAnswer.id))
    return SavedAnswerList(items=[SavedAnswerRead.model_validate(r) for r in rows])


async def add_saved(
    session: AsyncSession, principal: Principal, unit_id: int, body: SavedAnswerIn
) -> SavedAnswerRead:
    principal.require(unit_id, MANAGE)
    if body.topic_id is not None:
        await _topic_in_unit(session, unit_id, body.topic_id)
    row = SavedAnswer(unit_id=unit_id, topic_id=body.topic_id, title=body.title, text=body.text)
    session.add(row)
    await session.flush()
    audit(
        session,
        principal,
        action="create",
        object_type="inbox_saved_answer",
        object_id=row.id,
        unit_id=unit_id,
    )
    return SavedAnswerRead.model_validate(row)


async def update_saved(
    session: AsyncSession, principal: Principal, unit_id: int, saved_id: int, body: SavedAnswerIn
) -> SavedAnswerRead:
    principal.require(unit_id, MANAGE)
    row = await session.get(SavedAnswer, saved_id)
    if row is None or row.unit_id != unit_id:
        raise NotFound(f"Saved answer {saved_id} not found.", code="saved_answer_not_found")
    if body.topic_id is not None:
        await _topic_in_unit(session, unit_id, body.topic_id)
    row.topic_id, row.title, row.text = body.topic_id, body.title, body.text
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="inbox_saved_answer",
        object_id=row.id,
        unit_id=unit_id,
    )
    return SavedAnswerRead.model_validate(row)


async def delete_saved(
    session: AsyncSession, principal: Principal, unit_id: int, saved_id: int
) -> None:
    principal.require(unit_id, MANAGE)
    row = await session.get(SavedAnswer, saved_id)
    if row is None or row.unit_id != unit_id:
        raise NotFound(f"Saved answer {saved_id} not found.", code="saved_answer_not_found")
    await session.delete(row)
    audit(
        session,
        principal,
        action="delete",
        object_type="inbox_saved_answer",
        object_id=saved_id,
        unit_id=unit_id,
    )


async def read_settings(
    session: AsyncSession, principal: Principal, unit_id: int
) -> InboxSettingsRead:
    principal.require(unit_id, Perm.read)
    return InboxSettingsRead.model_validate(await unit_settings(session, unit_id))


async def update_settings(
    session: AsyncSession, principal: Principal, unit_id: int, body: InboxSettingsIn
) -> InboxSettingsRead:
    principal.require(unit_id, Perm.manage_unit)
    row = await session.get(InboxSettings, unit_id)
    if row is None:
        row = await unit_settings(session, unit_id)
        session.add(row)
    changes = body.model_dump(exclude_none=True)
    for name, value in changes.items():
        setattr(row, name, value)
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="inbox_settings",
        object_id=unit_id,
        unit_id=unit_id,
        after=changes,
    )
    return InboxSettingsRead.model_validate(row)


# --- figures ------------------------------------------------------------------------------------


async def response_stats(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    start: datetime | None = None,
    end: datetime | None = None,
) -> ResponseStats:
    """Response times per topic and per expert over the conversations opened in the range
    (all of them without one): how many answered, the median hours from the question to the
    first answer, how many are still open and how many of those are overdue now."""
    principal.require(unit_id, Perm.read)
    if start is not None and end is not None and end <= start:
        raise Invalid("The range ends before it starts.", fields={"end": "must be after start"})
    now = utcnow()
    # Only the columns the figures need, as plain rows: a unit's years of questions.
    stmt = select(
        Conversation.topic_id,
        Conversation.assignee_id,
        Conversation.opened_at,
        Conversation.first_response_at,
        Conversation.status,
        Conversation.due_at,
        Conversation.kip_due_at,
    ).where(Conversation.unit_id == unit_id)
    if start is not None:
        stmt = stmt.where(Conversation.opened_at >= start)
    if end is not None:
        stmt = stmt.where(Conversation.opened_at < end)
    rows = (await session.execute(stmt)).all()
    topics = {t.id: t.name for t in await unit_topics(session, unit_id)}
    names = await _names(session, {r.assignee_id for r in rows if r.assignee_id})

    def figures(key_of: Any, label: dict[int, str]) -> list[ResponseFigure]:
        groups: dict[int | None, list[Any]] = {}
        for r in rows:
            groups.setdefault(key_of(r), []).append(r)
        out = []
        for key, convs in groups.items():
            hours = [
                (c.first_response_at - c.opened_at).total_seconds() / 3600
                for c in convs
                if c.first_response_at is not None
            ]
            out.append(
                ResponseFigure(
                    id=key,
                    name=label.get(key, "") if key is not None else "",
                    answered=len(hours),
                    median_first_response_hours=round(statistics.median(hours), 2)
                    if hours
                    else None,
                    open=sum(c.status in OPEN for c in convs),
                    overdue=sum(_overdue(c, now) for c in convs),
                )
            )
        return sorted(out, key=lambda f: (f.id is None, f.name, f.id or 0))

    return ResponseStats(
        start=start,
        end=end,
        by_topic=figures(lambda c: c.topic_id, topics),
        by_expert=figures(lambda c: c.assignee_id, names),
    )


# --- privacy ------------------------------------------------------------------------------------


async def privacy_request(
    session: AsyncSession, principal: Principal, unit_id: int, body: PrivacyIn
) -> PrivacyRead:
    """Carry out a commenter's request at once (UU PDP 27/2022 allows 3×24 hours): erase
    their messages (text and identity), or restrict their conversations so they are no longer
    routed or answered here. The log names them only by a hash."""
    principal.require(unit_id, MANAGE)
    handle = body.author_handle.lstrip("@")
    subject = subject_hash(body.platform, handle)
    theirs = (
        select(InboxMessage.id, InboxMessage.conversation_id)
        .join(Conversation, Conversation.id == InboxMessage.conversation_id)
        .where(
            Conversation.unit_id == unit_id,
            Conversation.platform == body.platform,
            InboxMessage.from_account.is_(False),
            # Erased messages are nobody's any more (their handle is the placeholder).
            InboxMessage.erased_at.is_(None),
            func.lower(InboxMessage.author_handle).in_(
                [handle.casefold(), f"@{handle.casefold()}"]
            ),
        )
    )
    found = (await session.execute(theirs)).all()
    conv_ids = sorted({cid for _mid, cid in found})
    if body.action == "delete":
        now = utcnow()
        await _erase(session, [mid for mid, _cid in found], now)
        still = set(
            await session.scalars(
                select(InboxMessage.conversation_id).where(
                    InboxMessage.conversation_id.in_(conv_ids),
                    InboxMessage.from_account.is_(False),
                    InboxMessage.erased_at.is_(None),
                )
            )
        )
        # A conversation with nobody else's words left goes whole: our replies to them and the
        # topic suggestions (made of their words) too. Nothing is left to answer, so an open
        # one is closed; topic and times stay for the response-time figures.
        emptied = [c for c in conv_ids if c not in still]
        await _erase_conversations(session, emptied, now)
        await session.execute(
            update(Conversation)
            .where(Conversation.id.in_(emptied), Conversation.status.in_(OPEN))
            .values(status=ConversationStatus.closed, resolved_at=now)
        )
    elif conv_ids:
        await session.execute(
            update(Conversation).where(Conversation.id.in_(conv_ids)).values(restricted=True)
        )
    row = PrivacyRequest(
        unit_id=unit_id,
        subject_hash=subject,
        action=body.action,
        requested_by_id=principal.user.id,
        done_at=utcnow(),
        affected=len(found),
    )
    session.add(row)
    await session.flush()
    audit(
        session,
        principal,
        action=f"privacy_{body.action}",
        object_type="inbox_privacy_request",
        object_id=row.id,
        unit_id=unit_id,
        after={"affected": len(found)},
    )
    return PrivacyRead.model_validate(row)


async def list_privacy(session: AsyncSession, principal: Principal, unit_id: int) -> PrivacyList:
    """The log of privacy requests (who asked for what is not kept, only a hash)."""
    principal.require(unit_id, MANAGE)
    rows = await session.scalars(
        select(PrivacyRequest)
        .where(PrivacyRequest.unit_id == unit_id)
        .order_by(PrivacyRequest.requested_at.desc(), PrivacyRequest.id.desc())
        .limit(500)
    )
    return PrivacyList(items=[PrivacyRead.model_validate(r) for r in rows])


# --- jobs' work ---------------------------------------------------------------------------------


async def remind_overdue(session: AsyncSession, now: datetime) -> int:
    """Tell the assignee and the unit's admins, once, about each open question past its due
    time (or its legal deadline). Returns how many were reminded."""
    rows = list(
        await session.scalars(
            select(Conversation)
            .where(
                Conversation.status.in_(OPEN),
                Conversation.reminded_at.is_(None),
                or_(Conversation.due_at < now, Conversation.kip_due_at < now),
            )
            .order_by(Conversation.id)
            .limit(500)
        )
    )
    for conv in rows:
        conv.reminded_at = now
        await notify(
            session,
            unit_id=conv.unit_id,
            kind=NotificationKind.inbox_overdue,
            object_type="inbox_conversation",
            object_id=conv.id,
            roles=[Role.admin],
            user_ids=[conv.assignee_id] if conv.assignee_id else [],
        )
    await session.flush()
    return len(rows)


ERASED = ""  # an erased message's text; the web app shows a marker instead


async def _erase(session: AsyncSession, message_ids: Sequence[int], now: datetime) -> int:
    """Erase messages from outside: the text can itself hold personal data, so it goes with
    the author's name, handle and id. Returns how many were erased now."""
    if not message_ids:
        return 0
    result = await session.execute(
        update(InboxMessage)
        .where(
            InboxMessage.id.in_(list(message_ids)),
            InboxMessage.from_account.is_(False),
            InboxMessage.erased_at.is_(None),
        )
        .values(
            text=ERASED,
            author_handle=ANONYMOUS,
            author_name=None,
            author_external_id=ANONYMOUS,
            erased_at=now,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def _erase_conversations(session: AsyncSession, ids: Sequence[int], now: datetime) -> int:
    """Erase every message of these conversations (our replies quote and name the
    commenter, so their text goes too), the answers' text and the topic suggestions (made of
    the commenter's words). Topic, status and times stay for the response-time figures."""
    if not ids:
        return 0
    outside = list(
        await session.scalars(
            select(InboxMessage.id).where(
                InboxMessage.conversation_id.in_(list(ids)),
                InboxMessage.from_account.is_(False),
            )
        )
    )
    done = await _erase(session, outside, now)
    await session.execute(
        update(InboxMessage)
        .where(
            InboxMessage.conversation_id.in_(list(ids)),
            InboxMessage.from_account.is_(True),
            InboxMessage.erased_at.is_(None),
        )
        .values(text=ERASED, erased_at=now)
    )
    await session.execute(
        update(InboxAnswer).where(InboxAnswer.conversation_id.in_(list(ids))).values(text=ERASED)
    )
    await session.execute(
        update(Conversation)
        .where(Conversation.id.in_(list(ids)))
        .values(anonymised_at=now, suggestions=[])
    )
    return done


async def anonymise_old(session: AsyncSession, now: datetime) -> int:
    """Conversations quiet for longer than their unit's retention are erased: the
    commenters' identities and the text of every message. A conversation that came alive
    again after an earlier pass is erased again once it has been quiet as long. Returns how
    many messages from outside were erased."""
    units = list(await session.scalars(select(Unit.id)))
    done = 0
    for unit_id in units:
        policy = await unit_settings(session, unit_id)
        cutoff = now - timedelta(days=policy.retention_days)
        old = select(Conversation.id).where(
            Conversation.unit_id == unit_id,
            Conversation.last_message_at < cutoff,
            or_(
                Conversation.anonymised_at.is_(None),
                Conversation.anonymised_at < Conversation.last_message_at,
            ),
        )
        ids = list(await session.scalars(old))
        done += await _erase_conversations(session, ids, now)
    await session.flush()
    return done


# --- practice -----------------------------------------------------------------------------------


async def practice_question(
    session: AsyncSession, principal: Principal, body: PracticeIn
) -> ConversationRead:
    """A follower's question on a sandbox account, now (training and demos): it goes through
    the same store and routing as one read from a network."""
    account = await get_in_scope(
        session, PlatformAccount, body.account_id, principal, Perm.write_posts, what="account"
    )
    if not account.sandbox:
        raise Invalid(
            "Practice questions go to sandbox accounts only.",
            fields={"account_id": "not a sandbox account"},
        )
    n = secrets.randbelow(len(simulation.AUTHORS))
    handle, name = simulation.AUTHORS[n]
    text = body.text or simulation.QUESTIONS[secrets.randbelow(len(simulation.QUESTIONS))]
    external_id = f"{simulation.PRACTICE_MARK}{secrets.token_hex(8)}"
    message = protocol.Message(external_id, f"sandbox-user-{handle}", handle, name, text, utcnow())
    kind: Literal["comment", "mention"] = "mention" if account.platform == "x" else "comment"
    conversation = protocol.Conversation(external_id, kind, [message])
    await store_conversations(session, account, [conversation])
    conv = await session.scalar(
        select(Conversation).where(
            Conversation.account_id == account.id, Conversation.external_id == external_id
        )
    )
    assert conv is not None
    audit(
        session,
        principal,
        action="practice_question",
        object_type="inbox_conversation",
        object_id=conv.id,
        unit_id=conv.unit_id,
    )
    return await _read(session, principal, conv)

"""Posts and their per-account variants: create, change, delete, find, validate."""

from __future__ import annotations

import asyncio
import base64
import binascii
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import anyio.to_thread
from anyio import CapacityLimiter
from sqlalchemy import Integer, Select, func, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from gaung.accounts.models import AccountStatus, Platform, PlatformAccount
from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal, get_in_scope, scoped
from gaung.config import Settings
from gaung.holds import service as holds
from gaung.holds.core import HoldInfo
from gaung.kit.errors import Conflict, FieldRule, Forbidden, Invalid, NotFound
from gaung.kit.schemas import MAX_ID
from gaung.kit.time import UTCDateTime, utcnow
from gaung.media import service as media_service
from gaung.media.models import MediaAsset
from gaung.notifications.models import NotificationKind
from gaung.notifications.service import notify
from gaung.platforms.types import MediaInfo, Options, Problem, TextCount
from gaung.posts.models import (
    POST_SORT,
    FollowupStatus,
    Post,
    PostFollowup,
    PostStatus,
    PostVariant,
    VariantMedia,
)
from gaung.posts.schemas import (
    FollowupRead,
    HeldReason,
    PostCreate,
    PostRead,
    PostUpdate,
    ProblemRead,
    ValidationReport,
    ValidationWarning,
    VariantCount,
    VariantIn,
    VariantOptions,
    VariantRead,
)
from gaung.posts.search import matching_post_ids, post_contains
from gaung.posts.validation import (
    check_options,
    check_variant,
    missing_alt_text,
    options_for_other_networks,
)
from gaung.units.models import Unit
from gaung.users.models import Role
from gaung.users.schemas import UserRef
from gaung.writing.engine import UnitStyle, political_terms
from gaung.writing.models import UnitWritingSettings
from gaung.writing.service import style_of

# Once a variant has gone (or is going) out, the post is a record, not a draft.
LOCKED = {PostStatus.publishing, PostStatus.published, PostStatus.unconfirmed}
# Who is told that a post waits for review.
REVIEWERS = (Role.admin, Role.editor)
# The summary shows the status that needs attention first, then the least advanced one.
SUMMARY_ORDER = [
    PostStatus.failed,
    PostStatus.unconfirmed,
    PostStatus.draft,
    PostStatus.in_review,
    PostStatus.approved,
    PostStatus.scheduled,
    PostStatus.publishing,
    PostStatus.published,
]


def summarise(statuses: Sequence[PostStatus]) -> PostStatus:
    if not statuses:
        return PostStatus.draft
    return min(statuses, key=SUMMARY_ORDER.index)


def _load_options() -> list[Any]:
    return [
        selectinload(Post.author),
        selectinload(Post.variants).selectinload(PostVariant.account),
        selectinload(Post.variants)
        .selectinload(PostVariant.media_links)
        .selectinload(VariantMedia.media),
        selectinload(Post.variants).selectinload(PostVariant.followups),
    ]


def _held(variant: PostVariant, unit_id: int, held: Mapping[int, HoldInfo]) -> HeldReason | None:
    if variant.status != PostStatus.scheduled:
        return None
    if variant.account.status != AccountStatus.active:
        return HeldReason(f"account_{variant.account.status.value}")
    hold = held.get(unit_id)
    return HeldReason(hold.kind.value) if hold is not None else None


async def read_many(
    session: AsyncSession, posts: Sequence[Post], settings: Settings
) -> list[PostRead]:
    """Posts as the API shows them, with what holds their scheduled variants now."""
    held = await holds.held_units(session, utcnow()) if posts else {}
    return [to_read(post, settings, held) for post in posts]


async def read(session: AsyncSession, post: Post, settings: Settings) -> PostRead:
    [found] = await read_many(session, [post], settings)
    return found


def to_read(post: Post, settings: Settings, held: Mapping[int, HoldInfo]) -> PostRead:
    return PostRead(
        id=post.id,
        unit_id=post.unit_id,
        title=post.title,
        category=post.category,
        campaign=post.campaign,
        notes=post.notes,
        status=post.status,
        planned_at=post.planned_at,
        author=UserRef(id=post.author.id, name=post.author.name) if post.author else None,
        review_comment=post.review_comment,
        data_source=post.data_source,
        checklist_ticked=list(post.checklist_ticked or []),
        created_at=post.created_at,
        updated_at=post.updated_at,
        variants=[
            VariantRead(
                id=v.id,
                account_id=v.account_id,
                platform=v.account.platform,
                text=v.text,
                media_ids=[link.media_id for link in v.media_links],
                media=[media_service.read(link.media, settings) for link in v.media_links],
                status=v.status,
                scheduled_at=v.scheduled_at,
                external_id=v.external_id,
                external_url=v.external_url,
                attempts=v.attempts,
                last_error=v.last_error,
                last_error_id=v.last_error_message_id,
                last_error_code=v.last_error_code,
                next_attempt_at=v.next_attempt_at,
                options=VariantOptions.model_validate(v.options or {}),
                followups=[_followup_read(f) for f in v.followups],
                held=_held(v, post.unit_id, held),
            )
            for v in post.variants
        ],
    )


# Claimed or unconfirmed follow-ups are still on their way, as far as a reader is concerned.
_FOLLOWUP_SHOWN: dict[FollowupStatus, Literal["pending", "published", "failed"]] = {
    FollowupStatus.published: "published",
    FollowupStatus.failed: "failed",
}


def _followup_read(f: PostFollowup) -> FollowupRead:
    return FollowupRead(
        kind=f.kind.value,
        index=f.position,
        status=_FOLLOWUP_SHOWN.get(f.status, "pending"),
        external_id=f.external_id,
        external_url=f.external_url,
        error=f.error,
        error_id=f.error_id,
        error_code=f.error_code,
    )


def variant_options(stored: Mapping[str, Any] | None) -> Options:
    """A variant's stored options as the rules read them."""
    o = VariantOptions.model_validate(stored or {})
    return Options(first_comment=o.first_comment, thread=tuple(o.thread), link=o.link)


def _audit_view(post: Post) -> dict[str, Any]:
    return {
        "title": post.title,
        "category": post.category,
        "campaign": post.campaign,
        "planned_at": post.planned_at.isoformat() if post.planned_at else None,
        "status": post.status.value,
        "variants": [
            {
                "account_id": v.account_id,
                "text": v.text,
                "media_ids": [link.media_id for link in v.media_links],
                "options": dict(v.options or {}),
            }
            for v in post.variants
        ],
    }


# --- resolving and validating the variants ---------------------------------------------------


@dataclass
class Resolved:
    """Variants with their accounts and media looked up and checked to belong to the unit."""

    variants: list[VariantIn]
    accounts: dict[int, PlatformAccount]
    media: dict[int, MediaAsset]


async def _resolve(session: AsyncSession, unit_id: int, variants: list[VariantIn]) -> Resolved:
    fields: dict[str, str] = {}
    rules: dict[str, str] = {}
    account_ids = [v.account_id for v in variants]
    accounts = {
        a.id: a
        for a in (
            await session.scalars(
                select(PlatformAccount).where(
                    PlatformAccount.id.in_(account_ids), PlatformAccount.unit_id == unit_id
                )
            )
        ).all()
    }
    media_ids = {m for v in variants for m in v.media_ids}
    media = {
        m.id: m
        for m in (
            await session.scalars(
                select(MediaAsset).where(
                    MediaAsset.id.in_(media_ids), MediaAsset.unit_id == unit_id
                )
            )
        ).all()
    }
    seen: set[int] = set()
    for i, v in enumerate(variants):
        account = accounts.get(v.account_id)
        if account is None:
            fields[f"variants.{i}.account_id"] = f"account {v.account_id} not found in this unit"
        elif account.status == AccountStatus.disabled:
            fields[f"variants.{i}.account_id"] = f"account {account.handle} is disabled"
        elif v.account_id in seen:
            fields[f"variants.{i}.account_id"] = "each account can have only one variant"
        seen.add(v.account_id)
        if account is not None:
            # Sandbox accounts take the options of the network they imitate.
            given = variant_options(v.options.stored())
            for name in options_for_other_networks(account.platform, given):
                key = f"variants.{i}.options.{name}"
                fields[key] = f"this option is not for {account.platform.value} accounts"
                rules[key] = FieldRule.option_wrong_platform
        missing = [m for m in v.media_ids if m not in media]
        if missing:
            fields[f"variants.{i}.media_ids"] = "media not found in this unit: " + ", ".join(
                str(m) for m in missing
            )
    if fields:
        if rules and len(rules) == len(fields):
            raise Invalid(
                "Some variants have options their platform does not take.",
                fields=fields,
                rules=rules,
            )
        raise Invalid(
            "Some variants point at accounts or media that cannot be used.",
            fields=fields,
            rules=rules,
        )
    return Resolved(variants, accounts, media)


# Checking texts is CPU work (linear, but up to tens of milliseconds for the longest texts),
# so it runs in worker threads; two at a time, so a flood of checks cannot take every thread
# the server needs for other requests. One limiter per event loop (limiters belong to one).
VALIDATION_THREADS = 2
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _validation_limiter() -> CapacityLimiter:
    return _validation_limiter_of_loop(asyncio.get_running_loop())


def _validation_limiter_of_loop(loop: asyncio.AbstractEventLoop) -> CapacityLimiter:
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = CapacityLimiter(VALIDATION_THREADS)
    return limiter


def _check_all(
    variants: list[tuple[Platform, str, list[MediaInfo], Options]],
) -> list[tuple[TextCount, list[Problem]]]:
    out = []
    for platform, text, media, options in variants:
        count, problems = check_variant(platform, text, media)
        out.append((count, problems + check_options(platform, options)))
    return out


async def _check(resolved: Resolved) -> ValidationReport:
    inputs: list[tuple[Platform, str, list[MediaInfo], Options]] = []
    for v in resolved.variants:
        account = resolved.accounts[v.account_id]
        # Sandbox accounts follow the rules of the network they imitate.
        platform = account.platform
        media = [
            MediaInfo(
                kind=m.kind.value,
                mime_type=m.mime_type,
                size_bytes=m.size_bytes,
                width=m.width,
                height=m.height,
                duration_s=m.duration_s,
            )
            for m in (resolved.media[mid] for mid in v.media_ids)
        ]
        inputs.append((platform, v.text, media, variant_options(v.options.stored())))
    # Plain values go to the thread; the ORM objects stay with the event loop.
    results = await anyio.to_thread.run_sync(_check_all, inputs, limiter=_validation_limiter())

    problems: list[ProblemRead] = []
    counts: list[VariantCount] = []
    for i, (v, (count, found)) in enumerate(zip(resolved.variants, results, strict=True)):
        account = resolved.accounts[v.account_id]
        counts.append(
            VariantCount(
                index=i,
                account_id=account.id,
                platform=account.platform,
                length=count.length,
                max_length=count.max_length,
            )
        )
        for p in found:
            problems.append(
                ProblemRead(
                    field=f"variants.{i}.{p.field}",
                    variant_index=i,
                    account_id=account.id,
                    platform=account.platform,
                    rule=p.rule,
                    message=p.message,
                    params=p.params,
                )
            )
    return ValidationReport(valid=not problems, problems=problems, variants=counts)


def _raise_if_invalid(report: ValidationReport) -> None:
    if report.valid:
        return
    fields: dict[str, str] = {}
    for p in report.problems:
        fields[p.field] = f"{fields[p.field]}; {p.message}" if p.field in fields else p.message
    raise Invalid(
        "Some variants break their platform's rules: "
        + "; ".join(p.message for p in report.problems),
        code="variant_invalid",
        fields=fields,
        problems=[p.model_dump(mode="json") for p in report.problems],
    )


async def validate(
    session: AsyncSession,
    principal: Principal,
    unit_id: int,
    variants: list[VariantIn],
    planned_at: datetime | None = None,
) -> ValidationReport:
    principal.require(unit_id, Perm.read)
    resolved = await _resolve(session, unit_id, variants)
    report = await _check(resolved)
    unit = await session.get(Unit, unit_id)
    if unit is not None and unit.require_alt_text:
        # Not a reason to refuse saving a draft, but it blocks review and the schedule.
        report.problems += _alt_text_problems(
            [
                (resolved.accounts[v.account_id], [resolved.media[m] for m in v.media_ids])
                for v in resolved.variants
            ]
        )
        report.valid = not report.problems
    report.warnings = await _election_warnings(session, resolved, unit_id, planned_at)
    return report


def _alt_text_problems(
    variants: Sequence[tuple[PlatformAccount, Sequence[MediaAsset]]],
) -> list[ProblemRead]:
    return [
        ProblemRead(
            field=f"variants.{i}.{p.field}",
            variant_index=i,
            account_id=account.id,
            platform=account.platform,
            rule=p.rule,
            message=p.message,
            params=p.params,
        )
        for i, (account, media) in enumerate(variants)
        for p in missing_alt_text([(m.kind.value, m.alt_text) for m in media])
    ]


async def require_alt_text(session: AsyncSession, post: Post) -> None:
    """When the unit asks for it, every image of the post needs alt text (422 otherwise)."""
    unit = await session.get(Unit, post.unit_id)
    if unit is None or not unit.require_alt_text:
        return
    problems = _alt_text_problems(
        [(v.account, [link.media for link in v.media_links]) for v in post.variants]
    )
    if problems:
        raise Invalid(
            "Some images have no alt text; this unit asks for a description of every image.",
            code="alt_text_missing",
            fields={p.field: p.message for p in problems},
            problems=[p.model_dump(mode="json") for p in problems],
        )


def _political(texts: list[str], style: UnitStyle) -> list[list[str]]:
    return [[f.excerpt for f in political_terms(text, style)] for text in texts]


async def _election_warnings(
    session: AsyncSession, resolved: Resolved, unit_id: int, planned_at: datetime | None
) -> list[ValidationWarning]:
    """Political terms in each variant while an election quiet period applies to the unit,
    now or when the post is planned to go out."""
    period = await holds.quiet_period(session, unit_id, utcnow())
    if period is None and planned_at is not None:
        period = await holds.quiet_period(session, unit_id, planned_at)
    if period is None:
        return []
    texts = [v.text for v in resolved.variants]
    # The unit's words never flagged apply here as in the writing check.
    style = style_of(await session.get(UnitWritingSettings, unit_id))
    found = await anyio.to_thread.run_sync(_political, texts, style, limiter=_validation_limiter())
    warnings: list[ValidationWarning] = []
    for i, (v, terms) in enumerate(zip(resolved.variants, found, strict=True)):
        if not terms:
            continue
        account = resolved.accounts[v.account_id]
        quoted = ", ".join(f"“{t}”" for t in dict.fromkeys(terms))
        warnings.append(
            ValidationWarning(
                field=f"variants.{i}.text",
                variant_index=i,
                account_id=account.id,
                platform=account.platform,
                rule="political_content",
                message=f"Election quiet period ({period.label}): political terms {quoted}; "
                "an official account stays neutral until it ends.",
                params={
                    "terms": list(dict.fromkeys(terms)),
                    "period": period.label,
                    "ends_at": period.ends_at.isoformat(),
                },
            )
        )
    return warnings


# --- create, read, change, delete ------------------------------------------------------------


def _apply_variants(post: Post, resolved: Resolved) -> None:
    """Make the post's variants match the input; keep rows (and ids) of accounts that stay."""
    by_account = {v.account_id: v for v in post.variants}
    keep: list[PostVariant] = []
    for v in resolved.variants:
        variant = by_account.get(v.account_id)
        if variant is None:
            variant = PostVariant(
                account_id=v.account_id,
                account=resolved.accounts[v.account_id],
                status=PostStatus.draft,
            )
            variant.media_links = []
        variant.text = v.text
        variant.options = v.options.stored()
        variant.media_links = [
            VariantMedia(position=pos, media_id=mid, media=resolved.media[mid])
            for pos, mid in enumerate(v.media_ids)
        ]
        keep.append(variant)
    post.variants = keep
    post.status = summarise([v.status for v in keep])


async def get_loaded(session: AsyncSession, post_id: int) -> Post | None:
    return await session.scalar(
        select(Post)
        .where(Post.id == post_id)
        .options(*_load_options())
        .execution_options(populate_existing=True)
    )


async def lock_variants(session: AsyncSession, post_id: int) -> None:
    """Lock the post's variants for this transaction, so a dispatcher claiming them at the
    same moment (it skips locked rows) and this change never both act on one; a load after
    this sees their latest statuses. SQLite writes one transaction at a time anyway."""
    await session.execute(
        select(PostVariant.id).where(PostVariant.post_id == post_id).with_for_update()
    )


async def get_post(
    session: AsyncSession, principal: Principal, post_id: int, *, lock: bool = False
) -> Post:
    """One post in the caller's units; ``lock`` before a change (see ``lock_variants``)."""
    await get_in_scope(session, Post, post_id, principal, Perm.read, what="post")
    if lock:
        await lock_variants(session, post_id)
    post = await get_loaded(session, post_id)
    if post is None:  # pragma: no cover - just checked
        raise NotFound(f"Post {post_id} not found.", code="post_not_found")
    return post


async def create_post(session: AsyncSession, principal: Principal, body: PostCreate) -> Post:
    principal.require(body.unit_id, Perm.write_posts)
    resolved = await _resolve(session, body.unit_id, body.variants)
    _raise_if_invalid(await _check(resolved))
    post = Post(
        unit_id=body.unit_id,
        title=body.title,
        category=body.category,
        campaign=body.campaign,
        notes=body.notes,
        planned_at=body.planned_at,
        data_source=body.data_source,
        author_id=principal.user.id,
        author=principal.user,
    )
    post.variants = []
    _apply_variants(post, resolved)
    session.add(post)
    await session.flush()
    audit(
        session,
        principal,
        action="create",
        object_type="post",
        object_id=post.id,
        unit_id=post.unit_id,
        after=_audit_view(post),
    )
    return await get_post(session, principal, post.id)


def _require_editable(principal: Principal, post: Post) -> None:
    is_author = post.author_id == principal.user.id
    if not principal.can(post.unit_id, Perm.manage_posts) and not (
        is_author and principal.can(post.unit_id, Perm.write_posts)
    ):
        raise Forbidden(
            "Only the author or an editor of the unit can change this post.",
            code="insufficient_role",
        )
    if any(v.status in LOCKED for v in post.variants):
        raise Conflict(
            "This post has gone out (or is going out) on a platform; it can no longer be "
            "changed or deleted here.",
            code="post_not_editable",
        )


async def update_post(
    session: AsyncSession, principal: Principal, post_id: int, body: PostUpdate
) -> Post:
    post = await get_post(session, principal, post_id, lock=True)
    _require_editable(principal, post)
    before = _audit_view(post)
    changes = body.model_dump(exclude_unset=True, exclude={"variants"})
    if "title" in changes and changes["title"] is None:
        raise Invalid(
            "The title cannot be empty.", fields={"title": "required"}, rules={"title": "missing"}
        )
    for key, value in changes.items():
        setattr(post, key, value)
    variants = body.variants
    if variants is None:
        # Re-check the unchanged variants: the rules may have changed since the last save.
        variants = [
            VariantIn(
                account_id=v.account_id,
                text=v.text,
                media_ids=[link.media_id for link in v.media_links],
                options=VariantOptions.model_validate(v.options or {}),
            )
            for v in post.variants
        ]
    resolved = await _resolve(session, post.unit_id, variants)
    _raise_if_invalid(await _check(resolved))
    if body.variants is not None:
        _apply_variants(post, resolved)
    await _back_to_review(session, principal, post)
    await session.flush()
    post = await get_post(session, principal, post.id)
    audit(
        session,
        principal,
        action="update",
        object_type="post",
        object_id=post.id,
        unit_id=post.unit_id,
        before=before,
        after=_audit_view(post),
    )
    return post


async def _back_to_review(session: AsyncSession, principal: Principal, post: Post) -> None:
    """What was approved is not what is there now: approved or scheduled variants wait for a
    new approval (when the unit asks for one)."""
    unit = await session.get(Unit, post.unit_id)
    if unit is None or not unit.approval_required:
        return
    moved = [v for v in post.variants if v.status in (PostStatus.approved, PostStatus.scheduled)]
    if not moved:
        return
    for v in moved:
        v.status = PostStatus.in_review
    post.status = summarise([v.status for v in post.variants])
    await notify(
        session,
        unit_id=post.unit_id,
        kind=NotificationKind.review_requested,
        object_type="post",
        object_id=post.id,
        params={"title": post.title},
        roles=REVIEWERS,
        exclude_user_id=principal.user.id,
    )


async def delete_post(session: AsyncSession, principal: Principal, post_id: int) -> None:
    post = await get_post(session, principal, post_id, lock=True)
    _require_editable(principal, post)
    audit(
        session,
        principal,
        action="delete",
        object_type="post",
        object_id=post.id,
        unit_id=post.unit_id,
        before=_audit_view(post),
    )
    await session.delete(post)
    await session.flush()


def _variant_conditions(f: PostFilters) -> list[Any]:
    """A post matches when one of its variants meets every variant filter given."""
    conditions: list[Any] = []
    if f.status is not None:
        conditions.append(PostVariant.status == f.status)
    if f.account_id is not None:
        conditions.append(PostVariant.account_id == f.account_id)
    if f.platform is not None:
        conditions.append(
            PostVariant.account_id.in_(
                select(PlatformAccount.id).where(PlatformAccount.platform == f.platform)
            )
        )
    return conditions


@dataclass
class PostFilters:
    unit_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    status: PostStatus | None = None
    platform: Platform | None = None
    account_id: int | None = None
    category: str | None = None
    q: str | None = None


def _filtered(
    stmt: Select[Any],
    principal: Principal,
    f: PostFilters,
    dialect_name: str,
    *,
    search: bool = True,
) -> Select[Any]:
    stmt = scoped(stmt, Post, principal)
    if f.unit_id is not None:
        stmt = stmt.where(Post.unit_id == f.unit_id)
    if f.date_from is not None:
        stmt = stmt.where(Post.planned_at >= f.date_from)
    if f.date_to is not None:
        stmt = stmt.where(Post.planned_at < f.date_to)
    if f.category is not None:
        stmt = stmt.where(Post.category == f.category)
    if search:
        variant = _variant_conditions(f)
        if variant:
            stmt = stmt.where(Post.id.in_(select(PostVariant.post_id).where(*variant)))
    if f.q and search:
        dialect = "sqlite" if dialect_name == "sqlite" else "postgresql"
        stmt = stmt.where(Post.id.in_(matching_post_ids(dialect, f.q)))
    return stmt


# --- keyset paging -----------------------------------------------------------------------------
# Newest planned first (unplanned posts by when they were written), then by id: the order of
# ix_post_unit_sort, so a page is an index range, however deep.


def encode_cursor(post: Post) -> str:
    at = post.planned_at or post.created_at
    raw = f"{at.astimezone(UTC).isoformat()}|{post.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The sort key a cursor points after; a cursor not made here is a 422 on ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, id_text = raw.split("|")
        at = datetime.fromisoformat(at_text)
        post_id = int(id_text)
        if at.tzinfo is None or not 1 <= post_id <= MAX_ID:
            raise ValueError(raw)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise Invalid(
            "The cursor is not one this server gave out; start again from the first page.",
            fields={"cursor": "not a cursor from a previous page (next_cursor)"},
        ) from None
    return at, post_id


@dataclass
class PostPage:
    posts: list[Post]
    next_cursor: str | None
    total: int | None


def page_statement(
    principal: Principal,
    f: PostFilters,
    dialect: str,
    limit: int,
    offset: int = 0,
    after: tuple[datetime, int] | None = None,
    *,
    search: bool = True,
) -> Select[Any]:
    """The ids of one page in list order (``limit`` of them; ask one more to learn whether
    there is a next page)."""
    stmt = _filtered(select(Post.id), principal, f, dialect, search=search)
    if after is not None:
        at, sort = literal(after[0], UTCDateTime()), POST_SORT
        # The first term is a plain range on the index's sort column, which SQLite (unlike
        # PostgreSQL) does not draw from the row comparison.
        stmt = stmt.where(
            sort <= at, tuple_(sort, Post.id) < tuple_(at, literal(after[1], Integer()))
        )
    return stmt.order_by(POST_SORT.desc(), Post.id.desc()).limit(limit).offset(offset)


# A common word or status matches within the newest posts: checking them row by row finds a
# page sooner than gathering every match from an index and sorting it, which is the way for
# rarer ones.
SEARCH_WINDOW = 1000


def window_statement(
    principal: Principal,
    f: PostFilters,
    dialect: str,
    limit: int,
    offset: int = 0,
    after: tuple[datetime, int] | None = None,
) -> Select[Any]:
    """A page among the newest ``SEARCH_WINDOW`` posts the other filters let through, the text
    and variant filters checked on each of them."""
    # The window is worked out first (its LIMIT keeps it a subquery), then each of its rows is
    # checked, so the check never turns into a join over every post.
    window = (
        page_statement(principal, f, dialect, SEARCH_WINDOW, 0, after, search=False)
        .with_only_columns(Post.id, POST_SORT.label("sort"), Post.title, Post.notes)
        .subquery("newest")
    )
    checks = [post_contains(f.q, window.c.id, window.c.title, window.c.notes)] if f.q else []
    variant = _variant_conditions(f)
    if variant:
        # A scalar subquery, not EXISTS, which the planner would make a join over every post.
        first = select(PostVariant.id).where(PostVariant.post_id == window.c.id, *variant).limit(1)
        checks.append(first.scalar_subquery().is_not(None))
    return (
        select(window.c.id)
        .where(*checks)
        .order_by(window.c.sort.desc(), window.c.id.desc())
        .limit(limit)
        .offset(offset)
    )


async def page_ids(
    session: AsyncSession,
    principal: Principal,
    f: PostFilters,
    limit: int,
    offset: int = 0,
    after: tuple[datetime, int] | None = None,
) -> list[int]:
    """Up to ``limit`` ids of one page in list order."""
    dialect = session.get_bind().dialect.name
    if (f.q or _variant_conditions(f)) and offset + limit <= SEARCH_WINDOW:
        stmt = window_statement(principal, f, dialect, limit, offset, after)
        found = list((await session.scalars(stmt)).all())
        if len(found) == limit:
            return found
        beyond = page_statement(principal, f, dialect, 1, SEARCH_WINDOW, after, search=False)
        if await session.scalar(beyond) is None:
            return found  # the window held every post there is
    return list(
        (await session.scalars(page_statement(principal, f, dialect, limit, offset, after))).all()
    )


async def load_posts(session: AsyncSession, ids: Sequence[int]) -> list[Post]:
    """Posts with everything a list shows, in the order of ``ids``."""
    loaded = {
        p.id: p
        for p in (
            await session.scalars(select(Post).where(Post.id.in_(ids)).options(*_load_options()))
        ).all()
    }
    return [loaded[i] for i in ids if i in loaded]


async def list_posts(
    session: AsyncSession,
    principal: Principal,
    f: PostFilters,
    limit: int,
    offset: int = 0,
    cursor: str | None = None,
    count: bool = False,
) -> PostPage:
    after = decode_cursor(cursor) if cursor else None
    dialect = session.get_bind().dialect.name
    total = None
    if count:
        # Counting reads every match: only when asked for.
        total = int(
            await session.scalar(_filtered(select(func.count(Post.id)), principal, f, dialect)) or 0
        )
    # One more than asked tells whether there is a next page.
    ids = await page_ids(session, principal, f, limit + 1, offset, after)
    posts = await load_posts(session, ids[:limit])
    more = len(ids) > limit
    return PostPage(posts, encode_cursor(posts[-1]) if more and posts else None, total)


async def list_categories(
    session: AsyncSession, principal: Principal, unit_id: int | None
) -> list[str]:
    stmt = (
        scoped(select(Post.category), Post, principal).where(Post.category.is_not(None)).distinct()
    )
    if unit_id is not None:
        stmt = stmt.where(Post.unit_id == unit_id)
    return sorted(c for c in (await session.scalars(stmt)).all() if c)

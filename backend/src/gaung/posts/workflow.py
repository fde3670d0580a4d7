"""A post's way to publication: submit, approve or reject, schedule, publish now, cancel, retry.

Statuses live on the variants (ARCHITECTURE §5); each step moves the variants that are in the
states it starts from and refuses (409, a code naming the post's state) when none is. The unit's
policy decides whether a post needs an approval and whether its author may give it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import AccountStatus
from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Actor, Principal, SystemActor, get_in_scope
from gaung.kit.errors import Conflict, Forbidden, Invalid, NotFound
from gaung.kit.time import utcnow
from gaung.notifications.models import NotificationKind
from gaung.notifications.service import notify
from gaung.posts import comments
from gaung.posts.models import CommentKind, Post, PostStatus, PostVariant
from gaung.posts.service import (
    LOCKED,
    REVIEWERS,
    get_loaded,
    lock_variants,
    require_alt_text,
    summarise,
)
from gaung.units.models import Unit

STATE_WORDS = {
    PostStatus.draft: "a draft",
    PostStatus.in_review: "in review",
    PostStatus.approved: "approved",
    PostStatus.scheduled: "scheduled",
    PostStatus.publishing: "being published",
    PostStatus.published: "published",
    PostStatus.failed: "failed",
    PostStatus.unconfirmed: "unconfirmed",
}


def wrong_state(post: Post, doing: str) -> Conflict:
    return Conflict(
        f"The post is {STATE_WORDS[post.status]}; it cannot be {doing} now.",
        code=f"post_{post.status.value}",
    )


def _view(post: Post) -> dict[str, Any]:
    return {
        "status": post.status.value,
        "variants": [
            {
                "id": v.id,
                "status": v.status.value,
                "scheduled_at": v.scheduled_at.isoformat() if v.scheduled_at else None,
            }
            for v in post.variants
        ],
    }


async def _load(session: AsyncSession, actor: Actor, post_id: int) -> tuple[Post, Unit]:
    if isinstance(actor, Principal):
        await get_in_scope(session, Post, post_id, actor, Perm.read, what="post")
    await lock_variants(session, post_id)
    post = await get_loaded(session, post_id)
    if post is None:
        raise NotFound(f"Post {post_id} not found.", code="post_not_found")
    unit = await session.get(Unit, post.unit_id)
    assert unit is not None  # a post's unit exists (foreign key)
    return post, unit


def _user_id(actor: Actor) -> int | None:
    return None if isinstance(actor, SystemActor) else actor.user.id


def _require(actor: Actor, post: Post, perm: Perm) -> None:
    if isinstance(actor, Principal):
        actor.require(post.unit_id, perm, "post")


def _require_owner_or_manager(actor: Actor, post: Post) -> None:
    """Moving one's own post along needs write access; anyone else's, manage_posts."""
    if isinstance(actor, SystemActor):
        return
    actor.require(post.unit_id, Perm.write_posts, "post")
    if post.author_id != actor.user.id and not actor.can(post.unit_id, Perm.manage_posts):
        raise Forbidden(
            "Only the author or an editor of the unit can do this with the post.",
            code="insufficient_role",
        )


def _in(post: Post, states: Collection[PostStatus]) -> list[PostVariant]:
    return [v for v in post.variants if v.status in states]


def _set(variants: list[PostVariant], status: PostStatus) -> None:
    for v in variants:
        v.status = status
        v.next_attempt_at = None


def _to_schedule(variant: PostVariant, at: datetime) -> None:
    """On the schedule afresh: an earlier attempt's wait and error no longer apply."""
    variant.status = PostStatus.scheduled
    variant.scheduled_at = at
    variant.next_attempt_at = None
    variant.last_error = variant.last_error_code = variant.last_error_message_id = None


async def _done(
    session: AsyncSession,
    actor: Actor,
    post: Post,
    action: str,
    before: dict[str, Any],
    **details: Any,
) -> Post:
    post.status = summarise([v.status for v in post.variants])
    await session.flush()
    audit(
        session,
        actor,
        action=action,
        object_type="post",
        object_id=post.id,
        unit_id=post.unit_id,
        before=before,
        after=_view(post) | details,
    )
    loaded = await get_loaded(session, post.id)
    assert loaded is not None
    return loaded


async def submit(
    session: AsyncSession, actor: Actor, post_id: int, comment: str | None = None
) -> Post:
    post, _unit = await _load(session, actor, post_id)
    _require_owner_or_manager(actor, post)
    drafts = _in(post, {PostStatus.draft})
    if not drafts:
        raise wrong_state(post, "submitted for review")
    await require_alt_text(session, post)
    before = _view(post)
    _set(drafts, PostStatus.in_review)
    comments.add(session, post, _user_id(actor), CommentKind.submission, comment or "")
    await notify(
        session,
        unit_id=post.unit_id,
        kind=NotificationKind.review_requested,
        object_type="post",
        object_id=post.id,
        params={"title": post.title},
        roles=REVIEWERS,
        exclude_user_id=_user_id(actor),
    )
    return await _done(session, actor, post, "submit", before)


async def approve(
    session: AsyncSession,
    actor: Actor,
    post_id: int,
    checklist: Collection[str] | None = None,
    comment: str | None = None,
) -> Post:
    post, unit = await _load(session, actor, post_id)
    _require(actor, post, Perm.approve)
    waiting = _in(post, {PostStatus.in_review})
    if not waiting:
        raise wrong_state(post, "approved")
    if unit.four_eyes and post.author_id is not None and post.author_id == _user_id(actor):
        raise Forbidden(
            "This unit needs a second person to approve a post: its author cannot.",
            code="four_eyes",
        )
    ticked = _check_checklist(unit, checklist)
    before = _view(post)
    _set(waiting, PostStatus.approved)
    post.review_comment = None
    post.checklist_ticked = ticked
    comments.add(session, post, _user_id(actor), CommentKind.approval, comment or "")
    await _tell_author(session, actor, post, NotificationKind.approved)
    return await _done(session, actor, post, "approve", before)


async def reject(session: AsyncSession, actor: Actor, post_id: int, comment: str) -> Post:
    post, _unit = await _load(session, actor, post_id)
    _require(actor, post, Perm.approve)
    waiting = _in(post, {PostStatus.in_review})
    if not waiting:
        raise wrong_state(post, "rejected")
    before = _view(post)
    _set(waiting, PostStatus.draft)
    post.review_comment = comment
    comments.add(session, post, _user_id(actor), CommentKind.rejection, comment)
    await _tell_author(session, actor, post, NotificationKind.rejected, comment=comment)
    return await _done(session, actor, post, "reject", before, comment=comment)


def _check_checklist(unit: Unit, checklist: Collection[str] | None) -> list[str]:
    """Every item of the unit's checklist must be ticked (the ticked list is stored)."""
    ticked = {item.strip().casefold() for item in checklist or ()}
    missing = [item for item in unit.checklist or [] if item.casefold() not in ticked]
    if missing:
        raise Invalid(
            "Tick every item of the unit's checklist before approving: " + ", ".join(missing) + ".",
            code="checklist_incomplete",
            fields={"checklist": "not ticked: " + ", ".join(missing)},
        )
    return list(unit.checklist or [])


async def _tell_author(
    session: AsyncSession, actor: Actor, post: Post, kind: NotificationKind, **params: str
) -> None:
    if post.author_id is None:
        return
    await notify(
        session,
        unit_id=post.unit_id,
        kind=kind,
        object_type="post",
        object_id=post.id,
        params={"title": post.title, **params},
        user_ids=[post.author_id],
        exclude_user_id=_user_id(actor),
    )


def _schedulable(unit: Unit) -> set[PostStatus]:
    # Without a required approval a writer may schedule a draft directly.
    states = {PostStatus.approved}
    if not unit.approval_required:
        states |= {PostStatus.draft, PostStatus.in_review}
    return states


def _check_accounts(post: Post, variants: list[PostVariant]) -> None:
    index = {v.id: i for i, v in enumerate(post.variants)}
    fields = {
        f"variants.{index[v.id]}.account_id": f"account {v.account.handle} is "
        f"{v.account.status.value.replace('_', ' ')}"
        for v in variants
        if v.account.status != AccountStatus.active
    }
    if fields:
        raise Conflict(
            "Some accounts cannot publish now: " + "; ".join(fields.values()) + ".",
            code="account_not_active",
            fields=fields,
        )


async def schedule(
    session: AsyncSession,
    actor: Actor,
    post_id: int,
    at: datetime | None = None,
    *,
    now: datetime | None = None,
) -> Post:
    """Schedule at ``at``; without it each variant keeps its own time, else the post's planned
    time. Times must be in the future."""
    now = now or utcnow()
    post, unit = await _load(session, actor, post_id)
    _require_owner_or_manager(actor, post)
    ready = _in(post, _schedulable(unit))
    if not ready:
        raise wrong_state(post, "scheduled")
    await require_alt_text(session, post)
    times: dict[int, datetime] = {}
    for v in ready:
        when = at or v.scheduled_at or post.planned_at
        if when is None:
            raise Invalid(
                "Give a time: the post has no planned time.",
                code="schedule_time_missing",
                fields={"at": "required: the post has no planned time"},
            )
        if when <= now:
            raise Invalid(
                f"The time {when.isoformat()} has passed; choose a time in the future.",
                code="schedule_in_past",
                fields={"at": "must be in the future"},
            )
        times[v.id] = when
    _check_accounts(post, ready)
    before = _view(post)
    for v in ready:
        _to_schedule(v, times[v.id])
    return await _done(session, actor, post, "schedule", before)


async def publish_now(
    session: AsyncSession, actor: Actor, post_id: int, *, now: datetime | None = None
) -> Post:
    """Schedule at this instant, so the next dispatch takes it (also moves an already
    scheduled post forward)."""
    now = now or utcnow()
    post, unit = await _load(session, actor, post_id)
    _require_owner_or_manager(actor, post)
    ready = _in(post, _schedulable(unit) | {PostStatus.scheduled})
    if not ready:
        raise wrong_state(post, "published now")
    await require_alt_text(session, post)
    _check_accounts(post, ready)
    before = _view(post)
    for v in ready:
        _to_schedule(v, now)
    return await _done(session, actor, post, "publish_now", before)


async def cancel(session: AsyncSession, actor: Actor, post_id: int) -> Post:
    """Take scheduled variants off the schedule (those already going out are not touched)."""
    post, unit = await _load(session, actor, post_id)
    _require_owner_or_manager(actor, post)
    waiting = _in(post, {PostStatus.scheduled})
    if not waiting:
        raise wrong_state(post, "cancelled")
    before = _view(post)
    _set(waiting, PostStatus.approved if unit.approval_required else PostStatus.draft)
    return await _done(session, actor, post, "cancel", before)


async def retry(
    session: AsyncSession,
    actor: Actor,
    post_id: int,
    variant_id: int,
    *,
    now: datetime | None = None,
) -> Post:
    """A failed variant goes out again at once; the others are not touched."""
    now = now or utcnow()
    post, _unit = await _load(session, actor, post_id)
    _require_owner_or_manager(actor, post)
    variant = next((v for v in post.variants if v.id == variant_id), None)
    if variant is None:
        raise NotFound(f"Variant {variant_id} not found in this post.", code="variant_not_found")
    if variant.status != PostStatus.failed:
        raise Conflict(
            f"The variant is {STATE_WORDS[variant.status]}; only a failed one can be retried.",
            code=f"variant_{variant.status.value}",
        )
    _check_accounts(post, [variant])
    before = _view(post)
    _to_schedule(variant, now)
    return await _done(session, actor, post, "retry", before)


async def reschedule(
    session: AsyncSession,
    actor: Actor,
    post_id: int,
    variant_id: int,
    at: datetime,
    *,
    now: datetime | None = None,
) -> Post:
    """Move one variant to ``at`` (the calendar's drag). A variant that has gone out stays.
    Moving what was approved follows the review rule: when the unit needs an approval that
    the mover could not give, the variant goes back to review."""
    now = now or utcnow()
    post, unit = await _load(session, actor, post_id)
    _require_owner_or_manager(actor, post)
    variant = next((v for v in post.variants if v.id == variant_id), None)
    if variant is None:
        raise NotFound(f"Variant {variant_id} not found in this post.", code="variant_not_found")
    if variant.status in LOCKED:
        raise Conflict(
            f"The variant is {STATE_WORDS[variant.status]}; it cannot be moved.",
            code="post_state",
        )
    if at <= now:
        raise Invalid(
            f"The time {at.isoformat()} has passed; choose a time in the future.",
            code="schedule_in_past",
            fields={"at": "must be in the future"},
        )
    before = _view(post)
    # The other variants keep their time: one that followed the post's planned time gets it
    # as its own before the planned time moves.
    for other in post.variants:
        if other is not variant and other.scheduled_at is None and other.status not in LOCKED:
            other.scheduled_at = post.planned_at
    status_before = variant.status
    back_to_review = (
        status_before in (PostStatus.approved, PostStatus.scheduled, PostStatus.failed)
        and unit.approval_required
        and not _may_approve(actor, post, unit)
    )
    if back_to_review:
        variant.status = PostStatus.in_review
        variant.scheduled_at = at
        variant.next_attempt_at = None
        await notify(
            session,
            unit_id=post.unit_id,
            kind=NotificationKind.review_requested,
            object_type="post",
            object_id=post.id,
            params={"title": post.title},
            roles=REVIEWERS,
            exclude_user_id=_user_id(actor),
        )
    elif status_before in (PostStatus.scheduled, PostStatus.failed):
        _check_accounts(post, [variant])
        _to_schedule(variant, at)
    else:
        variant.scheduled_at = at
    times = [v.scheduled_at for v in post.variants if v.scheduled_at is not None]
    post.planned_at = min(times) if times else at
    return await _done(
        session,
        actor,
        post,
        "reschedule",
        before,
        variant_id=variant.id,
        at=at.isoformat(),
        back_to_review=back_to_review,
    )


def _may_approve(actor: Actor, post: Post, unit: Unit) -> bool:
    if isinstance(actor, SystemActor):
        return True
    if not actor.can(post.unit_id, Perm.approve):
        return False
    return not (unit.four_eyes and post.author_id == actor.user.id)

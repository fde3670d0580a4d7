"""Activities sent in for publication: the submission, the queue, the draft post made from
it, and telling the submitter how it ended (a notification for a person, the
``submission.status_changed`` webhook for a system)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.audit.service import audit, snapshot
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal, SystemActor
from gaung.kit.errors import Conflict, Invalid, NotFound
from gaung.media.models import MediaAsset
from gaung.notifications.models import NotificationKind
from gaung.notifications.service import notify
from gaung.posts import service as posts
from gaung.posts.models import PostStatus, PostVariant
from gaung.posts.schemas import PostCreate, VariantIn
from gaung.submissions import core
from gaung.submissions.models import Submission, SubmissionStatus
from gaung.submissions.schemas import DeclineIn, DraftIn, SubmissionIn, SubmissionRead
from gaung.webhooks import outbox
from gaung.webhooks.core import Event

QUEUE = Perm.manage_posts  # who works the queue: the unit's admins and editors
SUBMIT = Perm.write_posts
FIELDS = ["status", "decline_reason", "post_id", "links"]
X_MEDIA = 4
WEBHOOKS = SystemActor("webhooks")


def _visible(stmt: Select[Any], principal: Principal) -> Select[Any]:
    """The queue of the units the caller works, and what the caller sent in themselves."""
    own = (
        Submission.api_key_id == principal.api_key_id
        if principal.api_key_id is not None
        else (Submission.submitted_by_id == principal.user.id) & Submission.api_key_id.is_(None)
    )
    return stmt.where(or_(Submission.unit_id.in_(principal.unit_ids(QUEUE)), own))


async def get(session: AsyncSession, principal: Principal, sub_id: int) -> Submission:
    row: Submission | None = await session.scalar(
        _visible(select(Submission).where(Submission.id == sub_id), principal)
    )
    if row is None:
        raise NotFound(f"Submission {sub_id} not found.", code="submission_not_found")
    return row


async def _for_queue(session: AsyncSession, principal: Principal, sub_id: int) -> Submission:
    row = await get(session, principal, sub_id)
    principal.require(row.unit_id, QUEUE, "submission")
    return row


async def submit(session: AsyncSession, principal: Principal, body: SubmissionIn) -> Submission:
    principal.require(body.unit_id, SUBMIT)
    ids = [p.media_id for p in body.photos]
    found = set(
        await session.scalars(
            select(MediaAsset.id).where(MediaAsset.id.in_(ids), MediaAsset.unit_id == body.unit_id)
        )
    )
    missing = {
        f"photos.{i}.media_id": f"media {p.media_id} not found in this unit"
        for i, p in enumerate(body.photos)
        if p.media_id not in found
    }
    if missing:
        raise Invalid("Some photos are not this unit's uploads.", fields=missing)
    row = Submission(
        unit_id=body.unit_id,
        title=body.title,
        activity_date=body.activity_date,
        place=body.place,
        description=body.description,
        photos=[p.model_dump() for p in body.photos],
        contact_name=body.contact_name,
        contact_info=body.contact_info,
        data_source=body.data_source,
        link=str(body.link) if body.link else None,
        hashtags=list(body.hashtags),
        submitted_by_id=principal.user.id,
        api_key_id=principal.api_key_id,
        links=[],
    )
    session.add(row)
    await session.flush()
    audit(
        session,
        principal,
        action="create",
        object_type="submission",
        object_id=row.id,
        unit_id=row.unit_id,
        after=snapshot(row, ["title", "status"]),
    )
    return row


async def list_submissions(
    session: AsyncSession,
    principal: Principal,
    *,
    unit_id: int | None,
    status: SubmissionStatus | None,
    post_id: int | None,
    limit: int,
) -> list[Submission]:
    stmt = _visible(select(Submission), principal)
    if unit_id is not None:
        stmt = stmt.where(Submission.unit_id == unit_id)
    if status is not None:
        stmt = stmt.where(Submission.status == status)
    if post_id is not None:
        stmt = stmt.where(Submission.post_id == post_id)
    return list(await session.scalars(stmt.order_by(Submission.id.desc()).limit(limit)))


def _changed(session: AsyncSession, row: Submission) -> None:
    outbox.emit(
        session,
        row.unit_id,
        Event.submission_status_changed,
        {
            "submission_id": row.id,
            "title": row.title,
            "status": row.status.value,
            "reason": row.decline_reason,
            "post_id": row.post_id,
            "links": list(row.links),
        },
    )


async def _move(
    session: AsyncSession,
    actor: Principal,
    row: Submission,
    status: SubmissionStatus,
    **changes: Any,
) -> None:
    if row.status in (SubmissionStatus.published, SubmissionStatus.declined):
        raise Conflict(f"The submission is already {row.status.value}.", code="submission_state")
    before = snapshot(row, FIELDS)
    row.status = status
    for name, value in changes.items():
        setattr(row, name, value)
    await session.flush()
    audit(
        session,
        actor,
        action=status.value,
        object_type="submission",
        object_id=row.id,
        unit_id=row.unit_id,
        before=before,
        after=snapshot(row, FIELDS),
    )
    _changed(session, row)


async def start(session: AsyncSession, principal: Principal, sub_id: int) -> Submission:
    row = await _for_queue(session, principal, sub_id)
    if row.status is not SubmissionStatus.in_progress:
        await _move(session, principal, row, SubmissionStatus.in_progress)
    return row


async def decline(
    session: AsyncSession, principal: Principal, sub_id: int, body: DeclineIn
) -> Submission:
    row = await _for_queue(session, principal, sub_id)
    await _move(session, principal, row, SubmissionStatus.declined, decline_reason=body.reason)
    await _tell(session, row, NotificationKind.submission_declined, reason=body.reason)
    return row


async def _tell(
    session: AsyncSession, row: Submission, kind: NotificationKind, **params: Any
) -> None:
    """The person who sent it in; a system hears through its webhook instead."""
    if row.submitted_by_id is None or row.api_key_id is not None:
        return
    await notify(
        session,
        unit_id=row.unit_id,
        kind=kind,
        object_type="submission",
        object_id=row.id,
        params={"title": row.title, **params},
        user_ids=[row.submitted_by_id],
    )


def activity(row: Submission) -> core.Activity:
    return core.Activity(
        title=row.title,
        activity_date=row.activity_date,
        place=row.place,
        description=row.description,
        contact_name=row.contact_name,
        credits=[str(p["credit"]) for p in row.photos],
        data_source=row.data_source,
        link=row.link,
        hashtags=[str(t) for t in row.hashtags],
    )


async def make_draft(
    session: AsyncSession, principal: Principal, sub_id: int, body: DraftIn
) -> Submission:
    """A draft post with one prefilled variant per account (short X text with the link,
    Instagram caption with the photos and hashtags, longer Facebook text), linked both ways."""
    row = await _for_queue(session, principal, sub_id)
    if row.post_id is not None:
        raise Conflict("A post was already made from this submission.", code="submission_state")
    if row.status in (SubmissionStatus.published, SubmissionStatus.declined):
        raise Conflict(f"The submission is already {row.status.value}.", code="submission_state")
    stmt = select(PlatformAccount).where(PlatformAccount.unit_id == row.unit_id)
    if body.account_ids is not None:
        stmt = stmt.where(PlatformAccount.id.in_(body.account_ids))
    else:
        stmt = stmt.where(PlatformAccount.status == AccountStatus.active)
    accounts = list(await session.scalars(stmt.order_by(PlatformAccount.id)))
    if body.account_ids is not None:
        known = {a.id for a in accounts}
        bad = {
            f"account_ids.{i}": f"account {a} not found in this unit"
            for i, a in enumerate(body.account_ids)
            if a not in known
        }
        if bad:
            raise Invalid("Some accounts are not this unit's.", fields=bad)
    media = [int(p["media_id"]) for p in row.photos]
    facts = activity(row)
    variants = []
    for account in accounts:
        platform = account.platform.value
        if platform == "instagram" and not media:
            continue  # Instagram needs a photo; the others can go without
        variants.append(
            VariantIn(
                account_id=account.id,
                text=core.draft_text(platform, facts),
                media_ids=media[:X_MEDIA] if platform == "x" else media,
            )
        )
    if not variants:
        raise Invalid(
            "The unit has no account to prefill a post for.",
            fields={"account_ids": "no usable account (Instagram needs a photo)"},
        )
    post = await posts.create_post(
        session,
        principal,
        PostCreate(
            unit_id=row.unit_id,
            title=row.title,
            notes=f"Dari kiriman #{row.id}; narahubung: {row.contact_name}"
            + (f" ({row.contact_info})" if row.contact_info else ""),
            planned_at=body.planned_at,
            variants=variants,
        ),
    )
    if row.status is SubmissionStatus.in_progress:
        before = snapshot(row, FIELDS)
        row.post_id = post.id
        await session.flush()
        audit(
            session,
            principal,
            action="draft",
            object_type="submission",
            object_id=row.id,
            unit_id=row.unit_id,
            before=before,
            after=snapshot(row, FIELDS),
        )
    else:
        await _move(session, principal, row, SubmissionStatus.in_progress, post_id=post.id)
    return row


async def on_post_event(
    session: AsyncSession, event: str, data: dict[str, Any], now: datetime
) -> None:
    """A post made from a submission went out: the submission is published, with its links,
    and the submitter is told. Later variants only add their links."""
    if event != Event.post_published:
        return
    rows = list(
        await session.scalars(select(Submission).where(Submission.post_id == data["post_id"]))
    )
    if not rows:
        return
    # Every variant out so far (a batch publishes them together), in a stable order.
    urls = await session.scalars(
        select(PostVariant.external_url)
        .where(
            PostVariant.post_id == data["post_id"],
            PostVariant.status == PostStatus.published,
            PostVariant.external_url.is_not(None),
        )
        .order_by(PostVariant.id)
    )
    found = [u for u in urls if u]
    for row in rows:
        row.links = [*row.links, *(u for u in found if u not in row.links)]
        if row.status is SubmissionStatus.published:
            continue
        before = snapshot(row, FIELDS)
        row.status = SubmissionStatus.published
        row.updated_at = now
        await session.flush()
        audit(
            session,
            WEBHOOKS,
            action="published",
            object_type="submission",
            object_id=row.id,
            unit_id=row.unit_id,
            before=before,
            after=snapshot(row, FIELDS),
        )
        _changed(session, row)
        await _tell(session, row, NotificationKind.submission_published, links=" ".join(row.links))


def to_read(row: Submission) -> SubmissionRead:
    return SubmissionRead.model_validate(row)

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from gaung.accounts.models import Platform
from gaung.kit.errors import ProblemBody
from gaung.kit.schemas import Caption, DbId, Input, Label, Schema, UtcDatetime
from gaung.media.schemas import MediaRead
from gaung.posts.models import CommentKind, PostStatus
from gaung.users.schemas import UserRef

MAX_TEXT = 70_000  # above every platform's limit, so the platform rule speaks, not this cap


def _blank_to_none(value: str | None) -> str | None:
    """An empty category, campaign or notes means none."""
    return value or None


# Above any network's own limits (their rules speak first, per network).
MAX_OPTION_TEXT = 10_000
MAX_THREAD_PARTS_ACCEPTED = 100


class VariantOptions(Input):
    """What a variant does besides its main post. Each option belongs to one network; given
    for another, it is refused (rule ``option_wrong_platform``)."""

    first_comment: str | None = Field(
        default=None,
        max_length=MAX_OPTION_TEXT,
        description="Instagram only: posted as the first comment on the new media.",
    )
    thread: list[Annotated[str, Field(max_length=MAX_OPTION_TEXT)]] = Field(
        default_factory=list,
        max_length=MAX_THREAD_PARTS_ACCEPTED,
        description="X only: the thread's parts AFTER the main text, each a reply to the "
        "previous one.",
    )
    link: str | None = Field(
        default=None,
        max_length=MAX_OPTION_TEXT,
        description="Facebook only: an http(s) URL the feed post carries (its link preview).",
    )

    _blank_is_none = field_validator("first_comment", "link")(_blank_to_none)

    def stored(self) -> dict[str, Any]:
        """As kept in ``post_variant.options``: only what is set."""
        return self.model_dump(exclude_defaults=True)


class VariantIn(Input):
    account_id: DbId
    text: str = Field(default="", max_length=MAX_TEXT)
    media_ids: list[DbId] = Field(default_factory=list, max_length=20)
    options: VariantOptions = Field(default_factory=VariantOptions)

    @field_validator("media_ids")
    @classmethod
    def _distinct(cls, v: list[int]) -> list[int]:
        if len(set(v)) != len(v):
            raise ValueError("the same media file is attached twice")
        return v


class PostFields(Input):
    title: Label = Field(min_length=1, max_length=200, description="Internal title.")
    category: Label | None = Field(default=None, max_length=80, description="Content pillar.")
    campaign: Label | None = Field(default=None, max_length=120)
    notes: str | None = Field(default=None, max_length=10_000)
    planned_at: UtcDatetime | None = Field(
        default=None, description="When it should go out; ISO 8601 with an offset."
    )
    data_source: str | None = Field(
        default=None, max_length=500, description="Where an informational post's data come from."
    )

    _blank_is_none = field_validator("category", "campaign", "notes", "data_source")(_blank_to_none)


class PostCreate(PostFields):
    unit_id: DbId
    variants: list[VariantIn] = Field(min_length=1, max_length=20)


class PostCheck(Input):
    """What the validate endpoint checks: the variants. A form sends what it has, so the post's
    own fields are accepted but not required (checking works before a title is typed)."""

    unit_id: DbId
    variants: list[VariantIn] = Field(min_length=1, max_length=20)
    title: Label | None = Field(default=None, max_length=200)
    category: Label | None = Field(default=None, max_length=80)
    campaign: Label | None = Field(default=None, max_length=120)
    notes: str | None = Field(default=None, max_length=10_000)
    planned_at: UtcDatetime | None = None
    data_source: str | None = Field(default=None, max_length=500)


class PostUpdate(Input):
    title: Label | None = Field(default=None, min_length=1, max_length=200)
    category: Label | None = Field(default=None, max_length=80)
    campaign: Label | None = Field(default=None, max_length=120)
    notes: str | None = Field(default=None, max_length=10_000)
    planned_at: UtcDatetime | None = None
    data_source: str | None = Field(default=None, max_length=500)
    variants: list[VariantIn] | None = Field(
        default=None,
        min_length=1,
        max_length=20,
        description="When given, replaces the variant set (matched by account).",
    )

    _blank_is_none = field_validator("category", "campaign", "notes", "data_source")(_blank_to_none)


class HeldReason(StrEnum):
    agency_pause = "agency_pause"
    unit_pause = "unit_pause"
    blackout = "blackout"
    account_needs_reauth = "account_needs_reauth"
    account_disabled = "account_disabled"


class FollowupRead(Schema):
    """One thing that goes out after the main post: its progress on the network."""

    kind: Literal["thread_part", "first_comment"]
    index: int = Field(
        description="Its place in `options.thread` (0: the part after the main text); 0 for "
        "the first comment."
    )
    status: Literal["pending", "published", "failed"]
    external_id: str | None
    external_url: str | None
    error: str | None = Field(description="Why it failed (or waits to be retried), in English.")
    error_id: str | None = Field(description="The same reason in Indonesian.")
    error_code: str | None


class VariantRead(Schema):
    id: int
    account_id: int
    platform: Platform
    text: str
    media_ids: list[int]
    media: list[MediaRead]
    status: PostStatus
    scheduled_at: datetime | None
    external_id: str | None
    external_url: str | None
    attempts: int
    last_error: str | None
    last_error_id: str | None = Field(description="The same reason in Indonesian.")
    last_error_code: str | None = Field(
        description="Stable code of the last failure (the platform's or the pipeline's)."
    )
    next_attempt_at: datetime | None = Field(description="When a retry is due, after a failure.")
    options: VariantOptions
    followups: list[FollowupRead] = Field(
        description="The thread parts or first comment, once the variant is published."
    )
    held: HeldReason | None = Field(
        description="Why this scheduled variant waits: the unit or agency paused, a blackout "
        "period, or its account needs reconnecting or is disabled. It goes out when that ends."
    )


class PostRead(Schema):
    id: int
    unit_id: int
    title: str
    category: str | None
    campaign: str | None
    notes: str | None
    status: PostStatus = Field(description="Summary of the variants' statuses.")
    planned_at: datetime | None
    author: UserRef | None
    review_comment: str | None = Field(description="Why a reviewer last sent it back.")
    data_source: str | None = Field(description="Where an informational post's data come from.")
    checklist_ticked: list[str] = Field(
        description="The unit's checklist items its approver ticked."
    )
    created_at: datetime
    updated_at: datetime
    variants: list[VariantRead]


class PostList(Schema):
    items: list[PostRead]
    # Counted only when asked for (`count=true`): counting reads every match.
    total: int | None
    limit: int
    offset: int
    # Pass as `cursor` for the next page; null on the last one.
    next_cursor: str | None


class CategoryList(Schema):
    items: list[str]


class ProblemRead(ProblemBody):
    platform: Platform


class VariantCount(Schema):
    index: int
    account_id: int
    platform: Platform
    length: int = Field(description="X: weighted length; others: characters.")
    max_length: int


class ValidationWarning(Schema):
    """Something to reconsider that does not stop the post from being saved."""

    field: str = Field(examples=["variants.0.text"])
    variant_index: int
    account_id: int
    platform: Platform
    rule: str = Field(description="Stable code to translate by.", examples=["political_content"])
    message: str
    params: dict[str, Any] = Field(description="The values in the message, by name.")


class ValidationReport(Schema):
    valid: bool
    problems: list[ProblemRead]
    variants: list[VariantCount]
    warnings: list[ValidationWarning] = Field(
        default_factory=list,
        description="Never make the post invalid. `political_content`: political terms in a "
        "variant while an election quiet period applies to the unit (now or at the planned "
        "time).",
    )


class RejectIn(Input):
    comment: Caption = Field(min_length=1, max_length=2000, description="Why, for the author.")


class ScheduleIn(Input):
    at: UtcDatetime | None = Field(
        default=None,
        description="When it goes out (in the future). Default: each variant's own time, "
        "else the post's planned time.",
    )


class ApproveIn(Input):
    checklist: list[Label] | None = Field(
        default=None,
        max_length=12,
        description="The unit's checklist items the approver ticked: all of them are needed "
        "when the unit has a checklist.",
    )
    comment: Caption | None = Field(
        default=None, max_length=2000, description="A note for the thread."
    )


class SubmitIn(Input):
    comment: Caption | None = Field(
        default=None, max_length=2000, description="A note for the reviewer, in the thread."
    )


class RescheduleIn(Input):
    at: UtcDatetime = Field(description="The variant's new time (in the future).")


class CommentIn(Input):
    body: Caption = Field(min_length=1, max_length=2000)


class CommentRead(Schema):
    id: int
    author_id: int | None
    author_name: str | None
    kind: CommentKind = Field(
        description="`comment`, or what a workflow step said: `submission`, `approval`, "
        "`rejection`."
    )
    body: str
    created_at: datetime


class CommentList(Schema):
    items: list[CommentRead]

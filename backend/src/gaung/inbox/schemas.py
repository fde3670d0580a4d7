from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, field_validator

from gaung.inbox.models import (
    AnswerStatus,
    ConversationKind,
    ConversationStatus,
    RequestKind,
)
from gaung.inbox.routing import normalise
from gaung.kit.schemas import Caption, DbId, Input, Label, Schema
from gaung.platforms.types import Platform

AnswerText = Annotated[Caption, Field(min_length=1, max_length=2000)]


class MatchedTopic(Schema):
    topic_id: int | None = Field(description="The unit's topic; null when routing a bare text.")
    key: str
    name: str
    score: float
    matched: list[str] = Field(description="The words of the text that counted.")


class RouteIn(Input):
    unit_id: DbId
    text: Annotated[Caption, Field(min_length=1, max_length=5000)]
    category: Annotated[Label, Field(max_length=80)] | None = None


class RouteRead(Schema):
    suggestions: list[MatchedTopic]
    threshold: float
    routed: bool


class TopicRead(Schema):
    id: int
    key: str
    name: str
    name_en: str
    keywords: dict[str, float]
    learned: dict[str, float] = Field(
        description="Word stems and the weights learned from admins' reassignments."
    )
    expert_ids: list[int]


class TopicList(Schema):
    items: list[TopicRead]


MAX_KEYWORDS = 100
TopicName = Annotated[Label, Field(min_length=1, max_length=200)]
Keyword = Annotated[Label, Field(min_length=1, max_length=60)]
# Weight 2: the word alone says the topic; 1: a clear sign; 0.5: a hint (routing.THRESHOLD is 1).
Weight = Annotated[float, Field(gt=0, le=5, allow_inf_nan=False)]
Keywords = Annotated[dict[Keyword, Weight], Field(min_length=1, max_length=MAX_KEYWORDS)]


def _keywords(value: dict[str, float] | None) -> dict[str, float] | None:
    """Keywords in lower case; one the classifier cannot read (no letters or digits) or a
    repeat that differs only in case is refused rather than silently never matching."""
    if value is None:
        return None
    out: dict[str, float] = {}
    for word, weight in value.items():
        key = word.casefold()
        if not normalise(key):
            raise ValueError(f"keyword {word!r} has no letters or digits")
        if key in out:
            raise ValueError(f"keyword {word!r} is given twice")
        out[key] = weight
    return out


class TopicIn(Input):
    name: TopicName
    name_en: Annotated[Label, Field(max_length=200)] = ""
    keywords: Keywords

    _check_keywords = field_validator("keywords")(_keywords)


class TopicPatch(Input):
    name: TopicName | None = None
    name_en: Annotated[Label, Field(max_length=200)] | None = None
    keywords: Keywords | None = Field(
        default=None, description="Replaces all keywords; the learned weights are kept."
    )

    _check_keywords = field_validator("keywords")(_keywords)


class ExpertsIn(Input):
    user_ids: Annotated[list[DbId], Field(max_length=100)]


class MessageRead(Schema):
    id: int
    external_id: str
    author_handle: str
    author_name: str | None
    text: str = Field(description="Empty once erased.")
    sent_at: datetime
    from_account: bool
    erased: bool = Field(
        description="The text and the author were erased (retention or a delete request)."
    )


class AnswerRead(Schema):
    id: int
    author_id: int | None
    text: str
    status: AnswerStatus
    error: str | None
    created_at: datetime


class ConversationSummary(Schema):
    id: int
    unit_id: int
    account_id: int
    platform: Platform
    kind: ConversationKind
    status: ConversationStatus
    topic_id: int | None
    assignee_id: int | None
    assignee_name: str | None
    excerpt: str = Field(description="The newest message from outside, up to 200 characters.")
    author_handle: str
    last_message_at: datetime
    due_at: datetime | None
    overdue: bool
    request_kind: RequestKind


class ConversationList(Schema):
    items: list[ConversationSummary]
    total: int


class OriginalPost(Schema):
    post_id: int | None
    external_id: str | None
    title: str | None
    text: str | None
    category: str | None


class ConversationRead(ConversationSummary):
    messages: list[MessageRead]
    answers: list[AnswerRead]
    suggestions: list[MatchedTopic]
    post: OriginalPost
    first_response_at: datetime | None
    resolved_at: datetime | None
    kip_due_at: datetime | None
    kip_working_days_left: int | None = Field(
        description="Working days left to answer a public-information request, today and the "
        "last day included; negative: working days overdue."
    )
    kip_extended: bool
    kip_extension_reason: str | None
    lapor_reference: str | None
    lapor_status: str | None
    restricted: bool
    can_answer: bool
    can_manage: bool
    suggested_kind: Literal["information_request", "complaint"] | None = Field(
        description="What the messages from outside read as; only a suggestion: a person "
        "marks the conversation (``…/request``)."
    )
    suggested_kind_words: list[str] = Field(description="The words that made the suggestion.")


class AssignIn(Input):
    topic_id: DbId | None = None
    assignee_id: DbId | None = None


class StatusIn(Input):
    status: Literal["new", "closed", "spam"]


class AnswerIn(Input):
    text: AnswerText
    outside: bool = Field(
        default=False, description="Answered outside Gaung: recorded, nothing is posted."
    )


class RequestIn(Input):
    kind: Literal["information", "complaint", "none"]


class ExtendIn(Input):
    reason: Annotated[Caption, Field(min_length=10, max_length=2000)]


class LaporIn(Input):
    reference: Annotated[Label, Field(min_length=1, max_length=64)]
    status: Annotated[Label, Field(min_length=1, max_length=64)]


class SavedAnswerIn(Input):
    topic_id: DbId | None = None
    title: Annotated[Label, Field(min_length=1, max_length=200)]
    text: AnswerText


class SavedAnswerRead(Schema):
    id: int
    topic_id: int | None
    title: str
    text: str


class SavedAnswerList(Schema):
    items: list[SavedAnswerRead]


class InboxSettingsRead(Schema):
    response_target_hours: int
    answers_need_approval: bool
    retention_days: int


class InboxSettingsIn(Input):
    response_target_hours: Annotated[int, Field(ge=1, le=720, strict=True)] | None = None
    answers_need_approval: bool | None = None
    retention_days: Annotated[int, Field(ge=30, le=3650, strict=True)] | None = None


class ResponseFigure(Schema):
    id: int | None
    name: str
    answered: int
    median_first_response_hours: float | None
    open: int
    overdue: int


class ResponseStats(Schema):
    start: datetime | None = Field(description="The range asked for: conversations opened in it.")
    end: datetime | None
    by_topic: list[ResponseFigure]
    by_expert: list[ResponseFigure]


class PrivacyIn(Input):
    platform: Platform
    author_handle: Annotated[Label, Field(min_length=1, max_length=200)]
    action: Literal["delete", "restrict"]


class PrivacyRead(Schema):
    id: int
    action: str
    requested_at: datetime
    done_at: datetime | None
    affected: int = Field(description="How many of the person's messages it touched.")


class PrivacyList(Schema):
    """The unit's privacy requests, newest first. The person is not named (only a hash is
    kept)."""

    items: list[PrivacyRead]


class PracticeIn(Input):
    account_id: DbId
    text: Annotated[Caption, Field(min_length=1, max_length=2000)] | None = Field(
        default=None, description="The question; a typical follower's question when absent."
    )

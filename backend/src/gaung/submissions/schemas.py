from __future__ import annotations

from datetime import date, datetime

from pydantic import AnyHttpUrl, Field, field_validator

from gaung.kit.schemas import Caption, DbId, Input, Label, Schema, UtcDatetime
from gaung.submissions.models import SubmissionStatus


class PhotoIn(Input):
    media_id: DbId = Field(description="An uploaded image of the unit (POST /media).")
    credit: Label = Field(min_length=1, max_length=120, description="Who took the photo.")


class SubmissionIn(Input):
    unit_id: DbId
    title: Label = Field(min_length=1, max_length=200)
    activity_date: date
    place: Label = Field(min_length=1, max_length=200)
    description: Caption = Field(min_length=1, max_length=5000)
    photos: list[PhotoIn] = Field(default_factory=list, max_length=10)
    contact_name: Label = Field(min_length=1, max_length=120, description="Contact person.")
    contact_info: Label | None = Field(default=None, max_length=200, description="Phone, e-mail.")
    data_source: Label | None = Field(
        default=None, max_length=500, description="Where the figures in it come from."
    )
    link: AnyHttpUrl | None = Field(default=None, description="A page about the activity.")
    hashtags: list[Label] = Field(default_factory=list, max_length=30)

    @field_validator("photos")
    @classmethod
    def _distinct(cls, v: list[PhotoIn]) -> list[PhotoIn]:
        if len({p.media_id for p in v}) != len(v):
            raise ValueError("the same photo is listed twice")
        return v

    @field_validator("link")
    @classmethod
    def _short(cls, v: AnyHttpUrl | None) -> AnyHttpUrl | None:
        if v is not None and len(str(v)) > 500:
            raise ValueError("must be at most 500 characters")
        return v

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        for tag in v:
            if len(tag) > 100 or any(ch.isspace() for ch in tag):
                raise ValueError("each hashtag is one word of at most 100 characters")
        return v


class PhotoRead(Schema):
    media_id: int
    credit: str


class SubmissionRead(Schema):
    id: int
    unit_id: int
    title: str
    activity_date: date
    place: str
    description: str
    photos: list[PhotoRead]
    contact_name: str
    contact_info: str | None
    data_source: str | None
    link: str | None
    hashtags: list[str]
    status: SubmissionStatus
    decline_reason: str | None
    post_id: int | None = Field(description="The draft post made from it.")
    links: list[str] = Field(description="Where it was published.")
    submitted_by_id: int | None
    api_key_id: int | None = Field(description="Set when another system sent it with a key.")
    created_at: datetime
    updated_at: datetime


class SubmissionList(Schema):
    items: list[SubmissionRead]


class DeclineIn(Input):
    reason: Caption = Field(min_length=1, max_length=2000)


class DraftIn(Input):
    account_ids: list[DbId] | None = Field(
        default=None,
        max_length=20,
        description="Accounts to prefill a variant for; none: every active account of the unit.",
    )
    planned_at: UtcDatetime | None = None

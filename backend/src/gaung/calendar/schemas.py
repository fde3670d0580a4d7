from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator

from gaung.accounts.models import Platform
from gaung.calendar.models import TemplateKind
from gaung.kit.schemas import Caption, Input, Label, Schema
from gaung.posts.models import PostStatus

EXCERPT = 140


class CalendarStatus(StrEnum):
    """A variant status, or ``held``: scheduled but waiting (a pause, a blackout, its account)."""

    draft = "draft"
    in_review = "in_review"
    approved = "approved"
    scheduled = "scheduled"
    held = "held"
    publishing = "publishing"
    published = "published"
    failed = "failed"
    unconfirmed = "unconfirmed"


class CalendarEntry(Schema):
    """One variant on the calendar: everything the calendar draws for it."""

    variant_id: int
    post_id: int
    title: str
    excerpt: str = Field(description=f"The start of the variant's text (at most {EXCERPT}).")
    platform: Platform
    account_id: int
    account_name: str
    status: PostStatus = Field(description="The variant's status.")
    held: bool = Field(description="Scheduled, but waiting: a pause, a blackout or its account.")
    at: datetime = Field(
        description="Its scheduled time, else when it was published, else the post's planned time."
    )
    category: str | None
    author_id: int | None
    author_name: str | None
    external_url: str | None
    media_count: int
    can_move: bool = Field(description="Whether the caller may reschedule it now.")


class Observance(Schema):
    date: date
    name: str = Field(description="Indonesian name.")
    name_en: str
    kind: Literal["holiday", "cuti_bersama", "commemoration"]
    template_kind: Literal["greeting"] | None = Field(
        description="Which kind of template suits the day (a greeting card), if any."
    )


class CalendarDay(Schema):
    """A day of the range in the unit's timezone."""

    date: date
    total: int = Field(description="How many entries match on that day, shown or not.")


class CalendarRead(Schema):
    unit_id: int
    timezone: str
    start: datetime
    end: datetime
    per_day: int | None = Field(
        description="The most entries returned for one day, as asked; null when all are."
    )
    entries: list[CalendarEntry] = Field(
        description="In calendar order; with `per_day`, each day's first `per_day` of them."
    )
    days: list[CalendarDay] = Field(
        description="Every day of the range with entries, and how many: a day whose total is "
        "more than its entries here has more to show (ask for that day alone)."
    )
    observances: list[Observance] = Field(
        description="National holidays and cuti bersama, and commemoration days, on the days "
        "of the range in the unit's timezone."
    )


class TemplateTexts(Input):
    x: Caption | None = Field(default=None, max_length=70_000)
    instagram: Caption | None = Field(default=None, max_length=70_000)
    facebook: Caption | None = Field(default=None, max_length=70_000)


Hashtag = Label


def _hashtags(v: list[str] | None) -> list[str] | None:
    if v is None:
        return None
    out: list[str] = []
    for tag in v:
        bare = tag.lstrip("#")
        if not bare or any(ch.isspace() for ch in bare):
            raise ValueError(f'"{tag}" is not a hashtag: one word, e.g. #BPPT')
        if f"#{bare}" not in out:
            out.append(f"#{bare}")
    return out


class TemplateIn(Input):
    name: Label = Field(min_length=1, max_length=120)
    kind: TemplateKind = TemplateKind.other
    title: Label = Field(min_length=1, max_length=200, description="The new post's title.")
    base_text: Caption = Field(default="", max_length=70_000)
    texts: TemplateTexts = Field(default_factory=TemplateTexts)
    category: Label | None = Field(default=None, max_length=80)
    hashtags: list[Hashtag] = Field(default_factory=list, max_length=30)

    _tags = field_validator("hashtags")(_hashtags)


class TemplateUpdate(Input):
    name: Label | None = Field(default=None, min_length=1, max_length=120)
    kind: TemplateKind | None = None
    title: Label | None = Field(default=None, min_length=1, max_length=200)
    base_text: Caption | None = Field(default=None, max_length=70_000)
    texts: TemplateTexts | None = None
    category: Label | None = Field(default=None, max_length=80)
    hashtags: list[Hashtag] | None = Field(default=None, max_length=30)

    _tags = field_validator("hashtags")(_hashtags)


class Template(Schema):
    id: int
    unit_id: int
    name: str
    kind: TemplateKind
    title: str
    base_text: str
    texts: dict[Literal["x", "instagram", "facebook"], str]
    category: str | None
    hashtags: list[str]
    created_at: datetime
    updated_at: datetime


class TemplateList(Schema):
    items: list[Template]

from __future__ import annotations

from datetime import datetime

from pydantic import AnyHttpUrl, Field, field_validator

from gaung.kit.schemas import Input, Schema
from gaung.webhooks.core import Event
from gaung.webhooks.models import DeliveryStatus


class SubscriptionIn(Input):
    url: AnyHttpUrl = Field(description="Where events are POSTed (https recommended).")
    events: list[Event] = Field(min_length=1, max_length=len(Event))

    @field_validator("url")
    @classmethod
    def _short(cls, v: AnyHttpUrl) -> AnyHttpUrl:
        if len(str(v)) > 500:
            raise ValueError("must be at most 500 characters")
        return v


class SubscriptionUpdate(Input):
    events: list[Event] | None = Field(default=None, min_length=1, max_length=len(Event))
    paused: bool | None = Field(default=None, description="false resumes a paused one.")


class SubscriptionRead(Schema):
    id: int
    unit_id: int
    url: str
    events: list[Event]
    created_at: datetime
    failing_since: datetime | None
    paused_at: datetime | None


class SubscriptionCreated(SubscriptionRead):
    secret: str = Field(
        description="Signs every delivery (X-Gaung-Signature); shown this once, keep it safe."
    )


class SubscriptionList(Schema):
    items: list[SubscriptionRead]


class DeliveryRead(Schema):
    id: int
    subscription_id: int
    event: str
    status: DeliveryStatus
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    finished_at: datetime | None
    last_status_code: int | None
    last_duration_ms: int | None
    last_error: str | None


class DeliveryList(Schema):
    items: list[DeliveryRead]

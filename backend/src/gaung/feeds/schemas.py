from __future__ import annotations

from datetime import datetime

from pydantic import Field

from gaung.kit.schemas import Schema


class FeedRead(Schema):
    id: int
    unit_id: int | None = Field(description="None: a person's feed of all their units.")
    user_id: int
    created_at: datetime
    revoked_at: datetime | None


class FeedCreated(FeedRead):
    url: str = Field(
        description="The private iCalendar address (shown this once): subscribe to it in "
        "Google Calendar, Outlook or Thunderbird. Anyone with it can read the calendar."
    )


class FeedList(Schema):
    items: list[FeedRead]

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from gaung.kit.schemas import Schema
from gaung.notifications.models import NotificationKind


class NotificationRead(Schema):
    id: int
    unit_id: int | None
    kind: NotificationKind
    object_type: str | None = Field(description="What it is about, e.g. `post`.")
    object_id: str | None
    params: dict[str, Any] = Field(description="Values for the message, e.g. the post's title.")
    created_at: datetime
    read_at: datetime | None


class NotificationList(Schema):
    items: list[NotificationRead]
    total: int
    limit: int
    offset: int


class UnreadCount(Schema):
    unread: int


class ReadAll(Schema):
    marked: int = Field(description="How many were unread until now.")

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from gaung.kit.schemas import Caption, Input, Schema
from gaung.media.models import MediaKind


class MediaRead(Schema):
    id: int
    unit_id: int
    kind: MediaKind
    mime_type: str
    size_bytes: int
    width: int | None
    height: int | None
    duration_s: float | None
    alt_text: str | None
    original_filename: str | None
    url: str = Field(description="Public address; platforms such as Instagram fetch from it.")
    created_at: datetime


class MediaList(Schema):
    items: list[MediaRead]


class MediaUpdate(Input):
    alt_text: Caption | None = Field(default=None, max_length=1000)

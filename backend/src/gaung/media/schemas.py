from __future__ import annotations

from datetime import datetime

from pydantic import Field

from gaung.kit.schemas import MAX_ID, Caption, Input, Schema
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


class UploadFields(Input):
    """The plain fields of the multipart upload (the file part is read separately)."""

    unit_id: int = Field(ge=1, le=MAX_ID)
    alt_text: Caption | None = Field(default=None, max_length=1000)


# The multipart body as documented: the route reads the body itself (after authentication), so
# FastAPI does not derive this from parameters.
UPLOAD_BODY_SCHEMA = {
    "properties": {
        "unit_id": {
            "type": "integer",
            "maximum": float(MAX_ID),
            "minimum": 1.0,
            "title": "Unit Id",
        },
        "file": {
            "type": "string",
            "contentMediaType": "application/octet-stream",
            "title": "File",
            "description": "The image or video",
        },
        "alt_text": {
            "anyOf": [{"type": "string", "maxLength": 1000}, {"type": "null"}],
            "title": "Alt Text",
        },
    },
    "type": "object",
    "required": ["unit_id", "file"],
    "title": "Body_upload_api_v1_media_post",
}

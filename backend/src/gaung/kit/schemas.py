"""Small shared API schema pieces."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Path
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_validator

# Ids are 32-bit integers in the database: anything larger is "not found", never a crash.
MAX_ID = 2_147_483_647
# Strict: JSON true or 1.0 is not an id.
DbId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


def to_utc(value: datetime) -> datetime:
    """An aware datetime in UTC; one whose UTC time falls outside years 1-9999 is invalid."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("date is out of range") from None


# ISO 8601 with an offset, as UTC.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(to_utc)]


def no_nul(value: Any) -> Any:
    """PostgreSQL cannot store NUL characters in text; say so instead of failing later."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("must not contain NUL (\\x00) characters")
    return value


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Input(BaseModel):
    """Request bodies: unknown fields are an error, so typos don't pass silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _no_nul = field_validator("*", mode="after")(no_nul)

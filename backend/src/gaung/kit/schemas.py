"""Small shared API schema pieces."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Path, Response
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

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
        raise PydanticCustomError("date_out_of_range", "date is out of range") from None


# ISO 8601 with an offset, as UTC.
UtcDatetime = Annotated[AwareDatetime, AfterValidator(to_utc)]


def no_nul(value: Any) -> Any:
    """PostgreSQL cannot store NUL characters in text; say so instead of failing later."""
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError("text_nul", "must not contain NUL (\\x00) characters")
    return value


# Characters that reorder how text is displayed: a name or title containing one can show as
# something else than what is stored (e.g. "Rapat\u202egnp.exe").
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Letters and symbols that render as nothing: a value made only of these looks empty.
BLANK_LOOKING = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def _looks_empty(value: str) -> bool:
    return all(
        ch in BLANK_LOOKING or ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value
    )


def _check_shown_text(value: str, *, single_line: bool) -> str:
    no_nul(value)
    for ch in value:
        if ch in BIDI_CONTROLS:
            raise PydanticCustomError(
                "text_control",
                "must not contain bidirectional control characters (U+{code})",
                {"code": f"{ord(ch):04X}"},
            )
        category = unicodedata.category(ch)
        if (category == "Cc" and (single_line or ch not in "\n\r\t")) or (
            single_line and category in ("Zl", "Zp")
        ):
            what = "line breaks, tabs or other control" if single_line else "control"
            raise PydanticCustomError(
                "text_control",
                "must not contain {what} characters (U+{code})",
                {"what": what, "code": f"{ord(ch):04X}"},
            )
    # Zero-width joiners inside visible text are fine (emoji sequences, Persian); a value of
    # nothing but invisible characters is not. "" is left to each field's min_length.
    if value and _looks_empty(value):
        raise PydanticCustomError(
            "text_blank", "must contain visible characters, not only zero-width or blank ones"
        )
    return value


def shown_line(value: str) -> str:
    """A single line people read as a label: a name, title, handle, category or campaign."""
    return _check_shown_text(value, single_line=True)


def shown_text(value: str) -> str:
    """Like ``shown_line``, but line breaks and tabs are allowed (alt text)."""
    return _check_shown_text(value, single_line=False)


# Names, titles, handles, categories, campaigns: no bidi overrides, no invisible-only values.
Label = Annotated[str, AfterValidator(shown_line)]
Caption = Annotated[str, AfterValidator(shown_text)]


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Input(BaseModel):
    """Request bodies: unknown fields are an error, so typos don't pass silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _no_nul = field_validator("*", mode="after")(no_nul)


def json_response(model: BaseModel) -> Response:
    """A model built to its route's response model, as JSON serialised once: FastAPI would
    validate it a second time first, which costs time on long answers (a month of entries,
    a year of points). The route keeps ``response_model`` for its documentation."""
    return Response(model.__pydantic_serializer__.to_json(model), media_type="application/json")

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from gaung.apikeys.core import Scope
from gaung.kit.schemas import Input, Label, Schema, UtcDatetime


class ApiKeyIn(Input):
    name: Label = Field(min_length=1, max_length=120, description="What the key is for.")
    scopes: list[Scope] = Field(min_length=1, max_length=len(Scope))
    expires_at: UtcDatetime | None = Field(
        default=None, description="When the key stops working; none: never."
    )
    rate_per_minute: int | None = Field(
        default=None, ge=1, le=100_000, description="None: GAUNG_API_KEY_RATE_PER_MINUTE."
    )


class ApiKeyRead(Schema):
    id: int
    unit_id: int
    name: str
    prefix: str = Field(description="The start of the key, to tell keys apart.")
    scopes: list[Scope]
    rate_per_minute: int | None
    created_by_id: int
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    last_used_ip: str | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The key itself: shown this once, never again.")


class ApiKeyList(Schema):
    items: list[ApiKeyRead]

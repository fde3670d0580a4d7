from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from gaung.accounts.models import AccountStatus, ConnectErrorCode, ConnectionStatus, Platform
from gaung.kit.schemas import DbId, Input, Label, Schema


class RateLimitRead(Schema):
    """What the network last said about the account's request budget."""

    limit: int | None = None
    remaining: int | None = None
    resets_at: datetime | None = None
    usage_pct: float | None = Field(
        default=None, description="Meta: the busiest usage figure, in percent of the limit."
    )
    observed_at: datetime


class AccountRead(Schema):
    id: int
    unit_id: int
    platform: Platform
    sandbox: bool = Field(description="A simulated account: posts never reach the network.")
    external_id: str
    handle: str
    display_name: str
    avatar_url: str | None
    status: AccountStatus
    connected: bool = Field(description="Gaung holds its tokens (a sandbox account needs none).")
    token_expires_at: datetime | None = Field(
        description="When the access token expires; null when it does not (Page tokens)."
    )
    last_error: str | None
    last_error_at: datetime | None
    rate_limit: RateLimitRead | None
    created_at: datetime
    updated_at: datetime

    @field_validator("rate_limit", mode="before")
    @classmethod
    def _none_when_unknown(cls, value: Any) -> Any:
        return value or None


class AccountList(Schema):
    items: list[AccountRead]


class SandboxAccountCreate(Input):
    unit_id: DbId
    platform: Platform = Field(description="The network this sandbox account imitates.")
    handle: Label = Field(min_length=1, max_length=100, examples=["@PTPSW_BPPT"])
    display_name: Label = Field(min_length=1, max_length=200)


class AccountUpdate(Input):
    handle: Label | None = Field(default=None, min_length=1, max_length=100)
    display_name: Label | None = Field(default=None, min_length=1, max_length=200)


# --- connecting ------------------------------------------------------------------------------

# The random id of a connection (secrets.token_urlsafe).
ConnectionId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
ExternalId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class ConnectStartBody(Input):
    unit_id: DbId
    platform: Platform = Field(description="Facebook and Instagram both start Facebook Login.")
    account_id: DbId | None = Field(
        default=None, description="Reconnect this account (same network, same account)."
    )


class ConnectStart(Schema):
    id: str = Field(description="Read the result at GET /accounts/connect/{id}.")
    authorize_url: str = Field(description="Send the admin's browser here.")
    expires_at: datetime


class ConnectErrorRead(Schema):
    code: ConnectErrorCode = Field(description="Stable code to translate by.")
    message: str


class ConnectChoice(Schema):
    external_id: str
    platform: Platform
    name: str
    handle: str
    picture_url: str | None
    linked_to: str | None = Field(description="Instagram: the external id of its Facebook Page.")
    connected_account_id: int | None = Field(
        description="The unit's account it already is, if any (choosing it updates its token)."
    )


class ConnectResult(Schema):
    id: str
    unit_id: int
    platform: Platform
    status: ConnectionStatus
    error: ConnectErrorRead | None
    accounts: list[AccountRead] = Field(description="The accounts created or updated.")
    choices: list[ConnectChoice] = Field(description="What to pick from while status is choose.")


class ConnectChoose(Input):
    external_ids: list[ExternalId] = Field(min_length=1, max_length=100)


class ManualAccountCreate(Input):
    unit_id: DbId
    platform: Literal["facebook", "instagram"]
    access_token: str = Field(
        min_length=1,
        max_length=2048,
        pattern=r"^\S+$",
        description="A Page access token (Instagram: the token of the Page it is linked to).",
    )
    page_id: ExternalId | None = Field(
        default=None, description="The Page the token must belong to, when you want it checked."
    )

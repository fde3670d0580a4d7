from __future__ import annotations

from datetime import datetime

from pydantic import Field

from gaung.accounts.models import AccountStatus, Platform
from gaung.kit.schemas import DbId, Input, Label, Schema


class AccountRead(Schema):
    id: int
    unit_id: int
    platform: Platform
    sandbox: bool = Field(description="A simulated account: posts never reach the network.")
    external_id: str
    handle: str
    display_name: str
    status: AccountStatus
    token_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime


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

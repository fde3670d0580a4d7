from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from gaung.kit.schemas import Input


class LoginIn(Input):
    email: str = Field(min_length=3, max_length=254, examples=["admin@ptpsw.example.go.id"])
    password: str = Field(min_length=1, max_length=200)


class RefreshIn(Input):
    refresh_token: str = Field(min_length=10, max_length=200)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")

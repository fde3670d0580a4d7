from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from gaung.kit.schemas import Input

# Request bodies strip their strings; a password is kept exactly as typed, spaces and all.
RawPassword = Annotated[str, StringConstraints(strip_whitespace=False)]


class LoginIn(Input):
    email: str = Field(min_length=3, max_length=254, examples=["admin@ptpsw.example.go.id"])
    password: RawPassword = Field(min_length=1, max_length=200)
    session: Literal["token", "cookie"] = Field(
        default="token",
        description="`cookie` (the web app): the refresh token is set as an HttpOnly cookie "
        "for POST /auth/refresh and left out of the body. `token` (API clients): it is in "
        "the body.",
    )


class RefreshIn(Input):
    refresh_token: str = Field(min_length=10, max_length=200)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str | None = Field(
        default=None,
        description="Absent when the session is kept in a cookie (`session: cookie`).",
    )
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")

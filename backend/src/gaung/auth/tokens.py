"""Short-lived JWT access tokens and opaque refresh tokens (stored hashed)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from gaung.config import Settings
from gaung.kit.schemas import MAX_ID
from gaung.kit.time import utcnow

ALGORITHM = "HS256"
_DIGITS = re.compile(r"[1-9][0-9]{0,9}")
_SID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_id: str


def new_session_id() -> str:
    return secrets.token_hex(16)


def create_access_token(user_id: int, session_id: str, settings: Settings) -> str:
    now = utcnow()
    payload: dict[str, Any] = {
        "sub": str(user_id),
        "sid": session_id,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
        "typ": "access",
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(payload, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str, settings: Settings) -> AccessClaims | None:
    """The token's user and session, or None for any token that is invalid, expired, not an
    access token, or whose ids could not be a row (a huge ``sub`` must not reach the database)."""
    try:
        payload = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub", "sid"]},
        )
    except jwt.PyJWTError:
        return None
    sub, sid = payload.get("sub"), payload.get("sid")
    if payload.get("typ") != "access" or not isinstance(sub, str) or not isinstance(sid, str):
        return None
    if not _DIGITS.fullmatch(sub) or int(sub) > MAX_ID or not _SID.fullmatch(sid):
        return None
    return AccessClaims(user_id=int(sub), session_id=sid)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

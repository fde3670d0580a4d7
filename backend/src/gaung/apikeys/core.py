"""API key scopes and the key format, free of the web and the database.

A key reads ``gk_<prefix>_<secret>``: the prefix finds its row, the SHA-256 of the whole key
is compared in constant time. Keys are 256 random bits, so a fast hash is enough (a password
hash is for guessable secrets)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum

from gaung.auth.permissions import Perm

KEY_MARK = "gk_"
PREFIX_LEN = 12


class Scope(StrEnum):
    posts_read = "posts:read"
    calendar_read = "calendar:read"
    metrics_read = "metrics:read"
    submissions_write = "submissions:write"


# What the key's maker must be allowed in the unit to give a key each scope: a key never
# does more than a person of that role could.
SCOPE_NEEDS: dict[Scope, Perm] = {
    Scope.posts_read: Perm.read,
    Scope.calendar_read: Perm.read,
    Scope.metrics_read: Perm.read,
    Scope.submissions_write: Perm.write_posts,
}


def new_key() -> tuple[str, str]:
    """(the key to show once, its prefix)."""
    prefix = secrets.token_hex(PREFIX_LEN // 2)
    return f"{KEY_MARK}{prefix}_{secrets.token_urlsafe(32)}", prefix


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_key(token: str) -> bool:
    return token.startswith(KEY_MARK)


def prefix_of(key: str) -> str | None:
    rest = key[len(KEY_MARK) :]
    if len(rest) <= PREFIX_LEN + 1 or rest[PREFIX_LEN] != "_":
        return None
    return rest[:PREFIX_LEN]


def matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(key_hash(key), stored_hash)

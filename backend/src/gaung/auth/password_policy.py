"""Which passwords may be set: long enough, not common or guessable, not the user's own name or
email. Pure: no web or database code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 200
# zxcvbn's score 0-4; 3 is "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
# zxcvbn slows down on long input, and the first characters decide its verdict anyway.
_ZXCVBN_CHARS = 100


@dataclass(frozen=True)
class PasswordProblem:
    code: str  # stable, to translate by
    message: str


def _personal_words(email: str, name: str) -> list[str]:
    local = email.split("@", 1)[0]
    words = [email, local, name, *re.split(r"[\s._+-]+", f"{local} {name}")]
    return [w.casefold() for w in words if len(w) >= 4]


def check_password(password: str, *, email: str = "", name: str = "") -> PasswordProblem | None:
    """The first rule the password breaks, or None when it may be used."""
    if len(password) < MIN_LENGTH:
        return PasswordProblem(
            "password_too_short", f"must be at least {MIN_LENGTH} characters long"
        )
    if len(password) > MAX_LENGTH:
        return PasswordProblem("password_too_long", f"must be at most {MAX_LENGTH} characters")
    if not password.strip():
        return PasswordProblem("password_too_weak", "must not be only spaces")
    folded = password.casefold()
    personal = _personal_words(email, name)
    if any(word in folded for word in personal):
        return PasswordProblem("password_personal", "must not contain your name or email")
    result = zxcvbn(password[:_ZXCVBN_CHARS], user_inputs=personal)
    if result["score"] < MIN_SCORE:
        warning = result["feedback"].get("warning") or "it is too easy to guess"
        return PasswordProblem(
            "password_too_weak",
            f"is too easy to guess ({warning.rstrip('.')}); use a longer phrase of uncommon words",
        )
    return None

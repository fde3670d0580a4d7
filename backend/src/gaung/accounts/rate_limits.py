"""An account's latest rate-limit state, as its network reported it, kept on the account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gaung.accounts.models import PlatformAccount
from gaung.platforms.protocol import RateLimit


def as_json(limit: RateLimit) -> dict[str, Any]:
    return {
        "limit": limit.limit,
        "remaining": limit.remaining,
        "resets_at": limit.resets_at.isoformat() if limit.resets_at else None,
        "usage_pct": limit.usage_pct,
        "observed_at": limit.observed_at.isoformat(),
    }


def recorder(account: PlatformAccount) -> Callable[[RateLimit], None]:
    """The ``on_rate_limit`` callback for ``bind(account, …)``: the newest report replaces the
    last one (committed with the rest of the caller's transaction). A report about another
    account (a connector may read a linked one) is not this account's budget."""

    def record(limit: RateLimit) -> None:
        if limit.account_external_id not in ("", account.external_id):
            return
        # A new dict, so the JSON column sees the change.
        account.rate_limit = as_json(limit)

    return record

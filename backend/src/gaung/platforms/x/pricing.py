"""What an X API call costs under pay-per-use, and which price class each call Gaung makes is in.

Provenance: ``shared/reference/platform-apis.md`` A1, from X's pricing page
(``docs.x.com/x-api/getting-started/pricing``, docs snapshot of 2026-08-22), marked confirmed
there. Writes are billed per request, reads per returned resource:

==========================  =======  ===============================================
class                       USD      calls Gaung makes in it
==========================  =======  ===============================================
``post_create``             0.015    ``POST /2/tweets`` (a post or a thread's next post)
``post_create_url``         0.20     the same when its text holds a URL
``summoned_reply``          0.01     ``POST /2/tweets`` answering someone (``reply``)
``post_read``               0.005    per post returned by ``GET /2/tweets``, recent search,
                                     and another user's timeline or mentions
``user_read``               0.010    per user returned by ``GET /2/users/{id}``, ``/users/me``
``owned_read``              0.001    per post of the app owner's own timeline or mentions
==========================  =======  ===============================================

Not billed in that table, so not counted: media upload (the pricing page lists no price for
``/2/media/upload*``), alt text, OAuth token calls, and failed calls (X bills only what it
accepted). Assumptions where the page is silent, each erring towards a higher estimate so a
unit's cap holds: a reply whose text holds a URL is a ``post_create_url``; X de-duplicates
reads of one resource within a UTC day, which is not modelled (a re-read counts again).
Users returned alongside posts (``includes.users``) are not counted: the page bills the
resources a read returns, and names posts and users read, not expansions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from gaung.platforms.x.counting import extract_urls_with_indices


class PriceClass(StrEnum):
    post_create = "post_create"
    post_create_url = "post_create_url"
    summoned_reply = "summoned_reply"
    post_read = "post_read"
    user_read = "user_read"
    owned_read = "owned_read"


# Millionths of a US dollar, so sums stay exact integers.
MICRO_USD: Final[Mapping[PriceClass, int]] = MappingProxyType(
    {
        PriceClass.post_create: 15_000,
        PriceClass.post_create_url: 200_000,
        PriceClass.summoned_reply: 10_000,
        PriceClass.post_read: 5_000,
        PriceClass.user_read: 10_000,
        PriceClass.owned_read: 1_000,
    }
)

WRITES: Final = frozenset(
    {PriceClass.post_create, PriceClass.post_create_url, PriceClass.summoned_reply}
)

_USER_TIMELINE = re.compile(r"^/2/users/([^/]+)/(tweets|mentions)$")
_USER = re.compile(r"^/2/users(/me|/[^/]+)?$")
_POSTS = re.compile(r"^/2/tweets(/search/recent|/[0-9]+)?$")


def price_class(
    method: str,
    path: str,
    *,
    body: Any = None,
    is_reply: bool = False,
    app_owner_id: str = "",
) -> PriceClass | None:
    """The class of a call to X (path without host), or None when the call is not billed.
    ``is_reply`` marks a reply to someone else (a thread's next post is a post);
    ``app_owner_id`` is the X user id that owns the app, whose own reads are cheaper."""
    method = method.upper()
    if method == "POST" and path == "/2/tweets":
        text = body.get("text") if isinstance(body, dict) else None
        if isinstance(text, str) and extract_urls_with_indices(text):
            return PriceClass.post_create_url
        return PriceClass.summoned_reply if is_reply else PriceClass.post_create
    if method != "GET":
        return None
    timeline = _USER_TIMELINE.match(path)
    if timeline is not None:
        owned = bool(app_owner_id) and timeline.group(1) == app_owner_id
        return PriceClass.owned_read if owned else PriceClass.post_read
    if _POSTS.match(path):
        return PriceClass.post_read
    if _USER.match(path):
        return PriceClass.user_read
    return None


def billed_count(price: PriceClass, answer: Mapping[str, Any]) -> int:
    """How many units of ``price`` an accepted call costs: one per write, one per resource in
    a read's ``data`` (a list, or one object)."""
    if price in WRITES:
        return 1
    data = answer.get("data")
    if isinstance(data, list):
        return sum(1 for item in data if isinstance(item, dict))
    return 1 if isinstance(data, dict) else 0


def micro_usd(price: PriceClass | str, count: int) -> int:
    return MICRO_USD[PriceClass(price)] * count

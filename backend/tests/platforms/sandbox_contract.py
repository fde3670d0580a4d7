"""Contract checks run on the sandbox connector over its stores (the real networks' table is
``contract.py``; the two are to become one table).

A network's tests build a ``Harness`` (its connector pointed at a fake network, an account, a
post that publishes and posts that fail) and run every check in ``CHECKS`` on it:

    @pytest.mark.parametrize("check", CHECKS, ids=CHECK_IDS)
    async def test_contract(check: Check, harness: Harness) -> None:
        await check(harness)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

import pytest

from gaung.platforms.protocol import (
    AccountCredentials,
    Connector,
    ConnectorError,
    VariantToPublish,
)


class Harness(Protocol):
    connector: Connector
    account: AccountCredentials
    # A post the fake network accepts.
    publishable: VariantToPublish
    # Posts the fake network refuses, each with the error type the connector must raise.
    failures: Sequence[tuple[VariantToPublish, type[ConnectorError]]]

    def now(self) -> datetime:
        """The fake network's present."""
        ...

    def pass_time(self, delta: timedelta) -> None:
        """Let the fake network's time move on (a no-op where answers are fixed)."""
        ...


Check = Callable[[Harness], Awaitable[None]]


async def publish_returns_id_and_url(h: Harness) -> None:
    result = await h.connector.publish(h.account, h.publishable)
    assert isinstance(result.external_id, str) and result.external_id
    assert result.url is None or result.url.startswith("https://")


async def find_recent_finds_what_was_published(h: Harness) -> None:
    since = h.now() - timedelta(minutes=1)
    result = await h.connector.publish(h.account, h.publishable)
    found = await h.connector.find_recent(h.account, since)
    assert result.external_id in [p.external_id for p in found]
    assert all(p.published_at >= since for p in found)


async def account_metrics_are_not_negative(h: Harness) -> None:
    metrics = await h.connector.account_metrics(h.account)
    assert metrics.measured_at.tzinfo is not None
    for figure in (metrics.followers, metrics.following, metrics.posts):
        assert figure is None or figure >= 0


async def post_metrics_are_not_negative(h: Harness) -> None:
    result = await h.connector.publish(h.account, h.publishable)
    h.pass_time(timedelta(hours=6))
    metrics = await h.connector.post_metrics(h.account, [result.external_id])
    assert [m.external_id for m in metrics] == [result.external_id]
    for m in metrics:
        figures = (m.impressions, m.reach, m.likes, m.replies, m.shares, m.clicks)
        assert all(f is None or f >= 0 for f in figures)
        assert all(v >= 0 for v in m.extra.values())


async def conversations_are_since_the_time_asked(h: Harness) -> None:
    await h.connector.publish(h.account, h.publishable)
    h.pass_time(timedelta(hours=2))
    since = h.now()
    h.pass_time(timedelta(days=2))
    conversations = await h.connector.fetch_conversations(h.account, since)
    for conversation in conversations:
        assert conversation.messages
        assert all(m.sent_at.tzinfo is not None for m in conversation.messages)
        # Older messages may come along for context, but each thread has something new.
        assert max(m.sent_at for m in conversation.messages) >= since


async def failures_are_the_typed_errors(h: Harness) -> None:
    assert h.failures, "a harness must show at least one refusal"
    for variant, expected in h.failures:
        with pytest.raises(expected) as caught:
            await h.connector.publish(h.account, variant)
        error = caught.value
        assert error.message and error.message_id
        assert "Traceback" not in error.message and "{" not in error.message


CHECKS: list[Check] = [
    publish_returns_id_and_url,
    find_recent_finds_what_was_published,
    account_metrics_are_not_negative,
    post_metrics_are_not_negative,
    conversations_are_since_the_time_asked,
    failures_are_the_typed_errors,
]
CHECK_IDS = [check.__name__ for check in CHECKS]

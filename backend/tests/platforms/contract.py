"""The one contract every connector keeps, whatever its network: a table of behaviours, each run
against every connector through an ``Adapter`` (its connector pointed at a fake of its network,
an account, posts the fake accepts, and how to make the fake refuse).

Adapters live beside their connector's tests (``x/fake.py``, ``meta/fake.py``,
``sandbox/support.py``); ``test_contract.py`` runs the table on X, Facebook and Instagram
(respx) and on the sandbox imitating each; ``accounts/test_sandbox.py`` runs it on the sandbox
over the database. A behaviour a network does not have is left out by its ``needs``
(Instagram publishes no text-only post; the sandbox has no OAuth grant), never skipped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final, TypeVar

import pytest

from gaung.platforms.protocol import (
    AccountCredentials,
    AccountMetrics,
    AuthError,
    AuthorizeRequest,
    Connector,
    ConnectorError,
    Conversation,
    PermanentError,
    PostMetrics,
    PublishResult,
    RecentPost,
    RetryableError,
    TokenSet,
    VariantToPublish,
)
from gaung.platforms.registry import NETWORKS, connector_for
from gaung.platforms.sandbox.connector import MemoryStore, SandboxConnector

# What an adapter's network can do besides the behaviours every one has.
TEXT: Final = "text"  # publishes a post without media
OAUTH: Final = "oauth"  # grants access through OAuth (authorize URL, refresh)


E = TypeVar("E", bound=ConnectorError)


def _stand_still(_delta: timedelta) -> None:
    """Time for a fake whose answers are fixed moments: it does not move."""


@dataclass
class Adapter:
    connector: Connector
    account: AccountCredentials
    # A post with media the fake accepts, and a text-only one (None where the network has none).
    media: VariantToPublish
    text: VariantToPublish | None
    # Something the account may answer (a comment, a mention, or its own post).
    reply_target: Callable[[], Awaitable[str]]
    # Ways to make the fake refuse a publish: the error type and a function that arranges the
    # refusal and gives the post to publish.
    failures: Sequence[tuple[type[ConnectorError], Callable[[], VariantToPublish]]]
    now: Callable[[], datetime]
    pass_time: Callable[[timedelta], None] = _stand_still
    sandbox: bool = False

    @property
    def post(self) -> VariantToPublish:
        return self.text or self.media


def _published(result: PublishResult) -> None:
    assert isinstance(result, PublishResult)
    assert isinstance(result.external_id, str) and result.external_id
    assert result.url is None or result.url.startswith("https://")


def _not_negative(*figures: int | None) -> None:
    assert all(f is None or f >= 0 for f in figures), figures


async def publish_text(a: Adapter) -> None:
    assert a.text is not None
    _published(await a.connector.publish(a.account, a.text))


async def publish_with_media(a: Adapter) -> None:
    assert a.media.media
    _published(await a.connector.publish(a.account, a.media))


async def find_recent_finds_what_was_published(a: Adapter) -> None:
    since = a.now() - timedelta(minutes=1)
    result = await a.connector.publish(a.account, a.post)
    found = await a.connector.find_recent(a.account, since)
    assert found and all(isinstance(p, RecentPost) and p.external_id for p in found)
    assert result.external_id in [p.external_id for p in found]
    assert all(p.published_at.tzinfo is not None and p.published_at >= since for p in found)


async def account_metrics_are_counts(a: Adapter) -> None:
    metrics = await a.connector.account_metrics(a.account)
    assert isinstance(metrics, AccountMetrics)
    assert metrics.measured_at.tzinfo is not None
    _not_negative(metrics.followers, metrics.following, metrics.posts, metrics.page_likes)


async def post_metrics_name_their_post(a: Adapter) -> None:
    result = await a.connector.publish(a.account, a.post)
    a.pass_time(timedelta(hours=6))
    metrics = await a.connector.post_metrics(a.account, [result.external_id])
    assert [m.external_id for m in metrics] == [result.external_id]
    for m in metrics:
        assert isinstance(m, PostMetrics) and m.measured_at.tzinfo is not None
        _not_negative(m.impressions, m.reach, m.likes, m.replies, m.shares, m.clicks)
        _not_negative(*m.extra.values())


async def conversations_are_since_the_time_asked(a: Adapter) -> None:
    start = a.now()
    await a.connector.publish(a.account, a.post)
    a.pass_time(timedelta(hours=2))
    since = a.now()
    a.pass_time(timedelta(days=2))
    recent = await a.connector.fetch_conversations(a.account, since)
    for conversation in recent:
        # Older messages may come along for context, but each thread has something new.
        assert conversation.messages
        assert max(m.sent_at for m in conversation.messages) >= since
    # Over the whole time since the post, its audience has said something.
    found = await a.connector.fetch_conversations(a.account, start - timedelta(days=30))
    assert found
    for conversation in [*recent, *found]:
        assert isinstance(conversation, Conversation) and conversation.messages
        assert all(m.sent_at.tzinfo is not None for m in conversation.messages)


async def reply_returns_an_id(a: Adapter) -> None:
    target = await a.reply_target()
    result = await a.connector.reply(a.account, target, "Terima kasih!")
    assert isinstance(result.external_id, str) and result.external_id


async def _refusals(a: Adapter, kind: type[E]) -> list[E]:
    arrangements = [arrange for expected, arrange in a.failures if expected is kind]
    assert arrangements, f"an adapter must show a {kind.__name__}"
    errors: list[E] = []
    for arrange in arrangements:
        with pytest.raises(kind) as caught:
            await a.connector.publish(a.account, arrange())
        error = caught.value
        # Written for a unit admin, in English and Indonesian: no trace, no raw payload.
        assert error.message and error.message_id
        assert "Traceback" not in error.message and "{" not in error.message
        errors.append(error)
    return errors


async def auth_error(a: Adapter) -> None:
    await _refusals(a, AuthError)


async def retryable_error_says_when(a: Adapter) -> None:
    for error in await _refusals(a, RetryableError):
        assert error.retry_after is not None and error.retry_after > 0


async def permanent_error_has_a_code(a: Adapter) -> None:
    for error in await _refusals(a, PermanentError):
        assert error.code


async def refresh_keeps_a_token(a: Adapter) -> None:
    tokens = await a.connector.refresh_token(a.account)
    assert isinstance(tokens, TokenSet) and tokens.access_token


async def authorize_url_carries_the_state(a: Adapter) -> None:
    request = a.connector.authorize_url("https://gaung.example/cb", "state-123")
    assert isinstance(request, AuthorizeRequest)
    assert request.state == "state-123" and "state-123" in request.url


async def registered_for_its_network(a: Adapter) -> None:
    platform = a.connector.platform
    if a.sandbox:
        made = connector_for(platform, sandbox=True, sandbox_store=MemoryStore())
        assert made is not None and isinstance(a.connector, SandboxConnector)
    else:
        assert NETWORKS[platform].connector is not None


@dataclass(frozen=True)
class Check:
    run: Callable[[Adapter], Awaitable[None]]
    needs: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        return self.run.__name__

    async def __call__(self, a: Adapter) -> None:
        await self.run(a)


CHECKS: list[Check] = [
    Check(publish_text, frozenset({TEXT})),
    Check(publish_with_media),
    Check(find_recent_finds_what_was_published),
    Check(account_metrics_are_counts),
    Check(post_metrics_name_their_post),
    Check(conversations_are_since_the_time_asked),
    Check(reply_returns_an_id),
    Check(auth_error),
    Check(retryable_error_says_when),
    Check(permanent_error_has_a_code),
    Check(refresh_keeps_a_token, frozenset({OAUTH})),
    Check(authorize_url_carries_the_state, frozenset({OAUTH})),
    Check(registered_for_its_network),
]


def cases(adapters: Mapping[str, Collection[str]]) -> list[object]:
    """``pytest.param(adapter name, check)`` for every check each adapter's network can do
    (``adapters``: name → what it can do besides the common behaviours)."""
    return [
        pytest.param(name, check, id=f"{name}-{check.name}")
        for name, can in adapters.items()
        for check in CHECKS
        if check.needs <= set(can)
    ]

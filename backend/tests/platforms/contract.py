"""The contract every connector keeps, whatever its network: one table of checks, each run
against a connector whose network (or stub of it) answers successfully.

A network's test module builds a ``Subject`` (its connector, an account, a variant the network
accepts, a message id a reply can answer) with its stubs in place and runs every check in
``CHECKS`` against it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gaung.platforms.protocol import (
    AccountCredentials,
    AccountMetrics,
    AuthorizeRequest,
    Connector,
    Conversation,
    PostMetrics,
    PublishResult,
    RecentPost,
    TokenSet,
    VariantToPublish,
)
from gaung.platforms.registry import NETWORKS


@dataclass(frozen=True)
class Subject:
    connector: Connector
    account: AccountCredentials
    variant: VariantToPublish
    reply_to: str


async def publish_returns_an_id(subject: Subject) -> None:
    result = await subject.connector.publish(subject.account, subject.variant)
    assert isinstance(result, PublishResult)
    assert result.external_id


async def find_recent_gives_posts(subject: Subject) -> None:
    since = datetime.now(UTC) - timedelta(days=1)
    posts = await subject.connector.find_recent(subject.account, since)
    assert posts and all(isinstance(post, RecentPost) and post.external_id for post in posts)
    assert all(post.published_at.tzinfo is not None for post in posts)


async def account_metrics_are_counts(subject: Subject) -> None:
    metrics = await subject.connector.account_metrics(subject.account)
    assert isinstance(metrics, AccountMetrics)
    assert metrics.followers is None or metrics.followers >= 0


async def post_metrics_name_their_post(subject: Subject) -> None:
    since = datetime.now(UTC) - timedelta(days=1)
    ids = [post.external_id for post in await subject.connector.find_recent(subject.account, since)]
    metrics = await subject.connector.post_metrics(subject.account, ids)
    assert metrics and all(isinstance(m, PostMetrics) for m in metrics)
    assert {m.external_id for m in metrics} <= set(ids)


async def conversations_hold_messages(subject: Subject) -> None:
    since = datetime.now(UTC) - timedelta(days=30)
    found = await subject.connector.fetch_conversations(subject.account, since)
    assert found and all(isinstance(c, Conversation) and c.messages for c in found)
    assert all(m.sent_at.tzinfo is not None for c in found for m in c.messages)


async def reply_returns_an_id(subject: Subject) -> None:
    result = await subject.connector.reply(subject.account, subject.reply_to, "Terima kasih!")
    assert result.external_id


async def refresh_keeps_a_token(subject: Subject) -> None:
    tokens = await subject.connector.refresh_token(subject.account)
    assert isinstance(tokens, TokenSet) and tokens.access_token


async def authorize_url_carries_the_state(subject: Subject) -> None:
    request = subject.connector.authorize_url("https://gaung.example/cb", "state-123")
    assert isinstance(request, AuthorizeRequest)
    assert request.state == "state-123" and "state-123" in request.url


async def registered_for_its_network(subject: Subject) -> None:
    assert NETWORKS[subject.connector.platform].connector is not None


CHECKS: list[Callable[[Subject], Awaitable[None]]] = [
    publish_returns_an_id,
    find_recent_gives_posts,
    account_metrics_are_counts,
    post_metrics_name_their_post,
    conversations_hold_messages,
    reply_returns_an_id,
    refresh_keeps_a_token,
    authorize_url_carries_the_state,
    registered_for_its_network,
]

"""What a network connector does, and the plain data it takes and returns.

A connector talks to one network's API for one account at a time. It takes plain values —
decrypted credentials, texts, media files — and never database models or request objects:
``accounts/`` and the publishing code turn their models into these. Rules (what a post may
hold) are not a connector's job; they live in each network's ``rules.py`` and apply whether
or not a connector exists (the registry pairs them).

Failures are typed so the caller knows what to do next: try again later
(``RetryableError``), ask an admin to reconnect the account (``AuthError``), or give up on
this post and say why (``PermanentError``). Their messages are shown to unit admins, so they
say what happened in plain words, never a stack trace or raw API payload.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

import httpx

from gaung.platforms.types import MediaInfo, Platform

# --- what goes in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountCredentials:
    """One connected account with its tokens already decrypted (kept in memory only)."""

    platform: Platform
    external_id: str
    handle: str
    # Tokens never reach logs or tracebacks through a repr.
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    token_expires_at: datetime | None = None


@dataclass(frozen=True)
class MediaFile:
    """One attached file: its facts, where to read it, and the public URL networks that fetch
    media themselves (Instagram, Facebook) are given."""

    info: MediaInfo
    path: Path
    public_url: str
    alt_text: str | None = None


@dataclass(frozen=True)
class VariantToPublish:
    """A variant's text and media, in the order they are shown."""

    text: str
    media: Sequence[MediaFile] = ()
    # A thread's next post answers the account's own previous one (X); None for a new post.
    in_reply_to: str | None = None
    # Facebook: the address the feed post carries (its link preview).
    link: str | None = None


# --- what comes out --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishResult:
    """Where a published post (or reply) lives on the network."""

    external_id: str
    url: str | None


@dataclass(frozen=True)
class RecentPost:
    """A post found on the account, for reconciling a publish whose answer was lost."""

    external_id: str
    url: str | None
    text: str
    published_at: datetime


@dataclass(frozen=True)
class AccountMetrics:
    """Account figures at one moment; a figure the network does not give is ``None``."""

    measured_at: datetime
    followers: int | None = None
    following: int | None = None
    posts: int | None = None
    # Facebook Pages: people who like the Page (``fan_count``), besides its followers.
    page_likes: int | None = None
    # The figures under the network's own names, kept beside the normalised ones (the same
    # figures, so not part of equality).
    raw: Mapping[str, int] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class PostMetrics:
    """One published post's figures at one moment; ``None`` where the network gives none."""

    external_id: str
    measured_at: datetime
    impressions: int | None = None
    reach: int | None = None
    likes: int | None = None
    replies: int | None = None
    shares: int | None = None
    clicks: int | None = None
    extra: Mapping[str, int] = field(default_factory=dict)
    # The figures under the network's own names (``like_count``, ``saved``…).
    raw: Mapping[str, int] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Message:
    """One comment, mention or direct message; ``from_account`` when the account wrote it."""

    external_id: str
    author_id: str
    author_handle: str
    author_name: str | None
    text: str
    sent_at: datetime
    from_account: bool = False


@dataclass(frozen=True)
class Conversation:
    """A thread the inbox shows: the comments under one post, a mention, or a DM thread."""

    external_id: str
    kind: Literal["comment", "mention", "direct"]
    messages: Sequence[Message]
    post_external_id: str | None = None


@dataclass(frozen=True)
class AuthorizeRequest:
    """Where to send the admin to grant access, and what to keep until the callback."""

    url: str
    state: str
    code_verifier: str | None = None


@dataclass(frozen=True)
class TokenSet:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None


@dataclass(frozen=True)
class ConnectedAccount:
    """An account the admin granted access to (a Facebook login may grant several Pages)."""

    external_id: str
    handle: str
    display_name: str
    tokens: TokenSet
    avatar_url: str | None = None


# --- what a connector is given ----------------------------------------------------------------


@dataclass(frozen=True)
class Endpoints:
    """Every host and app credential a connector uses, as plain values (from the settings), so
    tests and harnesses can point any network at a fake server."""

    x_api_base_url: str = "https://api.x.com"
    x_authorize_url: str = "https://x.com/i/oauth2/authorize"
    x_client_id: str = ""
    x_client_secret: str = field(default="", repr=False)
    # The post-fields query parameter's name (`post.fields` since spec 2.167, unconfirmed live).
    x_post_fields_param: str = "tweet.fields"
    # The X user id of the developer account owning the app: its own timeline and mentions
    # are billed as cheaper "owned reads". Empty: no connected account is assumed to be it.
    x_app_owner_id: str = ""
    graph_api_base_url: str = "https://graph.facebook.com"
    graph_video_base_url: str = "https://graph-video.facebook.com"
    graph_rupload_base_url: str = "https://rupload.facebook.com"
    graph_api_version: str = "v25.0"
    facebook_dialog_url: str = "https://www.facebook.com/v25.0/dialog/oauth"
    instagram_api_base_url: str = "https://graph.instagram.com"
    meta_app_id: str = ""
    meta_app_secret: str = field(default="", repr=False)


@dataclass(frozen=True)
class RateLimit:
    """What a network said about an account's remaining budget (parsed from its headers), so
    callers can wait instead of failing. ``usage_pct`` is Meta's busiest usage figure."""

    account_external_id: str
    observed_at: datetime
    limit: int | None = None
    remaining: int | None = None
    resets_at: datetime | None = None
    usage_pct: float | None = None
    raw: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Usage:
    """A billable call the network accepted (X bills per use): ``count`` units of
    ``price_class`` — one per write, one per returned resource for a read."""

    account_external_id: str
    price_class: str
    count: int


@dataclass(frozen=True)
class Context:
    """What every connector is built with: one shared HTTP client (with timeouts), the
    endpoints, where to report rate-limit state (the caller stores it per account) and
    where to report billable usage (the caller adds it to the unit's spend)."""

    http: httpx.AsyncClient
    endpoints: Endpoints
    on_rate_limit: Callable[[RateLimit], None] = lambda _limit: None
    on_usage: Callable[[Usage], None] = lambda _usage: None


# --- errors ----------------------------------------------------------------------------------


class ConnectorError(Exception):
    """A network call failed; ``message`` (English) and ``message_id`` (Indonesian) are
    written for a unit admin, not a developer."""

    def __init__(self, message: str, message_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_id = message_id or message


class RetryableError(ConnectorError):
    """Worth trying again: rate limit, timeout, 5xx. ``retry_after`` in seconds when known."""

    def __init__(
        self, message: str, retry_after: float | None = None, message_id: str | None = None
    ) -> None:
        super().__init__(message, message_id)
        self.retry_after = retry_after


class AuthError(ConnectorError):
    """The account's access is gone or expired beyond refresh: an admin must reconnect it."""


class PermanentError(ConnectorError):
    """The network refused this request for good (e.g. a duplicate post, media it rejects).

    ``code`` is stable and machine-readable (``x.duplicate_content``); ``message`` says what
    happened and, when there is one, what to change.
    """

    def __init__(self, code: str, message: str, message_id: str | None = None) -> None:
        super().__init__(message, message_id)
        self.code = code


# --- the protocol ----------------------------------------------------------------------------


class Connector(Protocol):
    """One network's API. Every call may raise ``RetryableError``, ``AuthError`` or
    ``PermanentError``; nothing else escapes (network and parsing failures are mapped)."""

    @property
    def platform(self) -> Platform: ...

    async def publish(
        self, account: AccountCredentials, variant: VariantToPublish
    ) -> PublishResult: ...

    async def find_recent(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[RecentPost]: ...

    async def account_metrics(self, account: AccountCredentials) -> AccountMetrics: ...

    async def post_metrics(
        self, account: AccountCredentials, external_ids: Sequence[str]
    ) -> Sequence[PostMetrics]: ...

    async def fetch_conversations(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[Conversation]: ...

    async def reply(
        self, account: AccountCredentials, in_reply_to: str, text: str
    ) -> PublishResult: ...

    async def comment(self, account: AccountCredentials, on: str, text: str) -> PublishResult:
        """The account's own comment on its post ``on`` (an Instagram first comment; on X a
        reply, which is how a thread continues)."""
        ...

    async def refresh_token(self, account: AccountCredentials) -> TokenSet: ...

    def authorize_url(self, redirect_uri: str, state: str) -> AuthorizeRequest: ...

    async def exchange_callback(
        self, redirect_uri: str, code: str, request: AuthorizeRequest
    ) -> Sequence[ConnectedAccount]: ...

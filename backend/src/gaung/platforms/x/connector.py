"""The X connector: publish posts, threads and replies, read metrics and conversations, and
run the OAuth 2.0 (PKCE) grant, over the X API v2 (``shared/reference/platform-apis.md``,
Part A).

Round trips are kept few: images upload concurrently (one request each), post metrics are
read 100 ids per call, and conversations under the account's posts come from one search
query per batch of conversation ids. Every loop is bounded (pages, status polls) and polling
sleeps through an injectable function, so tests never wait.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import math
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlencode

from gaung.platforms.protocol import (
    AccountCredentials,
    AccountMetrics,
    AuthorizeRequest,
    ConnectedAccount,
    Context,
    Conversation,
    MediaFile,
    Message,
    PermanentError,
    PostMetrics,
    PublishResult,
    RecentPost,
    TokenSet,
    VariantToPublish,
)
from gaung.platforms.types import Platform
from gaung.platforms.x.client import XClient, auth_error, permanent, retryable

SCOPES: Final = "tweet.read tweet.write users.read media.write offline.access"
PUBLIC_URL: Final = "https://x.com"

# Chunks stay at or under 4 MiB (the official sample's size; v1.1 allowed 5 MB).
CHUNK_BYTES: Final = 4 * 1024 * 1024
OCTETS: Final = "application/octet-stream"
MAX_STATUS_POLLS: Final = 60
MAX_ALT_TEXT: Final = 1000
MAX_CHECK_AFTER_S: Final = 30.0
MAX_IDS_PER_LOOKUP: Final = 100
# Non-public figures come only for the account's own posts of the last 30 days; others come
# back without them (a partial error, not a failure).
METRIC_FIELDS: Final = "public_metrics,non_public_metrics,created_at"
PUBLIC_METRIC_FIELDS: Final = "public_metrics,created_at"
MAX_PAGES: Final = 5
PAGE_SIZE: Final = 100
# Recent search only reaches the last 7 days; a minute's margin keeps start_time inside it.
SEARCH_WINDOW: Final = timedelta(days=7) - timedelta(minutes=1)
MAX_QUERY_CHARS: Final = 512
CONVERSATION_FIELDS: Final = "created_at,author_id,conversation_id,in_reply_to_user_id"

Sleep = Callable[[float], Awaitable[None]]


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: object) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    return datetime.fromtimestamp(0, UTC)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _read_chunk(path: Path, start: int, size: int) -> bytes:
    with path.open("rb") as file:
        file.seek(start)
        return file.read(size)


def post_url(handle: str, post_id: str) -> str:
    if handle:
        return f"{PUBLIC_URL}/{handle}/status/{post_id}"
    return f"{PUBLIC_URL}/i/web/status/{post_id}"


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier (86 chars of ``[A-Za-z0-9-_]``) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
    return verifier, challenge


def _media_category(media: MediaFile) -> str:
    return {"image": "tweet_image", "gif": "tweet_gif", "video": "tweet_video"}[media.info.kind]


def query_batches(ids: Sequence[str], limit: int = MAX_QUERY_CHARS) -> list[str]:
    """``conversation_id:A OR conversation_id:B …`` queries, each within X's query length."""
    batches: list[str] = []
    current = ""
    for post_id in ids:
        term = f"conversation_id:{post_id}"
        candidate = f"{current} OR {term}" if current else term
        if current and len(candidate) > limit:
            batches.append(current)
            candidate = term
        current = candidate
    if current:
        batches.append(current)
    return batches


@dataclass
class XConnector:
    ctx: Context
    sleep: Sleep = asyncio.sleep
    clock: Callable[[], datetime] = _now
    client: XClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = XClient(self.ctx, self.clock)

    @property
    def platform(self) -> Platform:
        return Platform.x

    @property
    def _fields_param(self) -> str:
        return self.ctx.endpoints.x_post_fields_param

    # --- publishing --------------------------------------------------------------------------

    async def publish(
        self, account: AccountCredentials, variant: VariantToPublish
    ) -> PublishResult:
        media_ids: list[str] = []
        if variant.media:
            # Images upload side by side; a GIF or video is alone in its post anyway.
            media_ids = list(
                await asyncio.gather(*(self._upload(account, m) for m in variant.media))
            )
        body: dict[str, Any] = {"text": variant.text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        if variant.in_reply_to:
            body["reply"] = {"in_reply_to_tweet_id": variant.in_reply_to}
        # A thread answers the account's own post, which X always allows: a 403 there is not
        # the "not summoned" refusal, so it is not reported as one.
        return await self._create(account, body, is_reply=False)

    async def comment(self, account: AccountCredentials, on: str, text: str) -> PublishResult:
        # On X a thread's next part is a post answering the account's own previous one.
        return await self.publish(account, VariantToPublish(text, in_reply_to=on))

    async def reply(
        self, account: AccountCredentials, in_reply_to: str, text: str
    ) -> PublishResult:
        body = {"text": text, "reply": {"in_reply_to_tweet_id": in_reply_to}}
        return await self._create(account, body, is_reply=True)

    async def _create(
        self, account: AccountCredentials, body: dict[str, Any], *, is_reply: bool
    ) -> PublishResult:
        answer = await self.client.request(
            "POST",
            "/2/tweets",
            token=account.access_token,
            account_id=account.external_id,
            json_body=body,
            is_reply=is_reply,
        )
        data = answer.get("data")
        post_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(post_id, str) or not post_id:
            # The post may exist: the caller reconciles through find_recent, never re-posts.
            raise retryable("unreadable")
        return PublishResult(external_id=post_id, url=post_url(account.handle, post_id))

    async def _upload(self, account: AccountCredentials, media: MediaFile) -> str:
        media_id = await self._upload_file(account, media)
        if media.alt_text:
            # Alt text is set on the uploaded media, before the post that shows it.
            await self.client.request(
                "POST",
                "/2/media/metadata",
                token=account.access_token,
                account_id=account.external_id,
                json_body={
                    "id": media_id,
                    "metadata": {"alt_text": {"text": media.alt_text[:MAX_ALT_TEXT]}},
                },
            )
        return media_id

    async def _upload_file(self, account: AccountCredentials, media: MediaFile) -> str:
        category = _media_category(media)
        if media.info.kind == "image":
            content = await asyncio.to_thread(media.path.read_bytes)
            answer = await self.client.request(
                "POST",
                "/2/media/upload",
                token=account.access_token,
                account_id=account.external_id,
                data={"media_category": category},
                files={"media": (media.path.name, content, media.info.mime_type)},
            )
            return self._media_id(answer)
        return await self._upload_chunked(account, media, category)

    async def _upload_chunked(
        self, account: AccountCredentials, media: MediaFile, category: str
    ) -> str:
        # A video may be 512 MiB: read it one chunk at a time, never whole.
        size = await asyncio.to_thread(lambda: media.path.stat().st_size)
        call = self.client.request
        token, account_id = account.access_token, account.external_id
        init = await call(
            "POST",
            "/2/media/upload/initialize",
            token=token,
            account_id=account_id,
            json_body={
                "media_type": media.info.mime_type,
                "total_bytes": size,
                "media_category": category,
            },
        )
        media_id = self._media_id(init)
        for index, start in enumerate(range(0, size, CHUNK_BYTES)):
            chunk = await asyncio.to_thread(_read_chunk, media.path, start, CHUNK_BYTES)
            await call(
                "POST",
                f"/2/media/upload/{media_id}/append",
                token=token,
                account_id=account_id,
                data={"segment_index": str(index)},
                files={"media": ("chunk", chunk, OCTETS)},
            )
        final = await call(
            "POST", f"/2/media/upload/{media_id}/finalize", token=token, account_id=account_id
        )
        info = self._processing(final)
        polls = 0
        while info is not None and info.get("state") in ("pending", "in_progress"):
            if polls >= MAX_STATUS_POLLS:
                raise retryable("x.media_timeout")
            polls += 1
            wait = info.get("check_after_secs")
            delay = float(wait) if isinstance(wait, int | float) else 1.0
            delay = delay if math.isfinite(delay) else 1.0
            await self.sleep(min(max(delay, 0.0), MAX_CHECK_AFTER_S))
            status = await call(
                "GET",
                "/2/media/upload",
                token=token,
                account_id=account_id,
                params={"command": "STATUS", "media_id": media_id},
            )
            info = self._processing(status)
        if info is not None and info.get("state") == "failed":
            raise permanent("x.media_failed")
        return media_id

    @staticmethod
    def _processing(answer: dict[str, Any]) -> dict[str, Any] | None:
        data = answer.get("data")
        info = data.get("processing_info") if isinstance(data, dict) else None
        return info if isinstance(info, dict) else None

    @staticmethod
    def _media_id(answer: dict[str, Any]) -> str:
        data = answer.get("data")
        media_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(media_id, str) or not media_id:
            raise retryable("unreadable")
        return media_id

    # --- reading -----------------------------------------------------------------------------

    async def _pages(
        self, account: AccountCredentials, path: str, params: dict[str, str | int]
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        """Every post of a paginated list (at most ``MAX_PAGES`` pages) and the users it
        includes, by id."""
        posts: list[dict[str, Any]] = []
        users: dict[str, dict[str, Any]] = {}
        token: str | None = None
        for _ in range(MAX_PAGES):
            page_params = dict(params)
            if token:
                page_params["pagination_token" if "search" not in path else "next_token"] = token
            answer = await self.client.request(
                "GET",
                path,
                token=account.access_token,
                account_id=account.external_id,
                params=page_params,
            )
            data = answer.get("data")
            if isinstance(data, list):
                posts.extend(
                    p for p in data if isinstance(p, dict) and isinstance(p.get("id"), str)
                )
            includes = answer.get("includes")
            if isinstance(includes, dict) and isinstance(includes.get("users"), list):
                for user in includes["users"]:
                    if isinstance(user, dict) and isinstance(user.get("id"), str):
                        users[user["id"]] = user
            meta = answer.get("meta")
            token = meta.get("next_token") if isinstance(meta, dict) else None
            if not isinstance(token, str) or not token:
                break
        return posts, users

    async def find_recent(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[RecentPost]:
        posts, _ = await self._pages(
            account,
            f"/2/users/{account.external_id}/tweets",
            {
                "start_time": _iso(since),
                "max_results": PAGE_SIZE,
                self._fields_param: "created_at",
            },
        )
        return [
            RecentPost(
                external_id=p["id"],
                url=post_url(account.handle, p["id"]),
                text=str(p.get("text", "")),
                published_at=_parse_time(p.get("created_at")),
            )
            for p in posts
        ]

    async def account_metrics(self, account: AccountCredentials) -> AccountMetrics:
        answer = await self.client.request(
            "GET",
            f"/2/users/{account.external_id}",
            token=account.access_token,
            account_id=account.external_id,
            params={"user.fields": "public_metrics"},
        )
        data = answer.get("data")
        metrics = data.get("public_metrics") if isinstance(data, dict) else None
        if not isinstance(metrics, dict):
            raise retryable("unreadable")
        return AccountMetrics(
            measured_at=self.clock(),
            followers=_int(metrics.get("followers_count")),
            following=_int(metrics.get("following_count")),
            posts=_int(metrics.get("tweet_count")),
            raw={k: v for k, value in metrics.items() if (v := _int(value)) is not None},
        )

    async def post_metrics(
        self, account: AccountCredentials, external_ids: Sequence[str]
    ) -> Sequence[PostMetrics]:
        found: list[PostMetrics] = []
        ids = list(dict.fromkeys(external_ids))
        fields = METRIC_FIELDS
        for start in range(0, len(ids), MAX_IDS_PER_LOOKUP):
            chunk = ",".join(ids[start : start + MAX_IDS_PER_LOOKUP])
            try:
                answer = await self._lookup(account, chunk, fields)
            except PermanentError as exc:
                # A field X has retired refuses the whole lookup: the public figures alone
                # are asked again (and for the rest of this call), so one name never costs
                # every figure.
                if exc.code != "x.invalid_request" or fields == PUBLIC_METRIC_FIELDS:
                    raise
                fields = PUBLIC_METRIC_FIELDS
                answer = await self._lookup(account, chunk, fields)
            data = answer.get("data")
            if not isinstance(data, list):
                continue
            measured = self.clock()
            for post in data:
                if isinstance(post, dict) and isinstance(post.get("id"), str):
                    found.append(_post_metrics(post, measured))
        return found

    async def _lookup(self, account: AccountCredentials, ids: str, fields: str) -> dict[str, Any]:
        return await self.client.request(
            "GET",
            "/2/tweets",
            token=account.access_token,
            account_id=account.external_id,
            params={"ids": ids, self._fields_param: fields},
        )

    async def fetch_conversations(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[Conversation]:
        expand: dict[str, str | int] = {
            self._fields_param: CONVERSATION_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name,profile_image_url",
            "max_results": PAGE_SIZE,
        }
        mentions, users = await self._pages(
            account,
            f"/2/users/{account.external_id}/mentions",
            {"start_time": _iso(since), **expand},
        )
        # Replies under the account's own posts: one search per batch of conversation ids,
        # within the 7 days recent search reaches.
        search_since = max(since, self.clock() - SEARCH_WINDOW)
        own = await self.find_recent(account, search_since)
        roots = {p.external_id for p in own}
        replies: list[dict[str, Any]] = []
        for query in query_batches(sorted(roots)):
            found, more_users = await self._pages(
                account,
                "/2/tweets/search/recent",
                {"query": query, "start_time": _iso(search_since), **expand},
            )
            replies.extend(found)
            users.update(more_users)
        return _conversations(account, mentions + replies, users, roots)

    # --- access ------------------------------------------------------------------------------

    def authorize_url(self, redirect_uri: str, state: str) -> AuthorizeRequest:
        endpoints = self.ctx.endpoints
        if not endpoints.x_client_id:
            raise permanent("x.not_configured")
        verifier, challenge = pkce_pair()
        query = urlencode(
            {
                "response_type": "code",
                "client_id": endpoints.x_client_id,
                "redirect_uri": redirect_uri,
                "scope": SCOPES,
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
            quote_via=quote,  # scopes joined by %20 as X documents, not "+"
        )
        return AuthorizeRequest(
            url=f"{endpoints.x_authorize_url}?{query}", state=state, code_verifier=verifier
        )

    async def exchange_callback(
        self, redirect_uri: str, code: str, request: AuthorizeRequest
    ) -> Sequence[ConnectedAccount]:
        answer = await self.client.token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": request.code_verifier or "",
            }
        )
        tokens = self._token_set(answer)
        me = await self.client.request(
            "GET",
            "/2/users/me",
            token=tokens.access_token,
            account_id="",
            params={"user.fields": "profile_image_url"},
        )
        data = me.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise retryable("unreadable")
        handle = str(data.get("username", ""))
        avatar = data.get("profile_image_url")
        return [
            ConnectedAccount(
                external_id=data["id"],
                handle=handle,
                display_name=str(data.get("name") or handle),
                tokens=tokens,
                avatar_url=avatar if isinstance(avatar, str) else None,
            )
        ]

    async def refresh_token(self, account: AccountCredentials) -> TokenSet:
        """The new tokens: X rotates the refresh token on every use, so the caller must store
        this set before using it (the old refresh token no longer works)."""
        if not account.refresh_token:
            raise auth_error("x.no_refresh_token")
        answer = await self.client.token(
            {"grant_type": "refresh_token", "refresh_token": account.refresh_token}
        )
        return self._token_set(answer)

    def _token_set(self, answer: dict[str, Any]) -> TokenSet:
        access = answer.get("access_token")
        if not isinstance(access, str) or not access:
            raise retryable("unreadable")
        refresh = answer.get("refresh_token")
        expires_in = _int(answer.get("expires_in"))
        return TokenSet(
            access_token=access,
            refresh_token=refresh if isinstance(refresh, str) else None,
            expires_at=self.clock() + timedelta(seconds=expires_in) if expires_in else None,
        )


def _post_metrics(post: dict[str, Any], measured: datetime) -> PostMetrics:
    public = post.get("public_metrics")
    public = public if isinstance(public, dict) else {}
    private = post.get("non_public_metrics")
    private = private if isinstance(private, dict) else {}
    extra = {
        key: value
        for key, value in (
            ("quotes", _int(public.get("quote_count"))),
            ("bookmarks", _int(public.get("bookmark_count"))),
            ("profile_clicks", _int(private.get("user_profile_clicks"))),
        )
        if value is not None
    }
    impressions = _int(private.get("impression_count"))
    raw = {
        **{k: v for k, value in public.items() if (v := _int(value)) is not None},
        **{f"non_public.{k}": v for k, value in private.items() if (v := _int(value)) is not None},
    }
    return PostMetrics(
        external_id=post["id"],
        measured_at=measured,
        impressions=_int(public.get("impression_count")) if impressions is None else impressions,
        likes=_int(public.get("like_count")),
        replies=_int(public.get("reply_count")),
        shares=_int(public.get("retweet_count")),
        clicks=_int(private.get("url_link_clicks")),
        extra=extra,
        raw=raw,
    )


def _conversations(
    account: AccountCredentials,
    posts: list[dict[str, Any]],
    users: dict[str, dict[str, Any]],
    roots: set[str],
) -> list[Conversation]:
    """Posts grouped by conversation, oldest message first: a conversation under one of the
    account's posts is a comment thread, any other a mention."""
    threads: dict[str, dict[str, Message]] = {}
    for post in posts:
        conversation = str(post.get("conversation_id") or post["id"])
        author_id = str(post.get("author_id", ""))
        user = users.get(author_id, {})
        name = user.get("name")
        threads.setdefault(conversation, {})[post["id"]] = Message(
            external_id=post["id"],
            author_id=author_id,
            author_handle=str(user.get("username", "")),
            author_name=name if isinstance(name, str) else None,
            text=str(post.get("text", "")),
            sent_at=_parse_time(post.get("created_at")),
            from_account=author_id == account.external_id,
        )
    return [
        Conversation(
            external_id=conversation,
            kind="comment" if conversation in roots else "mention",
            messages=sorted(messages.values(), key=lambda m: (m.sent_at, m.external_id)),
            post_external_id=conversation if conversation in roots else None,
        )
        for conversation, messages in threads.items()
    ]


def factory(ctx: Context) -> XConnector:
    return XConnector(ctx)

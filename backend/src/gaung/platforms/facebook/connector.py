"""The Facebook Page connector: feed text/link, single photo, multi-photo and video posts,
recent posts, counters, comments and replies, and Facebook Login for Pages.

The post id is returned as soon as Facebook gives it: reading the permalink afterwards is a
courtesy, and its failure never turns a live post into a failure.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from gaung.platforms.facebook.client import POST_COUNTERS, FacebookClient
from gaung.platforms.meta import login
from gaung.platforms.meta.graph import JSON, MAX_PAGES, Graph, parse_time
from gaung.platforms.meta.media import public_url_problem
from gaung.platforms.protocol import (
    AccountCredentials,
    AccountMetrics,
    AuthError,
    AuthorizeRequest,
    ConnectedAccount,
    ConnectorError,
    Context,
    Conversation,
    MediaFile,
    Message,
    PermanentError,
    PostMetrics,
    PublishResult,
    RecentPost,
    RetryableError,
    TokenSet,
    VariantToPublish,
)
from gaung.platforms.types import Platform

SCOPES = (
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "pages_manage_engagement",
    "pages_read_user_engagement",
    "read_insights",
    "publish_video",
)
# How many recent posts the inbox looks under for new comments.
RECENT_POSTS_FOR_COMMENTS = 25

MSG_NOT_PAGE_TOKEN = (
    "This token is not a Page token; copy the token of the Page itself.",
    "Token ini bukan token Halaman; salin token milik Halaman itu sendiri.",
)
MSG_TOKEN_INVALID = (
    "Facebook says this token is not valid; create a new Page token.",
    "Facebook menyatakan token ini tidak valid; buat token Halaman baru.",
)
MSG_MIXED_MEDIA = (
    "A Facebook post holds either photos or one video, not both.",
    "Postingan Facebook berisi foto atau satu video, tidak keduanya.",
)
_URL = re.compile(r"https?://\S+")


class FacebookConnector:
    def __init__(self, ctx: Context, clock: Callable[[], datetime] | None = None) -> None:
        self.ctx = ctx
        self.clock = clock or (lambda: datetime.now(UTC))

    @property
    def platform(self) -> Platform:
        return Platform.facebook

    def _client(self, account: AccountCredentials) -> FacebookClient:
        graph = Graph(self.ctx, account.external_id, self.clock)
        return FacebookClient(graph, account.external_id, account.access_token)

    # --- publishing -------------------------------------------------------------------------

    async def publish(
        self, account: AccountCredentials, variant: VariantToPublish
    ) -> PublishResult:
        client = self._client(account)
        media = list(variant.media)
        videos = [m for m in media if m.info.kind == "video"]
        text = variant.text
        if variant.link and media and variant.link not in text:
            # Photos and videos take no link preview: the address is written under the text.
            text = f"{text}\n\n{variant.link}" if text else variant.link
        if videos and len(media) > 1:
            raise PermanentError("facebook.mixed_media", *MSG_MIXED_MEDIA)
        if videos:
            # Facebook fetches a public video itself; otherwise Gaung sends the bytes.
            if public_url_problem(videos[0].public_url):
                post_id = await client.video_upload(videos[0].path, text) or None
            else:
                body = await client.video(videos[0].public_url, text)
                post_id = str(body.get("id") or "") or None
        elif len(media) == 1:
            body = await self._photo(client, media[0], text, published=True)
            post_id = str(body.get("post_id") or body.get("id") or "") or None
        elif media:
            # Unpublished photos first, then one feed post that attaches them all. The uploads
            # are independent, so they run at once: one round trip, not one each.
            photos = await asyncio.gather(
                *(self._photo(client, item, None, published=False) for item in media)
            )
            ids = [str(photo.get("id") or "") for photo in photos]
            body = await client.feed(text, ids)
            post_id = str(body.get("id") or "") or None
        else:
            # The variant's link, else a link in the text, becomes the post's link preview
            # (never sent with photos).
            found = _URL.search(variant.text)
            link = variant.link or (found.group(0) if found else None)
            body = await client.feed(variant.text, link=link)
            post_id = str(body.get("id") or "") or None
        if not post_id:
            raise RetryableError(
                "Facebook accepted the post without saying its id; Gaung will check the Page.",
                message_id="Facebook menerima postingan tanpa menyebut id-nya; Gaung akan "
                "memeriksa Halaman.",
            )
        return PublishResult(post_id, await self._permalink(client, post_id))

    async def _photo(
        self, client: FacebookClient, item: MediaFile, caption: str | None, published: bool
    ) -> JSON:
        """Facebook fetches a photo from its public address; when it could not reach that
        address (a server on a private network), Gaung sends the bytes instead."""
        if not public_url_problem(item.public_url):
            return await client.photo(item.public_url, caption, published)
        data = await asyncio.to_thread(item.path.read_bytes)
        source = (item.path.name, data, item.info.mime_type)
        return await client.photo(item.public_url, caption, published, source=source)

    async def _permalink(self, client: FacebookClient, object_id: str) -> str | None:
        try:
            return await client.permalink(object_id)
        except ConnectorError:
            return None

    # --- reading ----------------------------------------------------------------------------

    async def find_recent(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[RecentPost]:
        posts = await self._client(account).published_posts(int(since.timestamp()), MAX_PAGES)
        return [
            RecentPost(
                external_id=str(post["id"]),
                url=post.get("permalink_url"),
                text=str(post.get("message") or ""),
                published_at=parse_time(post.get("created_time")),
            )
            for post in posts
        ]

    async def account_metrics(self, account: AccountCredentials) -> AccountMetrics:
        page = await self._client(account).page()
        return AccountMetrics(
            measured_at=self.clock(),
            followers=_count(page.get("followers_count")),
            page_likes=_count(page.get("fan_count")),
            raw={
                name: v
                for name in ("followers_count", "fan_count")
                if (v := _count(page.get(name))) is not None
            },
        )

    async def post_metrics(
        self, account: AccountCredentials, external_ids: Sequence[str]
    ) -> Sequence[PostMetrics]:
        client = self._client(account)
        urls = [f"{post_id}?fields={POST_COUNTERS}" for post_id in external_ids]
        answers = await client.graph.batch(account.access_token, urls)
        now = self.clock()
        found: list[PostMetrics] = []
        for post_id, answer in zip(external_ids, answers, strict=False):
            if isinstance(answer, AuthError | RetryableError):
                raise answer
            if isinstance(answer, ConnectorError):
                continue  # a deleted or unreadable post has no figures; the others still count
            likes = _count(_path(answer, "reactions", "summary", "total_count"))
            replies = _count(_path(answer, "comments", "summary", "total_count"))
            shares = _count(_path(answer, "shares", "count"))
            raw = {
                name: v
                for name, v in (("reactions", likes), ("comments", replies), ("shares", shares))
                if v is not None
            }
            found.append(
                PostMetrics(
                    external_id=post_id,
                    measured_at=now,
                    likes=likes,
                    replies=replies,
                    shares=shares,
                    raw=raw,
                )
            )
        return found

    async def fetch_conversations(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[Conversation]:
        client = self._client(account)
        posts = await client.published_posts(None, 1)
        conversations = []
        for post in posts[:RECENT_POSTS_FOR_COMMENTS]:
            post_id = str(post["id"])
            comments = await client.comments(post_id, int(since.timestamp()), MAX_PAGES)
            if not comments:
                continue
            messages = [_message(comment, account.external_id) for comment in comments]
            conversations.append(
                Conversation(
                    external_id=post_id,
                    kind="comment",
                    messages=messages,
                    post_external_id=post_id,
                )
            )
        return conversations

    async def comment(self, account: AccountCredentials, on: str, text: str) -> PublishResult:
        # A post takes comments as a comment takes replies: ``POST /{object-id}/comments``.
        return await self.reply(account, on, text)

    async def reply(
        self, account: AccountCredentials, in_reply_to: str, text: str
    ) -> PublishResult:
        body = await self._client(account).reply(in_reply_to, text)
        return PublishResult(str(body.get("id") or ""), None)

    # --- access -----------------------------------------------------------------------------

    async def refresh_token(self, account: AccountCredentials) -> TokenSet:
        # A Page token taken from a long-lived user token does not expire: nothing to renew;
        # a dead one shows up as a 190 on the next call.
        return TokenSet(account.access_token, account.refresh_token, None)

    def authorize_url(self, redirect_uri: str, state: str) -> AuthorizeRequest:
        return login.dialog_url(Graph(self.ctx), redirect_uri, state, SCOPES)

    async def exchange_callback(
        self, redirect_uri: str, code: str, request: AuthorizeRequest
    ) -> Sequence[ConnectedAccount]:
        pages = await login.managed_pages(Graph(self.ctx), redirect_uri, code)
        return [
            ConnectedAccount(
                external_id=str(page["id"]),
                handle=str(page.get("name") or page["id"]),
                display_name=str(page.get("name") or page["id"]),
                tokens=TokenSet(str(page["access_token"])),
            )
            for page in pages
        ]

    async def check_token(self, token: str) -> ConnectedAccount:
        """A Page token pasted by an admin: whose it is, and (when the app is configured)
        that Facebook calls it a valid Page token."""
        graph = Graph(self.ctx)
        me = await graph.call("GET", "me", token, {"fields": "id,name"})
        endpoints = self.ctx.endpoints
        if endpoints.meta_app_id and endpoints.meta_app_secret:
            app_token = f"{endpoints.meta_app_id}|{endpoints.meta_app_secret}"
            body = await graph.call("GET", "debug_token", app_token, {"input_token": token})
            data = body.get("data") or {}
            if data.get("is_valid") is not True:
                raise AuthError(*MSG_TOKEN_INVALID)
            if data.get("type") != "PAGE":
                raise PermanentError("facebook.not_page_token", *MSG_NOT_PAGE_TOKEN)
        page_id = str(me.get("id") or "")
        name = str(me.get("name") or page_id)
        return ConnectedAccount(page_id, name, name, TokenSet(token))


def _path(body: JSON, *keys: str) -> object:
    value: object = body
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _message(comment: JSON, page_id: str) -> Message:
    author = comment.get("from") or {}
    author_id = str(author.get("id") or "")
    name = author.get("name")
    return Message(
        external_id=str(comment["id"]),
        author_id=author_id,
        author_handle=str(name or author_id),
        author_name=name if isinstance(name, str) else None,
        text=str(comment.get("message") or ""),
        sent_at=parse_time(comment.get("created_time")),
        from_account=author_id == page_id,
    )


def factory(ctx: Context) -> FacebookConnector:
    return FacebookConnector(ctx)

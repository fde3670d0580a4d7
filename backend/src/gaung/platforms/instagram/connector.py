"""The Instagram connector (professional accounts linked to a Facebook Page).

Publishing goes container → status → publish. Instagram fetches the media itself from
``MediaFile.public_url``, so an address it cannot reach is refused before any call. A
container already ``PUBLISHED`` means an earlier attempt worked: it is never published again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from gaung.platforms.instagram.client import MEDIA_INSIGHTS, InstagramClient
from gaung.platforms.meta import login
from gaung.platforms.meta.graph import (
    JSON,
    MAX_PAGES,
    Graph,
    Sleep,
    bounded_poll,
    parse_time,
)
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
    "pages_read_engagement",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
)
# Meta's guidance: images finish quickly, videos within minutes; poll at most ~5 minutes.
IMAGE_POLL_S = 2.0
VIDEO_POLL_S = 15.0
MAX_POLLS = 20
RECENT_MEDIA_FOR_COMMENTS = 25
DEFAULT_QUOTA = 50
# A wait this long means a throttle or the cap, not a lost answer worth checking at once.
THROTTLE_S = 300.0
_FINAL = frozenset({"FINISHED", "ERROR", "EXPIRED", "PUBLISHED"})

MSG_NOT_PUBLIC = (
    "Instagram downloads the media from Gaung itself, so GAUNG_PUBLIC_BASE_URL must be a "
    "public https address (not localhost, a private address or plain http). Set it to the "
    "address this server is reachable at from the internet.",
    "Instagram mengunduh media langsung dari Gaung, jadi GAUNG_PUBLIC_BASE_URL harus berupa "
    "alamat https publik (bukan localhost, alamat privat, atau http biasa). Isi dengan "
    "alamat server ini yang dapat dijangkau dari internet.",
)
MSG_NO_MEDIA = (
    "An Instagram post needs at least one image or video.",
    "Postingan Instagram memerlukan setidaknya satu gambar atau video.",
)
MSG_QUOTA = (
    "The account reached Instagram's limit of {total} published posts per 24 hours; Gaung "
    "will publish when it frees up.",
    "Akun mencapai batas Instagram {total} postingan per 24 jam; Gaung akan menerbitkan saat "
    "batas kembali tersedia.",
)
MSG_PROCESSING_FAILED = (
    "Instagram could not process the media ({reason}); publish the post again, if needed "
    "with another file.",
    "Instagram gagal memproses media ({reason}); terbitkan ulang postingan, bila perlu dengan "
    "berkas lain.",
)
MSG_EXPIRED = (
    "Instagram's prepared post expired before it was published; publish the post again.",
    "Postingan yang disiapkan Instagram kedaluwarsa sebelum diterbitkan; terbitkan ulang.",
)
MSG_STILL_PROCESSING = (
    "Instagram is still processing the media; Gaung will try again shortly.",
    "Instagram masih memproses media; Gaung akan mencoba lagi sebentar lagi.",
)
MSG_ALREADY_PUBLISHED = (
    "Instagram reports this post as already published, but Gaung could not find it on the "
    "account; check the account before publishing again.",
    "Instagram melaporkan postingan ini sudah terbit, tetapi Gaung tidak menemukannya di "
    "akun; periksa akun sebelum menerbitkan ulang.",
)
MSG_NO_INSTAGRAM = (
    "This Facebook Page has no linked Instagram professional account.",
    "Halaman Facebook ini tidak terhubung dengan akun Instagram profesional.",
)


class InstagramConnector:
    def __init__(
        self,
        ctx: Context,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], datetime] | None = None,
        max_polls: int = MAX_POLLS,
    ) -> None:
        self.ctx = ctx
        self.sleep = sleep
        self.clock = clock or (lambda: datetime.now(UTC))
        self.max_polls = max_polls

    @property
    def platform(self) -> Platform:
        return Platform.instagram

    def _client(self, account: AccountCredentials) -> InstagramClient:
        graph = Graph(self.ctx, account.external_id, self.clock)
        return InstagramClient(graph, account.external_id, account.access_token)

    # --- publishing -------------------------------------------------------------------------

    async def publish(
        self, account: AccountCredentials, variant: VariantToPublish
    ) -> PublishResult:
        media = list(variant.media)
        if not media:
            raise PermanentError("instagram.no_media", *MSG_NO_MEDIA)
        if any(public_url_problem(item.public_url) for item in media):
            raise PermanentError("instagram.media_url_not_public", *MSG_NOT_PUBLIC)
        client = self._client(account)
        await self._check_quota(client)
        if len(media) == 1:
            params = _caption(_item_params(media[0], carousel=False), variant.text)
            container = await client.container(params)
            state = await self._wait(client, container, video=media[0].info.kind != "image")
        else:
            # Children are independent: create them at once, and wait only on video children
            # (Meta's recipe; image children are ready when the parent is).
            children = await asyncio.gather(
                *(client.container(_item_params(item, carousel=True)) for item in media)
            )
            await asyncio.gather(
                *(
                    self._wait(client, child, video=True)
                    for child, item in zip(children, media, strict=True)
                    if item.info.kind != "image"
                )
            )
            container = await client.container(
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": variant.text}
            )
            state = await self._wait(client, container, video=False)
        if state == "PUBLISHED":
            media_id = await self._already_published(client, variant.text)
        else:
            media_id = await self._publish(client, container, variant.text)
        return PublishResult(media_id, await self._permalink(client, media_id))

    async def _check_quota(self, client: InstagramClient) -> None:
        body = await client.publishing_limit()
        entry: JSON = next(iter(body.get("data") or []), {})
        usage = entry.get("quota_usage")
        config = entry.get("config") or {}
        total = config.get("quota_total") or DEFAULT_QUOTA
        if isinstance(usage, int) and isinstance(total, int) and usage >= total:
            duration = config.get("quota_duration")
            # The window rolls: a slot frees within the hour more often than not.
            wait = min(float(duration), 3600.0) if isinstance(duration, int) else 3600.0
            raise RetryableError(
                MSG_QUOTA[0].format(total=total),
                retry_after=wait,
                message_id=MSG_QUOTA[1].format(total=total),
            )

    async def _wait(self, client: InstagramClient, container: str, video: bool) -> str:
        """Poll the container until it is final; ERROR/EXPIRED are final failures."""
        last: dict[str, JSON] = {}

        async def fetch() -> str:
            last["body"] = await client.status(container)
            return str(last["body"].get("status_code") or "")

        state = await bounded_poll(
            fetch,
            lambda code: code in _FINAL,
            self.sleep,
            VIDEO_POLL_S if video else IMAGE_POLL_S,
            self.max_polls,
        )
        if state is None:
            raise RetryableError(
                MSG_STILL_PROCESSING[0], retry_after=60.0, message_id=MSG_STILL_PROCESSING[1]
            )
        if state == "ERROR":
            reason = str(last["body"].get("status") or "unknown reason")[:200]
            raise PermanentError(
                "instagram.processing_failed",
                MSG_PROCESSING_FAILED[0].format(reason=reason),
                MSG_PROCESSING_FAILED[1].format(reason=reason),
            )
        if state == "EXPIRED":
            raise PermanentError("instagram.container_expired", *MSG_EXPIRED)
        return state

    async def _publish(self, client: InstagramClient, container: str, caption: str) -> str:
        """``media_publish``; when its answer is lost, the container says what happened:
        ``PUBLISHED`` means it worked (never publish twice), ``FINISHED`` is safe to retry."""
        try:
            return await client.media_publish(container)
        except RetryableError as error:
            if error.retry_after is not None and error.retry_after >= THROTTLE_S:
                raise  # throttled or capped: calling again now only prolongs it
            state = str((await client.status(container)).get("status_code") or "")
            if state == "PUBLISHED":
                return await self._already_published(client, caption)
            if state == "FINISHED":
                return await client.media_publish(container)
            raise

    async def _already_published(self, client: InstagramClient, caption: str) -> str:
        for item in await client.media(None, 1):
            if str(item.get("caption") or "") == caption:
                return str(item["id"])
        raise PermanentError("instagram.already_published", *MSG_ALREADY_PUBLISHED)

    async def _permalink(self, client: InstagramClient, media_id: str) -> str | None:
        try:
            return await client.permalink(media_id)
        except ConnectorError:
            return None

    # --- reading ----------------------------------------------------------------------------

    async def find_recent(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[RecentPost]:
        items = await self._client(account).media(int(since.timestamp()), MAX_PAGES)
        return [
            RecentPost(
                external_id=str(item["id"]),
                url=item.get("permalink"),
                text=str(item.get("caption") or ""),
                published_at=parse_time(item.get("timestamp")),
            )
            for item in items
        ]

    async def account_metrics(self, account: AccountCredentials) -> AccountMetrics:
        body = await self._client(account).account()
        return AccountMetrics(
            measured_at=self.clock(),
            followers=_count(body.get("followers_count")),
            following=_count(body.get("follows_count")),
            posts=_count(body.get("media_count")),
            raw=_counts(body, ("followers_count", "follows_count", "media_count")),
        )

    async def post_metrics(
        self, account: AccountCredentials, external_ids: Sequence[str]
    ) -> Sequence[PostMetrics]:
        client = self._client(account)
        answers = await client.counters(external_ids)
        now = self.clock()
        for answer in answers:
            if isinstance(answer, AuthError | RetryableError):
                raise answer
        # An insights request naming a metric Meta has retired is refused as a whole (error
        # 100): those media are asked again one metric at a time, so the others still count.
        refused = [
            media_id
            for index, media_id in enumerate(external_ids)
            if _refused_metric(answers[2 * index + 1])
        ]
        one_by_one = await self._insights_each(client, refused) if refused else {}
        found = []
        for index, media_id in enumerate(external_ids):
            counters, insights = answers[2 * index], answers[2 * index + 1]
            if not isinstance(counters, dict):
                continue  # a deleted media has no figures; the others still count
            # Insights may be missing (young media, carousel children): counters still hold.
            values = _insight_values(insights) if isinstance(insights, dict) else {}
            values = {**values, **one_by_one.get(media_id, {})}
            likes = _count(counters.get("like_count"))
            comments = _count(counters.get("comments_count"))
            raw = {**values}
            if likes is not None:
                raw["like_count"] = likes
            if comments is not None:
                raw["comments_count"] = comments
            found.append(
                PostMetrics(
                    external_id=media_id,
                    measured_at=now,
                    likes=likes,
                    replies=comments,
                    reach=values.get("reach"),
                    impressions=values.get("views"),
                    shares=values.get("shares"),
                    extra={"saved": values["saved"]} if "saved" in values else {},
                    raw=raw,
                )
            )
        return found

    async def _insights_each(
        self, client: InstagramClient, media_ids: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        metrics = MEDIA_INSIGHTS.split(",")
        answers = await client.insights_each(media_ids, metrics)
        values: dict[str, dict[str, int]] = {}
        for index, answer in enumerate(answers):
            if isinstance(answer, AuthError | RetryableError):
                raise answer
            if isinstance(answer, dict):
                media_id = media_ids[index // len(metrics)]
                values.setdefault(media_id, {}).update(_insight_values(answer))
        return values

    async def fetch_conversations(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[Conversation]:
        client = self._client(account)
        media = await client.media(None, 1)
        conversations = []
        for item in media[:RECENT_MEDIA_FOR_COMMENTS]:
            media_id = str(item["id"])
            messages = []
            for comment in await client.comments(media_id, MAX_PAGES):
                thread = [comment, *((comment.get("replies") or {}).get("data") or [])]
                for entry in thread:
                    message = _message(entry, account.handle)
                    if message.sent_at >= since:
                        messages.append(message)
            if messages:
                conversations.append(
                    Conversation(
                        external_id=media_id,
                        kind="comment",
                        messages=messages,
                        post_external_id=media_id,
                    )
                )
        return conversations

    async def comment(self, account: AccountCredentials, on: str, text: str) -> PublishResult:
        """``POST /{ig-media-id}/comments``: the account's own first comment on its media."""
        body = await self._client(account).comment(on, text)
        # Accepted even without an id in the answer: sending it again would post it twice.
        return PublishResult(str(body.get("id") or ""), None)

    async def reply(
        self, account: AccountCredentials, in_reply_to: str, text: str
    ) -> PublishResult:
        body = await self._client(account).reply(in_reply_to, text)
        return PublishResult(str(body.get("id") or ""), None)

    # --- access -----------------------------------------------------------------------------

    async def refresh_token(self, account: AccountCredentials) -> TokenSet:
        # The account is reached with its Page's token, which does not expire.
        return TokenSet(account.access_token, account.refresh_token, None)

    def authorize_url(self, redirect_uri: str, state: str) -> AuthorizeRequest:
        return login.dialog_url(Graph(self.ctx), redirect_uri, state, SCOPES)

    async def exchange_callback(
        self, redirect_uri: str, code: str, request: AuthorizeRequest
    ) -> Sequence[ConnectedAccount]:
        """One account per managed Page that has an Instagram professional account linked."""
        pages = await login.managed_pages(Graph(self.ctx), redirect_uri, code)
        return [
            _connected(page["instagram_business_account"], str(page["access_token"]))
            for page in pages
            if isinstance(page.get("instagram_business_account"), dict)
            and page["instagram_business_account"].get("id")
        ]

    async def linked_account(self, page_id: str, page_token: str) -> ConnectedAccount:
        """The Instagram account linked to a chosen Page (reached with that Page's token)."""
        client = InstagramClient(Graph(self.ctx, page_id, self.clock), "", page_token)
        body = await client.linked_account(page_id)
        linked = body.get("instagram_business_account")
        if not isinstance(linked, dict) or not linked.get("id"):
            raise PermanentError("instagram.no_linked_account", *MSG_NO_INSTAGRAM)
        return _connected(linked, page_token)


def _connected(linked: JSON, page_token: str) -> ConnectedAccount:
    ig_id = str(linked["id"])
    username = str(linked.get("username") or ig_id)
    return ConnectedAccount(
        ig_id, username, str(linked.get("name") or username), TokenSet(page_token)
    )


def _item_params(item: MediaFile, carousel: bool) -> dict[str, str]:
    if item.info.kind == "image":
        params = {"image_url": item.public_url}
        if item.alt_text:
            params["alt_text"] = item.alt_text
    else:
        # Single feed videos are Reels; carousel video children are VIDEO.
        params = {"video_url": item.public_url, "media_type": "VIDEO" if carousel else "REELS"}
    if carousel:
        params["is_carousel_item"] = "true"
    return params


def _caption(params: dict[str, str], caption: str) -> dict[str, str]:
    return {**params, "caption": caption}


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _counts(body: JSON, names: Sequence[str]) -> dict[str, int]:
    return {name: v for name in names if (v := _count(body.get(name))) is not None}


def _refused_metric(answer: object) -> bool:
    return isinstance(answer, PermanentError) and answer.code == "meta.invalid_request"


def _insight_values(body: JSON) -> dict[str, int]:
    values: dict[str, int] = {}
    for metric in body.get("data") or []:
        if not isinstance(metric, dict):
            continue
        points = metric.get("values") or []
        value = _count(points[0].get("value")) if points and isinstance(points[0], dict) else None
        if isinstance(metric.get("name"), str) and value is not None:
            values[metric["name"]] = value
    return values


def _message(entry: JSON, own_handle: str) -> Message:
    author = entry.get("from") or {}
    handle = str(entry.get("username") or author.get("username") or "")
    return Message(
        external_id=str(entry["id"]),
        author_id=str(author.get("id") or handle),
        author_handle=handle,
        author_name=None,
        text=str(entry.get("text") or ""),
        sent_at=parse_time(entry.get("timestamp")),
        from_account=handle.lower() == own_handle.lower(),
    )


def factory(ctx: Context) -> InstagramConnector:
    return InstagramConnector(ctx)

"""The sandbox connector: a network that lives in Gaung's own database, for demos and training.

What the account publishes is kept by a ``SandboxStore`` (the database in the app, a dict in
tests); what its audience does — followers, post figures, comments — is simulated from a seed
(``simulation.py``). Posts are checked against the rules of the network the account imitates, as
that network would refuse them.

Links point at ``https://sandbox.gaung.invalid/…``: Gaung serves no page for a sandbox post, and a
link under ``GAUNG_PUBLIC_BASE_URL`` that answers 404 looks like a broken app, while the reserved
``.invalid`` domain can never resolve to someone else's site and says plainly the post is not real.

Failures on purpose, so admins can practise what a failed post looks like (in the post text):
- ``#gagal``: refused for good (``PermanentError`` ``sandbox.forced_failure``);
- ``#coba-lagi``: the first attempt fails as a temporary fault (``RetryableError``), the next
  attempt of the same text succeeds (remembered per connector factory, i.e. per process);
- ``#akses-dicabut``: the account's access is refused (``AuthError``).

Practice questions (ids starting ``latihan-``) an admin poses from Gaung's inbox can always be
replied to, so answering can be practised without waiting for simulated comments.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from gaung.kit.time import utcnow
from gaung.platforms.facebook.rules import RULES as FACEBOOK_RULES
from gaung.platforms.instagram.rules import RULES as INSTAGRAM_RULES
from gaung.platforms.protocol import (
    AccountCredentials,
    AccountMetrics,
    AuthError,
    AuthorizeRequest,
    ConnectedAccount,
    Connector,
    Context,
    Conversation,
    Message,
    PermanentError,
    PostMetrics,
    PublishResult,
    RecentPost,
    RetryableError,
    TokenSet,
    VariantToPublish,
)
from gaung.platforms.sandbox import simulation
from gaung.platforms.types import Platform, Rules
from gaung.platforms.x.rules import RULES as X_RULES

SANDBOX_HOST = "https://sandbox.gaung.invalid"
FAIL_TAG = "#gagal"
RETRY_TAG = "#coba-lagi"
AUTH_TAG = "#akses-dicabut"
RETRY_AFTER_S = 30.0
# Whole tags only: "#gagalpanen" is an ordinary hashtag, not a request to fail.
_TAG_END = r"(?![\w-])"
_FAIL = re.compile(re.escape(FAIL_TAG) + _TAG_END, re.IGNORECASE)
_RETRY = re.compile(re.escape(RETRY_TAG) + _TAG_END, re.IGNORECASE)
_AUTH = re.compile(re.escape(AUTH_TAG) + _TAG_END, re.IGNORECASE)
# Bounds the memory of forced retries; forgetting one only means it fails once more.
_MAX_REMEMBERED = 10_000
# Comments arrive within a day and a half, so posts older than this before ``since`` have none new.
_COMMENT_LOOKBACK = simulation.COMMENT_WINDOW
# Bounds what one call reads, as a real network pages and caps its answers.
MAX_POSTS_READ = 500

# Imported directly rather than through the registry, which imports this module.
_RULES: dict[Platform, Rules] = {
    Platform.x: X_RULES,
    Platform.instagram: INSTAGRAM_RULES,
    Platform.facebook: FACEBOOK_RULES,
}
_NAMES = {Platform.x: "X", Platform.instagram: "Instagram", Platform.facebook: "Facebook"}
# X's ids count milliseconds from this moment (its "snowflake" ids); sandbox ids look alike.
_X_EPOCH_MS = 1288834974657


@dataclass(frozen=True)
class StoredPost:
    """A post or reply the account published to the sandbox."""

    external_id: str
    text: str
    media_count: int
    published_at: datetime
    in_reply_to: str | None = None


class SandboxStore(Protocol):
    """Where the sandbox keeps what sandbox accounts publish (one account per call)."""

    async def save_post(self, account: AccountCredentials, post: StoredPost) -> None: ...

    async def posts_since(
        self, account: AccountCredentials, since: datetime, limit: int
    ) -> Sequence[StoredPost]:
        """Posts and replies published at or after ``since``, newest first, at most ``limit``."""
        ...

    async def posts_by_id(
        self, account: AccountCredentials, external_ids: Sequence[str]
    ) -> Sequence[StoredPost]: ...

    async def count_posts(self, account: AccountCredentials) -> int: ...


@dataclass
class MemoryStore:
    """A ``SandboxStore`` in memory (tests, tools)."""

    posts: dict[tuple[Platform, str], list[StoredPost]] = field(default_factory=dict)

    def _of(self, account: AccountCredentials) -> list[StoredPost]:
        return self.posts.setdefault((account.platform, account.external_id), [])

    async def save_post(self, account: AccountCredentials, post: StoredPost) -> None:
        self._of(account).append(post)

    async def posts_since(
        self, account: AccountCredentials, since: datetime, limit: int
    ) -> Sequence[StoredPost]:
        found = [p for p in self._of(account) if p.published_at >= since]
        return sorted(found, key=lambda p: p.published_at, reverse=True)[:limit]

    async def posts_by_id(
        self, account: AccountCredentials, external_ids: Sequence[str]
    ) -> Sequence[StoredPost]:
        wanted = set(external_ids)
        return [p for p in self._of(account) if p.external_id in wanted]

    async def count_posts(self, account: AccountCredentials) -> int:
        return len(self._of(account))


def _forced_failure(network: str) -> PermanentError:
    return PermanentError(
        "sandbox.forced_failure",
        f"Sandbox {network} refused this post on purpose (its text contains {FAIL_TAG}). "
        f"Remove {FAIL_TAG} to publish it.",
        f"{network} sandbox sengaja menolak postingan ini (teksnya memuat {FAIL_TAG}). "
        f"Hapus {FAIL_TAG} agar bisa terbit.",
    )


def _forced_retry(network: str) -> RetryableError:
    return RetryableError(
        f"Sandbox {network} is busy on purpose (the text contains {RETRY_TAG}); "
        "the next attempt will succeed.",
        retry_after=RETRY_AFTER_S,
        message_id=f"{network} sandbox sengaja sedang sibuk (teksnya memuat {RETRY_TAG}); "
        "percobaan berikutnya akan berhasil.",
    )


def _forced_auth(network: str) -> AuthError:
    return AuthError(
        f"Sandbox {network} says this account's access was revoked (the text contains "
        f"{AUTH_TAG}). This is practice: nothing needs reconnecting.",
        f"{network} sandbox menyatakan akses akun ini dicabut (teksnya memuat {AUTH_TAG}). "
        "Ini latihan: tidak ada yang perlu disambungkan ulang.",
    )


def _no_authorization(network: str) -> PermanentError:
    return PermanentError(
        "sandbox.no_authorization",
        f"A sandbox {network} account is added by an admin in Gaung, not connected through "
        f"{network}'s login.",
        f"Akun {network} sandbox ditambahkan oleh admin di Gaung, bukan disambungkan lewat "
        f"login {network}.",
    )


def _rules_refused(network: str, message: str) -> PermanentError:
    return PermanentError(
        "sandbox.rules",
        f"{network} would refuse this post: {message}",
        f"{network} akan menolak postingan ini: {message}",
    )


def _unknown_target(network: str) -> PermanentError:
    return PermanentError(
        "sandbox.reply_target_unknown",
        f"The post or comment being answered is not on this sandbox {network} account.",
        f"Postingan atau komentar yang dibalas tidak ada di akun {network} sandbox ini.",
    )


# ``#coba-lagi`` texts already failed once in this process. Module-wide because a store (and so
# a factory) is built per database session, while the retry comes in a later one.
_RETRIED: set[str] = set()


class SandboxConnector:
    """A ``Connector`` for one imitated network over a ``SandboxStore``."""

    def __init__(
        self,
        platform: Platform,
        store: SandboxStore,
        *,
        seed: int = 0,
        clock: Callable[[], datetime] = utcnow,
        retried: set[str] | None = None,
        randbits: Callable[[int], int] = secrets.randbits,
    ) -> None:
        self._platform = platform
        self._store = store
        self._seed = seed
        self._clock = clock
        self._randbits = randbits
        self._network = _NAMES[platform]
        # Texts whose forced temporary failure already happened once (see the module docstring).
        self._retried = retried if retried is not None else set()

    @property
    def platform(self) -> Platform:
        return self._platform

    # --- ids and links --------------------------------------------------------------------

    def _account_key(self, account: AccountCredentials) -> str:
        return f"{self._platform.value}:{account.external_id}"

    def _new_id(self, account: AccountCredentials, published_at: datetime, n: int) -> str:
        """Unique per account: the time, the account's post count and random bits (two
        publishes in parallel see the same count)."""
        ms = int(published_at.timestamp() * 1000)
        low = ((n % 4096) << 10) | (self._randbits(10) & 1023)
        if self._platform is Platform.x:
            return str(((ms - _X_EPOCH_MS) << 22) | low)
        if self._platform is Platform.instagram:
            return f"1790{ms:013d}{low:07d}"
        # A Facebook Page post id is "<page id>_<post id>".
        return f"{account.external_id}_{ms:013d}{low:07d}"

    def _url(self, account: AccountCredentials, external_id: str) -> str:
        handle = account.handle.lstrip("@")
        if self._platform is Platform.x:
            return f"{SANDBOX_HOST}/x/{handle}/status/{external_id}"
        if self._platform is Platform.instagram:
            return f"{SANDBOX_HOST}/instagram/{handle}/p/{external_id}"
        return f"{SANDBOX_HOST}/facebook/{handle}/posts/{external_id}"

    # --- publishing -----------------------------------------------------------------------

    def _check_triggers(self, account: AccountCredentials, text: str) -> None:
        if _FAIL.search(text):
            raise _forced_failure(self._network)
        if _AUTH.search(text):
            raise _forced_auth(self._network)
        if _RETRY.search(text):
            key = hashlib.sha256(f"{self._account_key(account)}\n{text}".encode()).hexdigest()
            if key not in self._retried:
                if len(self._retried) >= _MAX_REMEMBERED:
                    self._retried.clear()
                self._retried.add(key)
                raise _forced_retry(self._network)

    async def _save(
        self, account: AccountCredentials, text: str, media_count: int, in_reply_to: str | None
    ) -> PublishResult:
        now = self._clock()
        external_id = self._new_id(account, now, await self._store.count_posts(account))
        post = StoredPost(external_id, text, media_count, now, in_reply_to)
        await self._store.save_post(account, post)
        return PublishResult(external_id, self._url(account, external_id))

    async def publish(
        self, account: AccountCredentials, variant: VariantToPublish
    ) -> PublishResult:
        rules = _RULES[self._platform]
        infos = [m.info for m in variant.media]
        problems = rules.check(variant.text, infos, rules.count(variant.text))
        if problems:
            raise _rules_refused(self._network, problems[0].message)
        self._check_triggers(account, variant.text)
        return await self._save(account, variant.text, len(variant.media), None)

    async def reply(
        self, account: AccountCredentials, in_reply_to: str, text: str
    ) -> PublishResult:
        rules = _RULES[self._platform]
        # A reply is text only; "media required" (Instagram posts) does not apply to comments.
        problems = [p for p in rules.check(text, [], rules.count(text)) if p.field == "text"]
        if problems:
            raise _rules_refused(self._network, problems[0].message)
        await self._reply_target(account, in_reply_to)
        self._check_triggers(account, text)
        return await self._save(account, text, 0, in_reply_to)

    async def comment(self, account: AccountCredentials, on: str, text: str) -> PublishResult:
        # The imitated networks' own comments and thread parts are replies to the post.
        return await self.reply(account, on, text)

    async def _reply_target(self, account: AccountCredentials, target: str) -> None:
        """Refuses a reply to anything but the account's own post or a comment that has arrived
        (so X's rule — reply only when summoned — holds: every simulated comment addresses the
        account)."""
        if target.startswith(simulation.PRACTICE_MARK):
            return  # a practice question an admin posed in Gaung: always there to answer
        parsed = simulation.parse_comment_id(target)
        post_id, index = parsed if parsed else (target, None)
        found = await self._store.posts_by_id(account, [post_id])
        if not found:
            raise _unknown_target(self._network)
        if index is None:
            return
        post = found[0]
        if post.in_reply_to is not None or index >= simulation.comment_count(self._seed, post_id):
            raise _unknown_target(self._network)
        arrived = simulation.comment(self._seed, post_id, post.published_at, index)
        if arrived.sent_at > self._clock():
            raise _unknown_target(self._network)

    async def find_recent(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[RecentPost]:
        posts = await self._store.posts_since(account, since, MAX_POSTS_READ)
        return [
            RecentPost(p.external_id, self._url(account, p.external_id), p.text, p.published_at)
            for p in posts
        ]

    # --- figures --------------------------------------------------------------------------

    async def account_metrics(self, account: AccountCredentials) -> AccountMetrics:
        now = self._clock()
        key = self._account_key(account)
        published = await self._store.count_posts(account)
        return AccountMetrics(
            measured_at=now,
            followers=simulation.followers(self._seed, key, now),
            following=simulation.following(self._seed, key, now),
            posts=simulation.earlier_posts(self._seed, key) + published,
        )

    async def post_metrics(
        self, account: AccountCredentials, external_ids: Sequence[str]
    ) -> Sequence[PostMetrics]:
        now = self._clock()
        audience = simulation.followers(self._seed, self._account_key(account), now)
        # Like the real networks, ids that name no post of the account are left out.
        posts = await self._store.posts_by_id(account, external_ids)
        by_id = {p.external_id: p for p in posts}
        result = []
        for external_id in dict.fromkeys(external_ids):
            post = by_id.get(external_id)
            if post is None:
                continue
            f = simulation.post_figures(self._seed, external_id, post.published_at, now, audience)
            if post.in_reply_to is not None:
                # Replies are seen by the few in the conversation, not the whole audience.
                f = simulation.PostFigures(
                    f.impressions // 50, f.reach // 50, f.likes // 20, 0, 0, 0
                )
            result.append(
                PostMetrics(
                    external_id=external_id,
                    measured_at=now,
                    impressions=f.impressions,
                    reach=f.reach,
                    likes=f.likes,
                    replies=f.replies,
                    shares=f.shares,
                    clicks=f.clicks,
                )
            )
        return result

    # --- conversations --------------------------------------------------------------------

    async def fetch_conversations(
        self, account: AccountCredentials, since: datetime
    ) -> Sequence[Conversation]:
        """Comments that arrived after ``since`` (one conversation per post; on X each mention
        is its own), with the account's replies to them."""
        now = self._clock()
        posts = await self._store.posts_since(account, since - _COMMENT_LOOKBACK, MAX_POSTS_READ)
        replies: dict[str, list[StoredPost]] = {}
        for p in posts:
            if p.in_reply_to is not None:
                replies.setdefault(p.in_reply_to, []).append(p)
        conversations: list[Conversation] = []
        for post in sorted(posts, key=lambda p: p.published_at):
            if post.in_reply_to is not None:
                continue
            arrived = simulation.comments(self._seed, post.external_id, post.published_at, now)
            new = [c for c in arrived if c.sent_at > since]
            if not new:
                continue
            if self._platform is Platform.x:
                conversations.extend(
                    Conversation(
                        c.external_id,
                        "mention",
                        [self._message(c), *self._own(account, replies.get(c.external_id, []))],
                        post.external_id,
                    )
                    for c in new
                )
                continue
            messages: list[Message] = []
            for c in new:
                messages.append(self._message(c))
                messages.extend(self._own(account, replies.get(c.external_id, [])))
            conversations.append(
                Conversation(post.external_id, "comment", messages, post.external_id)
            )
        return conversations

    @staticmethod
    def _message(c: simulation.SimulatedComment) -> Message:
        return Message(
            c.external_id, c.author_id, c.author_handle, c.author_name, c.text, c.sent_at
        )

    @staticmethod
    def _own(account: AccountCredentials, posts: Sequence[StoredPost]) -> list[Message]:
        return [
            Message(
                p.external_id,
                account.external_id,
                account.handle,
                None,
                p.text,
                p.published_at,
                from_account=True,
            )
            for p in sorted(posts, key=lambda p: p.published_at)
        ]

    # --- access ---------------------------------------------------------------------------

    async def refresh_token(self, account: AccountCredentials) -> TokenSet:
        # Nothing expires in the sandbox: the tokens it has are the tokens it keeps.
        return TokenSet(account.access_token, account.refresh_token, None)

    def authorize_url(self, redirect_uri: str, state: str) -> AuthorizeRequest:
        raise _no_authorization(self._network)

    async def exchange_callback(
        self, redirect_uri: str, code: str, request: AuthorizeRequest
    ) -> Sequence[ConnectedAccount]:
        raise _no_authorization(self._network)


def sandbox_factory(
    platform: Platform,
    store: SandboxStore,
    *,
    seed: int = 0,
    clock: Callable[[], datetime] = utcnow,
) -> Callable[[Context], Connector]:
    """A connector factory for sandbox accounts imitating ``platform``, over ``store``.

    The sandbox makes no HTTP call, so the context is not used."""

    def build(_ctx: Context) -> Connector:
        return SandboxConnector(platform, store, seed=seed, clock=clock, retried=_RETRIED)

    return build


__all__ = [
    "MemoryStore",
    "SandboxConnector",
    "SandboxStore",
    "StoredPost",
    "sandbox_factory",
]

"""What the fake platform knows: its accounts, the posts made on them, every request it
received, and the faults it is told to inject. Shared between the server's event loop and the
test (another thread), so every read and change holds one lock."""

from __future__ import annotations

import fnmatch
import itertools
import random
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

# A fault either answers instead of the platform (nothing is created) or, for the ``accept_``
# kinds, lets the platform do the work and then loses the answer: the case a publisher cannot
# tell from a failure without looking at the account.
FaultKind = Literal[
    "rate_limit",  # 429 (X: x-rate-limit-reset; Graph: code 80001 + Retry-After)
    "server_error",  # 500 (X problem JSON; Graph: code 2, transient)
    "expired_token",  # X: 401; Graph: code 190 subcode 463
    "duplicate",  # refused for good: X 403 duplicate content; Graph code 506
    "timeout",  # no answer until the client gives up (or hang_s passes)
    "drop",  # the connection is closed without an answer
    "accept_timeout",  # created, then no answer
    "accept_drop",  # created, then the connection is closed
]
FAULT_KINDS: tuple[str, ...] = FaultKind.__args__  # type: ignore[attr-defined]

# The requests that make a post appear on an account.
PUBLISH_OPS = frozenset({"x.post", "fb.feed", "fb.photo", "ig.publish"})


@dataclass
class Fault:
    kind: FaultKind
    op: str = "*"  # fnmatch pattern on the operation name (``x.post``, ``ig.*``)
    account: str | None = None  # only requests for this account's external id
    times: int | None = None  # how many requests get it; None: every matching one
    fraction: float = 1.0  # each matching request gets it with this probability
    reset_s: float = 2.0  # rate_limit: when the window resets, seconds from now
    hang_s: float = 300.0  # timeout kinds: the longest the fake stays silent
    id: int = 0
    hits: int = 0

    def matches(self, op: str, account: str | None) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if not fnmatch.fnmatchcase(op, self.op):
            return False
        return self.account is None or self.account == account


@dataclass
class Received:
    """One request as it arrived (times taken before any latency or fault)."""

    seq: int
    op: str
    method: str
    path: str
    account: str | None
    mono: float  # time.monotonic() at arrival
    wall: float  # time.time() at arrival
    text: str | None = None  # what a publish asked to show (made or not)
    fault: str | None = None
    created: str | None = None  # the id of the post it made, if any
    status: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Account:
    platform: Literal["x", "facebook", "instagram"]
    external_id: str
    handle: str
    token: str | None = None  # when set, a request with another token is refused
    refresh_token: str | None = None  # X: exchanged for a new pair at /2/oauth2/token


@dataclass
class Post:
    id: str
    platform: str
    account: str
    text: str
    created_at: datetime
    url: str
    seq: int  # the request that made it
    # An X thread part answers this post; a Facebook feed post carries this link.
    in_reply_to: str | None = None
    link: str | None = None


@dataclass
class Comment:
    """The account's own comment on its post (an Instagram first comment)."""

    id: str
    on: str
    account: str
    text: str
    seq: int


@dataclass
class Container:
    id: str
    account: str
    caption: str
    params: dict[str, str]
    polls_left: int  # IN_PROGRESS answers before FINISHED
    published_as: str | None = None


@dataclass
class FakeState:
    latency_ms: float = 50.0
    op_latency_ms: dict[str, float] = field(default_factory=dict)
    # Instagram's content_publishing_limit (Meta documents 50 per 24 h).
    ig_quota_total: int = 50
    # IN_PROGRESS answers a new Instagram container gives before FINISHED.
    ig_container_polls: int = 0
    seed: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    accounts: dict[str, Account] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    containers: dict[str, Container] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    media: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._random.seed(self.seed)

    # --- configuration -----------------------------------------------------------------------

    def configure(self, **values: Any) -> None:
        allowed = {"latency_ms", "op_latency_ms", "ig_quota_total", "ig_container_polls"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        with self.lock:
            for name, value in values.items():
                setattr(self, name, value)

    def add_account(
        self,
        platform: str,
        external_id: str,
        handle: str,
        token: str | None = None,
        refresh_token: str | None = None,
    ) -> Account:
        if platform not in ("x", "facebook", "instagram"):
            raise ValueError(f"unknown platform {platform!r}")
        account = Account(platform, external_id, handle, token, refresh_token)  # type: ignore[arg-type]
        with self.lock:
            self.accounts[external_id] = account
        return account

    def add_fault(self, kind: str, **options: Any) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        with self.lock:
            fault = Fault(kind, **options)  # type: ignore[arg-type]
            fault.id = next(self._ids)
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def reset(self) -> None:
        """Back to a fresh fake: no accounts, posts, requests or faults; default settings."""
        with self.lock:
            fresh = FakeState(seed=self.seed)
            for name in (
                "latency_ms",
                "op_latency_ms",
                "ig_quota_total",
                "ig_container_polls",
                "accounts",
                "posts",
                "containers",
                "comments",
                "received",
                "faults",
                "media",
            ):
                setattr(self, name, getattr(fresh, name))
            self._random.seed(self.seed)

    # --- what the server does ----------------------------------------------------------------

    def arrive(self, op: str, method: str, path: str, account: str | None) -> Received:
        with self.lock:
            record = Received(
                seq=next(self._seq),
                op=op,
                method=method,
                path=path,
                account=account,
                mono=time.monotonic(),
                wall=time.time(),
            )
            self.received.append(record)
            return record

    def pick_fault(self, record: Received) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(record.op, record.account) and (
                    fault.fraction >= 1.0 or self._random.random() < fault.fraction
                ):
                    fault.hits += 1
                    record.fault = fault.kind
                    return fault
            return None

    def latency_s(self, op: str) -> float:
        with self.lock:
            return self.op_latency_ms.get(op, self.latency_ms) / 1000.0

    def new_id(self) -> int:
        with self.lock:
            return next(self._ids)

    def create_post(
        self,
        record: Received,
        platform: str,
        account: str,
        text: str,
        post_id: str,
        url: str,
        *,
        in_reply_to: str | None = None,
        link: str | None = None,
    ) -> Post:
        with self.lock:
            post = Post(
                post_id,
                platform,
                account,
                text,
                datetime.fromtimestamp(record.wall, UTC),
                url,
                record.seq,
                in_reply_to,
                link,
            )
            self.posts.append(post)
            record.created = post_id
            record.text = text
            return post

    def account_posts(self, account: str, since: datetime | None) -> list[Post]:
        """The account's posts, newest first, made at or after ``since``."""
        with self.lock:
            found = [
                p
                for p in self.posts
                if p.account == account and (since is None or p.created_at >= since)
            ]
        return sorted(found, key=lambda p: (p.created_at, p.seq), reverse=True)

    # --- what a test reads -------------------------------------------------------------------

    def publishes(self) -> list[Received]:
        """Requests that made a post appear, in arrival order."""
        with self.lock:
            return [r for r in self.received if r.op in PUBLISH_OPS and r.created]

    def requests(self, op: str = "*") -> list[Received]:
        with self.lock:
            return [r for r in self.received if fnmatch.fnmatchcase(r.op, op)]

    def texts(self) -> Counter[str]:
        """How many posts show each text (per account and text, as ``account:text``)."""
        with self.lock:
            return Counter(f"{p.account}:{p.text}" for p in self.posts)

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "received": [r.as_dict() for r in self.received],
                "posts": [
                    {**asdict(p), "created_at": p.created_at.isoformat()} for p in self.posts
                ],
                "comments": [asdict(c) for c in self.comments],
                "faults": [asdict(f) for f in self.faults],
            }

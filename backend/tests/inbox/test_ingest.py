"""Reading comments, replies and mentions: X, Facebook and Instagram through respx-mocked APIs
(with pagination, and incrementally from where the last read stopped), sandbox accounts'
simulated followers, and Meta's webhooks merged with polling."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import respx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.accounts.models import Platform, PlatformAccount
from gaung.accounts.sandbox import SandboxPost
from gaung.accounts.tokens import store_tokens
from gaung.config import Settings
from gaung.inbox import jobs
from gaung.inbox.models import Conversation, ConversationStatus, InboxCursor, InboxMessage
from gaung.inbox.service import store_conversations
from gaung.platforms import protocol
from gaung.worker.context import JobContext
from tests.accounts.connect_helpers import GRAPH, META_APP_SECRET, X_API
from tests.conftest import World
from tests.helpers import error_of
from tests.inbox.conftest import VERIFY_TOKEN, Desk

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
X_ME = "2244994945"
PAGE = "101"
IG = "17841400000000001"


def ctx(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    now: datetime = NOW,
) -> JobContext:
    return JobContext(sessionmaker=sessionmaker, settings=settings, http=http, clock=lambda: now)


async def real(
    session: AsyncSession, settings: Settings, desk: Desk, platform: Platform, external_id: str
) -> PlatformAccount:
    account = PlatformAccount(
        unit_id=desk.unit.id,
        platform=platform,
        external_id=external_id,
        handle="ptpsw_bppt",
        display_name="PTPSW",
    )
    store_tokens(account, settings, access_token="akses", refresh_token=None, expires_at=None)
    session.add(account)
    await session.flush()
    return account


async def messages(session: AsyncSession, account: PlatformAccount) -> list[str]:
    rows = await session.scalars(
        select(InboxMessage.external_id)
        .where(InboxMessage.account_id == account.id)
        .order_by(InboxMessage.sent_at, InboxMessage.id)
    )
    return list(rows)


def x_post(pid: str, text: str, at: str, author: str = "55", conv: str | None = None) -> Any:
    return {
        "id": pid,
        "text": text,
        "created_at": at,
        "author_id": author,
        "conversation_id": conv or pid,
    }


async def test_x_mentions_and_replies_are_paged_and_read_incrementally(
    desk: Desk,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    net: respx.MockRouter,
) -> None:
    account = await real(session, settings, desk, Platform.x, X_ME)
    users = {"users": [{"id": "55", "username": "warga", "name": "Warga"}]}
    pages = {
        None: {
            "data": [x_post("901", "@ptpsw_bppt formasi cpns ada gak?", "2026-11-29T10:00:00Z")],
            "includes": users,
            "meta": {"next_token": "hal2"},
        },
        "hal2": {
            "data": [x_post("902", "@ptpsw_bppt debit sungai naik?", "2026-11-29T11:00:00Z")],
            "includes": users,
            "meta": {},
        },
    }

    def mentions(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("pagination_token")])

    mention_route = net.get(f"{X_API}/2/users/{X_ME}/mentions").mock(side_effect=mentions)
    net.get(f"{X_API}/2/users/{X_ME}/tweets").respond(200, json={"meta": {"result_count": 0}})
    report = await jobs.ingest(ctx(sessionmaker, settings, http))
    assert (report.accounts, report.failed) >= (1, 0)
    assert await messages(session, account) == ["901", "902"]
    convs = list(
        await session.scalars(select(Conversation).where(Conversation.account_id == account.id))
    )
    assert {c.kind for c in convs} == {"mention"}
    by_id = {c.external_id: c for c in convs}
    assert by_id["901"].assignee_id == desk.expert.id  # careers
    assert by_id["902"].topic_id == desk.topics["air"].id  # no expert: stays with admins
    assert by_id["902"].status == ConversationStatus.new
    cursor = await session.get(InboxCursor, account.id)
    assert cursor is not None
    await session.refresh(cursor)
    assert cursor.since == datetime(2026, 11, 29, 11, tzinfo=UTC)
    assert cursor.last_external_id == "902"
    # The next read starts at the newest message read; what comes again is not duplicated.
    await jobs.ingest(ctx(sessionmaker, settings, http, NOW + timedelta(minutes=5)))
    assert mention_route.calls.last.request.url.params["start_time"] == "2026-11-29T11:00:00Z"
    assert await messages(session, account) == ["901", "902"]


async def test_facebook_comments_follow_the_cursor(
    desk: Desk,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    net: respx.MockRouter,
) -> None:
    account = await real(session, settings, desk, Platform.facebook, PAGE)
    net.get(f"{GRAPH}/{PAGE}/published_posts").respond(
        200, json={"data": [{"id": f"{PAGE}_1", "message": "Info", "created_time": "x"}]}
    )

    def comments(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("after") is None:
            return httpx.Response(
                200,
                json={
                    "data": [
                        {
                            "id": "c1",
                            "from": {"id": "9", "name": "Budi"},
                            "message": "Lowongan magang ada?",
                            "created_time": "2026-11-29T09:00:00+0000",
                        }
                    ],
                    "paging": {"cursors": {"after": "a1"}, "next": "https://graph/next"},
                },
            )
        return httpx.Response(
            200,
            json={
                "data": [
                    {
                        "id": "c2",
                        "from": {"id": PAGE, "name": "PTPSW"},
                        "message": "Ada, cek web kami.",
                        "created_time": "2026-11-29T09:30:00+0000",
                    }
                ],
            },
        )

    route = net.get(f"{GRAPH}/{PAGE}_1/comments").mock(side_effect=comments)
    await jobs.ingest(ctx(sessionmaker, settings, http))
    assert [c.request.url.params.get("after") for c in route.calls] == [None, "a1"]
    assert await messages(session, account) == ["c1", "c2"]
    conv = await session.scalar(select(Conversation).where(Conversation.account_id == account.id))
    assert conv is not None
    # The page's own reply counts as the first response.
    assert conv.first_response_at == datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
    await jobs.ingest(ctx(sessionmaker, settings, http, NOW + timedelta(minutes=5)))
    since = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
    assert route.calls.last.request.url.params["since"] == str(int(since.timestamp()))


async def test_instagram_comments_and_replies(
    desk: Desk,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    net: respx.MockRouter,
) -> None:
    account = await real(session, settings, desk, Platform.instagram, IG)
    net.get(f"{GRAPH}/{IG}/media").respond(200, json={"data": [{"id": "m1"}]})
    net.get(f"{GRAPH}/m1/comments").respond(
        200,
        json={
            "data": [
                {
                    "id": "k1",
                    "text": "min formasi cpns kapan dibuka?",
                    "timestamp": "2026-11-29T08:00:00+0000",
                    "username": "warga_ig",
                    "from": {"id": "31", "username": "warga_ig"},
                    "replies": {
                        "data": [
                            {
                                "id": "k2",
                                "text": "Segera diumumkan",
                                "timestamp": "2026-11-29T08:10:00+0000",
                                "username": "ptpsw_bppt",
                                "from": {"id": IG, "username": "ptpsw_bppt"},
                            }
                        ]
                    },
                }
            ]
        },
    )
    await jobs.ingest(ctx(sessionmaker, settings, http))
    assert await messages(session, account) == ["k1", "k2"]
    conv = await session.scalar(select(Conversation).where(Conversation.account_id == account.id))
    assert conv is not None and conv.assignee_id == desk.expert.id


async def test_a_rate_limited_account_waits_before_the_next_read(
    desk: Desk,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    net: respx.MockRouter,
) -> None:
    account = await real(session, settings, desk, Platform.x, X_ME)
    route = net.get(f"{X_API}/2/users/{X_ME}/mentions").respond(
        # X's reset is read against the real clock: ten minutes from now.
        429,
        headers={
            "x-rate-limit-reset": str(int((datetime.now(UTC) + timedelta(minutes=10)).timestamp()))
        },
    )
    report = await jobs.ingest(ctx(sessionmaker, settings, http))
    assert report.failed == 1
    calls = route.call_count
    cursor = await session.get(InboxCursor, account.id)
    assert cursor is not None
    await session.refresh(cursor)
    assert cursor.not_before is not None and cursor.not_before > NOW
    await jobs.ingest(ctx(sessionmaker, settings, http, NOW + timedelta(minutes=1)))
    assert route.call_count == calls  # left alone until the network's reset


async def test_sandbox_followers_questions_arrive_and_are_routed(
    desk: Desk,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
) -> None:
    now = datetime.now(UTC)
    for n in range(12):
        session.add(
            SandboxPost(
                account_id=desk.account.id,
                external_id=f"{desk.account.external_id}_{n}",
                text=f"Kegiatan {n}",
                published_at=now - timedelta(hours=40),
            )
        )
    await session.flush()
    report = await jobs.ingest(ctx(sessionmaker, settings, http, now))
    assert report.messages > 0
    stored = await session.scalar(
        select(func.count())
        .select_from(InboxMessage)
        .where(InboxMessage.account_id == desk.account.id)
    )
    assert stored == report.messages
    routed = await session.scalar(
        select(func.count()).select_from(Conversation).where(Conversation.topic_id.is_not(None))
    )
    assert routed and routed > 0
    again = await jobs.ingest(ctx(sessionmaker, settings, http, now))
    assert again.messages == 0


# --- Meta webhooks ------------------------------------------------------------------------------


def signed(body: bytes, secret: str = META_APP_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def page_comment(comment_id: str, text: str) -> bytes:
    payload = {
        "object": "page",
        "entry": [
            {
                "id": PAGE,
                "time": 1764417600,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "add",
                            "comment_id": comment_id,
                            "post_id": f"{PAGE}_1",
                            "message": text,
                            "from": {"id": "9", "name": "Budi"},
                            "created_time": 1764417600,
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload).encode()


async def test_the_subscription_handshake_needs_the_verify_token(
    client: httpx.AsyncClient,
) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158"}
    ok = await client.get("/api/v1/inbox/webhooks/meta", params=params)
    assert ok.status_code == 200 and ok.text == "1158"
    wrong = await client.get(
        "/api/v1/inbox/webhooks/meta", params=params | {"hub.verify_token": "salah"}
    )
    assert wrong.status_code == 403 and error_of(wrong)["error"] == "webhook_verify_failed"


async def test_signed_deliveries_are_taken_and_merged_with_polling(
    client: httpx.AsyncClient,
    desk: Desk,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    net: respx.MockRouter,
) -> None:
    account = await real(session, settings, desk, Platform.facebook, PAGE)
    body = page_comment("c1", "Lowongan magang masih dibuka?")
    res = await client.post("/api/v1/inbox/webhooks/meta", content=body, headers=signed(body))
    assert res.status_code == 200, res.text
    assert res.json() == {"received": 1, "replayed": False}
    replay = await client.post("/api/v1/inbox/webhooks/meta", content=body, headers=signed(body))
    assert replay.json() == {"received": 0, "replayed": True}
    # Polling later reads the same comment: it is not stored twice.
    net.get(f"{GRAPH}/{PAGE}/published_posts").respond(200, json={"data": [{"id": f"{PAGE}_1"}]})
    net.get(f"{GRAPH}/{PAGE}_1/comments").respond(
        200,
        json={
            "data": [
                {
                    "id": "c1",
                    "from": {"id": "9", "name": "Budi"},
                    "message": "Lowongan magang masih dibuka?",
                    "created_time": "2025-11-29T12:00:00+0000",
                }
            ]
        },
    )
    await jobs.ingest(ctx(sessionmaker, settings, http))
    assert await messages(session, account) == ["c1"]
    convs = await session.scalar(
        select(func.count()).select_from(Conversation).where(Conversation.account_id == account.id)
    )
    assert convs == 1


async def test_unsigned_or_badly_signed_deliveries_are_refused(
    client: httpx.AsyncClient, desk: Desk, session: AsyncSession, settings: Settings
) -> None:
    await real(session, settings, desk, Platform.facebook, PAGE)
    body = page_comment("c9", "Halo")
    for headers in ({}, signed(body, "rahasia-lain"), {"X-Hub-Signature-256": "sha1=abc"}):
        res = await client.post("/api/v1/inbox/webhooks/meta", content=body, headers=headers)
        assert res.status_code == 403 and error_of(res)["error"] == "bad_signature"
    tampered = body.replace(b"Halo", b"Hala")
    res = await client.post("/api/v1/inbox/webhooks/meta", content=tampered, headers=signed(body))
    assert res.status_code == 403
    assert await session.scalar(select(func.count()).select_from(InboxMessage)) == 0


async def test_a_signed_delivery_that_is_not_json_is_a_clear_error(
    client: httpx.AsyncClient,
) -> None:
    body = b"bukan json"
    res = await client.post("/api/v1/inbox/webhooks/meta", content=body, headers=signed(body))
    assert res.status_code == 422 and error_of(res)["fields"] == {"body": "must be JSON"}


async def test_instagram_webhook_comments(
    client: httpx.AsyncClient, desk: Desk, session: AsyncSession, settings: Settings, world: World
) -> None:
    account = await real(session, settings, desk, Platform.instagram, IG)
    payload = {
        "object": "instagram",
        "entry": [
            {
                "id": IG,
                "time": 1764417600,
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "id": "k7",
                            "text": "peta batas desa terbaru ada?",
                            "from": {"id": "31", "username": "warga_ig"},
                            "media": {"id": "m1"},
                        },
                    }
                ],
            }
        ],
    }
    body = json.dumps(payload).encode()
    res = await client.post("/api/v1/inbox/webhooks/meta", content=body, headers=signed(body))
    assert res.json()["received"] == 1
    assert await messages(session, account) == ["k7"]


async def test_odd_but_signed_deliveries_are_taken_without_failing(
    client: httpx.AsyncClient, desk: Desk, session: AsyncSession, settings: Settings
) -> None:
    await real(session, settings, desk, Platform.facebook, PAGE)
    odd: list[Any] = [
        {"object": "page", "entry": 5},
        {"object": "page", "entry": [{"id": PAGE, "changes": "semua"}]},
        {
            "object": "page",
            "entry": [
                {
                    "id": PAGE,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "item": "comment",
                                "verb": "add",
                                "comment_id": "c5",
                                "post_id": f"{PAGE}_1",
                                "message": "Halo",
                                "from": "Budi",
                                "created_time": 10**20,
                            },
                        }
                    ],
                }
            ],
        },
    ]
    for payload in odd:
        body = json.dumps(payload).encode()
        res = await client.post("/api/v1/inbox/webhooks/meta", content=body, headers=signed(body))
        assert res.status_code == 200, res.text


async def test_a_follow_up_question_reopens_with_its_own_due_time(
    desk: Desk, session: AsyncSession
) -> None:
    first = protocol.Message("q1", "9", "budi", None, "formasi cpns ada?", NOW)
    await store_conversations(
        session, desk.account, [protocol.Conversation("t1", "comment", [first], None)], NOW
    )
    conv = await session.scalar(select(Conversation).where(Conversation.external_id == "t1"))
    assert conv is not None and conv.due_at == NOW + timedelta(hours=24)
    conv.status = ConversationStatus.answered
    later = NOW + timedelta(days=3)
    again = protocol.Message("q2", "9", "budi", None, "kalau D3 bisa?", later)
    await store_conversations(
        session, desk.account, [protocol.Conversation("t1", "comment", [first, again], None)]
    )
    assert conv.status == ConversationStatus.assigned
    assert conv.due_at == later + timedelta(hours=24)

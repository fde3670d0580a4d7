"""The inbox through the API: a question is routed to its expert, answered (posted as a
reply, held for approval, or recorded as answered outside), reassigned (which teaches the
router), marked as a legal request or complaint, and erased on request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import respx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import Platform, PlatformAccount
from gaung.accounts.sandbox import SandboxPost
from gaung.accounts.tokens import store_tokens
from gaung.config import Settings
from gaung.inbox.models import (
    AnswerStatus,
    Conversation,
    InboxMessage,
    InboxTopic,
)
from gaung.inbox.service import anonymise_old, remind_overdue, store_conversations
from gaung.notifications.models import Notification, NotificationKind
from gaung.platforms import protocol
from gaung.users.models import Role
from tests.accounts.connect_helpers import X_API
from tests.conftest import World
from tests.helpers import error_of
from tests.inbox.conftest import Desk

CAREERS = "Min, formasi CPNS tahun ini ada utk lulusan S1 teknik sipil gak?"


async def ask(
    client: httpx.AsyncClient, world: World, desk: Desk, text: str = CAREERS
) -> dict[str, Any]:
    res = await client.post(
        "/api/v1/inbox/practice-questions",
        json={"account_id": desk.account.id, "text": text},
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 201, res.text
    body: dict[str, Any] = res.json()
    return body


async def notes(session: AsyncSession, kind: NotificationKind) -> list[int]:
    rows = await session.scalars(select(Notification.user_id).where(Notification.kind == kind))
    return sorted(rows)


async def test_a_question_is_routed_to_its_expert_and_answered_as_a_reply(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    conv = await ask(client, world, desk)
    assert conv["status"] == "assigned" and conv["assignee_id"] == desk.expert.id
    assert conv["topic_id"] == desk.topics["karier"].id
    [best, *_] = conv["suggestions"]
    assert best["key"] == "karier" and {"formasi", "cpns"} <= set(best["matched"])
    assert conv["due_at"] is not None and not conv["overdue"]
    assert await notes(session, NotificationKind.inbox_assigned) == [desk.expert.id]

    expert = world.headers(desk.expert)
    mine = await client.get("/api/v1/inbox/conversations", params={"mine": True}, headers=expert)
    assert [c["id"] for c in mine.json()["items"]] == [conv["id"]]
    answered = await client.post(
        f"/api/v1/inbox/conversations/{conv['id']}/answers",
        json={"text": "Formasi diumumkan di sscasn.bkn.go.id, tanpa biaya."},
        headers=expert,
    )
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["status"] == "answered" and body["first_response_at"] is not None
    assert [a["status"] for a in body["answers"]] == ["posted"]
    assert [m["from_account"] for m in body["messages"]] == [False, True]
    # The reply exists on the sandbox network, answering the question.
    reply = await session.scalar(select(SandboxPost).where(SandboxPost.in_reply_to.is_not(None)))
    assert reply is not None and reply.in_reply_to == body["messages"][0]["external_id"]
    stats = await client.get(f"/api/v1/units/{desk.unit.id}/inbox/stats", headers=expert)
    [careers] = [t for t in stats.json()["by_topic"] if t["id"] == desk.topics["karier"].id]
    assert careers["answered"] == 1 and careers["median_first_response_hours"] is not None


async def test_off_topic_remarks_stay_with_the_admins(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    conv = await ask(client, world, desk, "Mantap, semoga bermanfaat 👍")
    assert conv["status"] == "new" and conv["assignee_id"] is None and conv["suggestions"] == []


async def test_only_the_assignee_or_a_manager_answers_and_the_policy_can_hold_answers(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    conv = await ask(client, world, desk)
    path = f"/api/v1/inbox/conversations/{conv['id']}/answers"
    refused = await client.post(
        path, json={"text": "Saya jawab"}, headers=world.headers(desk.viewer)
    )
    assert refused.status_code == 403 and error_of(refused)["error"] == "not_assignee"
    policy = await client.patch(
        f"/api/v1/units/{desk.unit.id}/inbox/settings",
        json={"answers_need_approval": True},
        headers=world.headers(desk.admin),
    )
    assert policy.status_code == 200 and policy.json()["answers_need_approval"] is True
    held = await client.post(
        path, json={"text": "Menunggu persetujuan"}, headers=world.headers(desk.expert)
    )
    [pending] = held.json()["answers"]
    assert pending["status"] == "pending" and held.json()["status"] == "assigned"
    assert await notes(session, NotificationKind.inbox_answer_review) == [desk.admin.id]
    not_yours = await client.post(
        f"/api/v1/inbox/answers/{pending['id']}/approve", headers=world.headers(desk.expert)
    )
    assert not_yours.status_code == 403
    approved = await client.post(
        f"/api/v1/inbox/answers/{pending['id']}/approve", headers=world.headers(desk.admin)
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "answered"
    assert approved.json()["answers"][0]["status"] == "posted"
    again = await client.post(
        f"/api/v1/inbox/answers/{pending['id']}/approve", headers=world.headers(desk.admin)
    )
    assert again.status_code == 409 and error_of(again)["error"] == "answer_state"


async def test_answered_outside_gaung_posts_nothing(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    conv = await ask(client, world, desk)
    res = await client.post(
        f"/api/v1/inbox/conversations/{conv['id']}/answers",
        json={"text": "Sudah dijawab lewat telepon", "outside": True},
        headers=world.headers(desk.expert),
    )
    assert res.json()["status"] == "answered"
    assert res.json()["answers"][0]["status"] == "outside"
    assert await session.scalar(select(SandboxPost.id)) is None


async def test_x_refuses_a_reply_that_was_not_summoned_and_says_so(
    client: httpx.AsyncClient,
    world: World,
    desk: Desk,
    session: AsyncSession,
    settings: Settings,
    net: respx.MockRouter,
) -> None:
    account = PlatformAccount(
        unit_id=desk.unit.id,
        platform=Platform.x,
        external_id="2244994945",
        handle="PTPSW_BPPT",
        display_name="PTPSW",
    )
    store_tokens(account, settings, access_token="akses", refresh_token=None, expires_at=None)
    session.add(account)
    await session.flush()
    question = protocol.Message("1900", "77", "warga", "Warga", CAREERS, datetime.now(UTC))
    await store_conversations(
        session, account, [protocol.Conversation("1900", "comment", [question], "1800")]
    )
    conv = await session.scalar(select(Conversation).where(Conversation.account_id == account.id))
    assert conv is not None
    net.post(f"{X_API}/2/tweets").respond(
        403,
        json={"title": "Forbidden", "detail": "You are not allowed to reply.", "status": 403},
    )
    res = await client.post(
        f"/api/v1/inbox/conversations/{conv.id}/answers",
        json={"text": "Formasi diumumkan di sscasn."},
        headers=world.headers(desk.expert),
    )
    assert res.status_code == 409, res.text
    error = error_of(res)
    assert error["error"] == "reply_not_summoned" and "mark it answered outside" in error["detail"]
    sent = net.calls.last.request
    assert b'"in_reply_to_tweet_id":"1900"' in sent.content.replace(b" ", b"")
    read = await client.get(
        f"/api/v1/inbox/conversations/{conv.id}", headers=world.headers(desk.expert)
    )
    assert read.json()["status"] == "assigned"
    assert [a["status"] for a in read.json()["answers"]] == [AnswerStatus.failed]


async def test_reassigning_teaches_the_router(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    # Routed to water resources by "arsinum"; the admin knows it is about a visit.
    text = "Min, alat arsinum di balai kapan bisa dilihat rombongan studi banding sekolah?"
    conv = await ask(client, world, desk, text)
    admin = world.headers(desk.admin)
    route = {"unit_id": desk.unit.id, "text": "rombongan studi banding sekolah mau ke balai"}
    before = await client.post("/api/v1/inbox/route", json=route, headers=admin)
    assert before.json()["routed"] is False
    layanan = desk.topics["layanan"].id
    res = await client.post(
        f"/api/v1/inbox/conversations/{conv['id']}/assign",
        json={"topic_id": layanan, "assignee_id": desk.admin.id},
        headers=admin,
    )
    assert res.status_code == 200, res.text
    assert res.json()["topic_id"] == layanan and res.json()["assignee_id"] == desk.admin.id
    topic = await session.get(InboxTopic, layanan)
    assert topic is not None
    await session.refresh(topic)
    assert topic.learned  # the correction was learned
    water = await session.get(InboxTopic, desk.topics["air"].id)
    assert water is not None
    await session.refresh(water)
    assert water.learned and all(w < 0 for w in water.learned.values())
    after = await client.post("/api/v1/inbox/route", json=route, headers=admin)
    assert after.json()["routed"] is True
    assert after.json()["suggestions"][0]["topic_id"] == layanan
    # An expert may not reassign; a non-member is no assignee.
    denied = await client.post(
        f"/api/v1/inbox/conversations/{conv['id']}/assign",
        json={"assignee_id": desk.expert.id},
        headers=world.headers(desk.expert),
    )
    assert denied.status_code == 403
    stranger = await world.user()
    bad = await client.post(
        f"/api/v1/inbox/conversations/{conv['id']}/assign",
        json={"assignee_id": stranger.id},
        headers=admin,
    )
    assert bad.status_code == 422 and "assignee_id" in error_of(bad)["fields"]


async def test_the_route_endpoint_explains_and_leaves_off_topic_unrouted(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    headers = world.headers(desk.viewer)
    res = await client.post(
        "/api/v1/inbox/route",
        json={"unit_id": desk.unit.id, "text": "debit sungai di hulu naik gak min?"},
        headers=headers,
    )
    [best, *_] = res.json()["suggestions"]
    assert best["key"] == "air" and "debit" in best["matched"] and best["score"] >= 1
    remark = await client.post(
        "/api/v1/inbox/route", json={"unit_id": desk.unit.id, "text": "Keren!"}, headers=headers
    )
    assert remark.json() == {"suggestions": [], "threshold": 1.0, "routed": False}
    empty = await client.post(
        "/api/v1/inbox/route", json={"unit_id": desk.unit.id, "text": ""}, headers=headers
    )
    assert empty.status_code == 422 and "text" in error_of(empty)["fields"]


async def test_overdue_questions_remind_the_assignee_and_admins_once(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    conv = await ask(client, world, desk)
    due = datetime.fromisoformat(conv["due_at"])
    assert await remind_overdue(session, due - timedelta(minutes=1)) == 0
    assert await remind_overdue(session, due + timedelta(minutes=1)) == 1
    assert await notes(session, NotificationKind.inbox_overdue) == sorted(
        [desk.admin.id, desk.expert.id]
    )
    assert await remind_overdue(session, due + timedelta(hours=2)) == 0


async def test_a_public_information_request_runs_the_kip_clock_once_extendable(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    conv = await ask(client, world, desk, "Saya mohon salinan hasil kajian banjir 2025")
    admin = world.headers(desk.admin)
    path = f"/api/v1/inbox/conversations/{conv['id']}"
    marked = await client.post(f"{path}/request", json={"kind": "information"}, headers=admin)
    first = datetime.fromisoformat(marked.json()["kip_due_at"])
    assert timedelta(days=13) < first - datetime.fromisoformat(conv["last_message_at"])
    short = await client.post(f"{path}/request/extend", json={"reason": "x"}, headers=admin)
    assert short.status_code == 422 and "reason" in error_of(short)["fields"]
    reason = {"reason": "Dokumen perlu dikumpulkan dari dua balai."}
    extended = await client.post(f"{path}/request/extend", json=reason, headers=admin)
    assert datetime.fromisoformat(extended.json()["kip_due_at"]) > first
    assert extended.json()["kip_extended"] is True
    twice = await client.post(f"{path}/request/extend", json=reason, headers=admin)
    assert twice.status_code == 409 and error_of(twice)["error"] == "already_extended"


async def test_a_complainants_identity_is_shown_to_admins_only(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    conv = await ask(client, world, desk, "Pelayanan di kantor lambat sekali, saya kecewa")
    admin = world.headers(desk.admin)
    path = f"/api/v1/inbox/conversations/{conv['id']}"
    early = await client.put(
        f"{path}/lapor", json={"reference": "LAPOR-1", "status": "Diproses"}, headers=admin
    )
    assert early.status_code == 409 and error_of(early)["error"] == "not_a_complaint"
    await client.post(f"{path}/request", json={"kind": "complaint"}, headers=admin)
    lapor = await client.put(
        f"{path}/lapor", json={"reference": "LAPOR-2611-0042", "status": "Diproses"}, headers=admin
    )
    assert lapor.json()["lapor_reference"] == "LAPOR-2611-0042"
    handle = lapor.json()["messages"][0]["author_handle"]
    assert handle != "(disembunyikan)"
    seen = await client.get(path, headers=world.headers(desk.viewer))
    assert seen.json()["messages"][0]["author_handle"] == "(disembunyikan)"
    assert seen.json()["author_handle"] == "(disembunyikan)"
    listed = await client.get("/api/v1/inbox/conversations", headers=world.headers(desk.viewer))
    assert listed.json()["items"][0]["author_handle"] == "(disembunyikan)"


async def test_a_delete_request_erases_the_commenter_and_keeps_them_out(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    conv = await ask(client, world, desk)
    handle = conv["messages"][0]["author_handle"]
    res = await client.post(
        f"/api/v1/units/{desk.unit.id}/inbox/privacy-requests",
        json={"platform": "facebook", "author_handle": handle, "action": "delete"},
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 201 and res.json()["affected"] == 1
    assert res.json()["done_at"] is not None
    # Their words and identity are gone; the conversation stays (closed) for the figures.
    kept = await client.get(
        f"/api/v1/inbox/conversations/{conv['id']}", headers=world.headers(desk.admin)
    )
    assert kept.json()["status"] == "closed"
    assert kept.json()["topic_id"] == desk.topics["karier"].id
    [message] = kept.json()["messages"]
    assert message["erased"] and message["text"] == "" and message["author_handle"] == "anonim"
    again = protocol.Message("lagi-1", "u", handle, None, CAREERS, datetime.now(UTC))
    added = await store_conversations(
        session, desk.account, [protocol.Conversation("lagi", "comment", [again], None)]
    )
    assert added == 0


async def test_a_restricted_conversation_is_not_answered_here(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    conv = await ask(client, world, desk)
    handle = conv["messages"][0]["author_handle"]
    await client.post(
        f"/api/v1/units/{desk.unit.id}/inbox/privacy-requests",
        json={"platform": "facebook", "author_handle": handle, "action": "restrict"},
        headers=world.headers(desk.admin),
    )
    res = await client.post(
        f"/api/v1/inbox/conversations/{conv['id']}/answers",
        json={"text": "Jawaban"},
        headers=world.headers(desk.expert),
    )
    assert res.status_code == 409 and error_of(res)["error"] == "conversation_restricted"


async def test_commenters_are_anonymised_after_the_retention(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    conv = await ask(client, world, desk)
    now = datetime.now(UTC)
    assert await anonymise_old(session, now + timedelta(days=300)) == 0
    assert await anonymise_old(session, now + timedelta(days=366)) == 1
    message = await session.scalar(
        select(InboxMessage).where(InboxMessage.conversation_id == conv["id"])
    )
    assert message is not None
    await session.refresh(message)
    assert (message.author_handle, message.author_name) == ("anonim", None)
    assert message.text == "" and message.erased_at is not None


async def test_practice_questions_go_to_sandbox_accounts_only(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession, settings: Settings
) -> None:
    real = PlatformAccount(
        unit_id=desk.unit.id, platform=Platform.x, external_id="1", handle="h", display_name="H"
    )
    session.add(real)
    await session.flush()
    res = await client.post(
        "/api/v1/inbox/practice-questions",
        json={"account_id": real.id},
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 422 and "account_id" in error_of(res)["fields"]
    expert = await client.post(
        "/api/v1/inbox/practice-questions",
        json={"account_id": desk.account.id},
        headers=world.headers(desk.expert),
    )
    assert expert.status_code == 403


async def test_list_filters(client: httpx.AsyncClient, world: World, desk: Desk) -> None:
    routed = await ask(client, world, desk)
    await ask(client, world, desk, "Keren!")
    headers = world.headers(desk.admin)

    async def ids(**params: Any) -> list[int]:
        res = await client.get("/api/v1/inbox/conversations", params=params, headers=headers)
        assert res.status_code == 200, res.text
        return [c["id"] for c in res.json()["items"]]

    assert len(await ids()) == 2
    assert await ids(status="assigned") == [routed["id"]]
    assert await ids(topic_id=desk.topics["karier"].id) == [routed["id"]]
    assert await ids(assignee_id=desk.expert.id) == [routed["id"]]
    assert len(await ids(platform="facebook")) == 2
    assert await ids(platform="x") == []
    assert await ids(overdue=True) == []
    bad = await client.get(
        "/api/v1/inbox/conversations", params={"status": "lost"}, headers=headers
    )
    assert bad.status_code == 422 and "status.0" in error_of(bad)["fields"]


async def test_saved_answers_per_topic(client: httpx.AsyncClient, world: World, desk: Desk) -> None:
    base = f"/api/v1/units/{desk.unit.id}/inbox/saved-answers"
    admin = world.headers(desk.admin)
    karier = desk.topics["karier"].id
    made = await client.post(
        base, json={"topic_id": karier, "title": "CPNS", "text": "Lihat sscasn."}, headers=admin
    )
    assert made.status_code == 201, made.text
    await client.post(base, json={"title": "Umum", "text": "Terima kasih."}, headers=admin)
    await client.post(
        base,
        json={"topic_id": desk.topics["air"].id, "title": "Air", "text": "Air."},
        headers=admin,
    )
    mine = await client.get(base, params={"topic_id": karier}, headers=world.headers(desk.expert))
    assert [s["title"] for s in mine.json()["items"]] == ["CPNS", "Umum"]
    denied = await client.post(
        base, json={"title": "X", "text": "Y"}, headers=world.headers(desk.expert)
    )
    assert denied.status_code == 403
    changed = await client.put(
        f"{base}/{made.json()['id']}",
        json={"topic_id": karier, "title": "CPNS 2026", "text": "Lihat sscasn.bkn.go.id."},
        headers=admin,
    )
    assert changed.json()["title"] == "CPNS 2026"
    gone = await client.delete(f"{base}/{made.json()['id']}", headers=admin)
    assert gone.status_code == 204


async def test_experts_are_set_per_topic_from_the_units_members(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    admin = world.headers(desk.admin)
    air = desk.topics["air"].id
    path = f"/api/v1/units/{desk.unit.id}/inbox/topics/{air}/experts"
    res = await client.put(path, json={"user_ids": [desk.expert.id]}, headers=admin)
    [topic] = [t for t in res.json()["items"] if t["id"] == air]
    assert topic["expert_ids"] == [desk.expert.id]
    outsider = await world.user(await world.unit(), Role.admin)
    bad = await client.put(path, json={"user_ids": [outsider.id]}, headers=admin)
    assert bad.status_code == 422 and "user_ids.0" in error_of(bad)["fields"]


async def test_response_figures_cover_the_conversations_opened_in_the_range(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    old = await ask(client, world, desk)
    new = await ask(client, world, desk)
    expert = world.headers(desk.expert)
    answered = await client.post(
        f"/api/v1/inbox/conversations/{new['id']}/answers",
        json={"text": "Formasi diumumkan di sscasn.bkn.go.id."},
        headers=expert,
    )
    assert answered.status_code == 200, answered.text
    last_quarter = datetime.now(UTC) - timedelta(days=90)
    conv = await session.get(Conversation, old["id"])
    assert conv is not None
    conv.opened_at = last_quarter
    await session.commit()

    path = f"/api/v1/units/{desk.unit.id}/inbox/stats"
    careers = desk.topics["karier"].id

    async def figure(**params: str) -> dict[str, Any]:
        res = await client.get(path, params=params, headers=expert)
        assert res.status_code == 200, res.text
        [row] = [t for t in res.json()["by_topic"] if t["id"] == careers]
        return row

    since = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    everything = await figure()
    assert (everything["answered"], everything["open"]) == (1, 1)
    month = await figure(start=since)
    assert (month["answered"], month["open"]) == (1, 0)
    before = await figure(end=since)
    assert (before["answered"], before["open"]) == (0, 1)
    assert before["median_first_response_hours"] is None

    backwards = await client.get(path, params={"start": since, "end": since}, headers=expert)
    assert backwards.status_code == 422 and "end" in error_of(backwards)["fields"]

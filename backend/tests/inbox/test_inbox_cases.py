"""Public-information requests and complaints in the conversation, and erasure: a message is
suggested as a request or a complaint with the words that made it (never marked without a
person), and after the retention period or on a delete request the text goes with the
commenter's identity while topic, times and status keep the response-time figures."""

from __future__ import annotations

import logging
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.config import Settings
from gaung.inbox import jobs, kip
from gaung.inbox.kinds import compile_cues, suggest
from gaung.inbox.models import Conversation, InboxAnswer
from gaung.inbox.service import anonymise_old, store_conversations
from gaung.platforms import protocol
from gaung.worker.context import JobContext
from tests.conftest import World
from tests.helpers import error_of
from tests.inbox.conftest import Desk
from tests.inbox.test_inbox_api import CAREERS, ask

FIXTURE = Path(__file__).parents[2] / "bench" / "data" / "kind_messages.toml"
HALVES = tomllib.loads(FIXTURE.read_text(encoding="utf-8"))
RAIN = "Min, sy mau minta data curah hujan thn 2020 di Kab. Demak utk skripsi"
COMPLAINT = "Sudah 2 minggu laporan saya gak ditanggapi, saya kecewa"


# --- the classifier -----------------------------------------------------------------------------


@pytest.mark.parametrize("item", HALVES["dev"], ids=lambda i: i["text"][:40])
def test_every_message_the_cues_were_written_from_gets_its_kind(item: dict[str, str]) -> None:
    found = suggest(item["text"])
    assert (found.kind if found else "") == item["kind"], found


def test_the_held_out_half_keeps_precision_and_recall() -> None:
    pairs = [(suggest(i["text"]), i["kind"]) for i in HALVES["heldout"]]
    for kind in ("information_request", "complaint"):
        said = [want for got, want in pairs if got and got.kind == kind]
        labelled = [got for got, want in pairs if want == kind]
        precision = sum(w == kind for w in said) / len(said)
        recall = sum(bool(g) and g.kind == kind for g in labelled) / len(labelled)
        assert precision >= 0.85 and recall >= 0.85, (kind, precision, recall)


def test_the_matched_words_explain_the_suggestion_in_informal_spelling() -> None:
    found = suggest(RAIN)
    assert found is not None and found.kind == "information_request"
    assert found.words == ("minta data", "skripsi")
    complaint = suggest("Keluhannya gk direspon")
    assert complaint is not None and complaint.kind == "complaint"
    assert complaint.words == ("keluhannya", "tidak direspon")


def test_an_exact_form_cue_does_not_match_other_forms() -> None:
    # "=lapor" is the verb "to report"; "laporan" (a report) is not a complaint.
    assert suggest("Mau lapor, ada penipuan") is not None
    assert suggest("laporan tahunan sudah terbit?") is None


def test_asking_how_to_file_is_not_filing() -> None:
    assert suggest("Bagaimana cara mengajukan permohonan informasi ke PPID?") is None


def test_a_tie_between_the_kinds_suggests_neither() -> None:
    cues = {
        "information_request": compile_cues({"salinan": 1}),
        "complaint": compile_cues({"kecewa": 1}),
    }
    assert suggest("kecewa, minta salinan", cues) is None
    found = suggest("kecewa sekali", cues)
    assert found is not None and found.kind == "complaint"


def test_working_days_left_count_today_and_the_last_day_and_then_go_negative() -> None:
    due = kip.due_at(datetime(2026, 3, 13, 3, tzinfo=UTC), "Asia/Jakarta")  # 6 April, WIB
    wib = "Asia/Jakarta"
    # Tuesday 31 March (09:00 WIB): 31 March, 1, 2 and 6 April (3 April is Good Friday).
    assert kip.working_days_left(datetime(2026, 3, 31, 2, tzinfo=UTC), due, wib) == 4
    assert kip.working_days_left(datetime(2026, 4, 6, 16, tzinfo=UTC), due, wib) == 1
    # Tuesday 7 April 00:30 WIB is still 6 April in UTC, but a day late in the unit's zone.
    assert kip.working_days_left(datetime(2026, 4, 6, 17, 30, tzinfo=UTC), due, wib) == -1
    assert kip.working_days_left(datetime(2026, 4, 13, 2, tzinfo=UTC), due, wib) == -5


# --- in the conversation ------------------------------------------------------------------------


async def test_a_request_is_suggested_with_its_words_and_marked_only_by_a_person(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    conv = await ask(client, world, desk, RAIN)
    assert conv["suggested_kind"] == "information_request"
    assert conv["suggested_kind_words"] == ["minta data", "skripsi"]
    assert conv["request_kind"] == "none" and conv["kip_due_at"] is None
    admin = world.headers(desk.admin)
    path = f"/api/v1/inbox/conversations/{conv['id']}"
    marked = await client.post(f"{path}/request", json={"kind": "information"}, headers=admin)
    assert marked.json()["request_kind"] == "information"
    assert marked.json()["kip_due_at"] is not None
    assert 10 <= marked.json()["kip_working_days_left"] <= 11  # today counts if a working day
    reason = "Data perlu dihimpun dari tiga stasiun."
    extended = await client.post(f"{path}/request/extend", json={"reason": reason}, headers=admin)
    assert extended.json()["kip_extension_reason"] == reason
    assert extended.json()["kip_working_days_left"] >= 17
    plain = await ask(client, world, desk, CAREERS)
    assert (plain["suggested_kind"], plain["suggested_kind_words"]) == (None, [])


async def test_a_complaint_is_suggested_and_gets_its_lapor_reference(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    conv = await ask(client, world, desk, COMPLAINT)
    assert conv["suggested_kind"] == "complaint"
    assert set(conv["suggested_kind_words"]) == {"tidak ditanggapi", "kecewa"}
    admin = world.headers(desk.admin)
    path = f"/api/v1/inbox/conversations/{conv['id']}"
    await client.post(f"{path}/request", json={"kind": "complaint"}, headers=admin)
    empty = await client.put(f"{path}/lapor", json={"reference": "", "status": "x"}, headers=admin)
    assert empty.status_code == 422 and "reference" in error_of(empty)["fields"]
    done = await client.put(
        f"{path}/lapor", json={"reference": "LAPOR-123", "status": "Selesai"}, headers=admin
    )
    assert (done.json()["lapor_reference"], done.json()["lapor_status"]) == (
        "LAPOR-123",
        "Selesai",
    )


async def test_a_restricted_conversation_is_not_classified(
    client: httpx.AsyncClient, world: World, desk: Desk
) -> None:
    conv = await ask(client, world, desk, COMPLAINT)
    await client.post(
        f"/api/v1/units/{desk.unit.id}/inbox/privacy-requests",
        json={
            "platform": "facebook",
            "author_handle": conv["messages"][0]["author_handle"],
            "action": "restrict",
        },
        headers=world.headers(desk.admin),
    )
    res = await client.get(
        f"/api/v1/inbox/conversations/{conv['id']}", headers=world.headers(desk.admin)
    )
    assert res.json()["restricted"] and res.json()["suggested_kind"] is None


# --- erasure ------------------------------------------------------------------------------------


async def _answered(client: httpx.AsyncClient, world: World, desk: Desk) -> dict[str, Any]:
    conv = await ask(client, world, desk, f"{CAREERS} Saya Budi Santoso, 0812-3456-7890")
    res = await client.post(
        f"/api/v1/inbox/conversations/{conv['id']}/answers",
        json={"text": "Halo Pak Budi, formasi diumumkan di sscasn.bkn.go.id."},
        headers=world.headers(desk.expert),
    )
    assert res.status_code == 200, res.text
    body: dict[str, Any] = res.json()
    return body


async def test_retention_erases_the_text_and_keeps_the_figures(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    conv = await _answered(client, world, desk)
    admin = world.headers(desk.admin)
    path = f"/api/v1/inbox/conversations/{conv['id']}"
    stats_before = await client.get(f"/api/v1/units/{desk.unit.id}/inbox/stats", headers=admin)
    now = datetime.now(UTC)
    assert await anonymise_old(session, now + timedelta(days=364)) == 0
    assert await anonymise_old(session, now + timedelta(days=366)) == 1
    after = (await client.get(path, headers=admin)).json()
    assert [(m["erased"], m["text"]) for m in after["messages"]] == [(True, ""), (True, "")]
    assert after["messages"][0]["author_handle"] == "anonim"
    assert after["messages"][0]["author_name"] is None
    assert [a["text"] for a in after["answers"]] == [""]
    assert after["suggestions"] == [] and after["excerpt"] == ""
    for kept in ("topic_id", "status", "first_response_at", "resolved_at", "assignee_id"):
        assert after[kept] == conv[kept], kept
    stats = await client.get(f"/api/v1/units/{desk.unit.id}/inbox/stats", headers=admin)
    assert stats.json() == stats_before.json()
    answers = await session.scalars(select(InboxAnswer.text))
    assert list(answers) == [""]
    # Nothing is erased twice, and the placeholder names nobody.
    assert await anonymise_old(session, now + timedelta(days=400)) == 0
    nobody = await client.post(
        f"/api/v1/units/{desk.unit.id}/inbox/privacy-requests",
        json={"platform": "facebook", "author_handle": "anonim", "action": "restrict"},
        headers=admin,
    )
    assert nobody.status_code == 201 and nobody.json()["affected"] == 0


async def test_a_conversation_that_came_alive_again_is_erased_again(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    conv = await ask(client, world, desk)
    now = datetime.now(UTC)
    assert await anonymise_old(session, now + timedelta(days=366)) == 1
    row = await session.get(Conversation, conv["id"])
    assert row is not None
    later = now + timedelta(days=370)
    follow = protocol.Message("f-1", "u-2", "warga_lain", "Warga Lain", "Masih ada?", later)
    added = await store_conversations(
        session, desk.account, [protocol.Conversation(row.external_id, "comment", [follow])]
    )
    assert added == 1
    assert await anonymise_old(session, later + timedelta(days=300)) == 0
    assert await anonymise_old(session, later + timedelta(days=366)) == 1


async def test_a_delete_request_erases_only_that_commenter(
    client: httpx.AsyncClient, world: World, desk: Desk, session: AsyncSession
) -> None:
    conv = await ask(client, world, desk)
    row = await session.get(Conversation, conv["id"])
    assert row is not None
    other = protocol.Message(
        "o-1", "u-9", "tetangga", None, "Saya juga mau tanya formasi", datetime.now(UTC)
    )
    await store_conversations(
        session, desk.account, [protocol.Conversation(row.external_id, "comment", [other])]
    )
    res = await client.post(
        f"/api/v1/units/{desk.unit.id}/inbox/privacy-requests",
        json={
            "platform": "facebook",
            "author_handle": conv["messages"][0]["author_handle"],
            "action": "delete",
        },
        headers=world.headers(desk.admin),
    )
    assert res.status_code == 201 and res.json()["affected"] == 1
    after = (
        await client.get(
            f"/api/v1/inbox/conversations/{conv['id']}", headers=world.headers(desk.admin)
        )
    ).json()
    assert [(m["erased"], m["text"]) for m in after["messages"]] == [
        (True, ""),
        (False, "Saya juga mau tanya formasi"),
    ]
    # Someone else's question is still open there, so it stays open.
    assert after["status"] == conv["status"]


async def test_no_personal_data_reaches_the_logs_when_erasing(
    client: httpx.AsyncClient,
    world: World,
    desk: Desk,
    sessionmaker: async_sessionmaker[AsyncSession],
    session: AsyncSession,
    settings: Settings,
    http: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)  # the level the app and the worker log at (gaung/cli.py)
    conv = await _answered(client, world, desk)
    handle = conv["messages"][0]["author_handle"]
    await session.commit()
    later = datetime.now(UTC) + timedelta(days=366)
    ctx = JobContext(sessionmaker=sessionmaker, settings=settings, http=http, clock=lambda: later)
    assert await jobs.reminders(ctx) == (0, 1)
    second = await ask(client, world, desk, COMPLAINT)
    await client.post(
        f"/api/v1/units/{desk.unit.id}/inbox/privacy-requests",
        json={
            "platform": "facebook",
            "author_handle": second["messages"][0]["author_handle"],
            "action": "delete",
        },
        headers=world.headers(desk.admin),
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "1 messages anonymised" in logged  # the job did log, with a count only
    for secret in (handle, second["messages"][0]["author_handle"], "Budi", "0812", "kecewa"):
        assert secret not in logged, secret

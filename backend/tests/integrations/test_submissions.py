"""Submissions: sent by staff or by a key, queued, made into a prefilled draft, and ended —
published (with links, the sender told) or declined (with the reason)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.accounts.models import Platform
from gaung.config import Settings
from gaung.notifications.models import Notification, NotificationKind
from gaung.platforms.x.limits import weighted_length
from gaung.posts import jobs as post_jobs
from gaung.posts.models import PostStatus, PostVariant
from gaung.submissions import core
from gaung.users.models import Role
from gaung.webhooks import jobs as webhook_jobs
from gaung.worker.context import JobContext
from tests.conftest import World
from tests.helpers import error_of, upload
from tests.integrations.receiver import independent_signature, receiving

T0 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)

ACTIVITY = {
    "title": "Vaksinasi massal di Balai Kota",
    "activity_date": "2026-12-01",
    "place": "Balai Kota Surakarta",
    "description": "Sebanyak 1.200 warga menerima vaksin dosis lanjutan.",
    "contact_name": "Sari Wulandari",
    "contact_info": "0812-0000-0000",
    "data_source": "Dinas Kesehatan, rekap 1 Desember 2026",
    "link": "https://dinkes.example.go.id/vaksinasi",
    "hashtags": ["VaksinasiMassal", "#Surakarta"],
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        public_base_url="https://gaung.example.go.id",
        spa_dir=tmp_path / "no-spa",
        webhook_allow_private=True,
    )


@pytest.fixture
async def ctx(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> AsyncIterator[JobContext]:
    settings = settings.model_copy(update={"publish_concurrency": 1})
    async with httpx.AsyncClient() as http:
        yield JobContext(sessionmaker, settings, http, worker="w-test", clock=lambda: T0)


def test_each_platform_gets_its_own_first_draft() -> None:
    a = core.Activity(
        title=ACTIVITY["title"],
        activity_date=date(2026, 12, 1),
        place=ACTIVITY["place"],
        description="Panjang " * 400,
        contact_name="Sari",
        credits=["Budi", "Budi", "Ani"],
        data_source="Dinkes",
        link="https://dinkes.example.go.id/v",
        hashtags=["#A", "B"] + [f"t{i}" for i in range(40)],
    )
    x = core.x_text(a)
    assert x.endswith(" https://dinkes.example.go.id/v") and "1 Desember 2026" in x
    assert weighted_length(x) <= 280
    ig = core.instagram_caption(a)
    assert len(ig) <= core.IG_MAX and "Foto: Budi, Ani" in ig and "#A #B" in ig
    assert ig.count("#") == core.IG_HASHTAGS and "https://" not in ig
    fb = core.facebook_text(a)
    assert "Narahubung: Sari" in fb and "Sumber data: Dinkes" in fb and fb.endswith(a.link or "")
    long_title = core.x_text(core.Activity("Judul " * 80, date(2026, 1, 5), "Solo", "d", "c"))
    assert weighted_length(long_title) <= 280 and "5 Januari 2026" not in long_title


async def test_a_key_submits_an_activity_and_hears_when_it_is_published(
    client: httpx.AsyncClient, world: World, ctx: JobContext
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    x = await world.account(unit, Platform.x)
    ig = await world.account(unit, Platform.instagram)
    fb = await world.account(unit, Platform.facebook)
    await world.commit()
    staff = world.headers(admin)
    made = await client.post(
        f"/api/v1/units/{unit.id}/api-keys",
        json={"name": "Portal", "scopes": ["submissions:write"]},
        headers=staff,
    )
    key = {"Authorization": f"Bearer {made.json()['key']}"}
    photo = await upload(client, staff, unit)
    async with receiving() as rx:
        hook = await client.post(
            f"/api/v1/units/{unit.id}/webhooks",
            json={"url": rx.url, "events": ["submission.status_changed"]},
            headers=staff,
        )
        secret = hook.json()["secret"]
        sent = await client.post(
            "/api/v1/submissions",
            json={
                **ACTIVITY,
                "unit_id": unit.id,
                "photos": [{"media_id": photo.json()["id"], "credit": "Budi Santoso"}],
            },
            headers=key,
        )
        assert sent.status_code == 201, sent.text
        sub = sent.json()
        assert sub["status"] == "new" and sub["api_key_id"] == made.json()["id"]
        mine = await client.get(f"/api/v1/submissions/{sub['id']}", headers=key)
        assert mine.status_code == 200
        queue = await client.get(
            "/api/v1/submissions", params={"unit_id": unit.id, "status": "new"}, headers=staff
        )
        assert [s["id"] for s in queue.json()["items"]] == [sub["id"]]

        drafted = await client.post(
            f"/api/v1/submissions/{sub['id']}/draft", json={}, headers=staff
        )
        assert drafted.status_code == 200, drafted.text
        assert drafted.json()["status"] == "in_progress"
        post_id = drafted.json()["post_id"]
        post = (await client.get(f"/api/v1/posts/{post_id}", headers=staff)).json()
        assert post["status"] == "draft" and post["title"] == ACTIVITY["title"]
        by_account = {v["account_id"]: v for v in post["variants"]}
        assert by_account[x.id]["text"].endswith(ACTIVITY["link"])
        assert "#VaksinasiMassal #Surakarta" in by_account[ig.id]["text"]
        assert "Foto: Budi Santoso" in by_account[ig.id]["text"]
        assert "Narahubung: Sari Wulandari" in by_account[fb.id]["text"]
        assert all(len(v["media"]) == 1 for v in post["variants"])
        back = await client.get("/api/v1/submissions", params={"post_id": post_id}, headers=staff)
        assert [s["id"] for s in back.json()["items"]] == [sub["id"]]
        again = await client.post(f"/api/v1/submissions/{sub['id']}/draft", json={}, headers=staff)
        assert again.status_code == 409 and error_of(again)["error"] == "submission_state"

        # It goes out (the workflow itself is tested elsewhere).
        await world.session.execute(
            update(PostVariant)
            .where(PostVariant.post_id == post_id)
            .values(status=PostStatus.scheduled, scheduled_at=T0)
        )
        await world.commit()
        counts = await post_jobs.dispatch(ctx)
        assert counts["published"] == 3
        await webhook_jobs.run(ctx)

    done = (await client.get(f"/api/v1/submissions/{sub['id']}", headers=key)).json()
    assert done["status"] == "published" and len(done["links"]) == 3
    assert all(link.startswith("https://sandbox") for link in done["links"])
    bodies = [json.loads(r.body) for r in rx.got]
    assert [b["data"]["status"] for b in bodies] == ["in_progress", "published"]
    assert sorted(bodies[1]["data"]["links"]) == sorted(done["links"])
    for r in rx.got:
        stamp = r.headers["x-gaung-timestamp"]
        assert r.headers["x-gaung-signature"] == independent_signature(secret, stamp, r.body)


async def test_staff_submit_by_form_and_hear_a_decline(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    staff = await world.user(unit, Role.contributor)
    viewer = await world.user(unit, Role.viewer)
    await world.commit()
    body: dict[str, Any] = {**ACTIVITY, "unit_id": unit.id}
    refused = await client.post("/api/v1/submissions", json=body, headers=world.headers(viewer))
    assert refused.status_code == 403
    sent = await client.post("/api/v1/submissions", json=body, headers=world.headers(staff))
    assert sent.status_code == 201, sent.text
    sid = sent.json()["id"]
    # The sender cannot work the queue.
    no = await client.post(
        f"/api/v1/submissions/{sid}/decline", json={"reason": "x"}, headers=world.headers(staff)
    )
    assert no.status_code == 403
    declined = await client.post(
        f"/api/v1/submissions/{sid}/decline",
        json={"reason": "Sudah diberitakan kemarin."},
        headers=world.headers(admin),
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    note = await world.session.scalar(
        select(Notification).where(Notification.kind == NotificationKind.submission_declined)
    )
    assert note is not None and note.user_id == staff.id
    assert note.params["reason"] == "Sudah diberitakan kemarin."
    twice = await client.post(
        f"/api/v1/submissions/{sid}/draft", json={}, headers=world.headers(admin)
    )
    assert twice.status_code == 409
    # Someone else's submission is not there for another member who does not run the queue.
    other = await world.user(unit, Role.contributor)
    hidden = await client.get(f"/api/v1/submissions/{sid}", headers=world.headers(other))
    assert hidden.status_code == 404


async def test_bad_submissions_name_the_field(client: httpx.AsyncClient, world: World) -> None:
    unit, other = await world.unit(), await world.unit()
    admin = await world.user(unit, Role.admin)
    other_admin = await world.user(other, Role.admin)
    await world.commit()
    theirs = await upload(client, world.headers(other_admin), other)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"activity_date": "kemarin"}, "activity_date"),
        ({"title": ""}, "title"),
        ({"link": "bukan tautan"}, "link"),
        ({"hashtags": ["dua kata"]}, "hashtags"),
        ({"photos": [{"media_id": theirs.json()["id"], "credit": "A"}]}, "photos.0.media_id"),
        ({"extra": 1}, "extra"),
    ]
    for change, field in cases:
        res = await client.post(
            "/api/v1/submissions",
            json={**ACTIVITY, "unit_id": unit.id, **change},
            headers=world.headers(admin),
        )
        assert res.status_code == 422, (field, res.text)
        assert field in error_of(res)["fields"], (field, res.text)

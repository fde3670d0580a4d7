"""The whole path: a post written, approved and scheduled through the API is received once by
the platform (the fake), not before its time, by a `gaung worker` process — on PostgreSQL, as
in production. How late it arrives is measured by `bench/publish.py`, not asserted here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update

from gaung.accounts.models import Platform
from gaung.auth.models import AuthSession
from gaung.auth.tokens import create_access_token, new_session_id
from gaung.db import database, session_scope
from gaung.main import create_app
from gaung.units.models import DEFAULT_CHECKLIST, Unit
from gaung.users.models import Membership, Role, User
from tests.conftest import password_hash
from tests.fakeplatform import RunningFake
from tests.faults.conftest import postgresql_only
from tests.faults.harness import Harness
from tests.faults.test_worker_faults import FAST, settled

pytestmark = postgresql_only


async def _people(h: Harness, unit_id: int) -> dict[Role, dict[str, str]]:
    """A contributor who writes and an editor who approves (four-eyes), with their headers."""
    headers: dict[Role, dict[str, str]] = {}
    async with database(h.database_url) as factory, session_scope(factory) as session:
        await session.execute(
            update(Unit).where(Unit.id == unit_id).values(approval_required=True, four_eyes=True)
        )
        for role in (Role.contributor, Role.editor):
            user = User(
                email=f"{role.value}@uji.go.id", name=role.value, password_hash=password_hash()
            )
            session.add(user)
            await session.flush()
            sid = new_session_id()
            session.add_all(
                [
                    Membership(user_id=user.id, unit_id=unit_id, role=role),
                    AuthSession(id=sid, user_id=user.id),
                ]
            )
            token = create_access_token(user.id, sid, h.settings)
            headers[role] = {"Authorization": f"Bearer {token}"}
    return headers


async def test_a_post_approved_and_scheduled_through_the_api_is_received_once_on_time(
    h: Harness, fake: RunningFake
) -> None:
    h.worker_env = FAST
    seeded = await h.seed(units=1, platforms=(Platform.x, Platform.facebook))
    people = await _people(h, seeded.unit_id)
    writer, editor = people[Role.contributor], people[Role.editor]
    app = create_app(h.settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as api,
    ):
        created = await api.post(
            "/api/v1/posts",
            headers=writer,
            json={
                "unit_id": seeded.unit_id,
                "title": "Rilis uji",
                "variants": [
                    {"account_id": a.id, "text": f"Rilis uji lewat API untuk {a.platform.value}"}
                    for a in seeded.accounts
                ],
            },
        )
        assert created.status_code == 201, created.text
        pid = created.json()["id"]
        assert (await api.post(f"/api/v1/posts/{pid}/submit", headers=writer)).status_code == 200
        # Four-eyes: the writer cannot approve their own post; the editor can.
        assert (await api.post(f"/api/v1/posts/{pid}/approve", headers=writer)).status_code == 403
        # The unit's default checklist: the six principles, all ticked.
        ticked = {"checklist": list(DEFAULT_CHECKLIST)}
        approved = await api.post(f"/api/v1/posts/{pid}/approve", headers=editor, json=ticked)
        assert approved.status_code == 200, approved.text
        at = datetime.now(UTC) + timedelta(seconds=3)
        scheduled = await api.post(
            f"/api/v1/posts/{pid}/schedule", headers=writer, json={"at": at.isoformat()}
        )
        assert scheduled.status_code == 200, scheduled.text

        h.start_worker()
        counts = await h.wait_until(settled, timeout_s=60, poll_s=0.25)
        h.stop_all()
        assert counts == {"published": 2}, f"{counts}\n{h.logs()}"

        read = (await api.get(f"/api/v1/posts/{pid}", headers=writer)).json()
    report = await h.report()
    assert report.duplicates == 0 and report.lost == []
    for variant in read["variants"]:
        assert variant["status"] == "published" and variant["external_url"], variant
        key = next(k for k in report.publish_walls if k.endswith(variant["text"]))
        # Never early: the platform got it at or after the scheduled instant.
        assert report.publish_walls[key] >= at.timestamp()
    # The fake saw each text once.
    assert sorted(report.posts.values()) == [1, 1]

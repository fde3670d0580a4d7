from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.models import AuditEvent
from gaung.audit.service import audit
from gaung.auth.principal import Principal, SystemActor
from gaung.notifications.models import Notification, NotificationKind
from gaung.notifications.service import notify
from gaung.users.models import Role
from tests.conftest import World


async def test_notify_reaches_the_roles_asked_for_and_not_the_cause(
    world: World, session: AsyncSession
) -> None:
    unit, other = await world.unit(), await world.unit()
    admin = await world.user(unit, Role.admin)
    editor = await world.user(unit, Role.editor)
    await world.user(unit, Role.viewer)
    inactive = await world.user(unit, Role.admin)
    inactive.is_active = False
    await world.user(other, Role.admin)
    author = await world.user(unit, Role.contributor)

    notes = await notify(
        session,
        unit_id=unit.id,
        kind=NotificationKind.review_requested,
        object_type="post",
        object_id=7,
        params={"title": "Rilis"},
        roles=[Role.admin, Role.editor],
        user_ids=[author.id],
        exclude_user_id=editor.id,
    )
    await session.flush()

    assert sorted(n.user_id for n in notes) == sorted([admin.id, author.id])
    stored = (await session.scalars(select(Notification))).all()
    assert {(n.user_id, n.object_id, n.params["title"], n.read_at) for n in stored} == {
        (admin.id, "7", "Rilis", None),
        (author.id, "7", "Rilis", None),
    }


async def test_the_audit_log_records_system_actions_as_such(
    world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    user = await world.user(unit)
    audit(session, SystemActor("dispatch"), action="publish", object_type="post", object_id=1)
    audit(
        session, Principal(user=user, ip="10.0.0.1"), action="edit", object_type="post", object_id=1
    )
    await session.flush()

    rows = (await session.scalars(select(AuditEvent).order_by(AuditEvent.id))).all()
    assert [(r.action, r.actor_id, r.system_job, r.ip) for r in rows] == [
        ("publish", None, "dispatch", None),
        ("edit", user.id, None, "10.0.0.1"),
    ]

"""Events for webhooks, written in the transaction that caused them (an outbox): the worker
sends them after the commit, so a rolled-back change never announces itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.kit.time import utcnow
from gaung.webhooks.core import Event
from gaung.webhooks.models import WebhookEvent

__all__ = ["Event", "emit", "emit_many"]


def emit(session: AsyncSession, unit_id: int, event: Event, data: dict[str, Any]) -> None:
    session.add(WebhookEvent(unit_id=unit_id, event=event.value, payload=data))


async def emit_many(
    session: AsyncSession, events: Sequence[tuple[int, Event, dict[str, Any]]]
) -> None:
    if events:
        now = utcnow()
        await session.execute(
            insert(WebhookEvent),
            [
                {"unit_id": u, "event": e.value, "payload": d, "created_at": now}
                for u, e, d in events
            ],
        )

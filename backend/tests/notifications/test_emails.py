"""Email copies of notifications through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.config import Settings
from gaung.notifications.jobs import send_emails
from gaung.notifications.models import Notification, NotificationKind
from gaung.users.models import Role, User
from tests.conftest import World


class Sink:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    handler = Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def smtp_settings(settings: Settings, port: int) -> Settings:
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_starttls": False,
            "smtp_timeout_s": 5.0,
            "mail_from": "humas@example.go.id",
        }
    )


async def _notes(world: World, session: AsyncSession) -> tuple[User, User]:
    unit = await world.unit()
    indonesian = await world.user(unit, Role.editor)
    english = await world.user(unit, Role.editor)
    english.locale = "en"
    for user in (indonesian, english):
        session.add(
            Notification(
                user_id=user.id,
                unit_id=unit.id,
                kind=NotificationKind.rejected,
                object_type="post",
                object_id="42",
                params={"title": "Rilis pers", "comment": "Tambahkan tautan."},
            )
        )
    await session.flush()
    return indonesian, english


async def test_sent_once_in_each_readers_language(
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    sink: tuple[Sink, int],
) -> None:
    handler, port = sink
    indonesian, english = await _notes(world, session)
    await session.commit()
    configured = smtp_settings(settings, port)

    assert await send_emails(sessionmaker, configured) == 2
    by_to = {m["To"]: m for m in handler.messages}
    assert set(by_to) == {indonesian.email, english.email}
    id_mail, en_mail = by_to[indonesian.email], by_to[english.email]
    assert id_mail["Subject"] == "Dikembalikan: Rilis pers"
    assert en_mail["Subject"] == "Sent back: Rilis pers"
    assert id_mail["From"] == "humas@example.go.id"
    body = en_mail.get_payload(decode=True)
    assert isinstance(body, bytes)
    text = body.decode()
    assert "Tambahkan tautan." in text and "https://gaung.example.go.id/posts/42" in text

    # A second run sends nothing again.
    assert await send_emails(sessionmaker, configured) == 0
    assert len(handler.messages) == 2
    rows = (await session.scalars(select(Notification))).all()
    assert all(n.emailed_at is not None for n in rows)


async def test_smtp_down_leaves_them_pending(
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    sink: tuple[Sink, int],
) -> None:
    await _notes(world, session)
    await session.commit()
    down = smtp_settings(settings, free_port())  # nothing listens there
    assert await send_emails(sessionmaker, down) == 0
    rows = (
        await session.scalars(select(Notification).execution_options(populate_existing=True))
    ).all()
    assert [n.emailed_at for n in rows] == [None, None]
    # Once the server is back, they go out.
    handler, port = sink
    assert await send_emails(sessionmaker, smtp_settings(settings, port)) == 2
    assert len(handler.messages) == 2


async def test_nothing_happens_without_smtp(
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    await _notes(world, session)
    await session.commit()
    assert await send_emails(sessionmaker, settings) == 0
    rows = (await session.scalars(select(Notification))).all()
    assert [n.emailed_at for n in rows] == [None, None]


async def test_an_inactive_user_gets_no_email(
    world: World,
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    sink: tuple[Sink, int],
) -> None:
    handler, port = sink
    indonesian, english = await _notes(world, session)
    english.is_active = False
    await session.commit()
    assert await send_emails(sessionmaker, smtp_settings(settings, port)) == 1
    assert [m["To"] for m in handler.messages] == [indonesian.email]
    rows = (await session.scalars(select(Notification))).all()
    assert all(n.emailed_at is not None for n in rows)  # given up on, not retried forever

"""Email copies of notifications, sent by a scheduled job when SMTP is configured."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

import anyio.to_thread
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.config import Settings
from gaung.db import session_scope
from gaung.kit.time import utcnow
from gaung.notifications.messages import render
from gaung.notifications.models import Notification
from gaung.users.models import User

logger = logging.getLogger("gaung.notifications")

BATCH = 100
# Where a notification about an object leads in the web app.
LINKS = {"post": "/posts/{id}", "account": "/accounts"}


@dataclass(frozen=True)
class Outgoing:
    notification_id: int
    message: EmailMessage


def _link(settings: Settings, note: Notification) -> str | None:
    template = LINKS.get(note.object_type or "")
    if template is None:
        return None
    return settings.public_base_url.rstrip("/") + template.format(id=note.object_id)


def sender(settings: Settings) -> str:
    if settings.mail_from:
        return settings.mail_from
    return f"gaung@{urlsplit(settings.public_base_url).hostname or 'localhost'}"


def _email(settings: Settings, note: Notification, user: User) -> EmailMessage:
    text = render(note.kind, note.params, user.locale, _link(settings, note))
    msg = EmailMessage()
    msg["From"] = sender(settings)
    msg["To"] = user.email
    msg["Subject"] = text.subject
    msg.set_content(text.body)
    return msg


async def _claim(
    session: AsyncSession, settings: Settings, batch: int
) -> tuple[int, list[Outgoing]]:
    """Mark a batch as emailed before sending, so no other worker sends them too."""
    rows = (
        await session.execute(
            select(Notification, User)
            .join(User, User.id == Notification.user_id)
            .where(Notification.emailed_at.is_(None))
            .order_by(Notification.id)
            .limit(batch)
            .with_for_update(of=Notification, skip_locked=True)
        )
    ).all()
    now = utcnow()
    out: list[Outgoing] = []
    for note, user in rows:
        note.emailed_at = now  # an inactive user's copy is given up on, not sent
        if user.is_active:
            out.append(Outgoing(note.id, _email(settings, note, user)))
    return len(rows), out


def _send_all(settings: Settings, outgoing: list[Outgoing]) -> list[int]:
    """Send over one connection; returns the ids left unsent because the server failed."""
    sent: set[int] = set()
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            for item in outgoing:
                try:
                    smtp.send_message(item.message)
                except smtplib.SMTPRecipientsRefused:
                    # This address will not take mail: trying again would not help.
                    logger.warning("notification %s: recipient refused", item.notification_id)
                sent.add(item.notification_id)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("SMTP failed, emails stay pending: %s", exc)
    return [item.notification_id for item in outgoing if item.notification_id not in sent]


async def send_emails(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> int:
    """Send the pending notifications (``emailed_at`` unset) by email, each in its reader's
    language, at most once; those the server did not take stay pending. Returns how many
    were sent."""
    if not settings.smtp_host:
        return 0
    total = 0
    while True:
        async with session_scope(sessionmaker) as session:
            claimed, outgoing = await _claim(session, settings, BATCH)
        if not claimed:
            return total
        unsent = await anyio.to_thread.run_sync(_send_all, settings, outgoing) if outgoing else []
        if unsent:
            async with session_scope(sessionmaker) as session:
                await session.execute(
                    update(Notification)
                    .where(Notification.id.in_(unsent))
                    .values(emailed_at=None)
                    .execution_options(synchronize_session=False)
                )
            return total + len(outgoing) - len(unsent)
        total += len(outgoing)

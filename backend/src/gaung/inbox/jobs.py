"""The inbox's scheduled work: reading every active account's comments, replies and mentions
(incrementally, from where the last read stopped), reminding about overdue questions, and
anonymising commenters' data past the unit's retention."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from gaung.accounts.connectors import bind
from gaung.accounts.health import mark_needs_reauth, record_error
from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.accounts.rate_limits import recorder
from gaung.auth.principal import SystemActor
from gaung.db import session_scope
from gaung.inbox.models import InboxCursor
from gaung.inbox.service import anonymise_old, remind_overdue, store_conversations
from gaung.platforms import protocol
from gaung.platforms.types import Platform
from gaung.worker.context import JobContext
from gaung.xspend.service import allowed

logger = logging.getLogger("gaung.jobs")

INGEST = "inbox_ingest"
REMIND = "inbox_reminders"
# A first read looks this far back; later reads start where the last one stopped.
FIRST_READ = timedelta(days=3)
# After a rate limit without a stated wait, the account is left alone this long.
DEFAULT_BACKOFF = timedelta(minutes=15)


@dataclass
class IngestReport:
    accounts: int = 0
    messages: int = 0
    skipped: int = 0
    failed: int = 0


async def ingest(ctx: JobContext) -> IngestReport:
    report = IngestReport()
    async with session_scope(ctx.sessionmaker) as session:
        ids = list(
            await session.scalars(
                select(PlatformAccount.id)
                .where(PlatformAccount.status == AccountStatus.active)
                .order_by(PlatformAccount.id)
            )
        )
    for account_id in ids:
        if ctx.stopping.is_set():
            break
        await _read_account(ctx, account_id, report)
    return report


async def _read_account(ctx: JobContext, account_id: int, report: IngestReport) -> None:
    now = ctx.clock()
    async with session_scope(ctx.sessionmaker) as session:
        account = await session.get(PlatformAccount, account_id)
        if account is None or account.status != AccountStatus.active:
            return
        cursor = await session.get(InboxCursor, account_id)
        if cursor is not None and cursor.not_before is not None and cursor.not_before > now:
            report.skipped += 1
            return
        # Reading mentions is an optional X read: it stops near the unit's spending cap.
        if (
            account.platform == Platform.x
            and not account.sandbox
            and not await allowed(session, account.unit_id, "read", settings=ctx.settings, now=now)
        ):
            report.skipped += 1
            return
        bound = bind(
            account,
            session=session,
            settings=ctx.settings,
            http=ctx.http,
            on_rate_limit=recorder(account),
        )
        if bound is None:
            report.skipped += 1
            return
        if cursor is None:
            cursor = InboxCursor(account_id=account_id, since=now - FIRST_READ)
            session.add(cursor)
        try:
            found = await bound.connector.fetch_conversations(bound.credentials, cursor.since)
        except protocol.RetryableError as error:
            wait = timedelta(seconds=error.retry_after) if error.retry_after else DEFAULT_BACKOFF
            cursor.not_before = now + wait
            record_error(account, error.message)
            report.failed += 1
            return
        except protocol.AuthError as error:
            await mark_needs_reauth(session, SystemActor(INGEST), account, error.message)
            report.failed += 1
            return
        except protocol.ConnectorError as error:
            record_error(account, error.message)
            report.failed += 1
            return
        report.messages += await store_conversations(session, account, found, now)
        report.accounts += 1
        newest = _newest(found)
        if newest is not None:
            cursor.since, cursor.last_external_id = newest
        cursor.read_at = now
        cursor.not_before = None


def _newest(found: Sequence[protocol.Conversation]) -> tuple[datetime, str] | None:
    """The newest message read: the next read starts after it."""
    best: tuple[datetime, str] | None = None
    for conv in found:
        for m in conv.messages:
            if best is None or m.sent_at > best[0]:
                best = (m.sent_at, m.external_id)
    return best


async def reminders(ctx: JobContext) -> tuple[int, int]:
    """(questions reminded, messages anonymised)."""
    now = ctx.clock()
    async with session_scope(ctx.sessionmaker) as session:
        reminded = await remind_overdue(session, now)
        anonymised = await anonymise_old(session, now)
    if reminded or anonymised:
        logger.info("inbox: %d overdue reminded, %d messages anonymised", reminded, anonymised)
    return reminded, anonymised

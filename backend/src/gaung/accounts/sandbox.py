"""Where sandbox accounts' posts live: the ``sandbox_post`` table and the ``SandboxStore`` over it.

Only what the account publishes is stored; its audience (followers, figures, comments) is
simulated from a seed (``platforms/sandbox/simulation.py``), so nothing grows in the database
by itself. The store flushes and leaves committing to the caller, so a sandbox post exists
exactly when the transaction that published it commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from gaung.accounts.models import PlatformAccount
from gaung.kit.models import Base
from gaung.platforms.protocol import AccountCredentials
from gaung.platforms.sandbox.connector import StoredPost


class SandboxPost(Base):
    """A post or reply a sandbox account published (``in_reply_to`` names what it answers)."""

    __tablename__ = "sandbox_post"
    __table_args__ = (UniqueConstraint("account_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("platform_account.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    media_count: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime]
    in_reply_to: Mapped[str | None] = mapped_column(String(80))


def sandbox_credentials(account: PlatformAccount) -> AccountCredentials:
    """A sandbox account as a connector takes it: it has no tokens, and needs none."""
    return AccountCredentials(
        platform=account.platform,
        external_id=account.external_id,
        handle=account.handle,
        access_token="",
    )


class DatabaseSandboxStore:
    """A ``SandboxStore`` over ``sandbox_post`` for one unit's accounts (an account is found by
    the unit, its platform and its external id, which are unique together)."""

    def __init__(self, session: AsyncSession, unit_id: int) -> None:
        self._session = session
        self._unit_id = unit_id
        # A publish asks for the account twice (its post count, then the insert).
        self._ids: dict[tuple[str, str], int] = {}

    async def _account_id(self, account: AccountCredentials) -> int:
        key = (account.platform.value, account.external_id)
        if key in self._ids:
            return self._ids[key]
        account_id = await self._session.scalar(
            select(PlatformAccount.id).where(
                PlatformAccount.unit_id == self._unit_id,
                PlatformAccount.platform == account.platform,
                PlatformAccount.external_id == account.external_id,
                PlatformAccount.sandbox.is_(True),
            )
        )
        if account_id is None:
            # A programming error (the caller passed another unit's or a real account).
            raise LookupError(f"no sandbox account {account.external_id!r} in unit {self._unit_id}")
        self._ids[key] = account_id
        return account_id

    async def save_post(self, account: AccountCredentials, post: StoredPost) -> None:
        self._session.add(
            SandboxPost(
                account_id=await self._account_id(account),
                external_id=post.external_id,
                text=post.text,
                media_count=post.media_count,
                published_at=post.published_at,
                in_reply_to=post.in_reply_to,
            )
        )
        await self._session.flush()

    async def posts_since(
        self, account: AccountCredentials, since: datetime, limit: int
    ) -> Sequence[StoredPost]:
        rows = await self._session.scalars(
            select(SandboxPost)
            .where(
                SandboxPost.account_id == await self._account_id(account),
                SandboxPost.published_at >= since,
            )
            .order_by(SandboxPost.published_at.desc(), SandboxPost.id.desc())
            .limit(limit)
        )
        return [_stored(row) for row in rows]

    async def posts_by_id(
        self, account: AccountCredentials, external_ids: Sequence[str]
    ) -> Sequence[StoredPost]:
        if not external_ids:
            return []
        rows = await self._session.scalars(
            select(SandboxPost).where(
                SandboxPost.account_id == await self._account_id(account),
                SandboxPost.external_id.in_(list(external_ids)),
            )
        )
        return [_stored(row) for row in rows]

    async def count_posts(self, account: AccountCredentials) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(SandboxPost)
            .where(SandboxPost.account_id == await self._account_id(account))
        )
        return count or 0


def _stored(row: SandboxPost) -> StoredPost:
    return StoredPost(row.external_id, row.text, row.media_count, row.published_at, row.in_reply_to)

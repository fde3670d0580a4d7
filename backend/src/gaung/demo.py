"""Whether the embedded mode may show its demo login: only while the demo admin's password is
still the published demo password (once changed, showing it would only mislead)."""

from __future__ import annotations

import asyncio

import anyio
from pwdlib.exceptions import PwdlibError
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.auth.passwords import verify_password
from gaung.config import Settings
from gaung.db import database, session_scope
from gaung.users.service import get_by_email

# argon2 is slow on purpose: verify once per stored hash (a new password is a new hash).
_answers: dict[tuple[str, str], bool] = {}


def _verify(password: str, hashed: str) -> bool:
    try:
        return verify_password(password, hashed)
    except PwdlibError:  # a disabled or foreign hash: not the demo password
        return False


async def demo_password_unchanged(session: AsyncSession, settings: Settings) -> bool:
    user = await get_by_email(session, settings.demo_admin_email)
    if user is None or not user.is_active:
        return False
    password, hashed = settings.demo_admin_password, user.password_hash
    key = (hashed, password)
    answer = _answers.get(key)
    if answer is None:
        answer = await anyio.to_thread.run_sync(_verify, password, hashed)
        if len(_answers) >= 64:
            _answers.clear()
        _answers[key] = answer
    return answer


def demo_password_unchanged_sync(settings: Settings) -> bool:
    async def check() -> bool:
        async with (
            database(settings.effective_database_url) as factory,
            session_scope(factory) as session,
        ):
            return await demo_password_unchanged(session, settings)

    return asyncio.run(check())

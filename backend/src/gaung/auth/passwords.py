"""Password hashing with argon2id (pwdlib's recommended parameters).

Hashing is CPU-bound on purpose (~tens of ms): the async variants run it in a worker thread,
at most ``HASH_CONCURRENCY`` at a time, so a burst of logins neither blocks the event loop nor
takes every thread of the shared pool."""

from __future__ import annotations

import asyncio
import weakref
from functools import lru_cache

import anyio
import anyio.to_thread
from pwdlib import PasswordHash

HASH_CONCURRENCY = 2


@lru_cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return _hasher().verify(password, hashed)


# Compared against when the email is unknown, so a login takes the same time either way.
_DUMMY_HASH: str | None = None


def burn_time() -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("not-a-real-password")
    verify_password("still-not-it", _DUMMY_HASH)


# A limiter belongs to one event loop (tests run several).
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _limiter() -> anyio.CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(HASH_CONCURRENCY)
    return limiter


async def hash_password_async(password: str) -> str:
    return await anyio.to_thread.run_sync(hash_password, password, limiter=_limiter())


async def verify_password_async(password: str, hashed: str) -> bool:
    return await anyio.to_thread.run_sync(verify_password, password, hashed, limiter=_limiter())


async def burn_time_async() -> None:
    await anyio.to_thread.run_sync(burn_time, limiter=_limiter())

"""Engines, and sessions: one per request, or one per unit of work in a job or command
(``session_scope``); each is committed once, when its work succeeds."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util.concurrency import await_, in_greenlet
from starlette.requests import Request

from gaung.kit.errors import Busy

# Connections kept open to a SQLite file, and how many more may open under load. Writers
# waiting in the queue below each hold one, so the pool is large enough to leave readers some.
SQLITE_POOL_SIZE = 8
SQLITE_MAX_OVERFLOW = 56

_queues: weakref.WeakKeyDictionary[Any, _WriterQueue] = weakref.WeakKeyDictionary()


def _sqlite_connect(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN, so SAVEPOINTs and transactional DDL work.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms:d}")
        cur.close()

    return connect


# True while serving a request that only reads (GET, HEAD): see _sqlite_begin.
_reading: ContextVar[bool] = ContextVar("gaung_sqlite_reading", default=False)
reading = _reading  # set False around a short write inside a GET (API key accounting)


class _WriterQueue:
    """One SQLite file's writers, queued in order in this process.

    A writing transaction takes the lock just before its BEGIN IMMEDIATE and gives it back
    when it commits or rolls back, so waiting writers wait here (in order, without polling
    SQLite) rather than all at once inside busy_timeout. Only the transaction holds it: a
    request that streams an upload or checks a password between transactions holds nothing
    meanwhile. Other processes (a worker, a backup) are still kept out by busy_timeout."""

    KEY = "gaung.holds_writer_lock"

    def __init__(self, timeout_s: float) -> None:
        self.lock = asyncio.Lock()
        self.timeout_s = timeout_s

    def begin(self, conn: Any) -> None:
        # IMMEDIATE takes SQLite's write lock up front, where busy_timeout makes a second
        # writer wait. A plain (deferred) BEGIN that reads first and writes later cannot wait
        # in WAL mode: if another writer committed meanwhile, its snapshot is stale and the
        # write fails at once with "database is locked". Requests that only read keep the
        # plain BEGIN: WAL lets them run beside a writer (so a GET handler must not write).
        if _reading.get():
            conn.exec_driver_sql("BEGIN")
            return
        if in_greenlet():  # the async API; plain sync use (migrations) just waits in SQLite
            try:
                await_(asyncio.wait_for(self.lock.acquire(), self.timeout_s))
            except TimeoutError:
                raise Busy(
                    "The database is busy with other changes; try again in a moment."
                ) from None
            conn.info[self.KEY] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self.end(conn)
            raise

    def end(self, conn: Any, *_: Any) -> None:
        if conn.info.pop(self.KEY, False):
            self.lock.release()

    def checkin(self, _dbapi_conn: Any, record: Any) -> None:
        # A connection returned without commit or rollback (dropped, invalidated).
        if record.info.pop(self.KEY, False):
            self.lock.release()


def writer_queue(engine: AsyncEngine) -> _WriterQueue | None:
    """The in-process queue of a SQLite engine's writers (None for PostgreSQL)."""
    return _queues.get(engine.sync_engine)


def create_engine(url: str, *, sqlite_busy_timeout_s: float = 30.0, **kwargs: Any) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        on_disk = bool(parsed.database) and parsed.database != ":memory:"
        if on_disk:
            from pathlib import Path

            Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        if on_disk and "poolclass" not in kwargs:
            kwargs = {
                "pool_size": SQLITE_POOL_SIZE,
                "max_overflow": SQLITE_MAX_OVERFLOW,
                "pool_timeout": max(sqlite_busy_timeout_s, 1.0),
                **kwargs,
            }
        engine = create_async_engine(url, **kwargs)
        timeout_ms = round(sqlite_busy_timeout_s * 1000)
        event.listen(engine.sync_engine, "connect", _sqlite_connect(timeout_ms))
        queue = _WriterQueue(sqlite_busy_timeout_s)
        _queues[engine.sync_engine] = queue
        event.listen(engine.sync_engine, "begin", queue.begin)
        event.listen(engine.sync_engine, "commit", queue.end)
        event.listen(engine.sync_engine, "rollback", queue.end)
        event.listen(engine.sync_engine, "checkin", queue.checkin)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


@asynccontextmanager
async def session_scope(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """The one way to open a session: committed when the block succeeds, rolled back on any
    error. Requests, jobs, commands and tests all use it."""
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


@asynccontextmanager
async def database(url: str, **kwargs: Any) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """An engine for a command that runs once (seed, create-admin), disposed at the end."""
    engine = create_engine(url, **kwargs)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; commit on success, roll back on any error."""
    factory: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    token = _reading.set(request.method in ("GET", "HEAD"))
    try:
        async with session_scope(factory) as session:
            yield session
    finally:
        _reading.reset(token)

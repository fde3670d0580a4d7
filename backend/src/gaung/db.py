"""Engines and the per-request session (committed once, when the request succeeds)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import nullcontext
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
from starlette.requests import Request

# Connections kept open to a SQLite file. SQLite runs one writer at a time, so more only
# means more waiters polling the lock; requests beyond this queue (in order) for a connection.
SQLITE_POOL_SIZE = 8
WRITER_LOCK = "gaung.sqlite_writer"


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


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, where busy_timeout makes a second writer wait.
    # A plain (deferred) BEGIN that reads first and writes later cannot wait in WAL mode: if
    # another writer committed meanwhile its snapshot is stale and the write fails at once
    # with "database is locked". Requests that only read keep the plain BEGIN: WAL lets them
    # run beside a writer instead of queueing behind it (so a GET handler must not write).
    conn.exec_driver_sql("BEGIN" if _reading.get() else "BEGIN IMMEDIATE")


def create_engine(url: str, *, sqlite_busy_timeout_s: float = 30.0, **kwargs: Any) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs = {
                "pool_size": SQLITE_POOL_SIZE,
                "max_overflow": 0,
                # Waiting for a connection is waiting for the lock: as patient as busy_timeout.
                "pool_timeout": max(sqlite_busy_timeout_s, 1.0),
                **kwargs,
            }
        engine = create_async_engine(url, **kwargs)
        timeout_ms = round(sqlite_busy_timeout_s * 1000)
        event.listen(engine.sync_engine, "connect", _sqlite_connect(timeout_ms))
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    info: dict[str, object] = {}
    if engine.dialect.name == "sqlite":
        # Requests that write queue here, in order, for SQLite's one write lock, without
        # holding a pooled connection meanwhile (which reads then keep to themselves).
        info[WRITER_LOCK] = asyncio.Lock()
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True, info=info)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; commit on success, roll back on any error."""
    factory: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    reading = request.method in ("GET", "HEAD")
    token = _reading.set(reading)
    try:
        async with factory() as session:
            writer: asyncio.Lock | None = None if reading else session.info.get(WRITER_LOCK)
            async with writer or nullcontext():
                try:
                    yield session
                    await session.commit()
                except BaseException:
                    await session.rollback()
                    raise
    finally:
        _reading.reset(token)

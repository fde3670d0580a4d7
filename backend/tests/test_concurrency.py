"""The embedded mode (a real `gaung run` on SQLite) under parallel writers: every answer is a
success or an expected refusal, never a 500, and no write is lost."""

from __future__ import annotations

import asyncio
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from gaung.auth.models import AuthSession
from gaung.auth.tokens import create_access_token, new_session_id
from gaung.config import Settings
from gaung.db import (
    SQLITE_POOL_SIZE,
    create_engine,
    make_sessionmaker,
    session_scope,
    writer_queue,
)
from gaung.main import create_app
from gaung.migrate import upgrade
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User
from tests.conftest import PASSWORD, password_hash
from tests.helpers import error_of

EMAIL = "writer@example.go.id"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`gaung run` in its own process on a fresh data folder; yields its address and folder."""
    data = tmp_path_factory.mktemp("embedded")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAUNG_")}
    env |= {"GAUNG_DATA_DIR": str(data), "GAUNG_SPA_DIR": str(data / "no-spa")}
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gaung.cli", "run", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (data / "server.log").read_text()
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "gaung run did not start"
            time.sleep(0.2)
        yield base, data
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


async def _add_writer(data: Path) -> None:
    # A unit admin with the suite's precomputed hash (hashing anew is slow on purpose).
    engine = create_engine(f"sqlite+aiosqlite:///{data / 'gaung.sqlite3'}")
    try:
        async with session_scope(make_sessionmaker(engine)) as session:
            unit_id = await session.scalar(select(Unit.id).order_by(Unit.id).limit(1))
            assert unit_id is not None
            user = User(email=EMAIL, name="Writer", password_hash=password_hash())
            session.add(user)
            await session.flush()
            session.add(Membership(user_id=user.id, unit_id=unit_id, role=Role.admin))
    finally:
        await engine.dispose()


@dataclass
class Result:
    kind: str
    status: int
    ms: float


def figures(results: list[Result], wall: float) -> str:
    ms = sorted(r.ms for r in results)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    return (
        f"{len(results)} requests in {wall:.2f} s: p50 {statistics.median(ms):.0f} ms, "
        f"p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
    )


async def test_parallel_writers_wait_their_turn(embedded: tuple[str, Path]) -> None:
    base, data = embedded
    await _add_writer(data)
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        login = await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        me = (await client.get("/api/v1/me", headers=headers)).json()
        unit_id = me["memberships"][0]["unit"]["id"]
        accounts = (await client.get("/api/v1/accounts", headers=headers)).json()["items"]
        body = {
            "unit_id": unit_id,
            "title": "Concurrent",
            "planned_at": "2026-12-01T09:00:00+07:00",
            "variants": [{"account_id": accounts[0]["id"], "text": "Halo dari Gaung"}],
        }
        first = await client.post("/api/v1/posts", json=body, headers=headers)
        assert first.status_code == 201, first.text
        post_id = first.json()["id"]

    # A fresh client: no connection idle long enough to race the server's keep-alive timeout.
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        async def call(kind: str, method: str, url: str, **kw: object) -> Result:
            start = time.perf_counter()
            res = await client.request(method, url, **kw)  # type: ignore[arg-type]
            return Result(kind, res.status_code, (time.perf_counter() - start) * 1000)

        jobs = (
            [
                call(
                    "patch",
                    "PATCH",
                    f"/api/v1/posts/{post_id}",
                    json={"title": f"Edit {i}"},
                    headers=headers,
                )
                for i in range(20)
            ]
            + [
                call(
                    "create",
                    "POST",
                    "/api/v1/posts",
                    json=body | {"title": f"Parallel {i}"},
                    headers=headers,
                )
                for i in range(50)
            ]
            + [
                call(
                    "login",
                    "POST",
                    "/api/v1/auth/login",
                    json={"email": EMAIL, "password": PASSWORD},
                )
                for _ in range(10)
            ]
            + [call("read", "GET", "/api/v1/posts?limit=20", headers=headers) for _ in range(20)]
            + [call("read", "GET", f"/api/v1/posts/{post_id}", headers=headers) for _ in range(20)]
        )
        random.Random(7).shuffle(jobs)
        start = time.perf_counter()
        results = await asyncio.gather(*jobs)
        wall = time.perf_counter() - start

        by_kind: dict[str, list[int]] = {}
        for r in results:
            by_kind.setdefault(r.kind, []).append(r.status)
        print(f"\nembedded mode under parallel writers: {figures(results, wall)}")
        for kind, statuses in sorted(by_kind.items()):
            print(f"  {kind:<6} {len(statuses):>3} × {sorted(set(statuses))}")
        expected = {"patch": {200}, "create": {201}, "login": {200}, "read": {200}}
        unexpected = [r for r in results if r.status not in expected[r.kind]]
        assert unexpected == []

        # Nothing lost: all 50 posts exist, and the post carries one of the edits.
        listed = await client.get(
            "/api/v1/posts", params={"q": "Parallel", "limit": 200}, headers=headers
        )
        titles = {p["title"] for p in listed.json()["items"]}
        assert titles == {f"Parallel {i}" for i in range(50)}
        edited = (await client.get(f"/api/v1/posts/{post_id}", headers=headers)).json()
        assert edited["title"] in {f"Edit {i}" for i in range(20)}


async def _admin_app(engine: AsyncEngine, tmp_path: Path) -> tuple[FastAPI, Unit, dict[str, str]]:
    """The app on ``engine``, with one unit and the headers of its logged-in admin."""
    async with make_sessionmaker(engine)() as session:
        unit = Unit(name="Unit", slug="unit", timezone="Asia/Jakarta")
        user = User(email=EMAIL, name="Writer", password_hash=password_hash())
        session.add_all([unit, user])
        await session.flush()
        session.add(Membership(user_id=user.id, unit_id=unit.id, role=Role.admin))
        session.add(AuthSession(id=(sid := new_session_id()), user_id=user.id))
        await session.commit()
    settings = Settings(env="test", data_dir=tmp_path, spa_dir=tmp_path / "no-spa")
    app = create_app(settings, engine=engine)
    return app, unit, {"Authorization": f"Bearer {create_access_token(user.id, sid, settings)}"}


async def test_reads_run_beside_a_writer_and_a_timed_out_writer_gets_503(tmp_path: Path) -> None:
    path = tmp_path / "gaung.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url, sqlite_busy_timeout_s=0.2)
    try:
        app, unit, headers = await _admin_app(engine, tmp_path)
        body = {"name": "Renamed"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            # Another process (the coming worker, a backup…) holds the write lock.
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            try:
                read = await client.get("/api/v1/posts", headers=headers)
                assert read.status_code == 200  # a read does not queue behind the writer
                write = await client.patch(f"/api/v1/units/{unit.id}", json=body, headers=headers)
                assert write.status_code == 503
                assert error_of(write)["error"] == "database_busy"
                assert write.headers["retry-after"] == "1"
            finally:
                other.rollback()
                other.close()
            write = await client.patch(f"/api/v1/units/{unit.id}", json=body, headers=headers)
            assert write.status_code == 200, write.text
    finally:
        await engine.dispose()


async def test_queued_writers_leave_the_connections_to_readers(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gaung.sqlite3'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    try:
        app, unit, headers = await _admin_app(engine, tmp_path)
        queue = writer_queue(engine)
        assert queue is not None
        lock = queue.lock
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await lock.acquire()  # a write is under way
            writes = [
                asyncio.create_task(
                    client.patch(
                        f"/api/v1/units/{unit.id}", json={"name": f"Name {i}"}, headers=headers
                    )
                )
                for i in range(SQLITE_POOL_SIZE * 2)
            ]
            try:
                # More writers wait than there are connections, yet a read still gets one.
                read = await client.get("/api/v1/posts", headers=headers)
                assert read.status_code == 200
                assert not any(w.done() for w in writes)
            finally:
                lock.release()
            assert [(await w).status_code for w in writes] == [200] * len(writes)
    finally:
        await engine.dispose()


async def test_only_a_writing_transaction_holds_the_writer_queue(tmp_path: Path) -> None:
    """A session between transactions (streaming an upload, checking a password) holds nothing,
    so other writers go ahead; a failed transaction gives the lock back too."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'gaung.sqlite3'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    queue = writer_queue(engine)
    assert queue is not None
    try:
        async with make_sessionmaker(engine)() as session:
            session.add(Unit(name="Unit", slug="unit", timezone="Asia/Jakarta"))
            assert not queue.lock.locked()  # nothing sent to the database yet
            await session.flush()
            assert queue.lock.locked()
            await session.commit()
            assert not queue.lock.locked()
            session.add(Unit(name="Twin", slug="unit", timezone="Asia/Jakarta"))
            with pytest.raises(IntegrityError):
                await session.flush()
            await session.rollback()
            assert not queue.lock.locked()
    finally:
        await engine.dispose()

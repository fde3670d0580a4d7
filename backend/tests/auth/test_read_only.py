"""Routers that only read run their GETs on PostgreSQL without a transaction (no BEGIN/COMMIT
round trips); their other methods, and SQLite, keep theirs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gaung.auth.deps import READ_ONLY, SessionDep
from gaung.calendar.routes import router as calendar_router
from gaung.db import make_sessionmaker
from gaung.metrics.routes import router as metrics_router
from gaung.users.routes import router as users_router


def _app(engine: AsyncEngine) -> FastAPI:
    router = APIRouter(dependencies=[READ_ONLY])

    # Whether a statement left the server's session inside a transaction.
    @router.api_route("/probe", methods=["GET", "POST"])
    async def probe(session: SessionDep) -> dict[str, object]:
        await session.execute(text("SELECT 1"))
        raw = await (await session.connection()).get_raw_connection()
        driver = raw.driver_connection
        return {"autocommit": driver.autocommit, "status": driver.info.transaction_status.name}

    app = FastAPI()
    app.state.sessionmaker = make_sessionmaker(engine)
    app.include_router(router)
    return app


@pytest.fixture
async def probe(engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_get_reads_without_a_transaction_and_other_methods_keep_theirs(
    engine: AsyncEngine, probe: httpx.AsyncClient
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps its BEGIN: its writer queue starts there")
    assert (await probe.get("/probe")).json() == {"autocommit": True, "status": "IDLE"}
    # The connection goes back to the pool transactional: the next request's writes are atomic.
    writing = {"autocommit": False, "status": "INTRANS"}
    assert (await probe.post("/probe")).json() == writing
    assert (await probe.get("/probe")).json()["status"] == "IDLE"
    assert (await probe.post("/probe")).json() == writing


def test_the_reading_routers_take_it() -> None:
    for router in (metrics_router, users_router, calendar_router):
        assert READ_ONLY in router.dependencies

"""The application: API routers, one error shape, uploaded media and the built SPA."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from gaung import __version__
from gaung.accounts.routes import router as accounts_router
from gaung.auth.deps import SessionDep
from gaung.auth.routes import router as auth_router
from gaung.calendar.routes import router as calendar_router
from gaung.config import Settings, get_settings
from gaung.db import create_engine, make_sessionmaker
from gaung.demo import demo_password_unchanged
from gaung.edge import API_PREFIX, add_docs, install_edge, mount_spa
from gaung.holds.routes import router as holds_router
from gaung.invites.routes import router as invites_router
from gaung.kit.errors import install_error_handlers
from gaung.media.routes import router as media_router
from gaung.notifications.routes import router as notifications_router
from gaung.platforms.x import limits as x_limits
from gaung.posts.comment_routes import router as comments_router
from gaung.posts.routes import router as posts_router
from gaung.posts.workflow_routes import router as workflow_router
from gaung.units.routes import router as units_router
from gaung.users.routes import router as users_router
from gaung.writing.routes import router as writing_router
from gaung.xspend.routes import router as xspend_router


class Health(BaseModel):
    status: str


class DemoLogin(BaseModel):
    email: str
    password: str


class Meta(BaseModel):
    version: str
    embedded: bool
    demo_login: DemoLogin | None


def _public_router(settings: Settings) -> APIRouter:
    router = APIRouter(tags=["meta"])

    @router.get("/health", response_model=Health, summary="Liveness")
    async def health() -> Health:
        return Health(status="ok")

    @router.get("/meta", response_model=Meta, summary="About this instance (no login needed)")
    async def meta(session: SessionDep) -> Meta:
        demo = (
            DemoLogin(email=settings.demo_admin_email, password=settings.demo_admin_password)
            if settings.embedded and await demo_password_unchanged(session, settings)
            else None
        )
        return Meta(version=__version__, embedded=settings.embedded, demo_login=demo)

    return router


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> FastAPI:
    # Keys are resolved here, at start: nothing signs or encrypts with an unset key.
    settings = (settings or get_settings()).with_secrets()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_engine = engine is None
        app.state.engine = engine or create_engine(
            settings.effective_database_url, sqlite_busy_timeout_s=settings.sqlite_busy_timeout_s
        )
        app.state.sessionmaker = make_sessionmaker(app.state.engine)
        # Build the X count's patterns (about half a second) while the server starts, not
        # while the first person waits for a check.
        threading.Thread(target=x_limits.weighted_length, args=("gaung",), daemon=True).start()
        worker = None
        if settings.jobs_in_process:
            # The embedded mode publishes from its own process (`gaung worker` elsewhere).
            from gaung.accounts.connectors import http_client
            from gaung.worker.runtime import Worker

            # One network client per process, shared with the API's connect routes.
            app.state.http = getattr(app.state, "http", None) or http_client()
            worker = Worker(app.state.sessionmaker, settings, app.state.http)
            await worker.start()
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            http = getattr(app.state, "http", None)
            if http is not None:  # the network client, made on first use
                await http.aclose()
            if own_engine:
                await app.state.engine.dispose()

    app = FastAPI(
        title="Gaung API",
        version=__version__,
        description="Plan, write, approve and publish posts for a unit's official accounts.",
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # added by add_docs, with a policy for its inline script
        redoc_url=None,
    )
    app.state.settings = settings
    if engine is not None:
        # Usable without running the lifespan (tests drive the app directly).
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
    install_error_handlers(app)
    install_edge(app, settings)
    add_docs(app, f"{API_PREFIX}/docs")
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type"],
        )
    for router in (
        _public_router(settings),
        auth_router,
        users_router,
        units_router,
        invites_router,
        accounts_router,
        posts_router,
        workflow_router,
        notifications_router,
        media_router,
        writing_router,
        xspend_router,
        holds_router,
        calendar_router,
        comments_router,
    ):
        app.include_router(router, prefix=API_PREFIX)

    media_dir = settings.effective_media_dir
    media_dir.mkdir(parents=True, exist_ok=True)
    app.mount("/media", StaticFiles(directory=media_dir), name="media")
    mount_spa(app, settings.spa_dir)
    return app

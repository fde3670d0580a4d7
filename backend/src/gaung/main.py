"""The application: API routers, one error shape, uploaded media and the built SPA."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from gaung import __version__
from gaung.accounts.routes import router as accounts_router
from gaung.auth.routes import router as auth_router
from gaung.config import Settings, get_settings
from gaung.db import create_engine, make_sessionmaker
from gaung.invites.routes import router as invites_router
from gaung.kit.errors import install_error_handlers
from gaung.media.routes import router as media_router
from gaung.posts.routes import router as posts_router
from gaung.units.routes import router as units_router
from gaung.users.routes import router as users_router

API_PREFIX = "/api/v1"


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
    async def meta() -> Meta:
        demo = (
            DemoLogin(email=settings.demo_admin_email, password=settings.demo_admin_password)
            if settings.embedded
            else None
        )
        return Meta(version=__version__, embedded=settings.embedded, demo_login=demo)

    return router


def _mount_spa(app: FastAPI, spa_dir: Path) -> None:
    index = spa_dir / "index.html"
    if not index.is_file():
        return
    assets = spa_dir / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="spa-assets")

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str) -> Response:
        if path.startswith(("api/", "media/")):
            return JSONResponse(
                {"error": "not_found", "detail": f"No route for /{path}.", "fields": {}},
                status_code=404,
            )
        candidate = (spa_dir / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(spa_dir.resolve()):
            return FileResponse(candidate)
        # Client-side routes (/posts, /accounts …) all load the app.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_engine = engine is None
        app.state.engine = engine or create_engine(settings.effective_database_url)
        app.state.sessionmaker = make_sessionmaker(app.state.engine)
        try:
            yield
        finally:
            if own_engine:
                await app.state.engine.dispose()

    app = FastAPI(
        title="Gaung API",
        version=__version__,
        description="Plan, write, approve and publish posts for a unit's official accounts.",
        lifespan=lifespan,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    if engine is not None:
        # Usable without running the lifespan (tests drive the app directly).
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
    install_error_handlers(app)
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
        media_router,
    ):
        app.include_router(router, prefix=API_PREFIX)

    media_dir = settings.effective_media_dir
    media_dir.mkdir(parents=True, exist_ok=True)
    app.mount("/media", StaticFiles(directory=media_dir), name="media")
    _mount_spa(app, settings.spa_dir)
    return app

"""What the publishing fault tests and ``bench/publish.py`` share: a PostgreSQL server (from
``tests/pg.py``) with one migrated template database cloned per run, a unit seeded with real
(non-sandbox) X, Facebook Page and Instagram accounts whose tokens are stored encrypted, many
variants scheduled at one instant, ``gaung worker`` processes started and SIGKILLed with their
settings pointing at the fake platform, and the count of what came out: published once,
twice, or not at all."""

from __future__ import annotations

import asyncio
import itertools
import math
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from gaung.accounts.models import Platform, PlatformAccount
from gaung.accounts.tokens import store_tokens
from gaung.config import Settings
from gaung.db import database, session_scope
from gaung.media.models import MediaAsset, MediaKind
from gaung.migrate import upgrade
from gaung.posts.models import Post, PostStatus, PostVariant, VariantMedia
from gaung.units.models import Unit
from tests.fakeplatform import RunningFake
from tests.helpers import image_bytes
from tests.pg import PostgresServer

TEMPLATE = "gaung_template"
GAUNG = Path(sys.executable).with_name("gaung")
PUBLIC_BASE_URL = "https://gaung.example.go.id"
DONE = frozenset({PostStatus.published, PostStatus.failed, PostStatus.unconfirmed})
_names = itertools.count(1)


def _raw(url: str) -> str:
    """A SQLAlchemy URL as psycopg takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def prepare_template(server: PostgresServer) -> None:
    """One migrated database that every run clones (cloning is far faster than migrating)."""
    with psycopg.connect(_raw(server.url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    upgrade(with_database(server.url, TEMPLATE))


def fresh_database(server: PostgresServer) -> str:
    name = f"gaung_run_{os.getpid()}_{next(_names)}"
    with psycopg.connect(_raw(server.url), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    return with_database(server.url, name)


@dataclass(frozen=True)
class SeededAccount:
    id: int
    platform: Platform
    external_id: str
    handle: str


@dataclass(frozen=True)
class Seeded:
    unit_id: int
    accounts: Sequence[SeededAccount]

    def of(self, platform: Platform) -> list[SeededAccount]:
        return [a for a in self.accounts if a.platform == platform]


@dataclass(frozen=True)
class VariantOutcome:
    id: int
    post_id: int
    account_external_id: str
    text: str
    status: PostStatus
    scheduled_at: datetime
    external_id: str | None
    last_error: str | None
    attempts: int


@dataclass
class Report:
    """What happened to every variant, checked against what the fake received."""

    variants: list[VariantOutcome]
    posts: Counter[str]  # "account:text" -> posts the fake shows
    post_ids: dict[str, list[str]]
    publish_walls: dict[str, float]  # "account:text" -> arrival of its first publish

    @staticmethod
    def key(v: VariantOutcome) -> str:
        return f"{v.account_external_id}:{v.text}"

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.posts.values() if n > 1)

    def by_status(self) -> Counter[str]:
        return Counter(v.status.value for v in self.variants)

    @property
    def published_once(self) -> list[VariantOutcome]:
        return [
            v
            for v in self.variants
            if v.status == PostStatus.published
            and self.posts[self.key(v)] == 1
            and self.post_ids[self.key(v)] == [v.external_id]
        ]

    @property
    def lost(self) -> list[VariantOutcome]:
        """Variants neither published once nor set aside with a reason: still waiting,
        published in Gaung but absent (or another id) on the platform, or failed/unconfirmed
        without saying why."""
        once = {v.id for v in self.published_once}
        return [
            v
            for v in self.variants
            if v.id not in once
            and not (v.status in (PostStatus.failed, PostStatus.unconfirmed) and v.last_error)
        ]

    @property
    def failed_yet_posted(self) -> list[VariantOutcome]:
        """Reported as failed although the platform shows the post: a wrong answer to a person."""
        return [
            v for v in self.variants if v.status == PostStatus.failed and self.posts[self.key(v)]
        ]

    def lateness_s(self) -> list[float]:
        """For every variant that reached the platform: first publish arrival − scheduled."""
        return sorted(
            self.publish_walls[self.key(v)] - v.scheduled_at.timestamp()
            for v in self.variants
            if self.key(v) in self.publish_walls
        )

    def summary(self) -> str:
        return (
            f"statuses {dict(self.by_status())}, published once {len(self.published_once)}, "
            f"duplicates {self.duplicates}, lost {len(self.lost)}"
        )


@dataclass
class Worker:
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def cpu_s(self) -> float:
        """CPU time (user + system) the process has used so far; 0 once it has exited."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        if self.alive:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self, timeout: float = 15) -> None:
        if self.alive:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Harness:
    database_url: str
    fake: RunningFake
    folder: Path
    worker_env: dict[str, str] = field(default_factory=dict)
    workers: list[Worker] = field(default_factory=list)
    settings: Settings = field(init=False)
    _texts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.settings = Settings(
            env="development",
            data_dir=self.folder / "data",
            database_url=self.database_url,
            secret_key=secrets.token_urlsafe(48),
            encryption_keys=Fernet.generate_key().decode(),
            public_base_url=PUBLIC_BASE_URL,
            x_api_base_url=self.fake.url,
            x_client_id="fake-x-client",
            graph_api_base_url=self.fake.url,
            graph_video_base_url=self.fake.url,
            spa_dir=self.folder / "no-spa",
        )

    # --- workers -----------------------------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GAUNG_")}
        s = self.settings
        env |= {
            "GAUNG_ENV": "development",
            "GAUNG_DATA_DIR": str(s.data_dir),
            "GAUNG_DATABASE_URL": s.database_url,
            "GAUNG_SECRET_KEY": s.secret_key,
            "GAUNG_ENCRYPTION_KEYS": s.encryption_keys,
            "GAUNG_PUBLIC_BASE_URL": s.public_base_url,
            "GAUNG_X_API_BASE_URL": s.x_api_base_url,
            "GAUNG_X_CLIENT_ID": s.x_client_id,
            "GAUNG_GRAPH_API_BASE_URL": s.graph_api_base_url,
            "GAUNG_GRAPH_VIDEO_BASE_URL": s.graph_video_base_url,
            "GAUNG_SPA_DIR": str(s.spa_dir),
        }
        return env | self.worker_env | extra

    def start_worker(self, **extra_env: str) -> Worker:
        n = len(self.workers) + 1
        log = self.folder / f"worker-{n}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [str(GAUNG), "worker"],
                env=self.env(**extra_env),
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
            )
        worker = Worker(proc, log)
        self.workers.append(worker)
        return worker

    async def started(self, worker: Worker, timeout_s: float = 60) -> None:
        """Wait until the worker says it runs (its imports and scheduler are up)."""
        deadline = time.monotonic() + timeout_s
        while "running" not in worker.log.read_text(errors="replace"):
            if not worker.alive or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start:\n{self.logs()}")
            await asyncio.sleep(0.1)

    def alive(self) -> list[Worker]:
        return [w for w in self.workers if w.alive]

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()

    def logs(self) -> str:
        return "\n".join(
            f"--- {w.log.name} (exit {w.proc.poll()})\n{w.log.read_text(errors='replace')[-4000:]}"
            for w in self.workers
        )

    # --- data --------------------------------------------------------------------------------

    async def seed(
        self, units: int = 1, platforms: Sequence[Platform] = (Platform.x, Platform.facebook)
    ) -> Seeded:
        """Units with one real account per platform, tokens stored encrypted, each known to
        the fake with the same token (so a token Gaung failed to decrypt would be refused)."""
        accounts: list[SeededAccount] = []
        unit_id = 0
        async with database(self.database_url) as factory, session_scope(factory) as session:
            for u in range(units):
                n = next(self._texts)
                unit = Unit(name=f"Dinas Uji {n}", slug=f"dinas-uji-{n}", approval_required=False)
                session.add(unit)
                await session.flush()
                unit_id = unit_id or unit.id
                for platform in platforms:
                    external_id = {
                        Platform.x: str(2_244_994_945 + u),
                        Platform.facebook: str(1_234_567_890 + u),
                        Platform.instagram: str(17_841_400_000_000_000 + u),
                    }[platform]
                    handle = f"dinasuji{u}_{platform.value}"
                    account = PlatformAccount(
                        unit_id=unit.id,
                        platform=platform,
                        sandbox=False,
                        external_id=external_id,
                        handle=handle,
                        display_name=f"Dinas Uji {u} ({platform.value})",
                    )
                    token = f"{platform.value}-akses-{u}-{secrets.token_hex(4)}"
                    refresh = f"{platform.value}-segar-{u}" if platform == Platform.x else None
                    expires = datetime.now(UTC) + timedelta(hours=2)
                    store_tokens(
                        account,
                        self.settings,
                        access_token=token,
                        refresh_token=refresh,
                        expires_at=expires if platform == Platform.x else None,
                    )
                    session.add(account)
                    await session.flush()
                    self.fake.state.add_account(platform.value, external_id, handle, token, refresh)
                    accounts.append(SeededAccount(account.id, platform, external_id, handle))
        return Seeded(unit_id, accounts)

    async def schedule(
        self,
        seeded: Seeded,
        posts: int,
        at: datetime,
        platforms: Sequence[Platform] | None = None,
        tag: str = "Uji",
    ) -> int:
        """``posts`` posts per unit, each with one variant per account (of ``platforms``), all
        ``scheduled`` at ``at``; every text is unique. Returns the number of variants."""
        chosen = [a for a in seeded.accounts if platforms is None or a.platform in platforms]
        units: dict[int, list[SeededAccount]] = {}
        async with database(self.database_url) as factory, session_scope(factory) as session:
            owners = await session.execute(
                select(PlatformAccount.id, PlatformAccount.unit_id).where(
                    PlatformAccount.id.in_([a.id for a in chosen])
                )
            )
            unit_of = {account_id: unit_id for account_id, unit_id in owners.all()}
            for account in chosen:
                units.setdefault(unit_of[account.id], []).append(account)
            media: dict[int, MediaAsset] = {}
            count = 0
            for unit_id, accounts in units.items():
                if any(a.platform == Platform.instagram for a in accounts):
                    media[unit_id] = await self._image(session, unit_id)
                for _ in range(posts):
                    n = next(self._texts)
                    post = Post(
                        unit_id=unit_id,
                        title=f"{tag} {n}",
                        status=PostStatus.scheduled,
                        planned_at=at,
                    )
                    session.add(post)
                    await session.flush()
                    for account in accounts:
                        variant = PostVariant(
                            post_id=post.id,
                            account_id=account.id,
                            text=f"{tag} {n} untuk {account.platform.value}",
                            status=PostStatus.scheduled,
                            scheduled_at=at,
                        )
                        session.add(variant)
                        await session.flush()
                        if account.platform == Platform.instagram:
                            session.add(
                                VariantMedia(
                                    variant_id=variant.id, position=0, media_id=media[unit_id].id
                                )
                            )
                        count += 1
        return count

    async def _image(self, session: Any, unit_id: int) -> MediaAsset:
        """A JPEG the Instagram variants show (Instagram takes no text-only post)."""
        name = f"harness/{unit_id}-{secrets.token_hex(4)}.jpg"
        path = self.settings.effective_media_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        content = image_bytes(1080, 1080)
        path.write_bytes(content)
        asset = MediaAsset(
            unit_id=unit_id,
            kind=MediaKind.image,
            mime_type="image/jpeg",
            size_bytes=len(content),
            width=1080,
            height=1080,
            sha256="0" * 64,
            storage_path=name,
        )
        session.add(asset)
        await session.flush()
        return asset

    async def statuses(self) -> Counter[str]:
        async with database(self.database_url) as factory, session_scope(factory) as session:
            rows = await session.execute(
                select(PostVariant.status, func.count()).group_by(PostVariant.status)
            )
            return Counter({status.value: n for status, n in rows.all()})

    async def wait_until(
        self,
        done: Callable[[Counter[str]], bool],
        timeout_s: float,
        poll_s: float = 0.25,
    ) -> Counter[str]:
        """Poll the variants' statuses until ``done`` says so; the last count either way."""
        deadline = time.monotonic() + timeout_s
        while True:
            counts = await self.statuses()
            if done(counts) or time.monotonic() > deadline:
                return counts
            await asyncio.sleep(poll_s)

    async def report(self) -> Report:
        async with database(self.database_url) as factory, session_scope(factory) as session:
            rows = await session.execute(
                select(PostVariant, PlatformAccount.external_id)
                .join(PlatformAccount, PlatformAccount.id == PostVariant.account_id)
                .order_by(PostVariant.id)
            )
            variants = [
                VariantOutcome(
                    id=v.id,
                    post_id=v.post_id,
                    account_external_id=external_id,
                    text=v.text,
                    status=v.status,
                    scheduled_at=v.scheduled_at or datetime.fromtimestamp(0, UTC),
                    external_id=v.external_id,
                    last_error=v.last_error,
                    attempts=v.attempts,
                )
                for v, external_id in rows.all()
            ]
        state = self.fake.state
        with state.lock:
            posts = Counter(f"{p.account}:{p.text}" for p in state.posts)
            post_ids: dict[str, list[str]] = {}
            for p in state.posts:
                post_ids.setdefault(f"{p.account}:{p.text}", []).append(p.id)
            walls: dict[str, float] = {}
            for r in state.received:
                if r.created and r.account is not None and r.text is not None:
                    walls.setdefault(f"{r.account}:{r.text}", r.wall)
        return Report(variants, posts, post_ids, walls)


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), math.ceil(p / 100 * len(sorted_values))))
    return sorted_values[rank - 1]


def fresh_sqlite(folder: Path) -> str:
    """A migrated SQLite file: the embedded mode, where one process runs the jobs."""
    url = f"sqlite+aiosqlite:///{folder / 'data' / 'gaung.sqlite3'}"
    (folder / "data").mkdir(parents=True, exist_ok=True)
    upgrade(url)
    return url


@contextmanager
def harness(database_url: str, fake: RunningFake, folder: Path) -> Iterator[Harness]:
    """A harness on the given (fresh) database; its workers are killed at the end."""
    h = Harness(database_url, fake, folder)
    try:
        yield h
    finally:
        for worker in h.workers:
            worker.kill()

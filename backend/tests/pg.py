"""A throwaway PostgreSQL server for the test session, started from the local server binaries.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(
            f"PostgreSQL server binary {name!r} not found: install the postgresql package "
            "or set GAUNG_TEST_DATABASE_URL"
        )
    return candidates[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    """A running throwaway server: its URL, and stop/start/restart for tests that take the
    database away under a running process."""

    url: str
    data: Path
    options: str
    prefix: list[str] = field(default_factory=list)

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.prefix, _bin("pg_ctl"), "-D", str(self.data / "db"), *args],
            check=True,
            capture_output=True,
            text=True,
        )

    def start(self) -> None:
        self.pg_ctl("-o", self.options, "-l", str(self.data / "server.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A fresh, empty server; stopped and removed afterwards."""
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    data = Path(tempfile.mkdtemp(prefix="gaung-test-pg-"))
    if as_root:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    opts = (
        f"-k {data} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    server = PostgresServer(
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", data, opts, prefix
    )
    try:
        initdb = [_bin("initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres"]
        subprocess.run([*prefix, *initdb, "-E", "UTF8"], check=True, capture_output=True, text=True)
        server.start()
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(data, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr or exc.stdout}") from exc
    try:
        yield server
    finally:
        subprocess.run(
            [*prefix, _bin("pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """Yields a SQLAlchemy URL of a fresh, empty server; stops and removes it afterwards."""
    with postgres_server() as server:
        yield server.url

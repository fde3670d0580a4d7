"""Running the fake platform on loopback: inside this process (uvicorn in a thread; the test
reads its state directly) or as a subprocess (``python -m tests.fakeplatform --port N``;
driven through the control API with ``FakeControl``)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from tests.fakeplatform.app import FakePlatform
from tests.fakeplatform.state import FakeState

BACKEND = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def config(app: FakePlatform, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        access_log=False,
        # Hanging answers end when their client hangs up; never wait long for them at exit.
        timeout_graceful_shutdown=1,
        # Many workers' connections at once (the benchmark): the default backlog is enough,
        # keep-alive long enough that pooled client connections are reused.
        timeout_keep_alive=30,
    )


@dataclass
class RunningFake:
    url: str
    state: FakeState
    app: FakePlatform


@contextmanager
def fake_in_thread(state: FakeState | None = None, port: int = 0) -> Iterator[RunningFake]:
    """The fake served by uvicorn in a daemon thread of this process, until the block ends."""
    app = FakePlatform(state)
    server = uvicorn.Server(config(app, port or free_port()))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the fake platform did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield RunningFake(f"http://127.0.0.1:{port}", app.state, app)
    finally:
        server.should_exit = True
        thread.join(10)


class FakeControl:
    """The control API of a fake running elsewhere (a subprocess)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=f"{self.url}/_fake", timeout=10)

    def _call(self, method: str, what: str, body: Any = None) -> Any:
        response = self.http.request(method, f"/{what}", json=body)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self._call("POST", "reset")

    def configure(self, **values: Any) -> None:
        self._call("POST", "config", values)

    def add_account(self, **values: Any) -> None:
        self._call("POST", "accounts", values)

    def add_fault(self, kind: str, **options: Any) -> int:
        return int(self._call("POST", "faults", {"kind": kind, **options})["id"])

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def received(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "received")
        return result

    def close(self) -> None:
        self.http.close()


@contextmanager
def fake_subprocess(port: int = 0, latency_ms: float = 50.0) -> Iterator[FakeControl]:
    """The fake in its own process (so it keeps its own CPU time apart from the caller's)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakeplatform",
            "--port",
            str(port),
            "--latency-ms",
            str(latency_ms),
        ],
        cwd=BACKEND,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    control = FakeControl(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the fake platform exited: {proc.stderr.read()!r}")  # type: ignore[union-attr]
            try:
                if control.http.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the fake platform did not start")
            time.sleep(0.05)
        yield control
    finally:
        control.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

"""An unexpected error answers the one 500 shape and keeps the keep-alive connection usable
(checked against a real server on loopback, where a dropped socket shows)."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from gaung.config import Settings
from gaung.main import create_app


def _boom() -> None:
    raise RuntimeError("kaboom: a bug")


@pytest.fixture
def server(settings: Settings) -> Iterator[str]:
    app: FastAPI = create_app(settings)
    app.add_api_route("/api/v1/boom", _boom)  # only in this test's app
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
        sock.close()


def _local_port(res: httpx.Response) -> int | None:
    """The client side of the TCP connection that carried this answer; None once closed."""
    try:
        return int(res.extensions["network_stream"].get_extra_info("client_addr")[1])
    except OSError:
        return None


def test_a_500_keeps_the_connection(server: str, caplog: pytest.LogCaptureFixture) -> None:
    with httpx.Client(base_url=server, limits=httpx.Limits(max_connections=1)) as client:
        before = client.get("/api/v1/health")
        assert before.status_code == 200
        ports = [_local_port(before)]
        with caplog.at_level(logging.ERROR, logger="gaung"):
            res = client.get("/api/v1/boom")
        ports.append(_local_port(res))
        assert res.status_code == 500
        assert res.json() == {
            "error": "internal_error",
            "detail": "Something went wrong on our side.",
            "fields": {},
            "rules": {},
            "limits": {},
        }
        assert res.headers.get("connection", "").lower() != "close"
        after = client.get("/api/v1/health")
        assert after.status_code == 200
        ports.append(_local_port(after))
        # All three answers came over the one connection: the 500 did not drop it.
        assert ports[0] is not None and ports[0] == ports[1] == ports[2]
    logged = [r for r in caplog.records if "unhandled error" in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "kaboom" in str(logged[0].exc_info[1])

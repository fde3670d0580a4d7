"""docs/api.md is run: its examples go against `gaung run` in its own process (demo data, jobs
in the process), in the order a reader follows them. Another unit's system, given only a key,
reads the calendar, submits an activity and receives a signed webhook when it is published;
the document's own verification code (Python and shell) accepts it, and refuses a forgery."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gaung.config import Settings
from gaung.seed import EDITOR_EMAIL
from tests.integrations.receiver import Receiver, receiving

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
EXAMPLE = re.compile(r"<!-- example: ([\w-]+) -->\n```(sh|python)\n(.*?)```", re.S)


def examples() -> dict[str, tuple[str, str]]:
    return {name: (lang, code) for name, lang, code in EXAMPLE.findall(DOC.read_text())}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import subprocess

    data = tmp_path_factory.mktemp("docs-server")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAUNG_")}
    env |= {
        "GAUNG_DATA_DIR": str(data),
        "GAUNG_SPA_DIR": str(data / "no-spa"),
        # The test's receiver listens on loopback; jobs run often so the test is quick.
        "GAUNG_WEBHOOK_ALLOW_PRIVATE": "true",
        "GAUNG_WEBHOOK_INTERVAL_S": "0.5",
        "GAUNG_DISPATCH_INTERVAL_S": "0.5",
    }
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
        yield base + "/api/v1"
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


async def run_sh(code: str, env: dict[str, str], cwd: Path) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        "bash",
        "-c",
        code,
        env={**os.environ, **env},
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def login(http: httpx.AsyncClient, email: str) -> str:
    res = await http.post(
        "/auth/login", json={"email": email, "password": Settings().demo_admin_password}
    )
    assert res.status_code == 200, res.text
    token: str = res.json()["access_token"]
    return token


@pytest.fixture
async def rx() -> AsyncIterator[Receiver]:
    async with receiving() as receiver:
        yield receiver


async def test_the_documented_integration_works_end_to_end(
    server: str, rx: Receiver, tmp_path: Path
) -> None:
    docs = examples()
    assert set(docs) >= {
        "make-key",
        "read-posts",
        "read-calendar",
        "submit",
        "subscribe",
        "verify-python",
        "verify-shell",
    }
    async with httpx.AsyncClient(base_url=server, timeout=30) as http:
        token = await login(http, Settings().demo_admin_email)
        env = {"GAUNG": server, "TOKEN": token, "UNIT": "1", "RECEIVER": rx.url}

        async def sh(name: str, **extra: str) -> str:
            lang, code = docs[name]
            assert lang == "sh"
            status, out = await run_sh(code, {**env, **extra}, tmp_path)
            assert status == 0, (name, out)
            return out

        key: dict[str, Any] = json.loads(await sh("make-key"))
        assert key["key"].startswith("gk_")
        env["GAUNG_KEY"] = key["key"]
        hook = json.loads(await sh("subscribe"))
        secret = hook["secret"]

        posts = json.loads(await sh("read-posts"))
        assert posts["items"], posts
        calendar = await sh("read-calendar")
        assert calendar.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in calendar
        submitted = json.loads(await sh("submit"))
        assert submitted["status"] == "new"

        # The unit's people take it from there: a draft, approved by the editor, out now.
        admin = {"Authorization": f"Bearer {token}"}
        drafted = await http.post(f"/submissions/{submitted['id']}/draft", json={}, headers=admin)
        assert drafted.status_code == 200, drafted.text
        post_id = drafted.json()["post_id"]
        assert (await http.post(f"/posts/{post_id}/submit", headers=admin)).status_code == 200
        editor = {"Authorization": f"Bearer {await login(http, EDITOR_EMAIL)}"}
        # The approver ticks the unit's pre-publication checklist, as in the web app.
        unit_id = drafted.json()["unit_id"]
        checklist = (await http.get(f"/units/{unit_id}", headers=admin)).json()["checklist"]
        approved = await http.post(
            f"/posts/{post_id}/approve", json={"checklist": checklist}, headers=editor
        )
        assert approved.status_code == 200, approved.text
        out = await http.post(f"/posts/{post_id}/publish-now", headers=admin)
        assert out.status_code == 200, out.text

        deadline = time.monotonic() + 60
        published = None
        while published is None:
            for got in rx.got:
                body = json.loads(got.body)
                if body["event"] == "submission.status_changed" and (
                    body["data"]["status"] == "published"
                ):
                    published = got
            assert time.monotonic() < deadline, [r.body for r in rx.got]
            await asyncio.sleep(0.2)
        mine = (
            await http.get(
                f"/submissions/{submitted['id']}", headers={"X-API-Key": env["GAUNG_KEY"]}
            )
        ).json()
        assert mine["status"] == "published" and mine["links"]
        # Variants may go out in separate batches: the event names those out by then.
        links = json.loads(published.body)["data"]["links"]
        assert links and set(links) <= set(mine["links"])

    timestamp = published.headers["x-gaung-timestamp"]
    signature = published.headers["x-gaung-signature"]
    lang, code = docs["verify-python"]
    assert lang == "python"
    scope: dict[str, Any] = {}
    exec(compile(code, str(DOC), "exec"), scope)
    verify = scope["verify"]
    assert verify(secret, timestamp, published.body, signature) is True
    assert verify(secret, timestamp, published.body + b" ", signature) is False
    assert verify("whsec_other", timestamp, published.body, signature) is False
    assert verify(secret, str(int(timestamp) - 3600), published.body, signature) is False

    (tmp_path / "body.json").write_bytes(published.body)
    check = {"SECRET": secret, "TIMESTAMP": timestamp, "SIGNATURE": signature}
    lang, code = docs["verify-shell"]
    status, out = await run_sh(code, check, tmp_path)
    assert status == 0 and "signature ok" in out, out
    forged = {**check, "SIGNATURE": "sha256=" + "0" * 64}
    status, out = await run_sh(code, forged, tmp_path)
    assert status != 0 and "mismatch" in out

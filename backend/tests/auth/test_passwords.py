"""Passwords: common and trivial ones are refused wherever a password is set, spaces are kept
exactly, and hashing runs off the event loop, two at a time."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from typer.testing import CliRunner

from gaung.auth import passwords
from gaung.auth.password_policy import check_password
from gaung.cli import app
from gaung.config import Settings
from gaung.users.models import Role
from tests.conftest import PASSWORD, World
from tests.helpers import audit_events, error_of


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("1234567890", "password_too_weak"),
        ("password12", "password_too_weak"),
        ("qwertyuiop", "password_too_weak"),
        ("aaaaaaaaaaaa", "password_too_weak"),
        ("jakarta123", "password_too_weak"),
        ("short", "password_too_short"),
        ("          ", "password_too_weak"),
        ("x" * 201, "password_too_long"),
        ("siti.rahma-2026!", "password_personal"),  # the email's name part
        ("Rahmawati Siti #9", "password_personal"),  # the user's name
    ],
)
def test_common_trivial_and_personal_passwords_are_refused(password: str, code: str) -> None:
    problem = check_password(password, email="siti.rahma@example.go.id", name="Siti Rahmawati")
    assert problem is not None and problem.code == code


@pytest.mark.parametrize(
    "password", [PASSWORD, "gaung-demo-2026", "kata-sandi-awal-123", "  spaced  phrase here  "]
)
def test_good_passwords_pass(password: str) -> None:
    assert check_password(password, email="siti.rahma@example.go.id", name="Siti") is None


def test_the_demo_password_passes_for_the_demo_users() -> None:
    settings = Settings()
    for email in (settings.demo_admin_email, "editor@ptpsw.example.go.id"):
        assert check_password(settings.demo_admin_password, email=email, name="Humas") is None


async def change(
    client: httpx.AsyncClient, world: World, user: object, **body: str
) -> httpx.Response:
    return await client.patch("/api/v1/me", json=body, headers=world.headers(user))  # type: ignore[arg-type]


async def test_changing_my_password(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()
    other_device = (
        await client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    ).json()
    new = "  a new  phrase with spaces "
    res = await change(client, world, user, password=new, current_password=PASSWORD)
    assert res.status_code == 200, res.text
    # Kept exactly: the stripped password is not it.
    for password, status in ((new.strip(), 401), (PASSWORD, 401), (new, 200)):
        login = await client.post(
            "/api/v1/auth/login", json={"email": user.email, "password": password}
        )
        assert login.status_code == status, password
    # This session goes on, the others end.
    assert (await client.get("/api/v1/me", headers=world.headers(user))).status_code == 200
    other = {"Authorization": f"Bearer {other_device['access_token']}"}
    assert (await client.get("/api/v1/me", headers=other)).status_code == 401
    events = await audit_events(world.session, "user", user.id, action="change_password")
    assert len(events) == 1 and events[0].before is None and events[0].after is None


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"password": "a new fine passphrase"}, 422, "validation_error", "current_password"),
        (
            {"password": "a new fine passphrase", "current_password": "wrong"},
            422,
            "wrong_password",
            "current_password",
        ),
        ({"password": "1234567890", "current_password": PASSWORD}, 422, "password_too_weak", None),
        ({"password": "password12", "current_password": PASSWORD}, 422, "password_too_weak", None),
        ({"password": "short", "current_password": PASSWORD}, 422, "password_too_short", None),
    ],
)
async def test_refused_password_changes_name_the_field_and_rule(
    client: httpx.AsyncClient,
    world: World,
    body: dict[str, str],
    status: int,
    code: str,
    field: str | None,
) -> None:
    user = await world.user()
    res = await change(client, world, user, **body)
    assert res.status_code == status, res.text
    error = error_of(res)
    assert error["error"] == code
    assert list(error["fields"]) == [field or "password"]
    # Nothing changed.
    login = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert login.status_code == 200


async def test_a_new_member_with_a_common_password_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    res = await client.post(
        f"/api/v1/units/{unit.id}/members",
        json={
            "email": "baru@example.go.id",
            "role": "viewer",
            "name": "Baru",
            "password": "password12",
        },
        headers=world.headers(admin),
    )
    assert res.status_code == 422
    body = error_of(res)
    assert body["error"] == "password_too_weak" and set(body["fields"]) == {"password"}


async def test_a_new_members_password_keeps_its_spaces(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    password = " kata sandi awal panjang "
    res = await client.post(
        f"/api/v1/units/{unit.id}/members",
        json={
            "email": "baru@example.go.id",
            "role": "viewer",
            "name": "Baru",
            "password": password,
        },
        headers=world.headers(admin),
    )
    assert res.status_code == 202, res.text  # a new address is invited, its account made
    for attempt, status in ((password.strip(), 401), (password, 200)):
        login = await client.post(
            "/api/v1/auth/login", json={"email": "baru@example.go.id", "password": attempt}
        )
        assert login.status_code == status


def test_create_admin_refuses_a_common_password() -> None:
    args = ["create-admin", "--email", "root@example.go.id", "--name", "Root"]
    for password, rule in (("1234567890", "password_too_weak"), ("short", "password_too_short")):
        result = CliRunner().invoke(app, [*args, "--password", password])
        assert result.exit_code == 2 and rule in result.output, result.output


async def test_hashing_runs_in_worker_threads_two_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loop_thread = threading.get_ident()
    running, peak, threads = 0, 0, set()
    lock = threading.Lock()

    def slow_verify(password: str, hashed: str) -> bool:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            threads.add(threading.get_ident())
        time.sleep(0.05)
        with lock:
            running -= 1
        return True

    monkeypatch.setattr(passwords, "verify_password", slow_verify)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    tick = asyncio.create_task(ticker())
    results = await asyncio.gather(*(passwords.verify_password_async("p", "h") for _ in range(8)))
    tick.cancel()
    assert results == [True] * 8
    assert peak == passwords.HASH_CONCURRENCY == 2
    assert loop_thread not in threads
    assert ticks > 8  # the event loop kept running while the hashes were computed


async def test_the_dummy_hash_also_runs_off_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    monkeypatch.setattr(passwords, "burn_time", lambda: seen.append(threading.get_ident()))
    await passwords.burn_time_async()
    assert seen and seen[0] != threading.get_ident()


async def test_a_wrong_current_password_keeps_the_other_changes_out(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    res = await change(
        client, world, user, name="Diganti", password="a new fine passphrase", current_password="no"
    )
    assert res.status_code == 422
    me = await client.get("/api/v1/me", headers=world.headers(user))
    assert me.json()["name"] == user.name

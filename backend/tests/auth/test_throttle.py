"""Failed logins are throttled by account and by client address: 429 with Retry-After, no
password hashing while locked, bounded and growing locks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
import time_machine

from gaung.auth import service
from gaung.auth.throttle import lock_seconds
from gaung.config import Settings
from gaung.kit.time import utcnow
from tests.conftest import PASSWORD, World
from tests.helpers import error_of


async def login(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, **headers: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/login", json={"email": email, "password": password}, headers=headers
    )


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each password check the login makes (real ones still run)."""
    calls: list[str] = []
    verify, burn = service.verify_password_async, service.burn_time_async

    async def counting_verify(password: str, hashed: str) -> bool:
        calls.append("verify")
        return await verify(password, hashed)

    async def counting_burn() -> None:
        calls.append("burn")
        await burn()

    monkeypatch.setattr(service, "verify_password_async", counting_verify)
    monkeypatch.setattr(service, "burn_time_async", counting_burn)
    return calls


def assert_throttled(res: httpx.Response, seconds: int) -> None:
    assert res.status_code == 429, res.text
    body = error_of(res)
    assert body["error"] == "too_many_attempts"
    assert res.headers["Retry-After"] == str(seconds)
    assert f"{seconds} seconds" in body["detail"]


async def test_an_account_is_locked_after_five_failures(
    client: httpx.AsyncClient, world: World, hashes: list[str]
) -> None:
    user = await world.user()
    for _ in range(5):
        assert (await login(client, user.email, "wrong password")).status_code == 401
    assert hashes == ["verify"] * 5
    # Locked: even the right password is refused, and no hash is computed for it.
    assert_throttled(await login(client, user.email), 30)
    assert_throttled(await login(client, user.email.upper(), "another guess"), 30)
    assert hashes == ["verify"] * 5
    # Other accounts are not affected.
    other = await world.user()
    assert (await login(client, other.email)).status_code == 200


async def test_locks_grow_then_end_and_a_success_forgets_the_failures(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    # The clock stands still inside each step, so a slow password hash cannot shift the
    # Retry-After figures.
    start = utcnow()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            await login(client, user.email, "wrong password")
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        assert_throttled(await login(client, user.email), 20)
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        # Lock over; one more failure locks it for twice as long.
        assert (await login(client, user.email, "wrong again")).status_code == 401
        assert_throttled(await login(client, user.email), 60)
    with time_machine.travel(start + timedelta(seconds=92), tick=False):
        assert (await login(client, user.email)).status_code == 200
        # The success cleared the account's count: a new failure does not lock it.
        assert (await login(client, user.email, "typo")).status_code == 401
        assert (await login(client, user.email)).status_code == 200


async def test_failures_older_than_the_window_are_forgotten(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    for _ in range(4):
        await login(client, user.email, "wrong password")
    with time_machine.travel(utcnow() + timedelta(seconds=901)):
        assert (await login(client, user.email, "wrong password")).status_code == 401
        assert (await login(client, user.email)).status_code == 200


async def test_unknown_emails_are_throttled_like_real_ones(
    client: httpx.AsyncClient, hashes: list[str]
) -> None:
    # Otherwise the 429 would tell which emails have an account.
    for _ in range(5):
        assert (await login(client, "nobody@example.go.id", "guess")).status_code == 401
    assert hashes == ["burn"] * 5
    assert_throttled(await login(client, "nobody@example.go.id"), 30)
    assert hashes == ["burn"] * 5


async def test_an_address_is_locked_after_many_failures_on_any_accounts(
    client: httpx.AsyncClient, world: World, settings: Settings, hashes: list[str]
) -> None:
    settings.login_address_max_failures = 6
    users = [await world.user() for _ in range(3)]
    for i in range(6):
        res = await login(client, users[i % 3].email, "wrong password")
        assert res.status_code == 401
    fresh = await world.user()
    before = len(hashes)
    # A forged X-Forwarded-For does not get around it (the peer is no trusted proxy).
    assert_throttled(await login(client, fresh.email, **{"X-Forwarded-For": "203.0.113.9"}), 30)
    assert len(hashes) == before


async def test_a_valid_login_does_not_clear_its_address(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    # An attacker with one account of their own must not reset their address's count.
    settings.login_address_max_failures = 3
    victim, own = await world.user(), await world.user()
    await login(client, victim.email, "guess 1")
    await login(client, victim.email, "guess 2")
    assert (await login(client, own.email)).status_code == 200
    await login(client, victim.email, "guess 3")
    assert_throttled(await login(client, victim.email, "guess 4"), 30)


async def test_the_current_password_check_shares_the_account_lock(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    headers = world.headers(user)
    for _ in range(5):
        res = await client.patch(
            "/api/v1/me",
            json={"password": "a brand new passphrase", "current_password": "guess"},
            headers=headers,
        )
        assert res.status_code == 422 and error_of(res)["error"] == "wrong_password"
    res = await client.patch(
        "/api/v1/me",
        json={"password": "a brand new passphrase", "current_password": PASSWORD},
        headers=headers,
    )
    assert_throttled(res, 30)


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, None), (4, None), (5, 30), (6, 60), (7, 120), (9, 480), (10, 900), (10**6, 900)],
)
def test_lock_seconds_grow_and_are_bounded(failures: int, expected: Any) -> None:
    assert lock_seconds(failures, 5, 30, 900) == expected

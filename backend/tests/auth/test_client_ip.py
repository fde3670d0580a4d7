"""The client's address comes from X-Forwarded-For only when the peer is a trusted proxy."""

from __future__ import annotations

import re

import httpx
import pytest
from pydantic import ValidationError
from starlette.requests import Request

from gaung.config import Settings
from gaung.kit.net import client_ip, parse_networks
from tests.conftest import PASSWORD, World
from tests.helpers import audit_events


def request(peer: str | None, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": headers,
        "client": (peer, 1234) if peer else None,
    }
    return Request(scope)


TRUSTED = parse_networks("10.0.0.1, 172.16.0.0/12, fd00::/8")


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("198.51.100.7", ["203.0.113.9"], "198.51.100.7"),  # untrusted peer: header ignored
        ("10.0.0.1", [], "10.0.0.1"),
        ("10.0.0.1", ["203.0.113.9"], "203.0.113.9"),
        # The client may send its own header; only the hop our proxy appended counts.
        ("10.0.0.1", ["1.2.3.4, 203.0.113.9"], "203.0.113.9"),
        ("10.0.0.1", ["1.2.3.4", "203.0.113.9"], "203.0.113.9"),
        # Proxies in a chain are skipped.
        ("10.0.0.1", ["1.2.3.4, 203.0.113.9, 172.20.0.5"], "203.0.113.9"),
        ("10.0.0.1", ["172.20.0.5"], "172.20.0.5"),
        ("10.0.0.1", ["not-an-ip"], "10.0.0.1"),
        ("10.0.0.1", ["203.0.113.9, garbage, 172.20.0.5"], "172.20.0.5"),
        ("fd00::1", ["2001:db8::5"], "2001:db8::5"),
        (None, ["203.0.113.9"], None),
    ],
)
def test_client_ip(peer: str | None, forwarded: list[str], expected: str | None) -> None:
    assert client_ip(request(peer, *forwarded), TRUSTED) == expected


def test_no_trusted_proxies_by_default() -> None:
    assert client_ip(request("10.0.0.1", "203.0.113.9"), Settings().trusted_proxy_networks) == (
        "10.0.0.1"
    )


def test_a_bad_trusted_proxies_setting_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match=re.escape("'10.0.0.300' is not an IP address")):
        Settings(trusted_proxies="10.0.0.1, 10.0.0.300")


async def login(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )


async def test_the_audit_log_records_the_real_address_not_a_forged_one(
    client: httpx.AsyncClient, world: World
) -> None:
    user = await world.user()
    res = await login(client, user.email)
    assert res.status_code == 200
    headers = {
        "Authorization": f"Bearer {res.json()['access_token']}",
        "X-Forwarded-For": "203.0.113.9",
    }
    assert (await client.patch("/api/v1/me", json={"name": "Nama"}, headers=headers)).is_success
    events = await audit_events(world.session, "user", user.id)
    assert [(e.action, e.ip) for e in events] == [("login", "127.0.0.1"), ("update", "127.0.0.1")]


async def test_behind_a_trusted_proxy_the_forwarded_address_is_recorded(
    client: httpx.AsyncClient, world: World, settings: Settings
) -> None:
    settings.trusted_proxies = "127.0.0.1"  # the test client's address
    user = await world.user()
    res = await login(client, user.email)
    headers = {
        "Authorization": f"Bearer {res.json()['access_token']}",
        "X-Forwarded-For": "203.0.113.9",
    }
    assert (await client.patch("/api/v1/me", json={"name": "Nama"}, headers=headers)).is_success
    events = await audit_events(world.session, "user", user.id)
    assert [(e.action, e.ip) for e in events] == [
        ("login", "203.0.113.9"),
        ("update", "203.0.113.9"),
    ]

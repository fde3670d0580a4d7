"""X's OAuth 2.0 grant: the PKCE authorize URL, the code exchange (confidential and public
apps), the account's identity, and refresh-token rotation."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from gaung.platforms.protocol import (
    AuthError,
    AuthorizeRequest,
    ConnectedAccount,
    Endpoints,
    PermanentError,
    RetryableError,
    TokenSet,
)
from gaung.platforms.registry import NETWORKS
from gaung.platforms.types import Platform
from gaung.platforms.x.connector import XConnector
from tests.platforms.x.helpers import NOW, Harness, account, build

TOKENS = {
    "token_type": "bearer",
    "expires_in": 7200,
    "access_token": "akses-2",
    "scope": "tweet.read users.read tweet.write media.write offline.access",
    "refresh_token": "segar-2",
}
BAD_GRANT = {
    "error": "invalid_request",
    "error_description": "Value passed for the token was invalid.",
}


def form(request: httpx.Request) -> dict[str, list[str]]:
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    return parse_qs(request.content.decode())


def test_the_authorize_url_asks_for_the_needed_scopes_with_pkce(x: Harness) -> None:
    request = x.connector.authorize_url("https://gaung.example/cb/x", "keadaan-acak")
    parts = urlsplit(request.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://x.com/i/oauth2/authorize"
    assert "scope=tweet.read%20tweet.write%20users.read%20media.write%20offline.access" in (
        parts.query
    )
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    verifier = request.code_verifier
    assert verifier is not None and 43 <= len(verifier) <= 128
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert query == {
        "response_type": "code",
        "client_id": "klien-x",
        "redirect_uri": "https://gaung.example/cb/x",
        "scope": "tweet.read tweet.write users.read media.write offline.access",
        "state": "keadaan-acak",
        "code_challenge": challenge.decode().rstrip("="),
        "code_challenge_method": "S256",
    }
    assert request.state == "keadaan-acak"
    other = x.connector.authorize_url("https://gaung.example/cb/x", "lain")
    assert other.code_verifier != verifier  # a fresh verifier per grant


def test_an_unconfigured_app_says_so(mock: respx.MockRouter, http: httpx.AsyncClient) -> None:
    x = build(mock, http, Endpoints())
    with pytest.raises(PermanentError) as caught:
        x.connector.authorize_url("https://gaung.example/cb/x", "s")
    assert caught.value.code == "x.not_configured"


async def test_the_code_exchange_uses_basic_auth_and_reads_the_identity(x: Harness) -> None:
    token = x.mock.post("/2/oauth2/token").respond(200, json=TOKENS)
    me = x.mock.get("/2/users/me").respond(
        200,
        json={
            "data": {
                "id": "2244994945",
                "name": "Dinas Kominfo",
                "username": "dinaskominfo",
                "profile_image_url": "https://pbs.twimg.com/profile_images/1/a_normal.jpg",
            }
        },
    )
    grant = AuthorizeRequest("https://x.com/i/oauth2/authorize?…", "s", "verifikator")
    found = await x.connector.exchange_callback("https://gaung.example/cb/x", "kode-1", grant)
    assert found == [
        ConnectedAccount(
            external_id="2244994945",
            handle="dinaskominfo",
            display_name="Dinas Kominfo",
            tokens=TokenSet("akses-2", "segar-2", NOW + timedelta(seconds=7200)),
            avatar_url="https://pbs.twimg.com/profile_images/1/a_normal.jpg",
        )
    ]
    request = token.calls.last.request
    basic = base64.b64encode(b"klien-x:rahasia-x").decode()
    assert request.headers["authorization"] == f"Basic {basic}"
    assert form(request) == {
        "grant_type": ["authorization_code"],
        "code": ["kode-1"],
        "redirect_uri": ["https://gaung.example/cb/x"],
        "code_verifier": ["verifikator"],
    }
    assert me.calls.last.request.headers["authorization"] == "Bearer akses-2"
    assert me.calls.last.request.url.params["user.fields"] == "profile_image_url"


async def test_a_public_app_sends_its_client_id_and_no_basic_auth(
    mock: respx.MockRouter, http: httpx.AsyncClient
) -> None:
    x = build(mock, http, Endpoints(x_client_id="klien-publik"))
    token = mock.post("/2/oauth2/token").respond(200, json=TOKENS)
    await x.connector.refresh_token(account())
    request = token.calls.last.request
    assert "authorization" not in request.headers
    assert form(request) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["segar-1"],
        "client_id": ["klien-publik"],
    }


async def test_an_expired_code_asks_the_admin_to_connect_again(x: Harness) -> None:
    x.mock.post("/2/oauth2/token").respond(400, json=BAD_GRANT)
    me = x.mock.get("/2/users/me").respond(500)
    grant = AuthorizeRequest("u", "s", "v")
    with pytest.raises(AuthError):
        await x.connector.exchange_callback("https://gaung.example/cb/x", "basi", grant)
    assert me.call_count == 0


async def test_refresh_returns_the_rotated_tokens(x: Harness) -> None:
    token = x.mock.post("/2/oauth2/token").respond(200, json=TOKENS)
    tokens = await x.connector.refresh_token(account())
    # The caller stores the new refresh token before use: the old one no longer works.
    assert tokens == TokenSet("akses-2", "segar-2", NOW + timedelta(hours=2))
    assert form(token.calls.last.request) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["segar-1"],
    }


async def test_a_refused_refresh_needs_reconnection(x: Harness) -> None:
    x.mock.post("/2/oauth2/token").respond(400, json=BAD_GRANT)
    with pytest.raises(AuthError) as caught:
        await x.connector.refresh_token(account())
    assert "token was invalid" not in caught.value.message


async def test_a_refresh_during_an_outage_is_retried_not_a_reconnection(x: Harness) -> None:
    x.mock.post("/2/oauth2/token").respond(503)
    with pytest.raises(RetryableError):
        await x.connector.refresh_token(account())


async def test_an_account_without_a_refresh_token_cannot_refresh(x: Harness) -> None:
    token = x.mock.post("/2/oauth2/token").respond(200, json=TOKENS)
    with pytest.raises(AuthError) as caught:
        await x.connector.refresh_token(account(refresh_token=None))
    assert "reconnect" in caught.value.message and token.call_count == 0


def test_the_registry_builds_the_x_connector(x: Harness) -> None:
    factory = NETWORKS[Platform.x].connector
    assert factory is not None
    built = factory(x.connector.ctx)
    assert isinstance(built, XConnector) and built.platform is Platform.x


async def test_account_less_calls_store_no_rate_limit(x: Harness) -> None:
    headers = {"x-rate-limit-remaining": "74", "x-rate-limit-limit": "75"}
    x.mock.post("/2/oauth2/token").respond(200, json=TOKENS, headers=headers)
    x.mock.get("/2/users/me").respond(
        200, json={"data": {"id": "1", "username": "u", "name": "U"}}, headers=headers
    )
    grant = AuthorizeRequest("u", "s")
    await x.connector.exchange_callback("https://gaung.example/cb/x", "k", grant)
    assert x.limits == []

"""The running app's connectors: the settings turned into the plain endpoints every connector
is built with, one shared HTTP client, and an account bound to the connector that serves it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import PlatformAccount
from gaung.accounts.sandbox import DatabaseSandboxStore, sandbox_credentials
from gaung.accounts.tokens import credentials
from gaung.config import Settings
from gaung.platforms.protocol import (
    AccountCredentials,
    Connector,
    Context,
    Endpoints,
    RateLimit,
    Usage,
)
from gaung.platforms.registry import connector_for
from gaung.xspend.service import recorder

# Connect and read quickly; a publish with a large upload may take a while to answer.
HTTP_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def endpoints(settings: Settings) -> Endpoints:
    version = settings.graph_api_version
    return Endpoints(
        x_api_base_url=settings.x_api_base_url.rstrip("/"),
        x_authorize_url=settings.x_authorize_url,
        x_client_id=settings.x_client_id,
        x_client_secret=settings.x_client_secret,
        x_post_fields_param=settings.x_post_fields_param,
        x_app_owner_id=settings.x_app_owner_id,
        graph_api_base_url=settings.graph_api_base_url.rstrip("/"),
        graph_video_base_url=settings.graph_video_base_url.rstrip("/"),
        graph_rupload_base_url=settings.graph_rupload_base_url.rstrip("/"),
        graph_api_version=version,
        facebook_dialog_url=settings.facebook_dialog_url
        or f"https://www.facebook.com/{version}/dialog/oauth",
        instagram_api_base_url=settings.instagram_api_base_url.rstrip("/"),
        meta_app_id=settings.meta_app_id,
        meta_app_secret=settings.meta_app_secret,
    )


# httpcore's pool looks at every connection for every request it places, so one pool of many
# connections costs time squared; many calls at once are spread over small pools instead.
SHARD_CONNECTIONS = 10


class ShardedTransport(httpx.AsyncBaseTransport):
    """Several small connection pools, each request going to the least busy one."""

    def __init__(self, connections: int) -> None:
        shards = max(1, -(-connections // SHARD_CONNECTIONS))
        per = -(-connections // shards)
        limits = httpx.Limits(max_connections=per, max_keepalive_connections=per)
        tls = httpx.create_ssl_context()  # loading the CA store once, not once a pool
        self.shards = [httpx.AsyncHTTPTransport(verify=tls, limits=limits) for _ in range(shards)]
        self.busy = [0] * shards

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        i = min(range(len(self.shards)), key=self.busy.__getitem__)
        self.busy[i] += 1
        try:
            return await self.shards[i].handle_async_request(request)
        finally:
            self.busy[i] -= 1

    async def aclose(self) -> None:
        for shard in self.shards:
            await shard.aclose()


def http_client(connections: int | None = None) -> httpx.AsyncClient:
    """The one client a process shares for every network call (pooled connections).
    ``connections``: how many calls may run at once, all kept open between calls (by default
    httpx keeps 20 open and opens a new one for each call beyond that)."""
    if not connections:
        return httpx.AsyncClient(timeout=HTTP_TIMEOUT, follow_redirects=False)
    return httpx.AsyncClient(
        timeout=HTTP_TIMEOUT, follow_redirects=False, transport=ShardedTransport(connections)
    )


@dataclass(frozen=True)
class BoundAccount:
    """An account ready for network calls: its connector and its decrypted credentials."""

    connector: Connector
    credentials: AccountCredentials


def bind(
    account: PlatformAccount,
    *,
    session: AsyncSession | None,
    settings: Settings,
    http: httpx.AsyncClient,
    on_rate_limit: Callable[[RateLimit], None] = lambda _limit: None,
    on_usage: Callable[[Usage], None] | None = None,
) -> BoundAccount | None:
    """The connector that serves ``account`` with its credentials; ``None`` when no call can
    be made for it (a real account without a token, or a network without a connector).
    A sandbox account's posts are kept through ``session``; billable calls (X) are added to
    the unit's spend when ``session`` commits, unless ``on_usage`` takes them instead (then a
    real account needs no session)."""
    if on_usage is None:
        assert session is not None, "without a session, usage goes to on_usage"
        on_usage = recorder(session, account.unit_id)
    ctx = Context(
        http=http, endpoints=endpoints(settings), on_rate_limit=on_rate_limit, on_usage=on_usage
    )
    if account.sandbox:
        assert session is not None, "a sandbox account publishes into the database"
        store = DatabaseSandboxStore(session, account.unit_id)
        factory = connector_for(account.platform, sandbox=True, sandbox_store=store)
        assert factory is not None  # the sandbox serves every platform
        return BoundAccount(factory(ctx), sandbox_credentials(account))
    factory = connector_for(account.platform, sandbox=False)
    creds = credentials(account, settings)
    if factory is None or creds is None:
        return None
    return BoundAccount(factory(ctx), creds)

"""The shared HTTP client for many calls at once: small connection pools, the least busy one
taking each request, all of them kept open."""

from __future__ import annotations

import asyncio

import httpx

from gaung.accounts.connectors import SHARD_CONNECTIONS, ShardedTransport, http_client


class Slow(httpx.AsyncBaseTransport):
    def __init__(self, gate: asyncio.Event) -> None:
        self.gate = gate
        self.seen = 0
        self.closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen += 1
        await self.gate.wait()
        return httpx.Response(200, request=request)

    async def aclose(self) -> None:
        self.closed = True


async def test_calls_spread_over_small_pools_that_stay_open() -> None:
    transport = ShardedTransport(3 * SHARD_CONNECTIONS)
    assert len(transport.shards) == 3
    pool = transport.shards[0]._pool
    assert pool._max_connections == pool._max_keepalive_connections == SHARD_CONNECTIONS
    await transport.aclose()

    gate = asyncio.Event()
    transport.shards = [Slow(gate) for _ in range(3)]  # type: ignore[misc]
    async with httpx.AsyncClient(transport=transport) as client:
        calls = [asyncio.create_task(client.get("http://fake.test/")) for _ in range(6)]
        for _ in range(1000):  # until every request reached a pool (no network: a few turns)
            if sum(s.seen for s in transport.shards) == 6:  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0)
        assert [s.seen for s in transport.shards] == [2, 2, 2]  # type: ignore[attr-defined]
        assert transport.busy == [2, 2, 2]
        gate.set()
        assert all(r.status_code == 200 for r in await asyncio.gather(*calls))
    assert transport.busy == [0, 0, 0]
    assert all(s.closed for s in transport.shards)  # type: ignore[attr-defined]


async def test_the_default_client_is_one_pool() -> None:
    async with http_client() as client:
        assert not isinstance(client._transport, ShardedTransport)
    async with http_client(25) as client:
        assert isinstance(client._transport, ShardedTransport)
        assert len(client._transport.shards) == 3

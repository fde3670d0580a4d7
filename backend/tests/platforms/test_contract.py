"""The shared contract table (``contract.py``) on every connector: X, Facebook and Instagram
against respx fakes of their APIs, and the sandbox (over an in-memory store) imitating each."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
import respx

from gaung.platforms.protocol import PermanentError, VariantToPublish
from gaung.platforms.sandbox.connector import MemoryStore, SandboxConnector
from gaung.platforms.types import Platform
from tests.platforms.contract import OAUTH, TEXT, Adapter, Check, cases
from tests.platforms.meta import fake as meta
from tests.platforms.sandbox import support as sandbox
from tests.platforms.x import fake as x

ADAPTERS = {
    "x": {TEXT, OAUTH},
    "facebook": {TEXT, OAUTH},
    "instagram": {OAUTH},
    "sandbox-x": {TEXT},
    "sandbox-facebook": {TEXT},
    "sandbox-instagram": set(),
}


def _sandbox(platform: Platform) -> Adapter:
    clock = sandbox.Clock()
    # A seed whose audience comments on the post in every imitated network (the simulation
    # is deterministic: a post may also draw no comment at all).
    connector = SandboxConnector(
        platform, MemoryStore(), seed=7, clock=clock, retried=set(), randbits=lambda _k: 0
    )
    media = [sandbox.PHOTO] if platform is Platform.instagram else []
    # Beyond the tags, the imitated network's own rules refuse a far too long text.
    too_long = VariantToPublish("a" * 70_000, media)
    return sandbox.adapter(
        connector,
        sandbox.account(platform, f"sandbox-{platform.value}"),
        clock,
        also_refused=[(PermanentError, too_long)],
    )


@pytest.fixture
async def build(tmp_path: Path) -> AsyncIterator[Callable[[str], Adapter]]:
    with respx.mock(assert_all_called=False) as router:
        graph, fake_x = meta.FakeGraph(), x.FakeX()
        graph.mount(router)
        fake_x.mount(router)
        async with httpx.AsyncClient(timeout=5) as http:

            def make(name: str) -> Adapter:
                if name == "x":
                    return x.adapter(fake_x, http, tmp_path)
                if name in ("facebook", "instagram"):
                    return meta.adapter(graph, http, name)
                return _sandbox(Platform(name.removeprefix("sandbox-")))

            yield make


@pytest.mark.parametrize(("name", "check"), cases(ADAPTERS))
async def test_contract(name: str, check: Check, build: Callable[[str], Adapter]) -> None:
    await check(build(name))

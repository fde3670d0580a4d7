"""The shared connector contract, run against the Facebook and Instagram connectors with the
fake Graph API answering."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
import respx

from gaung.platforms.facebook.connector import FacebookConnector
from gaung.platforms.instagram.connector import InstagramConnector
from gaung.platforms.protocol import VariantToPublish
from tests.platforms.contract import CHECKS, Subject
from tests.platforms.meta.fake import IG_ACCOUNT, PAGE_ACCOUNT, FakeGraph, image


async def _no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeGraph, httpx.AsyncClient]]:
    graph = FakeGraph()
    with respx.mock(assert_all_called=False) as router:
        graph.mount(router)
        async with httpx.AsyncClient() as http:
            yield graph, http


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("network", ["facebook", "instagram"])
async def test_contract(
    network: str,
    check: Callable[[Subject], Awaitable[None]],
    fake: tuple[FakeGraph, httpx.AsyncClient],
) -> None:
    graph, http = fake
    ctx = graph.context(http)
    if network == "facebook":
        subject = Subject(FacebookConnector(ctx), PAGE_ACCOUNT, VariantToPublish("Halo"), "C_1")
    else:
        connector = InstagramConnector(ctx, sleep=_no_sleep)
        variant = VariantToPublish("Halo", (image(),))
        subject = Subject(connector, IG_ACCOUNT, variant, "IGC1")
    await check(subject)

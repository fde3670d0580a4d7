"""Fixtures for the X connector tests (see ``helpers``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import respx

from tests.platforms.x.helpers import API, Harness, build


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_mocked=True, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


@pytest.fixture
def x(mock: respx.MockRouter, http: httpx.AsyncClient) -> Harness:
    return build(mock, http)

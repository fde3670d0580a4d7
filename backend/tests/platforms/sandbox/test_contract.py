"""The sandbox contract checks, run on the sandbox connector of each imitated network."""

from __future__ import annotations

import pytest

from gaung.platforms.protocol import AuthError, PermanentError, RetryableError, VariantToPublish
from gaung.platforms.sandbox.connector import MemoryStore, SandboxConnector, SandboxStore
from gaung.platforms.types import Platform
from tests.platforms.sandbox.support import Clock, SandboxHarness, account
from tests.platforms.sandbox.test_connector import PHOTO
from tests.platforms.sandbox_contract import CHECK_IDS, CHECKS, Check

TEXT = "Peta rawan banjir terbaru sudah bisa diunduh di situs kami."


def harness(
    platform: Platform, store: SandboxStore, clock: Clock, external_id: str
) -> SandboxHarness:
    media = [PHOTO] if platform is Platform.instagram else []
    connector = SandboxConnector(
        platform, store, seed=11, clock=clock, retried=set(), randbits=lambda _k: 0
    )
    return SandboxHarness(
        connector,
        account(platform, external_id),
        clock,
        VariantToPublish(TEXT, media),
        [
            (VariantToPublish(f"{TEXT} #gagal", media), PermanentError),
            (VariantToPublish(f"{TEXT} #coba-lagi", media), RetryableError),
            (VariantToPublish(f"{TEXT} #akses-dicabut", media), AuthError),
            (VariantToPublish("a" * 70_000, media), PermanentError),
        ],
    )


@pytest.mark.parametrize("platform", list(Platform))
@pytest.mark.parametrize("check", CHECKS, ids=CHECK_IDS)
async def test_contract_in_memory(check: Check, platform: Platform) -> None:
    await check(harness(platform, MemoryStore(), Clock(), f"sandbox-{platform.value}"))

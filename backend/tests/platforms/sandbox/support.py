"""A clock tests move by hand, sandbox accounts, and the harness the contract table runs on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from gaung.platforms.protocol import (
    AccountCredentials,
    Connector,
    ConnectorError,
    VariantToPublish,
)
from gaung.platforms.types import Platform

START = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # a Monday, 10:00 in Jakarta


@dataclass
class Clock:
    at: datetime = START

    def __call__(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta


def account(
    platform: Platform = Platform.x, external_id: str = "sandbox-x-ptpsw"
) -> AccountCredentials:
    handle = "PTPSW.BPPT" if platform is Platform.facebook else "@PTPSW_BPPT"
    return AccountCredentials(platform, external_id, handle, access_token="")


@dataclass
class SandboxHarness:
    connector: Connector
    account: AccountCredentials
    clock: Clock
    publishable: VariantToPublish = field(
        default_factory=lambda: VariantToPublish(
            "Peta rawan banjir terbaru sudah bisa diunduh di situs kami."
        )
    )
    failures: Sequence[tuple[VariantToPublish, type[ConnectorError]]] = field(default_factory=list)

    def now(self) -> datetime:
        return self.clock()

    def pass_time(self, delta: timedelta) -> None:
        self.clock.advance(delta)

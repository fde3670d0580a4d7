"""A clock tests move by hand, sandbox accounts, and the adapter the contract table runs on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gaung.platforms.protocol import (
    AccountCredentials,
    AuthError,
    ConnectorError,
    MediaFile,
    PermanentError,
    RetryableError,
    VariantToPublish,
)
from gaung.platforms.sandbox.connector import AUTH_TAG, FAIL_TAG, RETRY_TAG, SandboxConnector
from gaung.platforms.types import MediaInfo, Platform
from tests.platforms.contract import Adapter

START = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # a Monday, 10:00 in Jakarta
# The sandbox reads no file: only the facts its network's rules check.
PHOTO = MediaFile(
    MediaInfo("image", "image/jpeg", 200_000, 1080, 1080),
    Path("/nonexistent/photo.jpg"),
    "https://gaung.example.go.id/media/1",
)


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


def adapter(
    connector: SandboxConnector,
    account: AccountCredentials,
    clock: Clock,
    text: str = "Peta rawan banjir terbaru sudah bisa diunduh di situs kami.",
    photo: MediaFile | None = None,
    also_refused: Sequence[tuple[type[ConnectorError], VariantToPublish]] = (),
) -> Adapter:
    """The sandbox as the contract table runs it: failures come from the tags in the text;
    ``also_refused`` adds posts the imitated network's rules refuse."""
    media = [photo or PHOTO]
    needs_media = connector.platform is Platform.instagram

    def post(words: str) -> VariantToPublish:
        return VariantToPublish(words, media if needs_media else [])

    async def own_post() -> str:
        return (await connector.publish(account, post(text))).external_id

    failures: list[tuple[type[ConnectorError], Callable[[], VariantToPublish]]] = [
        (PermanentError, lambda: post(f"{text} {FAIL_TAG}")),
        (RetryableError, lambda: post(f"{text} {RETRY_TAG}")),
        (AuthError, lambda: post(f"{text} {AUTH_TAG}")),
    ]
    failures += [(kind, lambda v=variant: v) for kind, variant in also_refused]
    return Adapter(
        connector=connector,
        account=account,
        media=VariantToPublish(text, media),
        text=None if needs_media else VariantToPublish(text),
        reply_target=own_post,
        failures=failures,
        now=clock,
        pass_time=clock.advance,
        sandbox=True,
    )

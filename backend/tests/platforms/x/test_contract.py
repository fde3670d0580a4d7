"""The connector contract, as a table: whatever X answers (garbage, wrong types, errors,
timeouts), every operation either gives its result or raises one of the three connector
errors — nothing else escapes to the caller."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from gaung.platforms.protocol import (
    AuthorizeRequest,
    ConnectorError,
    MediaFile,
    VariantToPublish,
)
from gaung.platforms.types import MediaInfo
from gaung.platforms.x.connector import XConnector
from tests.platforms.x.helpers import Harness, account

SINCE = datetime(2026, 11, 28, tzinfo=UTC)

PENDING_ODDLY = {"state": "pending", "check_after_secs": "soon"}
ANSWERS: dict[str, httpx.Response | Exception] = {
    "not json": httpx.Response(200, text="<html>ok</html>"),
    "json list": httpx.Response(200, json=[1, 2]),
    "data of a wrong type": httpx.Response(200, json={"data": "x", "meta": []}),
    "items of wrong types": httpx.Response(
        200,
        json={
            "data": [1, "a", {"id": 5}, {"id": "7", "created_at": 3, "public_metrics": []}],
            "includes": {"users": [None, {"id": 1}]},
            "meta": {"next_token": 5},
            "access_token": 5,
        },
    ),
    "processing forever with odd waits": httpx.Response(
        200,
        json={
            "data": {"id": "9", "processing_info": {"state": "pending", "check_after_secs": "x"}}
        },
    ),
    "empty 204": httpx.Response(204),
    "server error": httpx.Response(503),
    "teapot": httpx.Response(418, json={"title": None, "type": 5}),
    "timeout": httpx.ReadTimeout("slow"),
    "broken connection": httpx.RemoteProtocolError("gone"),
}


def operations(tmp_path: Path) -> dict[str, Callable[[XConnector], Awaitable[object]]]:
    video_path = tmp_path / "v.mp4"
    video_path.write_bytes(b"video")
    video = MediaFile(MediaInfo("video", "video/mp4", 5), video_path, "https://g.example/v")
    image_path = tmp_path / "f.jpg"
    image_path.write_bytes(b"jpeg")
    image = MediaFile(MediaInfo("image", "image/jpeg", 4), image_path, "https://g.example/f", "alt")
    grant = AuthorizeRequest("u", "s", "v")
    return {
        "publish text": lambda c: c.publish(account(), VariantToPublish("Halo")),
        "publish image": lambda c: c.publish(account(), VariantToPublish("Halo", [image])),
        "publish video": lambda c: c.publish(account(), VariantToPublish("Halo", [video])),
        "reply": lambda c: c.reply(account(), "1", "Halo"),
        "find_recent": lambda c: c.find_recent(account(), SINCE),
        "account_metrics": lambda c: c.account_metrics(account()),
        "post_metrics": lambda c: c.post_metrics(account(), ["1", "2"]),
        "fetch_conversations": lambda c: c.fetch_conversations(account(), SINCE),
        "refresh_token": lambda c: c.refresh_token(account()),
        "exchange_callback": lambda c: c.exchange_callback("https://g.example/cb", "k", grant),
    }


@pytest.mark.parametrize("answer", list(ANSWERS))
@pytest.mark.parametrize(
    "operation",
    [
        "publish text",
        "publish image",
        "publish video",
        "reply",
        "find_recent",
        "account_metrics",
        "post_metrics",
        "fetch_conversations",
        "refresh_token",
        "exchange_callback",
    ],
)
async def test_only_connector_errors_escape(
    x: Harness, tmp_path: Path, operation: str, answer: str
) -> None:
    response = ANSWERS[answer]
    route = x.mock.route()
    if isinstance(response, Exception):
        route.mock(side_effect=response)
    else:
        route.mock(return_value=response)
    try:
        await operations(tmp_path)[operation](x.connector)
    except ConnectorError as error:
        assert error.message and error.message_id
    # Bounded: polling and paging stop on their own, whatever X keeps answering.
    assert route.call_count <= 70

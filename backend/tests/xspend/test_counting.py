"""Every billable call the real X connector makes is reported once X accepted it, with the
price class of X's pay-per-use table: writes per request, reads per returned resource."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import respx

from gaung.platforms.protocol import (
    Context,
    Endpoints,
    MediaFile,
    PermanentError,
    Usage,
    VariantToPublish,
)
from gaung.platforms.types import MediaInfo
from gaung.platforms.x.connector import XConnector
from gaung.platforms.x.pricing import PriceClass, billed_count, micro_usd, price_class
from tests.platforms.x.helpers import API, NOW, account

ME = "2244994945"
CREATED = {"data": {"id": "1346889436626259968", "text": "Halo"}}
SINCE = datetime(2026, 11, 28, tzinfo=UTC)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_mocked=True, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def connector(http: httpx.AsyncClient, usages: list[Usage], owner: str = "") -> XConnector:
    async def no_sleep(_seconds: float) -> None:
        return None

    ctx = Context(
        http=http,
        endpoints=Endpoints(x_client_id="klien", x_app_owner_id=owner),
        on_usage=usages.append,
    )
    return XConnector(ctx, sleep=no_sleep, clock=lambda: NOW)


async def test_a_post_without_a_url_is_a_post_create(
    mock: respx.MockRouter, http: httpx.AsyncClient
) -> None:
    mock.post("/2/tweets").respond(201, json=CREATED)
    usages: list[Usage] = []
    await connector(http, usages).publish(account(), VariantToPublish("Rapat koordinasi pagi ini."))
    assert usages == [Usage(ME, "post_create", 1)]


async def test_a_post_with_a_url_costs_the_url_price(
    mock: respx.MockRouter, http: httpx.AsyncClient
) -> None:
    mock.post("/2/tweets").respond(201, json=CREATED)
    usages: list[Usage] = []
    x = connector(http, usages)
    await x.publish(account(), VariantToPublish("Info lengkap: https://ptpsw.go.id/banjir"))
    await x.publish(account(), VariantToPublish("Unduh di ptpsw.go.id ya"))  # no scheme
    assert usages == [Usage(ME, "post_create_url", 1)] * 2


async def test_replies_and_thread_posts(mock: respx.MockRouter, http: httpx.AsyncClient) -> None:
    mock.post("/2/tweets").respond(201, json=CREATED)
    usages: list[Usage] = []
    x = connector(http, usages)
    await x.reply(account(), "99", "Terima kasih atas pertanyaannya.")
    # A thread's next post answers the account itself: an ordinary post.
    await x.publish(account(), VariantToPublish("Bagian 2", in_reply_to="98"))
    assert usages == [Usage(ME, "summoned_reply", 1), Usage(ME, "post_create", 1)]


async def test_refused_and_failed_calls_cost_nothing(
    mock: respx.MockRouter, http: httpx.AsyncClient
) -> None:
    duplicate = {"detail": "duplicate content", "type": "about:blank", "status": 403}
    mock.post("/2/tweets").mock(
        side_effect=[httpx.Response(403, json=duplicate), httpx.Response(503)]
    )
    usages: list[Usage] = []
    x = connector(http, usages)
    with pytest.raises(PermanentError):
        await x.publish(account(), VariantToPublish("Halo"))
    with pytest.raises(Exception):  # noqa: B017 - the retryable error; only its cost matters
        await x.publish(account(), VariantToPublish("Halo"))
    assert usages == []


async def test_an_accepted_post_whose_answer_is_unreadable_is_still_billed(
    mock: respx.MockRouter, http: httpx.AsyncClient
) -> None:
    mock.post("/2/tweets").respond(201, text="<html>")
    usages: list[Usage] = []
    with pytest.raises(Exception):  # noqa: B017 - retryable; the post may exist
        await connector(http, usages).publish(account(), VariantToPublish("Halo"))
    assert usages == [Usage(ME, "post_create", 1)]


async def test_media_upload_is_not_billed(
    mock: respx.MockRouter, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(b"jpeg")
    image = MediaFile(MediaInfo("image", "image/jpeg", 4), path, "https://g.example/a", "Peta")
    mock.post("/2/media/upload").respond(200, json={"data": {"id": "5", "media_key": "3_5"}})
    mock.post("/2/media/metadata").respond(200, json={"data": {"associated_metadata": True}})
    mock.post("/2/tweets").respond(201, json=CREATED)
    usages: list[Usage] = []
    await connector(http, usages).publish(account(), VariantToPublish("Peta", [image, image]))
    assert usages == [Usage(ME, "post_create", 1)]


async def test_reads_count_each_returned_resource(
    mock: respx.MockRouter, http: httpx.AsyncClient
) -> None:
    mock.get("/2/tweets").respond(
        200,
        json={
            "data": [{"id": "1", "public_metrics": {}}, {"id": "2", "public_metrics": {}}],
            # A deleted post comes back as a partial error: not a returned resource.
            "errors": [
                {"resource_id": "3", "type": "https://api.x.com/2/problems/resource-not-found"}
            ],
        },
    )
    mock.get(f"/2/users/{ME}").respond(
        200, json={"data": {"id": ME, "public_metrics": {"followers_count": 5}}}
    )
    usages: list[Usage] = []
    x = connector(http, usages)
    await x.post_metrics(account(), ["1", "2", "3"])
    await x.account_metrics(account())
    assert usages == [Usage(ME, "post_read", 2), Usage(ME, "user_read", 1)]


async def test_every_page_of_mentions_and_replies_is_counted(
    mock: respx.MockRouter, http: httpx.AsyncClient
) -> None:
    def mention(n: int) -> dict[str, str]:
        return {"id": str(n), "text": "@dinaskominfo halo", "author_id": "7",
                "conversation_id": str(n), "created_at": "2026-11-28T08:00:00Z"}  # fmt: skip

    mock.get(f"/2/users/{ME}/mentions").mock(
        side_effect=[
            httpx.Response(
                200,
                json={
                    "data": [mention(1), mention(2)],
                    "includes": {"users": [{"id": "7", "username": "warga"}]},
                    "meta": {"next_token": "p2"},
                },
            ),
            httpx.Response(200, json={"data": [mention(3)], "meta": {"result_count": 1}}),
        ]
    )
    mock.get(f"/2/users/{ME}/tweets").respond(
        200, json={"data": [{"id": "50", "text": "t", "created_at": "2026-11-28T07:00:00Z"}]}
    )
    mock.get("/2/tweets/search/recent").respond(200, json={"meta": {"result_count": 0}})
    usages: list[Usage] = []
    await connector(http, usages).fetch_conversations(account(), SINCE)
    assert usages == [
        Usage(ME, "post_read", 2),
        Usage(ME, "post_read", 1),
        Usage(ME, "post_read", 1),  # the own timeline, to find the threads to search
    ]  # the empty search returned nothing, so it costs nothing


async def test_the_app_owners_own_reads_are_owned_reads(
    mock: respx.MockRouter, http: httpx.AsyncClient
) -> None:
    mock.get(f"/2/users/{ME}/tweets").respond(
        200, json={"data": [{"id": "50", "text": "t", "created_at": "2026-11-28T07:00:00Z"}] * 3}
    )
    usages: list[Usage] = []
    await connector(http, usages, owner=ME).find_recent(account(), SINCE)
    await connector(http, usages, owner="1").find_recent(account(), SINCE)
    assert usages == [Usage(ME, "owned_read", 3), Usage(ME, "post_read", 3)]


async def test_connecting_reads_the_user_it_names(
    mock: respx.MockRouter, http: httpx.AsyncClient
) -> None:
    mock.post("/2/oauth2/token").respond(
        200,
        json={
            "token_type": "bearer",
            "access_token": "A",
            "refresh_token": "R",
            "expires_in": 7200,
        },
    )
    mock.get("/2/users/me").respond(200, json={"data": {"id": "42", "username": "u", "name": "U"}})
    usages: list[Usage] = []
    x = connector(http, usages)
    await x.exchange_callback(
        "https://g.example/cb", "code", x.authorize_url("https://g.example/cb", "s")
    )
    assert usages == [Usage("42", "user_read", 1)]


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/2/tweets", PriceClass.post_read),
        ("GET", "/2/tweets/123", PriceClass.post_read),
        ("GET", "/2/tweets/search/recent", PriceClass.post_read),
        ("GET", "/2/users/5/mentions", PriceClass.post_read),
        ("GET", "/2/users/5/tweets", PriceClass.post_read),
        ("GET", "/2/users/me", PriceClass.user_read),
        ("GET", "/2/users/5", PriceClass.user_read),
        ("GET", "/2/media/upload", None),
        ("POST", "/2/media/upload", None),
        ("POST", "/2/media/upload/1/finalize", None),
        ("POST", "/2/media/metadata", None),
        ("POST", "/2/oauth2/token", None),
    ],
)
def test_the_class_of_each_call(method: str, path: str, expected: PriceClass | None) -> None:
    assert price_class(method, path) == expected


def test_prices_follow_the_reference_table() -> None:
    assert micro_usd("post_create", 2) == 30_000
    assert micro_usd(PriceClass.post_create_url, 1) == 200_000
    assert micro_usd("summoned_reply", 1) == 10_000
    assert micro_usd("post_read", 3) == 15_000
    assert micro_usd("user_read", 1) == 10_000
    assert micro_usd("owned_read", 1_000) == 1_000_000
    assert billed_count(PriceClass.post_read, {"data": "odd"}) == 0
    assert billed_count(PriceClass.post_create, {}) == 1

"""The Instagram connector against the fake Graph API: containers, their states, the publishing
cap, media addresses Instagram cannot fetch, counters, comments and replies."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
import respx

from gaung.platforms.instagram.connector import InstagramConnector
from gaung.platforms.meta.media import public_url_problem
from gaung.platforms.protocol import (
    AuthError,
    AuthorizeRequest,
    PermanentError,
    RetryableError,
    VariantToPublish,
)
from tests.platforms.meta.fake import IG, IG_ACCOUNT, PAGE, FakeGraph, graph_error, image, video

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


class Sleeps:
    def __init__(self) -> None:
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
async def ig() -> AsyncIterator[tuple[FakeGraph, InstagramConnector, Sleeps]]:
    graph = FakeGraph()
    sleeps = Sleeps()
    with respx.mock(assert_all_called=False) as router:
        graph.mount(router)
        async with httpx.AsyncClient() as http:
            connector = InstagramConnector(graph.context(http), sleep=sleeps, clock=lambda: NOW)
            yield graph, connector, sleeps


Fixture = tuple[FakeGraph, InstagramConnector, Sleeps]


def _order(graph: FakeGraph) -> list[str]:
    return [f"{s.method} {s.path}" for s in graph.sent]


async def test_single_image_checks_the_cap_then_container_status_publish(ig: Fixture) -> None:
    graph, connector, _ = ig
    result = await connector.publish(IG_ACCOUNT, VariantToPublish("Halo", (image(),)))
    assert result.external_id == "M1"
    assert result.url == "https://www.instagram.com/p/M1/"
    assert _order(graph) == [
        f"GET {IG}/content_publishing_limit",
        f"POST {IG}/media",
        "GET C1",
        f"POST {IG}/media_publish",
        "GET M1",
    ]
    assert graph.calls("POST", f"{IG}/media")[0].form == {
        "image_url": "https://media.gaung.example/a.jpg",
        "caption": "Halo",
    }
    assert graph.calls("GET", "C1")[0].params["fields"] == "id,status_code,status"
    assert graph.calls("POST", f"{IG}/media_publish")[0].form == {"creation_id": "C1"}
    assert graph.calls("GET", "M1")[0].params["fields"] == "permalink"


async def test_reel_is_polled_until_finished_without_real_sleeping(ig: Fixture) -> None:
    graph, connector, sleeps = ig
    graph.statuses["C1"] = deque(["IN_PROGRESS", "IN_PROGRESS", "FINISHED"])
    result = await connector.publish(IG_ACCOUNT, VariantToPublish("Reel", (video(),)))
    assert result.external_id == "M1"
    assert graph.calls("POST", f"{IG}/media")[0].form == {
        "video_url": "https://media.gaung.example/v.mp4",
        "media_type": "REELS",
        "caption": "Reel",
    }
    assert len(graph.calls("GET", "C1")) == 3
    assert sleeps.slept == [15.0, 15.0]


async def test_processing_that_never_ends_is_retried_later_not_published(ig: Fixture) -> None:
    graph, connector, sleeps = ig
    graph.statuses["C1"] = deque(["IN_PROGRESS"])
    with pytest.raises(RetryableError):
        await connector.publish(IG_ACCOUNT, VariantToPublish("Reel", (video(),)))
    assert len(graph.calls("GET", "C1")) == 20  # bounded
    assert len(sleeps.slept) == 19
    assert graph.calls("POST", f"{IG}/media_publish") == []


async def test_container_error_is_final_with_its_reason(ig: Fixture) -> None:
    graph, connector, _ = ig
    graph.statuses["C1"] = deque(["IN_PROGRESS", "ERROR"])
    with pytest.raises(PermanentError) as caught:
        await connector.publish(IG_ACCOUNT, VariantToPublish("Reel", (video(),)))
    assert caught.value.code == "instagram.processing_failed"
    assert "2207026" in caught.value.message and "2207026" in caught.value.message_id
    assert graph.calls("POST", f"{IG}/media_publish") == []


async def test_expired_container_is_final(ig: Fixture) -> None:
    graph, connector, _ = ig
    graph.statuses["C1"] = deque(["EXPIRED"])
    with pytest.raises(PermanentError) as caught:
        await connector.publish(IG_ACCOUNT, VariantToPublish("x", (image(),)))
    assert caught.value.code == "instagram.container_expired"


async def test_published_container_is_never_published_again(ig: Fixture) -> None:
    graph, connector, _ = ig
    graph.statuses["C1"] = deque(["PUBLISHED"])
    result = await connector.publish(IG_ACCOUNT, VariantToPublish("Halo semua", (image(),)))
    assert result.external_id == "M1"  # found on the account by its caption
    assert graph.calls("POST", f"{IG}/media_publish") == []


async def test_a_lost_publish_answer_is_resolved_by_the_container(ig: Fixture) -> None:
    graph, connector, _ = ig
    graph.fail("POST", f"{IG}/media_publish", graph_error(2, status=500))
    graph.statuses["C1"] = deque(["FINISHED", "PUBLISHED"])
    result = await connector.publish(IG_ACCOUNT, VariantToPublish("Halo semua", (image(),)))
    assert result.external_id == "M1"
    assert len(graph.calls("POST", f"{IG}/media_publish")) == 1


async def test_a_failed_publish_of_a_finished_container_retries_that_container(
    ig: Fixture,
) -> None:
    graph, connector, _ = ig
    graph.fail("POST", f"{IG}/media_publish", graph_error(1, status=500))
    result = await connector.publish(IG_ACCOUNT, VariantToPublish("Halo", (image(),)))
    assert result.external_id == "M1"
    publishes = graph.calls("POST", f"{IG}/media_publish")
    assert [p.form["creation_id"] for p in publishes] == ["C1", "C1"]
    assert len(graph.calls("POST", f"{IG}/media")) == 1


async def test_carousel_children_then_parent(ig: Fixture) -> None:
    graph, connector, _ = ig
    media = (image("https://m.example/1.jpg"), video("https://m.example/2.mp4"))
    await connector.publish(IG_ACCOUNT, VariantToPublish("Dua", media))
    forms = [c.form for c in graph.calls("POST", f"{IG}/media")]
    assert forms == [
        {"image_url": "https://m.example/1.jpg", "is_carousel_item": "true"},
        {"video_url": "https://m.example/2.mp4", "media_type": "VIDEO", "is_carousel_item": "true"},
        {"media_type": "CAROUSEL", "children": "C1,C2", "caption": "Dua"},
    ]
    assert graph.calls("POST", f"{IG}/media_publish")[0].form == {"creation_id": "C3"}
    # Only the video child and the parent are waited on; image children are ready with it.
    assert graph.calls("GET", "C1") == []
    assert len(graph.calls("GET", "C2")) == 1 and len(graph.calls("GET", "C3")) == 1


async def test_a_reached_publishing_cap_waits_without_creating_containers(ig: Fixture) -> None:
    graph, connector, _ = ig
    graph.quota_usage = 50
    with pytest.raises(RetryableError) as caught:
        await connector.publish(IG_ACCOUNT, VariantToPublish("x", (image(),)))
    assert "50" in caught.value.message and "50" in caught.value.message_id
    assert caught.value.retry_after == 3600
    assert graph.calls("POST", f"{IG}/media") == []


async def test_the_cap_error_from_instagram_is_retryable(ig: Fixture) -> None:
    graph, connector, _ = ig
    graph.fail("POST", f"{IG}/media_publish", graph_error(9, 2207042))
    with pytest.raises(RetryableError) as caught:
        await connector.publish(IG_ACCOUNT, VariantToPublish("x", (image(),)))
    assert caught.value.retry_after == 3600
    # Calling again while capped only prolongs the block: no second try now.
    assert len(graph.calls("POST", f"{IG}/media_publish")) == 1


@pytest.mark.parametrize(
    ("code", "subcode", "kind", "stable"),
    [
        (36000, 2207004, PermanentError, "instagram.image_too_large"),
        (9004, 2207052, PermanentError, "instagram.media_fetch_failed"),
        (352, 2207026, PermanentError, "instagram.video_format"),
        (-2, 2207003, RetryableError, None),
        (190, 463, AuthError, None),
    ],
)
async def test_container_errors_from_instagrams_table(
    ig: Fixture, code: int, subcode: int, kind: type[Exception], stable: str | None
) -> None:
    graph, connector, _ = ig
    graph.fail("POST", f"{IG}/media", graph_error(code, subcode))
    with pytest.raises(kind) as caught:
        await connector.publish(IG_ACCOUNT, VariantToPublish("x", (image(),)))
    if stable:
        assert caught.value.code == stable  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "url",
    [
        "http://gaung.example/a.jpg",
        "https://localhost/a.jpg",
        "https://127.0.0.1/a.jpg",
        "https://192.168.1.10/a.jpg",
        "https://10.0.0.5/a.jpg",
        "https://169.254.1.1/a.jpg",
        "https://[::1]/a.jpg",
        "https://gaung.local/a.jpg",
        "https://server/a.jpg",
    ],
)
async def test_media_instagram_cannot_fetch_is_refused_up_front(ig: Fixture, url: str) -> None:
    graph, connector, _ = ig
    with pytest.raises(PermanentError) as caught:
        await connector.publish(IG_ACCOUNT, VariantToPublish("x", (image(url),)))
    assert caught.value.code == "instagram.media_url_not_public"
    assert "GAUNG_PUBLIC_BASE_URL" in caught.value.message
    assert "GAUNG_PUBLIC_BASE_URL" in caught.value.message_id
    assert graph.sent == []


def test_public_https_addresses_are_accepted() -> None:
    assert not public_url_problem("https://gaung.example.org/media/a.jpg")
    assert not public_url_problem("https://8.8.8.8/a.jpg")


async def test_a_post_without_media_is_refused(ig: Fixture) -> None:
    _, connector, _ = ig
    with pytest.raises(PermanentError) as caught:
        await connector.publish(IG_ACCOUNT, VariantToPublish("x"))
    assert caught.value.code == "instagram.no_media"


async def test_account_counters(ig: Fixture) -> None:
    _, connector, _ = ig
    metrics = await connector.account_metrics(IG_ACCOUNT)
    assert (metrics.followers, metrics.following, metrics.posts) == (1520, 310, 242)


async def test_post_metrics_batch_counters_and_insights(ig: Fixture) -> None:
    graph, connector, _ = ig
    graph.fail("BATCH", "M2/insights", graph_error(10))  # insights missing: counters still count
    metrics = await connector.post_metrics(IG_ACCOUNT, ["M1", "M2"])
    first, second = metrics
    assert (first.likes, first.replies, first.impressions, first.reach) == (40, 5, 120, 80)
    assert first.extra == {"saved": 3}
    assert (second.likes, second.reach) == (40, None)
    [batch] = graph.calls("POST", "")
    urls = [s["relative_url"] for s in json.loads(batch.form["batch"])]
    assert urls == [
        "M1?fields=like_count,comments_count",
        "M1/insights?metric=views,reach,shares,saved",
        "M2?fields=like_count,comments_count",
        "M2/insights?metric=views,reach,shares,saved",
    ]


async def test_comments_and_their_replies(ig: Fixture) -> None:
    graph, connector, _ = ig
    [conversation] = await connector.fetch_conversations(IG_ACCOUNT, NOW.replace(hour=0))
    assert [(m.author_handle, m.text, m.from_account) for m in conversation.messages] == [
        ("pembeli", "Harganya berapa?", False),
        ("tokogaung", "Rp 50.000", True),
    ]
    assert "replies{" in graph.calls("GET", "M1/comments")[0].params["fields"]


async def test_old_comments_are_left_out(ig: Fixture) -> None:
    _, connector, _ = ig
    assert await connector.fetch_conversations(IG_ACCOUNT, NOW) == []


async def test_reply_goes_to_the_comments_replies(ig: Fixture) -> None:
    graph, connector, _ = ig
    result = await connector.reply(IG_ACCOUNT, "IGC1", "Rp 50.000")
    assert result.external_id == "REPLY1"
    assert graph.calls("POST", "IGC1/replies")[0].form == {"message": "Rp 50.000"}


async def test_login_gives_the_instagram_accounts_linked_to_pages(ig: Fixture) -> None:
    graph, connector, _ = ig
    request = connector.authorize_url("https://gaung.example/cb", "s2")
    assert "instagram_content_publish" in request.url
    accounts = await connector.exchange_callback(
        "https://gaung.example/cb", "CODE", AuthorizeRequest(request.url, "s2")
    )
    # The second Page has no Instagram account linked.
    assert [(a.external_id, a.handle, a.tokens.access_token) for a in accounts] == [
        (IG, "tokogaung", "PAGE_TOKEN")
    ]
    fields = graph.calls("GET", "me/accounts")[0].params["fields"]
    assert "instagram_business_account{id,username,name}" in fields


async def test_linked_account_of_a_chosen_page(ig: Fixture) -> None:
    graph, connector, _ = ig
    account = await connector.linked_account(PAGE, "PAGE_TOKEN")
    assert (account.external_id, account.handle) == (IG, "tokogaung")
    assert graph.calls("GET", PAGE)[0].params["fields"].startswith("instagram_business_account")
    graph.fail("GET", PAGE, httpx.Response(200, json={"id": PAGE}))
    with pytest.raises(PermanentError) as caught:
        await connector.linked_account(PAGE, "PAGE_TOKEN")
    assert caught.value.code == "instagram.no_linked_account"


async def test_the_first_comment_is_posted_on_the_new_media(ig: Fixture) -> None:
    graph, connector, _ = ig
    result = await connector.comment(IG_ACCOUNT, "M1", "Daftar di tautan bio #magang")
    assert result.external_id == "REPLY1"
    assert _order(graph) == ["POST M1/comments"]
    assert graph.calls("POST", "M1/comments")[0].form == {"message": "Daftar di tautan bio #magang"}

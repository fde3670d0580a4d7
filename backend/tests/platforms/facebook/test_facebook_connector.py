"""The Facebook Page connector against the fake Graph API: the requests it sends for each kind
of post, login and token checks, counters, comments and replies, and its errors."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import respx

from gaung.platforms.facebook.connector import FacebookConnector
from gaung.platforms.protocol import (
    AuthError,
    AuthorizeRequest,
    MediaFile,
    PermanentError,
    RetryableError,
    VariantToPublish,
)
from gaung.platforms.types import MediaInfo
from tests.platforms.meta.fake import (
    PAGE,
    PAGE_ACCOUNT,
    FakeGraph,
    graph_error,
    image,
    video,
)

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


@pytest.fixture
async def fb() -> AsyncIterator[tuple[FakeGraph, FacebookConnector]]:
    graph = FakeGraph()
    with respx.mock(assert_all_called=False) as router:
        graph.mount(router)
        async with httpx.AsyncClient() as http:
            yield graph, FacebookConnector(graph.context(http), clock=lambda: NOW)


async def test_text_post_goes_to_the_feed_and_reads_its_permalink(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    result = await connector.publish(PAGE_ACCOUNT, VariantToPublish("Halo semua"))
    assert result.external_id == f"{PAGE}_1"
    assert result.url == f"https://www.facebook.com/{PAGE}_1"
    feed = graph.calls("POST", f"{PAGE}/feed")[0]
    assert feed.form == {"message": "Halo semua"}
    assert feed.params["access_token"] == "PAGE_TOKEN"
    # Proof of the app secret, required when the app enables "Require App Secret".
    proof = hmac.new(b"APPSECRET", b"PAGE_TOKEN", hashlib.sha256).hexdigest()
    assert feed.params["appsecret_proof"] == proof
    assert graph.calls("GET", f"{PAGE}_1")[0].params["fields"] == "permalink_url"
    assert len(graph.sent) == 2


async def test_a_link_in_the_text_becomes_the_link_preview(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    await connector.publish(PAGE_ACCOUNT, VariantToPublish("Baca https://gaung.example/a ya"))
    assert graph.calls("POST", f"{PAGE}/feed")[0].form["link"] == "https://gaung.example/a"


async def test_the_variants_link_is_the_feed_posts_link(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    await connector.publish(
        PAGE_ACCOUNT,
        VariantToPublish("Baca https://lain.example/b ya", link="https://gaung.example/a"),
    )
    feed = graph.calls("POST", f"{PAGE}/feed")[0]
    assert feed.form["link"] == "https://gaung.example/a"
    assert feed.form["message"] == "Baca https://lain.example/b ya"


async def test_a_photo_takes_no_link_preview_so_the_link_is_written_under_its_caption(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    await connector.publish(
        PAGE_ACCOUNT, VariantToPublish("Foto", (image(),), link="https://gaung.example/a")
    )
    photo = graph.calls("POST", f"{PAGE}/photos")[0]
    assert photo.form["caption"] == "Foto\n\nhttps://gaung.example/a"
    assert "link" not in photo.form


async def test_single_photo_posts_its_url_with_the_caption(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    result = await connector.publish(PAGE_ACCOUNT, VariantToPublish("Foto", (image(),)))
    photo = graph.calls("POST", f"{PAGE}/photos")[0]
    assert photo.form == {
        "url": "https://media.gaung.example/a.jpg",
        "caption": "Foto",
        "published": "true",
    }
    assert result.external_id == f"{PAGE}_1"  # the post, not the photo object


async def test_multi_photo_uploads_unpublished_photos_then_attaches_them(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    media = (image("https://m.example/1.jpg"), image("https://m.example/2.jpg"))
    result = await connector.publish(PAGE_ACCOUNT, VariantToPublish("Dua foto", media))
    photos = graph.calls("POST", f"{PAGE}/photos")
    assert [p.form for p in photos] == [
        {"url": "https://m.example/1.jpg", "published": "false"},
        {"url": "https://m.example/2.jpg", "published": "false"},
    ]
    feed = graph.calls("POST", f"{PAGE}/feed")[0]
    assert feed.form["message"] == "Dua foto"
    assert json.loads(feed.form["attached_media[0]"]) == {"media_fbid": "PHOTO1"}
    assert json.loads(feed.form["attached_media[1]"]) == {"media_fbid": "PHOTO2"}
    assert "link" not in feed.form
    assert result.external_id == f"{PAGE}_1"
    assert len(graph.sent) == 4


async def test_video_goes_to_the_video_host_by_url(fb: tuple[FakeGraph, FacebookConnector]) -> None:
    graph, connector = fb
    result = await connector.publish(PAGE_ACCOUNT, VariantToPublish("Video", (video(),)))
    sent = graph.calls("POST", f"{PAGE}/videos")[0]
    assert sent.host == "graph-video.facebook.com"
    assert sent.form == {"file_url": "https://media.gaung.example/v.mp4", "description": "Video"}
    assert result.external_id == "VIDEO1"


async def test_photos_and_a_video_together_are_refused(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    with pytest.raises(PermanentError) as caught:
        await connector.publish(PAGE_ACCOUNT, VariantToPublish("x", (image(), video())))
    assert caught.value.code == "facebook.mixed_media"
    assert graph.sent == []


async def test_a_failing_permalink_never_fails_the_publish(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    graph.fail("GET", f"{PAGE}_1", graph_error(2, status=500))
    result = await connector.publish(PAGE_ACCOUNT, VariantToPublish("Halo"))
    assert result.external_id == f"{PAGE}_1" and result.url is None


@pytest.mark.parametrize(
    ("answer", "kind", "detail"),
    [
        (graph_error(190, 463), AuthError, "expired"),
        (graph_error(190, 492), AuthError, "no longer has a role"),
        (graph_error(190, 459), AuthError, "facebook.com"),
        (graph_error(506), PermanentError, "duplicate"),
        (graph_error(1609005), PermanentError, "link"),
        (graph_error(200), PermanentError, "permission"),
        (graph_error(368), PermanentError, "policy"),
        (graph_error(100), PermanentError, "invalid"),
        (graph_error(2, status=500), RetryableError, "temporarily"),
        (httpx.Response(502, text="<html>Bad gateway</html>"), RetryableError, "temporarily"),
    ],
)
async def test_graph_errors_become_typed_errors_with_plain_messages(
    fb: tuple[FakeGraph, FacebookConnector],
    answer: httpx.Response,
    kind: type[Exception],
    detail: str,
) -> None:
    graph, connector = fb
    graph.fail("POST", f"{PAGE}/feed", answer)
    with pytest.raises(kind) as caught:
        await connector.publish(PAGE_ACCOUNT, VariantToPublish("Halo"))
    error = caught.value
    assert detail in error.message  # type: ignore[attr-defined]
    assert error.message_id and error.message_id != error.message  # type: ignore[attr-defined]
    assert "raw developer text" not in error.message  # type: ignore[attr-defined]


async def test_app_rate_limit_waits_and_reports_the_usage(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    usage = json.dumps({"call_count": 100, "total_cputime": 20, "total_time": 30})
    graph.fail("POST", f"{PAGE}/feed", graph_error(4, **{"X-App-Usage": usage}))
    with pytest.raises(RetryableError) as caught:
        await connector.publish(PAGE_ACCOUNT, VariantToPublish("Halo"))
    assert caught.value.retry_after == 300
    assert graph.limits[-1].usage_pct == 100
    assert graph.limits[-1].account_external_id == PAGE


async def test_page_rate_limit_waits_as_long_as_meta_estimates(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    buc = {PAGE: [{"type": "pages", "call_count": 100, "total_cputime": 5, "total_time": 5,
                   "estimated_time_to_regain_access": 7}]}  # fmt: skip
    headers = {"X-Business-Use-Case-Usage": json.dumps(buc)}
    graph.fail("POST", f"{PAGE}/feed", graph_error(80001, **headers))
    with pytest.raises(RetryableError) as caught:
        await connector.publish(PAGE_ACCOUNT, VariantToPublish("Halo"))
    assert caught.value.retry_after == 7 * 60
    limit = graph.limits[-1]
    assert limit.usage_pct == 100 and limit.resets_at == NOW.replace(minute=7)


async def test_usage_headers_on_success_are_reported(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    page_usage = json.dumps({"call_count": 12, "total_cputime": 80, "total_time": 40})
    graph.fail(
        "GET",
        PAGE,
        httpx.Response(
            200, json={"id": PAGE, "fan_count": 5, "followers_count": 6},
            headers={"X-Page-Usage": page_usage},
        ),
    )  # fmt: skip
    metrics = await connector.account_metrics(PAGE_ACCOUNT)
    assert (metrics.followers, metrics.page_likes) == (6, 5)
    assert graph.limits[-1].usage_pct == 80
    assert graph.limits[-1].raw == {"x-page-usage": page_usage}


async def test_login_gives_one_account_per_page_with_its_page_token(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    request = connector.authorize_url("https://gaung.example/cb", "s1")
    assert request.url.startswith("https://www.facebook.com/v25.0/dialog/oauth?")
    assert "client_id=APPID" in request.url and "state=s1" in request.url
    assert "pages_manage_posts" in request.url
    accounts = await connector.exchange_callback(
        "https://gaung.example/cb", "CODE", AuthorizeRequest(request.url, "s1")
    )
    assert [(a.external_id, a.tokens.access_token) for a in accounts] == [
        (PAGE, "PAGE_TOKEN"),
        ("222", "T2"),
    ]
    assert all(a.tokens.expires_at is None for a in accounts)  # Page tokens do not expire
    short, long = graph.calls("GET", "oauth/access_token")
    assert short.params["code"] == "CODE"
    assert short.params["redirect_uri"] == "https://gaung.example/cb"
    assert short.params["client_secret"] == "APPSECRET"
    assert long.params["grant_type"] == "fb_exchange_token"
    assert long.params["fb_exchange_token"] == "SHORT"
    pages = graph.calls("GET", "me/accounts")
    assert [p.params["access_token"] for p in pages] == ["LONG", "LONG"]
    assert pages[1].params["after"] == "c1"


async def test_a_pasted_page_token_is_checked(fb: tuple[FakeGraph, FacebookConnector]) -> None:
    graph, connector = fb
    account = await connector.check_token("PASTED")
    assert (account.external_id, account.display_name) == (PAGE, "Toko Gaung")
    debug = graph.calls("GET", "debug_token")[0]
    assert debug.params["input_token"] == "PASTED"
    assert debug.params["access_token"] == "APPID|APPSECRET"


async def test_a_pasted_user_token_is_refused(fb: tuple[FakeGraph, FacebookConnector]) -> None:
    graph, connector = fb
    answer = httpx.Response(200, json={"data": {"is_valid": True, "type": "USER"}})
    graph.fail("GET", "debug_token", answer)
    with pytest.raises(PermanentError) as caught:
        await connector.check_token("USERTOKEN")
    assert caught.value.code == "facebook.not_page_token"
    graph.fail("GET", "debug_token", httpx.Response(200, json={"data": {"is_valid": False}}))
    with pytest.raises(AuthError):
        await connector.check_token("DEAD")


async def test_page_token_is_not_renewed_on_a_timer(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    tokens = await connector.refresh_token(PAGE_ACCOUNT)
    assert tokens.access_token == "PAGE_TOKEN" and tokens.expires_at is None
    assert graph.sent == []


async def test_recent_posts_since_a_moment(fb: tuple[FakeGraph, FacebookConnector]) -> None:
    graph, connector = fb
    posts = await connector.find_recent(PAGE_ACCOUNT, NOW)
    assert [(p.external_id, p.text) for p in posts] == [(f"{PAGE}_1", "Halo semua")]
    sent = graph.calls("GET", f"{PAGE}/published_posts")[0]
    assert sent.params["since"] == str(int(NOW.timestamp()))


async def test_post_metrics_are_read_in_one_batch(fb: tuple[FakeGraph, FacebookConnector]) -> None:
    graph, connector = fb
    graph.fail("BATCH", "gone", graph_error(100))
    metrics = await connector.post_metrics(PAGE_ACCOUNT, ["p1", "gone", "p2"])
    assert [(m.external_id, m.likes, m.replies, m.shares) for m in metrics] == [
        ("p1", 12, 4, 3),
        ("p2", 12, 4, 3),
    ]
    batch = graph.calls("POST", "")
    assert len(batch) == 1
    sub = json.loads(batch[0].form["batch"])
    assert [s["relative_url"].split("?")[0] for s in sub] == ["p1", "gone", "p2"]
    assert all(s["method"] == "GET" for s in sub)


async def test_post_metrics_stop_on_a_dead_token(fb: tuple[FakeGraph, FacebookConnector]) -> None:
    graph, connector = fb
    graph.fail("BATCH", "p1", graph_error(190, 467))
    with pytest.raises(AuthError):
        await connector.post_metrics(PAGE_ACCOUNT, ["p1"])


async def test_post_metrics_batch_holds_at_most_fifty(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    metrics = await connector.post_metrics(PAGE_ACCOUNT, [f"p{i}" for i in range(120)])
    assert len(metrics) == 120
    sizes = [len(json.loads(call.form["batch"])) for call in graph.calls("POST", "")]
    assert sizes == [50, 50, 20]


async def test_comments_follow_the_cursor_and_mark_the_pages_own(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    since = datetime(2026, 11, 28, tzinfo=UTC)
    [conversation] = await connector.fetch_conversations(PAGE_ACCOUNT, since)
    assert conversation.kind == "comment" and conversation.post_external_id == f"{PAGE}_1"
    assert [(m.text, m.from_account) for m in conversation.messages] == [
        ("Kapan buka?", False),
        ("Terima kasih!", True),
    ]
    first, second = graph.calls("GET", f"{PAGE}_1/comments")
    assert first.params["filter"] == "stream"
    assert first.params["since"] == str(int(since.timestamp()))
    assert "after" not in first.params and second.params["after"] == "a1"


async def test_comment_paging_is_bounded(fb: tuple[FakeGraph, FacebookConnector]) -> None:
    graph, connector = fb
    endless = {
        "data": [{"id": "c", "message": "x", "created_time": "2026-11-29T11:00:00+0000"}],
        "paging": {"cursors": {"after": "again"}, "next": "https://graph/next"},
    }
    for _ in range(30):
        graph.fail("GET", f"{PAGE}_1/comments", httpx.Response(200, json=endless))
    [conversation] = await connector.fetch_conversations(PAGE_ACCOUNT, NOW)
    assert len(graph.calls("GET", f"{PAGE}_1/comments")) == 10
    assert len(conversation.messages) == 10


async def test_reply_answers_the_comment(fb: tuple[FakeGraph, FacebookConnector]) -> None:
    graph, connector = fb
    result = await connector.reply(PAGE_ACCOUNT, f"{PAGE}_1_9", "Buka jam 9")
    assert result.external_id == "REPLY1"
    assert graph.calls("POST", f"{PAGE}_1_9/comments")[0].form == {"message": "Buka jam 9"}


async def test_network_failure_is_retryable() -> None:
    with respx.mock() as router:
        router.route(host="graph.facebook.com").mock(side_effect=httpx.ConnectTimeout("slow"))
        async with httpx.AsyncClient() as http:
            connector = FacebookConnector(FakeGraph().context(http))
            with pytest.raises(RetryableError):
                await connector.publish(PAGE_ACCOUNT, VariantToPublish("Halo"))


def _local(tmp_path: Path, name: str, data: bytes, kind: str = "image") -> MediaFile:
    path = tmp_path / name
    path.write_bytes(data)
    mime = "image/jpeg" if kind == "image" else "video/mp4"
    info = MediaInfo(kind, mime, len(data))  # type: ignore[arg-type]
    return MediaFile(info, path, f"http://192.168.1.5:8000/media/{name}")


async def test_photos_facebook_cannot_fetch_are_sent_as_bytes(
    fb: tuple[FakeGraph, FacebookConnector], tmp_path: Path
) -> None:
    graph, connector = fb
    media = (_local(tmp_path, "a.jpg", b"AAAA"), _local(tmp_path, "b.jpg", b"BBBB"))
    await connector.publish(PAGE_ACCOUNT, VariantToPublish("Lokal", media))
    photos = graph.calls("POST", f"{PAGE}/photos")
    assert sorted(p.files["source"] for p in photos) == [b"AAAA", b"BBBB"]
    assert all("url" not in p.form and p.form["published"] == "false" for p in photos)


async def test_a_video_facebook_cannot_fetch_is_uploaded_in_chunks(
    fb: tuple[FakeGraph, FacebookConnector], tmp_path: Path
) -> None:
    graph, connector = fb
    clip = _local(tmp_path, "v.mp4", b"0123456789", kind="video")
    result = await connector.publish(PAGE_ACCOUNT, VariantToPublish("Video", (clip,)))
    assert result.external_id == "VID2"
    calls = graph.calls("POST", f"{PAGE}/videos")
    assert all(c.host == "graph-video.facebook.com" for c in calls)
    assert [c.form["upload_phase"] for c in calls] == [
        "start", "transfer", "transfer", "transfer", "finish",
    ]  # fmt: skip
    assert calls[0].form["file_size"] == "10"
    assert [c.form.get("start_offset") for c in calls[1:4]] == ["0", "4", "8"]
    assert bytes(graph.uploaded) == b"0123456789"
    assert calls[-1].form == {
        "upload_phase": "finish",
        "upload_session_id": "S1",
        "description": "Video",
    }


async def test_an_upload_that_stops_moving_is_retryable(
    fb: tuple[FakeGraph, FacebookConnector], tmp_path: Path
) -> None:
    graph, connector = fb
    stuck = httpx.Response(200, json={"start_offset": "0", "end_offset": "4"})
    graph.fail(
        "POST",
        f"{PAGE}/videos",
        httpx.Response(200, json={"upload_session_id": "S1", "video_id": "V",
                                  "start_offset": "0", "end_offset": "4"}),
        stuck,
    )  # fmt: skip
    clip = _local(tmp_path, "v.mp4", b"0123456789", kind="video")
    with pytest.raises(RetryableError):
        await connector.publish(PAGE_ACCOUNT, VariantToPublish("Video", (clip,)))
    assert len(graph.calls("POST", f"{PAGE}/videos")) == 2


async def test_a_throttled_batch_waits_and_reports_the_usage(
    fb: tuple[FakeGraph, FacebookConnector],
) -> None:
    graph, connector = fb
    usage = json.dumps({"call_count": 100, "total_cputime": 1, "total_time": 1})
    graph.fail("POST", "", graph_error(4, **{"X-App-Usage": usage}))
    with pytest.raises(RetryableError):
        await connector.post_metrics(PAGE_ACCOUNT, ["p1"])
    assert graph.limits[-1].usage_pct == 100

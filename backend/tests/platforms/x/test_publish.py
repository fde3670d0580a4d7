"""Publishing to X: text, images, GIF and video (chunked, processing status), threads and
replies — asserting the requests sent, each post body checked against X's OpenAPI schema."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from gaung.platforms.protocol import (
    MediaFile,
    PermanentError,
    PublishResult,
    RetryableError,
    VariantToPublish,
)
from gaung.platforms.types import MediaInfo, MediaKind
from gaung.platforms.x import connector as x_connector
from tests.platforms.x.helpers import (
    Harness,
    account,
    create_posts_validator,
    multipart_fields,
    sent_posts,
)

CREATED = {"data": {"id": "1346889436626259968", "text": "Halo"}}


def media(tmp_path: Path, name: str, kind: MediaKind, mime: str, content: bytes) -> MediaFile:
    path = tmp_path / name
    path.write_bytes(content)
    info = MediaInfo(kind=kind, mime_type=mime, size_bytes=len(content))
    return MediaFile(info=info, path=path, public_url=f"https://gaung.example/m/{name}")


def upload_answer(media_id: str, processing: dict[str, object] | None = None) -> httpx.Response:
    data: dict[str, object] = {"id": media_id, "media_key": f"3_{media_id}"}
    if processing is not None:
        data["processing_info"] = processing
    return httpx.Response(200, json={"data": data})


async def test_a_text_post_is_one_request_and_gets_its_public_url(x: Harness) -> None:
    route = x.mock.post("/2/tweets").respond(201, json=CREATED)
    result = await x.connector.publish(account(), VariantToPublish("Halo warga!"))
    assert result == PublishResult(
        "1346889436626259968", "https://x.com/dinaskominfo/status/1346889436626259968"
    )
    assert route.call_count == 1 and len(x.mock.calls) == 1
    request = route.calls.last.request
    assert request.headers["authorization"] == "Bearer akses-1"
    assert request.headers["content-type"] == "application/json"
    assert sent_posts(x.mock) == [{"text": "Halo warga!"}]


async def test_four_images_upload_side_by_side_then_one_post(x: Harness, tmp_path: Path) -> None:
    ids = iter(["101", "102", "103", "104"])
    upload = x.mock.post("/2/media/upload").mock(side_effect=lambda _r: upload_answer(next(ids)))
    x.mock.post("/2/tweets").respond(201, json=CREATED)
    images = [
        media(tmp_path, f"foto{i}.jpg", "image", "image/jpeg", f"jpeg-{i}".encode())
        for i in range(4)
    ]
    await x.connector.publish(account(), VariantToPublish("Empat foto", images))
    assert upload.call_count == 4 and len(x.mock.calls) == 5
    sent = sorted(multipart_fields(call.request)["media"] for call in upload.calls)
    assert sent == [b"jpeg-0", b"jpeg-1", b"jpeg-2", b"jpeg-3"]
    for call in upload.calls:
        assert multipart_fields(call.request)["media_category"] == b"tweet_image"
        assert call.request.headers["authorization"] == "Bearer akses-1"
    (body,) = sent_posts(x.mock)
    assert sorted(body["media"]["media_ids"]) == ["101", "102", "103", "104"]
    assert body["text"] == "Empat foto"


async def test_media_ids_follow_the_order_of_the_files(x: Harness, tmp_path: Path) -> None:
    def by_content(request: httpx.Request) -> httpx.Response:
        return upload_answer("20" + multipart_fields(request)["media"].decode()[-1])

    x.mock.post("/2/media/upload").mock(side_effect=by_content)
    x.mock.post("/2/tweets").respond(201, json=CREATED)
    images = [
        media(tmp_path, f"f{i}.png", "image", "image/png", f"p{i}".encode()) for i in (3, 1, 2)
    ]
    await x.connector.publish(account(), VariantToPublish("", images))
    (body,) = sent_posts(x.mock)
    assert body["media"]["media_ids"] == ["203", "201", "202"]


async def test_a_video_is_chunked_and_waits_for_processing(
    x: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(x_connector, "CHUNK_BYTES", 4)
    init = x.mock.post("/2/media/upload/initialize").respond(
        200, json={"data": {"id": "1880028106020515840", "expires_after_secs": 1295999}}
    )
    append = x.mock.post("/2/media/upload/1880028106020515840/append").respond(204)
    finalize = x.mock.post("/2/media/upload/1880028106020515840/finalize").mock(
        return_value=upload_answer(
            "1880028106020515840", {"state": "pending", "check_after_secs": 1}
        )
    )
    status = x.mock.get("/2/media/upload").mock(
        side_effect=[
            upload_answer("1880028106020515840", {"state": "in_progress", "check_after_secs": 3}),
            upload_answer("1880028106020515840", {"state": "succeeded"}),
        ]
    )
    x.mock.post("/2/tweets").respond(201, json=CREATED)
    video = media(tmp_path, "klip.mp4", "video", "video/mp4", b"0123456789")
    await x.connector.publish(account(), VariantToPublish("Video", [video]))

    assert json.loads(init.calls.last.request.content) == {
        "media_type": "video/mp4",
        "total_bytes": 10,
        "media_category": "tweet_video",
    }
    chunks = [multipart_fields(call.request) for call in append.calls]
    assert [(c["segment_index"], c["media"]) for c in chunks] == [
        (b"0", b"0123"),
        (b"1", b"4567"),
        (b"2", b"89"),
    ]
    assert finalize.call_count == 1 and finalize.calls.last.request.content == b""
    assert status.call_count == 2
    assert dict(status.calls.last.request.url.params) == {
        "command": "STATUS",
        "media_id": "1880028106020515840",
    }
    assert x.sleeps == [1.0, 3.0]  # X's check_after_secs, never a real sleep
    assert sent_posts(x.mock) == [
        {"text": "Video", "media": {"media_ids": ["1880028106020515840"]}}
    ]
    assert len(x.mock.calls) == 1 + 3 + 1 + 2 + 1


async def test_a_gif_is_chunked_in_its_own_category_and_posts_when_ready(
    x: Harness, tmp_path: Path
) -> None:
    init = x.mock.post("/2/media/upload/initialize").respond(200, json={"data": {"id": "77"}})
    x.mock.post("/2/media/upload/77/append").respond(200, json={"data": {"expires_at": 1}})
    # No processing_info: the media is ready, no status poll.
    x.mock.post("/2/media/upload/77/finalize").mock(return_value=upload_answer("77"))
    status = x.mock.get("/2/media/upload").respond(500)
    x.mock.post("/2/tweets").respond(201, json=CREATED)
    gif = media(tmp_path, "anim.gif", "gif", "image/gif", b"GIF89a")
    await x.connector.publish(account(), VariantToPublish("", [gif]))
    assert json.loads(init.calls.last.request.content)["media_category"] == "tweet_gif"
    assert status.call_count == 0 and x.sleeps == []
    assert sent_posts(x.mock) == [{"text": "", "media": {"media_ids": ["77"]}}]


async def test_failed_processing_is_permanent_and_nothing_is_posted(
    x: Harness, tmp_path: Path
) -> None:
    x.mock.post("/2/media/upload/initialize").respond(200, json={"data": {"id": "9"}})
    x.mock.post("/2/media/upload/9/append").respond(204)
    x.mock.post("/2/media/upload/9/finalize").mock(
        return_value=upload_answer("9", {"state": "pending", "check_after_secs": 1})
    )
    x.mock.get("/2/media/upload").mock(
        return_value=upload_answer("9", {"state": "failed", "error": {"message": "bad codec"}})
    )
    post = x.mock.post("/2/tweets").respond(201, json=CREATED)
    video = media(tmp_path, "rusak.mp4", "video", "video/mp4", b"xx")
    with pytest.raises(PermanentError) as caught:
        await x.connector.publish(account(), VariantToPublish("Video", [video]))
    assert caught.value.code == "x.media_failed"
    assert "codec" not in caught.value.message  # no raw payload for the admin
    assert post.call_count == 0


async def test_processing_that_never_ends_stops_after_bounded_polls(
    x: Harness, tmp_path: Path
) -> None:
    x.mock.post("/2/media/upload/initialize").respond(200, json={"data": {"id": "9"}})
    x.mock.post("/2/media/upload/9/append").respond(204)
    x.mock.post("/2/media/upload/9/finalize").mock(
        return_value=upload_answer("9", {"state": "pending", "check_after_secs": 600})
    )
    status = x.mock.get("/2/media/upload").mock(
        return_value=upload_answer("9", {"state": "in_progress", "check_after_secs": 600})
    )
    post = x.mock.post("/2/tweets").respond(201, json=CREATED)
    video = media(tmp_path, "lama.mp4", "video", "video/mp4", b"xx")
    with pytest.raises(RetryableError) as caught:
        await x.connector.publish(account(), VariantToPublish("Video", [video]))
    assert "too long" in caught.value.message
    assert status.call_count == x_connector.MAX_STATUS_POLLS
    assert set(x.sleeps) == {x_connector.MAX_CHECK_AFTER_S}  # a huge wait is capped
    assert post.call_count == 0


async def test_a_thread_post_answers_the_accounts_previous_post(x: Harness) -> None:
    x.mock.post("/2/tweets").respond(201, json={"data": {"id": "2", "text": "2/2"}})
    result = await x.connector.publish(
        account(), VariantToPublish("2/2 lanjutan", in_reply_to="1346889436626259968")
    )
    assert result.external_id == "2"
    assert sent_posts(x.mock) == [
        {"text": "2/2 lanjutan", "reply": {"in_reply_to_tweet_id": "1346889436626259968"}}
    ]


async def test_reply_sends_the_reply_field(x: Harness) -> None:
    x.mock.post("/2/tweets").respond(201, json={"data": {"id": "55", "text": "Terima kasih"}})
    result = await x.connector.reply(account(), "1234", "Terima kasih")
    assert result == PublishResult("55", "https://x.com/dinaskominfo/status/55")
    assert sent_posts(x.mock) == [
        {"text": "Terima kasih", "reply": {"in_reply_to_tweet_id": "1234"}}
    ]


async def test_a_reply_x_refuses_with_403_is_not_summoned(x: Harness) -> None:
    x.mock.post("/2/tweets").respond(
        403,
        json={
            "title": "Forbidden",
            "type": "about:blank",
            "status": 403,
            "detail": "Reply to this conversation is not allowed because you have not been "
            "mentioned or otherwise engaged by the author of the post you are replying to.",
        },
    )
    with pytest.raises(PermanentError) as caught:
        await x.connector.reply(account(), "1234", "Halo")
    assert caught.value.code == "x.reply_not_summoned"
    assert "mentioned or quoted" in caught.value.message
    assert "menyebut" in caught.value.message_id


async def test_an_identity_less_account_still_gets_a_working_url(x: Harness) -> None:
    x.mock.post("/2/tweets").respond(201, json=CREATED)
    result = await x.connector.publish(account(handle=""), VariantToPublish("Halo"))
    assert result.url == "https://x.com/i/web/status/1346889436626259968"


async def test_a_created_post_without_an_id_is_retryable_not_lost(x: Harness) -> None:
    # The post may exist: the caller must reconcile (find_recent), so this is not permanent.
    x.mock.post("/2/tweets").respond(201, json={"data": {}})
    with pytest.raises(RetryableError):
        await x.connector.publish(account(), VariantToPublish("Halo"))


async def test_alt_text_is_set_on_each_described_image_before_the_post(
    x: Harness, tmp_path: Path
) -> None:
    def by_content(request: httpx.Request) -> httpx.Response:
        return upload_answer({b"a": "301", b"b": "302"}[multipart_fields(request)["media"]])

    x.mock.post("/2/media/upload").mock(side_effect=by_content)
    metadata = x.mock.post("/2/media/metadata").respond(200, json={"data": {"id": "301"}})
    x.mock.post("/2/tweets").respond(201, json=CREATED)
    long_alt = "Balai kota " * 200
    first = media(tmp_path, "a.jpg", "image", "image/jpeg", b"a")
    described = MediaFile(first.info, first.path, first.public_url, long_alt)
    plain = media(tmp_path, "b.jpg", "image", "image/jpeg", b"b")
    await x.connector.publish(account(), VariantToPublish("Foto", [described, plain]))
    (call,) = metadata.calls
    body = json.loads(call.request.content)
    assert create_posts_validator("CreateMediaMetadataRequest").is_valid(body)
    assert body == {"id": "301", "metadata": {"alt_text": {"text": long_alt[:1000]}}}
    assert [c.request.url.path for c in x.mock.calls][-1] == "/2/tweets"
    assert sent_posts(x.mock)[0]["media"]["media_ids"] == ["301", "302"]


async def test_an_odd_wait_from_x_becomes_a_short_finite_one(x: Harness, tmp_path: Path) -> None:
    x.mock.post("/2/media/upload/initialize").respond(200, json={"data": {"id": "9"}})
    x.mock.post("/2/media/upload/9/append").respond(204)
    odd = b'{"data": {"id": "9", "processing_info": {"state": "pending", "check_after_secs": NaN}}}'
    x.mock.post("/2/media/upload/9/finalize").respond(200, content=odd)
    x.mock.get("/2/media/upload").mock(return_value=upload_answer("9", {"state": "succeeded"}))
    x.mock.post("/2/tweets").respond(201, json=CREATED)
    video = media(tmp_path, "v.mp4", "video", "video/mp4", b"xx")
    await x.connector.publish(account(), VariantToPublish("Video", [video]))
    assert x.sleeps == [1.0]


async def test_a_refused_thread_post_is_not_called_a_summons_problem(x: Harness) -> None:
    x.mock.post("/2/tweets").respond(403, json={"title": "Forbidden", "detail": "nope"})
    with pytest.raises(PermanentError) as caught:
        await x.connector.publish(account(), VariantToPublish("2/2", in_reply_to="1"))
    assert caught.value.code == "x.forbidden"


async def test_a_thread_part_is_a_post_answering_the_previous_part(x: Harness) -> None:
    x.mock.post("/2/tweets").respond(201, json={"data": {"id": "77", "text": "2/3"}})
    result = await x.connector.comment(account(), "1346889436626259968", "2/3 lanjutan")
    assert result == PublishResult("77", "https://x.com/dinaskominfo/status/77")
    assert sent_posts(x.mock) == [
        {"text": "2/3 lanjutan", "reply": {"in_reply_to_tweet_id": "1346889436626259968"}}
    ]

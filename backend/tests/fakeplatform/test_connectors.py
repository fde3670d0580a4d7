"""The real X, Facebook and Instagram connectors publish against the fake platform through
the base-URL settings, and the fake's faults reach them as the errors the pipeline acts on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from gaung.accounts.connectors import endpoints
from gaung.config import Settings
from gaung.platforms.facebook.connector import FacebookConnector
from gaung.platforms.instagram.connector import InstagramConnector
from gaung.platforms.protocol import (
    AccountCredentials,
    AuthError,
    Context,
    MediaFile,
    PermanentError,
    RateLimit,
    RetryableError,
    VariantToPublish,
)
from gaung.platforms.types import MediaInfo, Platform
from gaung.platforms.x.connector import XConnector
from tests.fakeplatform import FakeState, RunningFake, fake_in_thread, fake_subprocess

X_ACCOUNT = AccountCredentials(Platform.x, "2244994945", "dinaskominfo", "x-akses", "x-segar")
PAGE = AccountCredentials(Platform.facebook, "1234567890", "Dinas Kominfo", "page-token")
IG = AccountCredentials(Platform.instagram, "17841400000000000", "dinaskominfo", "page-token")


@pytest.fixture(scope="module")
def running() -> Iterator[RunningFake]:
    with fake_in_thread(FakeState(latency_ms=5)) as fake:
        yield fake


@pytest.fixture
def fake(running: RunningFake) -> RunningFake:
    running.state.reset()
    running.state.configure(latency_ms=5)
    for account in (X_ACCOUNT, PAGE, IG):
        running.state.add_account(
            account.platform.value,
            account.external_id,
            account.handle,
            account.access_token,
            account.refresh_token,
        )
    return running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(2.0)) as client:
        yield client


def context(fake: RunningFake, http: httpx.AsyncClient, limits: list[RateLimit]) -> Context:
    settings = Settings(
        env="test",
        x_api_base_url=fake.url,
        graph_api_base_url=fake.url,
        graph_video_base_url=fake.url,
    )
    return Context(http=http, endpoints=endpoints(settings), on_rate_limit=limits.append)


def jpeg(tmp_path: Path) -> MediaFile:
    path = tmp_path / "foto.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"\0" * 1000)
    info = MediaInfo("image", "image/jpeg", 1003, 1080, 1080)
    return MediaFile(info, path, "https://gaung.example.go.id/media/foto.jpg")


async def test_x_publishes_and_finds_the_post(fake: RunningFake, http: httpx.AsyncClient) -> None:
    limits: list[RateLimit] = []
    x = XConnector(context(fake, http, limits))
    before = datetime.now(UTC) - timedelta(seconds=1)
    result = await x.publish(X_ACCOUNT, VariantToPublish("Halo dari Gaung #1"))
    assert result.url == f"https://x.com/dinaskominfo/status/{result.external_id}"
    [received] = fake.state.publishes()
    assert (received.op, received.text, received.account) == (
        "x.post",
        "Halo dari Gaung #1",
        X_ACCOUNT.external_id,
    )
    assert received.created == result.external_id
    assert received.wall >= before.timestamp() and received.mono > 0
    assert limits and limits[-1].remaining == 99
    found = await x.find_recent(X_ACCOUNT, before)
    assert [(p.external_id, p.text) for p in found] == [(result.external_id, "Halo dari Gaung #1")]


async def test_x_find_recent_pages_through_many_posts(
    fake: RunningFake, http: httpx.AsyncClient
) -> None:
    x = XConnector(context(fake, http, []))
    since = datetime.now(UTC) - timedelta(seconds=1)
    for n in range(130):
        await x.publish(X_ACCOUNT, VariantToPublish(f"post {n}"))
    found = await x.find_recent(X_ACCOUNT, since)
    assert sorted(p.text for p in found) == sorted(f"post {n}" for n in range(130))
    assert len(fake.state.requests("x.user_posts")) == 2


async def test_x_publishes_an_image(
    fake: RunningFake, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    x = XConnector(context(fake, http, []))
    await x.publish(X_ACCOUNT, VariantToPublish("Foto", [jpeg(tmp_path)]))
    assert [r.op for r in fake.state.requests()] == ["x.media_upload", "x.post"]


async def test_an_unknown_x_token_is_refused(fake: RunningFake, http: httpx.AsyncClient) -> None:
    x = XConnector(context(fake, http, []))
    stranger = AccountCredentials(Platform.x, "1", "orang", "bukan-token")
    with pytest.raises(AuthError):
        await x.publish(stranger, VariantToPublish("Halo"))
    assert fake.state.publishes() == []


async def test_x_refresh_rotates_the_tokens(fake: RunningFake, http: httpx.AsyncClient) -> None:
    settings = Settings(env="test", x_api_base_url=fake.url, x_client_id="klien")
    x = XConnector(Context(http=http, endpoints=endpoints(settings)))
    tokens = await x.refresh_token(X_ACCOUNT)
    assert tokens.access_token != X_ACCOUNT.access_token
    fresh = AccountCredentials(
        Platform.x, X_ACCOUNT.external_id, X_ACCOUNT.handle, tokens.access_token
    )
    await x.publish(fresh, VariantToPublish("Dengan token baru"))
    with pytest.raises(AuthError):  # the old token no longer works
        await x.publish(X_ACCOUNT, VariantToPublish("Dengan token lama"))


async def test_facebook_publishes_and_finds_the_post(
    fake: RunningFake, http: httpx.AsyncClient
) -> None:
    fb = FacebookConnector(context(fake, http, []))
    since = datetime.now(UTC) - timedelta(seconds=1)
    result = await fb.publish(PAGE, VariantToPublish("Pengumuman Dinas"))
    assert result.external_id.startswith(f"{PAGE.external_id}_")
    assert result.url and result.url.startswith("https://www.facebook.com/")
    [received] = fake.state.publishes()
    assert (received.op, received.text) == ("fb.feed", "Pengumuman Dinas")
    found = await fb.find_recent(PAGE, since)
    assert [(p.external_id, p.text) for p in found] == [(result.external_id, "Pengumuman Dinas")]


async def test_x_thread_part_answers_the_previous_post(
    fake: RunningFake, http: httpx.AsyncClient
) -> None:
    x = XConnector(context(fake, http, []))
    first = await x.publish(X_ACCOUNT, VariantToPublish("Utas 1/2"))
    second = await x.comment(X_ACCOUNT, first.external_id, "Utas 2/2")
    posts = {p.id: p for p in fake.state.posts}
    assert posts[second.external_id].in_reply_to == first.external_id
    assert posts[first.external_id].in_reply_to is None


async def test_facebook_feed_post_carries_the_variants_link(
    fake: RunningFake, http: httpx.AsyncClient
) -> None:
    fb = FacebookConnector(context(fake, http, []))
    result = await fb.publish(PAGE, VariantToPublish("Baca", link="https://gaung.example/a"))
    [post] = fake.state.posts
    assert (post.id, post.link) == (result.external_id, "https://gaung.example/a")


async def test_facebook_publishes_a_photo(
    fake: RunningFake, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    fb = FacebookConnector(context(fake, http, []))
    result = await fb.publish(PAGE, VariantToPublish("Foto kegiatan", [jpeg(tmp_path)]))
    [received] = fake.state.publishes()
    assert (received.op, received.text, received.created) == (
        "fb.photo",
        "Foto kegiatan",
        result.external_id,
    )


async def test_instagram_publishes_through_a_container(
    fake: RunningFake, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    fake.state.configure(ig_container_polls=1)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    ig = InstagramConnector(context(fake, http, []), sleep=sleep)
    since = datetime.now(UTC) - timedelta(seconds=1)
    result = await ig.publish(IG, VariantToPublish("Caption #gaung", [jpeg(tmp_path)]))
    assert result.url and result.url.startswith("https://www.instagram.com/p/")
    ops = [r.op for r in fake.state.requests()]
    assert ops == [
        "ig.limit",
        "ig.container",
        "graph.object",  # IN_PROGRESS
        "graph.object",  # FINISHED
        "ig.publish",
        "graph.object",  # permalink
    ]
    assert len(waits) == 1
    found = await ig.find_recent(IG, since)
    assert [(p.external_id, p.text) for p in found] == [(result.external_id, "Caption #gaung")]


async def test_instagram_first_comment_goes_on_the_media(
    fake: RunningFake, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    ig = InstagramConnector(context(fake, http, []))
    media = await ig.publish(IG, VariantToPublish("Caption", [jpeg(tmp_path)]))
    comment = await ig.comment(IG, media.external_id, "#gaung #humas")
    [stored] = fake.state.comments
    assert (stored.id, stored.on, stored.account, stored.text) == (
        comment.external_id,
        media.external_id,
        IG.external_id,
        "#gaung #humas",
    )


async def test_instagram_quota_is_reported(
    fake: RunningFake, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    fake.state.configure(ig_quota_total=1)
    ig = InstagramConnector(context(fake, http, []))
    await ig.publish(IG, VariantToPublish("Satu", [jpeg(tmp_path)]))
    with pytest.raises(RetryableError, match="limit of 1"):
        await ig.publish(IG, VariantToPublish("Dua", [jpeg(tmp_path)]))
    assert len(fake.state.publishes()) == 1


# --- faults ---------------------------------------------------------------------------------


async def test_x_rate_limit_says_when_it_resets(fake: RunningFake, http: httpx.AsyncClient) -> None:
    fake.state.add_fault("rate_limit", op="x.post", times=1, reset_s=30)
    x = XConnector(context(fake, http, []))
    with pytest.raises(RetryableError) as raised:
        await x.publish(X_ACCOUNT, VariantToPublish("Halo"))
    assert raised.value.retry_after is not None and 25 <= raised.value.retry_after <= 31
    assert fake.state.publishes() == []
    await x.publish(X_ACCOUNT, VariantToPublish("Halo"))  # only once
    assert len(fake.state.publishes()) == 1


async def test_graph_throttle_says_when_it_resets(
    fake: RunningFake, http: httpx.AsyncClient
) -> None:
    fake.state.add_fault("rate_limit", op="fb.*", times=1, reset_s=6)
    fb = FacebookConnector(context(fake, http, []))
    with pytest.raises(RetryableError) as raised:
        await fb.publish(PAGE, VariantToPublish("Halo"))
    assert raised.value.retry_after == pytest.approx(6, abs=0.1)


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("server_error", RetryableError),
        ("expired_token", AuthError),
        ("duplicate", PermanentError),
        ("drop", RetryableError),
    ],
)
async def test_faults_before_the_work_create_nothing(
    fake: RunningFake, http: httpx.AsyncClient, kind: str, error: type[Exception]
) -> None:
    fake.state.add_fault(kind, op="x.post")
    fake.state.add_fault(kind, op="fb.feed")
    x = XConnector(context(fake, http, []))
    fb = FacebookConnector(context(fake, http, []))
    with pytest.raises(error):
        await x.publish(X_ACCOUNT, VariantToPublish("Halo"))
    with pytest.raises(error):
        await fb.publish(PAGE, VariantToPublish("Halo"))
    assert fake.state.publishes() == []
    assert [r.fault for r in fake.state.requests()] == [kind, kind]


async def test_a_timeout_creates_nothing(fake: RunningFake, http: httpx.AsyncClient) -> None:
    fake.state.add_fault("timeout", op="x.post", times=1)
    x = XConnector(context(fake, http, []))
    with pytest.raises(RetryableError):
        await x.publish(X_ACCOUNT, VariantToPublish("Halo"))
    assert fake.state.publishes() == []


@pytest.mark.parametrize("kind", ["accept_drop", "accept_timeout"])
async def test_a_lost_answer_leaves_a_post_that_find_recent_shows(
    fake: RunningFake, http: httpx.AsyncClient, kind: str
) -> None:
    fake.state.add_fault(kind, op="x.post", times=1)
    x = XConnector(context(fake, http, []))
    since = datetime.now(UTC) - timedelta(seconds=1)
    with pytest.raises(RetryableError):
        await x.publish(X_ACCOUNT, VariantToPublish("Terkirim tanpa jawaban"))
    [received] = fake.state.publishes()
    found = await x.find_recent(X_ACCOUNT, since)
    assert [p.external_id for p in found] == [received.created]


async def test_faults_hit_a_fraction_and_one_account(
    fake: RunningFake, http: httpx.AsyncClient
) -> None:
    fake.state.add_fault("server_error", op="x.post", fraction=0.5)
    fake.state.add_fault("expired_token", account=PAGE.external_id)
    x = XConnector(context(fake, http, []))
    outcomes = []
    for n in range(40):
        try:
            await x.publish(X_ACCOUNT, VariantToPublish(f"#{n}"))
            outcomes.append(True)
        except RetryableError:
            outcomes.append(False)
    assert 5 < sum(outcomes) < 35
    with pytest.raises(AuthError):
        await FacebookConnector(context(fake, http, [])).publish(PAGE, VariantToPublish("Halo"))


def test_the_fake_runs_as_a_subprocess_driven_by_its_control_api() -> None:
    with fake_subprocess(latency_ms=1) as control:
        control.add_account(platform="x", external_id="42", handle="kominfo", token="t")
        fault = control.add_fault("server_error", op="x.post", times=1)
        assert fault > 0
        headers = {"Authorization": "Bearer t"}
        with httpx.Client(base_url=control.url) as client:
            first = client.post("/2/tweets", json={"text": "a"}, headers=headers)
            second = client.post("/2/tweets", json={"text": "a"}, headers=headers)
            bad = client.post(f"{control.url}/_fake/faults", json={"kind": "meteor"})
        assert (first.status_code, second.status_code, bad.status_code) == (500, 201, 400)
        seen = control.received()
        assert [(r["op"], r["fault"], r["text"]) for r in seen["received"]] == [
            ("x.post", "server_error", "a"),
            ("x.post", None, "a"),
        ]
        assert [p["text"] for p in seen["posts"]] == ["a"]
        control.reset()
        assert control.received()["received"] == []

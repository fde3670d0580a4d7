"""The sandbox connector over an in-memory store: what it publishes, finds, measures and answers."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from gaung.platforms.protocol import (
    AuthError,
    AuthorizeRequest,
    Context,
    Endpoints,
    PermanentError,
    RetryableError,
    VariantToPublish,
)
from gaung.platforms.registry import NETWORKS, connector_for
from gaung.platforms.sandbox import simulation
from gaung.platforms.sandbox.connector import MemoryStore, SandboxConnector, sandbox_factory
from gaung.platforms.types import Platform
from tests.platforms.sandbox.support import PHOTO, START, Clock, account

TEXT = "Sosialisasi peta rawan longsor di Kabupaten Garut, Senin depan."


def make(
    platform: Platform = Platform.x, seed: int = 1
) -> tuple[SandboxConnector, MemoryStore, Clock]:
    store, clock = MemoryStore(), Clock()
    # No random bits in ids, so each test sees the same posts and the same simulated audience.
    connector = SandboxConnector(
        platform, store, seed=seed, clock=clock, retried=set(), randbits=lambda _k: 0
    )
    return connector, store, clock


async def test_publish_keeps_the_post_and_returns_a_network_like_sandbox_link() -> None:
    connector, store, _ = make(Platform.x)
    acct = account(Platform.x)
    result = await connector.publish(acct, VariantToPublish(TEXT))
    assert result.external_id.isdigit() and len(result.external_id) >= 18
    assert result.url == f"https://sandbox.gaung.invalid/x/PTPSW_BPPT/status/{result.external_id}"
    (post,) = store.posts[(Platform.x, acct.external_id)]
    assert (post.external_id, post.text, post.media_count, post.published_at) == (
        result.external_id,
        TEXT,
        0,
        START,
    )
    second = await connector.publish(acct, VariantToPublish(TEXT + " Jangan lupa."))
    assert second.external_id != result.external_id


async def test_parallel_publishes_at_one_moment_get_different_ids() -> None:
    bits = iter(range(1, 100))
    store, clock = MemoryStore(), Clock()
    connector = SandboxConnector(
        Platform.facebook, store, clock=clock, retried=set(), randbits=lambda _k: next(bits)
    )
    ids = set()
    for _ in range(3):
        store.posts.clear()  # each publish sees the same post count, as parallel ones do
        ids.add(
            (
                await connector.publish(account(Platform.facebook), VariantToPublish(TEXT))
            ).external_id
        )
    assert len(ids) == 3


async def test_facebook_and_instagram_ids_and_links_look_like_theirs() -> None:
    fb, _, _ = make(Platform.facebook)
    fb_acct = account(Platform.facebook, "sandbox-fb-ptpsw")
    result = await fb.publish(fb_acct, VariantToPublish(TEXT))
    assert result.external_id.startswith("sandbox-fb-ptpsw_")
    assert (
        result.url
        == f"https://sandbox.gaung.invalid/facebook/PTPSW.BPPT/posts/{result.external_id}"
    )
    ig, store, _ = make(Platform.instagram)
    ig_acct = account(Platform.instagram, "sandbox-ig-ptpsw")
    result = await ig.publish(ig_acct, VariantToPublish(TEXT, [PHOTO, PHOTO]))
    assert result.external_id.isdigit()
    assert (
        result.url == f"https://sandbox.gaung.invalid/instagram/PTPSW_BPPT/p/{result.external_id}"
    )
    assert store.posts[(Platform.instagram, "sandbox-ig-ptpsw")][0].media_count == 2


async def test_posts_are_checked_by_the_imitated_networks_rules() -> None:
    x, store, _ = make(Platform.x)
    with pytest.raises(PermanentError) as caught:
        await x.publish(account(Platform.x), VariantToPublish("a" * 281))
    assert caught.value.code == "sandbox.rules"
    assert caught.value.message.startswith("X would refuse this post: ")
    assert caught.value.message_id.startswith("X akan menolak postingan ini: ")
    ig, _, _ = make(Platform.instagram)
    with pytest.raises(PermanentError, match="Instagram would refuse"):
        await ig.publish(account(Platform.instagram), VariantToPublish(TEXT))
    assert store.posts == {}


async def test_gagal_fails_for_good_in_both_languages_and_keeps_nothing() -> None:
    connector, store, _ = make()
    with pytest.raises(PermanentError) as caught:
        await connector.publish(account(), VariantToPublish(TEXT + " #gagal"))
    assert caught.value.code == "sandbox.forced_failure"
    assert "#gagal" in caught.value.message and "sengaja menolak" in caught.value.message_id
    assert store.posts.get((Platform.x, "sandbox-x-ptpsw"), []) == []
    with pytest.raises(PermanentError):
        await connector.publish(account(), VariantToPublish("#GAGAL. Uji coba."))


async def test_only_whole_tags_fail_on_purpose() -> None:
    connector, _, _ = make()
    for text in (
        "Antisipasi #gagalpanen di musim kemarau",
        "#coba-lagi-nanti ya",
        "#akses-dicabutx",
    ):
        assert (await connector.publish(account(), VariantToPublish(text))).external_id


async def test_coba_lagi_fails_once_then_succeeds_across_connectors_of_one_factory() -> None:
    store, clock = MemoryStore(), Clock()
    factory = sandbox_factory(Platform.x, store, seed=1, clock=clock)
    http = httpx.AsyncClient()
    ctx = Context(http, Endpoints())
    text = f"{TEXT} #coba-lagi {id(store)}"  # unique: the memory is process-wide
    with pytest.raises(RetryableError) as caught:
        await factory(ctx).publish(account(), VariantToPublish(text))
    assert caught.value.retry_after == 30 and "berikutnya akan berhasil" in caught.value.message_id
    result = await factory(ctx).publish(account(), VariantToPublish(text))
    assert [p.external_id for p in store.posts[(Platform.x, "sandbox-x-ptpsw")]] == [
        result.external_id
    ]
    # Another account's first attempt of the same text still fails once.
    with pytest.raises(RetryableError):
        await factory(ctx).publish(account(Platform.x, "sandbox-other"), VariantToPublish(text))
    await http.aclose()


async def test_akses_dicabut_is_an_auth_error() -> None:
    connector, _, _ = make()
    with pytest.raises(AuthError) as caught:
        await connector.publish(account(), VariantToPublish(TEXT + " #akses-dicabut"))
    assert "latihan" in caught.value.message_id


async def test_find_recent_lists_posts_since_newest_first() -> None:
    connector, _, clock = make()
    acct = account()
    first = await connector.publish(acct, VariantToPublish("Satu"))
    clock.advance(timedelta(hours=1))
    second = await connector.publish(acct, VariantToPublish("Dua"))
    found = await connector.find_recent(acct, START)
    assert [(p.external_id, p.text) for p in found] == [
        (second.external_id, "Dua"),
        (first.external_id, "Satu"),
    ]
    assert found[0].url == second.url
    later = await connector.find_recent(acct, START + timedelta(minutes=1))
    assert [p.external_id for p in later] == [second.external_id]
    assert await connector.find_recent(account(Platform.x, "someone-else"), START) == []


async def test_account_metrics_follow_the_simulation_and_count_published_posts() -> None:
    connector, _, clock = make(seed=9)
    acct = account()
    before = await connector.account_metrics(acct)
    key = "x:sandbox-x-ptpsw"
    assert before.followers == simulation.followers(9, key, START)
    assert before.posts == simulation.earlier_posts(9, key)
    await connector.publish(acct, VariantToPublish(TEXT))
    clock.advance(timedelta(days=7))
    after = await connector.account_metrics(acct)
    assert after.posts == before.posts + 1
    assert before.followers is not None and after.followers is not None
    assert after.followers > before.followers
    assert after.measured_at == START + timedelta(days=7)


async def test_post_metrics_grow_after_publishing_and_skip_unknown_ids() -> None:
    connector, _, clock = make()
    acct = account()
    post = await connector.publish(acct, VariantToPublish(TEXT))
    (at_once,) = await connector.post_metrics(acct, [post.external_id])
    assert at_once.impressions == 0
    clock.advance(timedelta(hours=12))
    metrics = await connector.post_metrics(acct, [post.external_id, "404", post.external_id])
    assert [m.external_id for m in metrics] == [post.external_id]
    assert metrics[0].impressions and metrics[0].impressions > 0
    assert metrics[0].measured_at == clock()


async def _post_with_comments(connector: SandboxConnector, clock: Clock, seed: int = 1) -> str:
    """Publishes until a post will get at least two comments (most do), so tests have some."""
    for n in range(20):
        post = await connector.publish(
            account(connector.platform, _ext(connector)), VariantToPublish(f"{TEXT} {n}")
        )
        if simulation.comment_count(seed, post.external_id) >= 2:
            return post.external_id
        clock.advance(timedelta(seconds=1))
    raise AssertionError("no post with comments in 20 tries")


def _ext(connector: SandboxConnector) -> str:
    return {Platform.x: "sandbox-x-ptpsw", Platform.facebook: "sandbox-fb-ptpsw"}.get(
        connector.platform, "sandbox-ig-ptpsw"
    )


async def test_facebook_conversations_group_comments_under_their_post_with_our_replies() -> None:
    connector, _, clock = make(Platform.facebook)
    acct = account(Platform.facebook, "sandbox-fb-ptpsw")
    since = clock()
    post = await _post_with_comments(connector, clock)
    assert await connector.fetch_conversations(acct, since) == []  # nobody has answered yet
    clock.advance(timedelta(days=2))
    conversations = await connector.fetch_conversations(acct, since)
    assert all(c.kind == "comment" and c.external_id == c.post_external_id for c in conversations)
    (conversation,) = [c for c in conversations if c.external_id == post]
    assert (conversation.external_id, conversation.kind, conversation.post_external_id) == (
        post,
        "comment",
        post,
    )
    first = conversation.messages[0]
    parsed = simulation.parse_comment_id(first.external_id)
    assert parsed is not None and parsed[0] == post
    assert not first.from_account and all(m.sent_at > since for m in conversation.messages)
    reply = await connector.reply(
        acct, first.external_id, "Terima kasih, info lengkap di situs kami."
    )
    conversations = await connector.fetch_conversations(acct, since)
    (conversation,) = [c for c in conversations if c.external_id == post]
    ours = [m for m in conversation.messages if m.from_account]
    assert [(m.external_id, m.author_handle) for m in ours] == [(reply.external_id, "PTPSW.BPPT")]
    # Comments that arrived before `since` are not fetched again.
    assert await connector.fetch_conversations(acct, clock()) == []


async def test_x_mentions_are_one_conversation_each() -> None:
    connector, _, clock = make(Platform.x)
    acct = account()
    since = clock()
    post = await _post_with_comments(connector, clock)
    clock.advance(timedelta(days=2))
    every = await connector.fetch_conversations(acct, since)
    assert all(c.kind == "mention" for c in every)
    conversations = [c for c in every if c.post_external_id == post]
    assert len(conversations) == simulation.comment_count(1, post)
    assert all(
        len(c.messages) == 1 and c.messages[0].external_id == c.external_id for c in conversations
    )


async def test_replies_only_to_the_accounts_posts_and_comments_that_arrived() -> None:
    connector, _, clock = make(Platform.x)
    acct = account()
    post = await _post_with_comments(connector, clock)
    comment = simulation.comment(1, post, clock(), 0)
    for target in ("123456", simulation.comment_id(post, 99), comment.external_id):
        with pytest.raises(PermanentError) as caught:
            await connector.reply(acct, target, "Halo")
        assert caught.value.code == "sandbox.reply_target_unknown"
    clock.advance(timedelta(days=2))
    answer = await connector.reply(acct, comment.external_id, "Halo, silakan cek situs kami.")
    assert answer.url and answer.external_id in answer.url
    thread = await connector.reply(acct, post, "Info lanjutan (2/2).")  # a thread on our own post
    found = await connector.find_recent(acct, START)
    assert {answer.external_id, thread.external_id} <= {p.external_id for p in found}
    with pytest.raises(PermanentError, match="#gagal"):
        await connector.reply(acct, post, "Balasan #gagal")
    with pytest.raises(PermanentError) as caught:
        await connector.reply(acct, post, "a" * 281)
    assert caught.value.code == "sandbox.rules"


async def test_a_reply_cannot_be_answered_as_a_comment_thread() -> None:
    connector, _, clock = make(Platform.x)
    post = await _post_with_comments(connector, clock)
    reply = await connector.reply(account(), post, "Lanjutan.")
    with pytest.raises(PermanentError):
        await connector.reply(account(), simulation.comment_id(reply.external_id, 0), "Halo")


async def test_access_is_given_by_the_admin_not_by_a_login() -> None:
    connector, _, _ = make(Platform.instagram)
    with pytest.raises(PermanentError) as caught:
        connector.authorize_url("https://gaung.example.go.id/cb", "state")
    assert caught.value.code == "sandbox.no_authorization"
    assert "ditambahkan oleh admin" in caught.value.message_id
    with pytest.raises(PermanentError):
        await connector.exchange_callback("https://x", "code", AuthorizeRequest("https://x", "s"))
    tokens = await connector.refresh_token(account(Platform.instagram))
    assert (tokens.access_token, tokens.refresh_token, tokens.expires_at) == ("", None, None)


async def test_registry_picks_the_sandbox_by_the_accounts_flag() -> None:
    store = MemoryStore()
    factory = connector_for(Platform.facebook, sandbox=True, sandbox_store=store, seed=3)
    assert factory is not None
    async with httpx.AsyncClient() as http:
        connector = factory(Context(http, Endpoints()))
    assert isinstance(connector, SandboxConnector) and connector.platform is Platform.facebook
    for platform in Platform:
        assert connector_for(platform, sandbox=False) is NETWORKS[platform].connector
    with pytest.raises(ValueError, match="sandbox store"):
        connector_for(Platform.x, sandbox=True)


async def test_the_same_seed_shows_the_same_audience() -> None:
    a, _, _ = make(seed=5)
    b, _, _ = make(seed=5)
    c, _, _ = make(seed=6)
    acct = account()
    assert await a.account_metrics(acct) == await b.account_metrics(acct)
    assert (await a.account_metrics(acct)).followers != (await c.account_metrics(acct)).followers

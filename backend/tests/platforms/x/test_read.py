"""Reading from X: the account's recent posts, account and post metrics (100 ids a call),
mentions and replies with bounded pagination, and the configurable post-fields parameter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import respx

from gaung.platforms.protocol import AccountMetrics, Endpoints, PostMetrics, RecentPost
from gaung.platforms.x import connector as x_connector
from tests.platforms.x.helpers import NOW, Harness, account, build

ME = "2244994945"
SINCE = datetime(2026, 11, 28, 6, 30, tzinfo=UTC)


async def test_find_recent_reads_the_own_timeline_since_a_moment(x: Harness) -> None:
    route = x.mock.get(f"/2/users/{ME}/tweets").respond(
        200,
        json={
            "data": [
                {"id": "11", "text": "Halo", "created_at": "2026-11-28T07:00:00.000Z"},
                {"id": "10", "text": "Pagi", "created_at": "2026-11-28T06:45:00.000Z"},
            ],
            "meta": {"result_count": 2, "newest_id": "11", "oldest_id": "10"},
        },
    )
    found = await x.connector.find_recent(account(), SINCE)
    assert found == [
        RecentPost(
            "11",
            "https://x.com/dinaskominfo/status/11",
            "Halo",
            datetime(2026, 11, 28, 7, tzinfo=UTC),
        ),
        RecentPost(
            "10",
            "https://x.com/dinaskominfo/status/10",
            "Pagi",
            datetime(2026, 11, 28, 6, 45, tzinfo=UTC),
        ),
    ]
    assert dict(route.calls.last.request.url.params) == {
        "start_time": "2026-11-28T06:30:00Z",
        "max_results": "100",
        "tweet.fields": "created_at",
    }
    assert route.calls.last.request.headers["authorization"] == "Bearer akses-1"


async def test_find_recent_follows_pages_and_stops_at_the_bound(x: Harness) -> None:
    pages = iter(range(100))

    def page(_request: httpx.Request) -> httpx.Response:
        n = next(pages)
        data = [{"id": str(1000 + n), "text": "t", "created_at": "2026-11-28T07:00:00Z"}]
        return httpx.Response(200, json={"data": data, "meta": {"next_token": f"p{n + 1}"}})

    route = x.mock.get(f"/2/users/{ME}/tweets").mock(side_effect=page)
    found = await x.connector.find_recent(account(), SINCE)
    assert route.call_count == x_connector.MAX_PAGES and len(found) == x_connector.MAX_PAGES
    tokens = [call.request.url.params.get("pagination_token") for call in route.calls]
    assert tokens == [None, "p1", "p2", "p3", "p4"]


async def test_an_empty_timeline_is_no_posts(x: Harness) -> None:
    x.mock.get(f"/2/users/{ME}/tweets").respond(200, json={"meta": {"result_count": 0}})
    assert await x.connector.find_recent(account(), SINCE) == []


async def test_account_metrics_come_from_public_metrics(x: Harness) -> None:
    route = x.mock.get(f"/2/users/{ME}").respond(
        200,
        json={
            "data": {
                "id": ME,
                "name": "Dinas",
                "username": "dinaskominfo",
                "public_metrics": {
                    "followers_count": 1000,
                    "following_count": 10,
                    "tweet_count": 500,
                    "listed_count": 7,
                },
            }
        },
    )
    assert await x.connector.account_metrics(account()) == AccountMetrics(
        measured_at=NOW, followers=1000, following=10, posts=500
    )
    assert dict(route.calls.last.request.url.params) == {"user.fields": "public_metrics"}


async def test_post_metrics_read_a_hundred_ids_a_call_and_skip_missing_posts(
    x: Harness,
) -> None:
    def lookup(request: httpx.Request) -> httpx.Response:
        ids = request.url.params["ids"].split(",")
        data = [
            {
                "id": post_id,
                "public_metrics": {
                    "retweet_count": 5,
                    "reply_count": 2,
                    "like_count": 30,
                    "quote_count": 1,
                    "bookmark_count": 4,
                    "impression_count": 900,
                },
            }
            for post_id in ids
            if post_id != "7"
        ]
        errors = [{"resource_id": "7", "title": "Not Found Error", "type": "x/resource-not-found"}]
        return httpx.Response(200, json={"data": data, "errors": errors})

    route = x.mock.get("/2/tweets").mock(side_effect=lookup)
    ids = [str(n) for n in range(1, 151)]
    found = await x.connector.post_metrics(account(), ids)
    assert route.call_count == 2
    sent = [call.request.url.params["ids"].split(",") for call in route.calls]
    assert sent == [ids[:100], ids[100:]]
    fields = route.calls.last.request.url.params["tweet.fields"]
    assert fields == "public_metrics,non_public_metrics,created_at"
    assert len(found) == 149 and "7" not in {m.external_id for m in found}
    assert found[0] == PostMetrics(
        external_id="1",
        measured_at=NOW,
        impressions=900,
        likes=30,
        replies=2,
        shares=5,
        extra={"quotes": 1, "bookmarks": 4},
    )


async def test_owned_post_metrics_prefer_non_public_figures(x: Harness) -> None:
    x.mock.get("/2/tweets").respond(
        200,
        json={
            "data": [
                {
                    "id": "1",
                    "public_metrics": {"like_count": 3, "impression_count": 10},
                    "non_public_metrics": {
                        "impression_count": 12,
                        "url_link_clicks": 4,
                        "user_profile_clicks": 2,
                    },
                }
            ]
        },
    )
    (found,) = await x.connector.post_metrics(account(), ["1"])
    assert (found.impressions, found.clicks, found.extra) == (12, 4, {"profile_clicks": 2})


async def test_no_ids_is_no_call(x: Harness) -> None:
    route = x.mock.get("/2/tweets").respond(500)
    assert await x.connector.post_metrics(account(), []) == []
    assert route.call_count == 0


def _post(post_id: str, author: str, conversation: str, text: str, minute: int) -> dict[str, str]:
    return {
        "id": post_id,
        "author_id": author,
        "conversation_id": conversation,
        "text": text,
        "created_at": f"2026-11-28T08:{minute:02d}:00.000Z",
    }


async def test_conversations_join_mentions_and_replies_under_own_posts(x: Harness) -> None:
    warga = {"id": "501", "username": "warga_a", "name": "Warga A"}
    mentions = x.mock.get(f"/2/users/{ME}/mentions").mock(
        side_effect=[
            httpx.Response(
                200,
                json={
                    "data": [_post("901", "501", "901", "@dinaskominfo jalan rusak?", 1)],
                    "includes": {"users": [warga]},
                    "meta": {"result_count": 1, "next_token": "m2"},
                },
            ),
            httpx.Response(
                200,
                json={
                    # A reply under our post also mentions us: it must not appear twice.
                    "data": [_post("903", "501", "11", "@dinaskominfo kapan?", 3)],
                    "includes": {"users": [warga]},
                    "meta": {"result_count": 1},
                },
            ),
        ]
    )
    x.mock.get(f"/2/users/{ME}/tweets").respond(
        200, json={"data": [{"id": "11", "text": "Pengumuman", "created_at": "2026-11-28T07Z"}]}
    )
    search = x.mock.get("/2/tweets/search/recent").respond(
        200,
        json={
            "data": [
                _post("903", "501", "11", "@dinaskominfo kapan?", 3),
                _post("904", ME, "11", "@warga_a besok pagi", 4),
            ],
            "includes": {"users": [warga, {"id": ME, "username": "dinaskominfo"}]},
            "meta": {"result_count": 2},
        },
    )
    found = await x.connector.fetch_conversations(account(), SINCE)

    assert [call.request.url.params.get("pagination_token") for call in mentions.calls] == [
        None,
        "m2",
    ]
    first = dict(mentions.calls[0].request.url.params)
    assert first == {
        "start_time": "2026-11-28T06:30:00Z",
        "tweet.fields": "created_at,author_id,conversation_id,in_reply_to_user_id",
        "expansions": "author_id",
        "user.fields": "username,name,profile_image_url",
        "max_results": "100",
    }
    assert search.calls.last.request.url.params["query"] == "conversation_id:11"
    by_id = {c.external_id: c for c in found}
    assert set(by_id) == {"901", "11"}
    assert by_id["901"].kind == "mention" and by_id["901"].post_external_id is None
    assert by_id["901"].messages[0].author_handle == "warga_a"
    assert by_id["901"].messages[0].author_name == "Warga A"
    thread = by_id["11"]
    assert thread.kind == "comment" and thread.post_external_id == "11"
    assert [(m.external_id, m.from_account) for m in thread.messages] == [
        ("903", False),
        ("904", True),
    ]


async def test_replies_are_searched_only_within_the_last_seven_days(x: Harness) -> None:
    x.mock.get(f"/2/users/{ME}/mentions").respond(200, json={"meta": {"result_count": 0}})
    timeline = x.mock.get(f"/2/users/{ME}/tweets").respond(200, json={"meta": {"result_count": 0}})
    search = x.mock.get("/2/tweets/search/recent").respond(500)
    long_ago = NOW - timedelta(days=30)
    assert await x.connector.fetch_conversations(account(), long_ago) == []
    window_start = NOW - timedelta(days=7) + timedelta(minutes=1)
    expected = window_start.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert timeline.calls.last.request.url.params["start_time"] == expected
    assert search.call_count == 0  # no own posts, no search


def test_conversation_queries_stay_within_xs_query_length() -> None:
    ids = [str(10**18 + n) for n in range(40)]
    batches = x_connector.query_batches(ids)
    assert all(len(q) <= x_connector.MAX_QUERY_CHARS for q in batches)
    assert len(batches) > 1
    joined = " OR ".join(batches).split(" OR ")
    assert joined == [f"conversation_id:{i}" for i in ids]


async def test_the_post_fields_parameter_name_is_a_setting(http: httpx.AsyncClient) -> None:
    with respx.mock(base_url="https://api.x.com") as mock:
        endpoints = Endpoints(x_post_fields_param="post.fields")
        x = build(mock, http, endpoints)
        route = mock.get(f"/2/users/{ME}/tweets").respond(200, json={"meta": {}})
        await x.connector.find_recent(account(), SINCE)
        params = route.calls.last.request.url.params
        assert params["post.fields"] == "created_at" and "tweet.fields" not in params


async def test_reply_search_pages_with_next_token(x: Harness) -> None:
    x.mock.get(f"/2/users/{ME}/mentions").respond(200, json={"meta": {"result_count": 0}})
    x.mock.get(f"/2/users/{ME}/tweets").respond(
        200, json={"data": [{"id": "11", "text": "t", "created_at": "2026-11-28T07:00:00Z"}]}
    )
    search = x.mock.get("/2/tweets/search/recent").mock(
        side_effect=[
            httpx.Response(
                200,
                json={"data": [_post("903", "501", "11", "a", 3)], "meta": {"next_token": "s2"}},
            ),
            httpx.Response(200, json={"data": [_post("905", "502", "11", "b", 5)], "meta": {}}),
        ]
    )
    (thread,) = await x.connector.fetch_conversations(account(), SINCE)
    assert [call.request.url.params.get("next_token") for call in search.calls] == [None, "s2"]
    assert [m.external_id for m in thread.messages] == ["903", "905"]
    assert thread.messages[0].author_handle == ""  # an author X did not expand stays unnamed

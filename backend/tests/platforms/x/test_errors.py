"""X's answers mapped to what the caller does next (retry, reconnect, give up), with admin
messages in English and Indonesian, and the rate-limit headers reported per account."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from gaung.platforms.protocol import (
    AuthError,
    ConnectorError,
    PermanentError,
    RateLimit,
    RetryableError,
    VariantToPublish,
)
from gaung.platforms.x.client import CAPPED_RETRY_AFTER_S, DEFAULT_RETRY_AFTER_S, MESSAGES
from tests.platforms.x.helpers import NOW, Harness, account, create_posts_validator

EPOCH = int(NOW.timestamp())
DUPLICATE = {
    "detail": "You are not allowed to create a Tweet with duplicate content.",
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
}


async def publish_error(x: Harness, response: httpx.Response | Exception) -> ConnectorError:
    route = x.mock.post("/2/tweets")
    if isinstance(response, Exception):
        route.mock(side_effect=response)
    else:
        route.mock(return_value=response)
    with pytest.raises(ConnectorError) as caught:
        await x.connector.publish(account(), VariantToPublish("Halo"))
    assert route.call_count == 1  # never a blind second POST
    return caught.value


async def test_duplicate_text_is_permanent(x: Harness) -> None:
    error = await publish_error(x, httpx.Response(403, json=DUPLICATE))
    assert isinstance(error, PermanentError) and error.code == "x.duplicate_text"
    assert "same text" in error.message and "teks yang sama" in error.message_id


async def test_a_duplicate_reply_is_a_duplicate_not_a_summons_problem(x: Harness) -> None:
    x.mock.post("/2/tweets").respond(403, json=DUPLICATE)
    with pytest.raises(PermanentError) as caught:
        await x.connector.reply(account(), "1234", "Terima kasih")
    assert caught.value.code == "x.duplicate_text"


async def test_an_app_outside_a_project_is_told_to_check_its_console(x: Harness) -> None:
    body = {
        "title": "Client Forbidden",
        "type": "https://api.x.com/2/problems/client-forbidden",
        "reason": "client-not-enrolled",
        "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use "
        "keys and tokens from a Twitter developer App that is attached to a Project.",
        "required_enrollment": "Appropriate Level of API Access",
    }
    error = await publish_error(x, httpx.Response(403, json=body))
    assert isinstance(error, PermanentError) and error.code == "x.access_not_allowed"


async def test_another_403_on_a_new_post_is_plainly_forbidden(x: Harness) -> None:
    error = await publish_error(x, httpx.Response(403, json={"title": "Forbidden"}))
    assert isinstance(error, PermanentError) and error.code == "x.forbidden"


async def test_a_bad_or_expired_token_asks_for_reconnection(x: Harness) -> None:
    body = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "no"}
    error = await publish_error(x, httpx.Response(401, json=body))
    assert isinstance(error, AuthError) and "reconnect" in error.message
    assert "hubungkan ulang" in error.message_id


async def test_a_rate_limit_waits_until_xs_reset(x: Harness) -> None:
    headers = {
        "x-rate-limit-limit": "100",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": str(EPOCH + 420),
    }
    body = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank"}
    error = await publish_error(x, httpx.Response(429, json=body, headers=headers))
    assert isinstance(error, RetryableError) and error.retry_after == 420
    assert error.message == MESSAGES["rate_limited"][0]


async def test_a_spent_daily_budget_waits_for_the_daily_reset(x: Harness) -> None:
    headers = {
        "x-rate-limit-reset": str(EPOCH + 60),
        "x-user-limit-24hour-limit": "100",
        "x-user-limit-24hour-remaining": "0",
        "x-user-limit-24hour-reset": str(EPOCH + 7200),
    }
    # The legacy v1.1 body X's docs still show: the status decides, not the body.
    body = {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}
    error = await publish_error(x, httpx.Response(429, json=body, headers=headers))
    assert isinstance(error, RetryableError) and error.retry_after == 7200


async def test_a_rate_limit_without_headers_waits_the_default(x: Harness) -> None:
    error = await publish_error(x, httpx.Response(429, text="slow down"))
    assert isinstance(error, RetryableError) and error.retry_after == DEFAULT_RETRY_AFTER_S


async def test_a_usage_cap_is_a_long_wait_with_its_own_message(x: Harness) -> None:
    body = {
        "title": "UsageCapExceeded",
        "type": "https://api.x.com/2/problems/usage-capped",
        "detail": "Usage cap exceeded: Monthly product cap",
    }
    error = await publish_error(x, httpx.Response(429, json=body))
    assert isinstance(error, RetryableError) and error.retry_after == CAPPED_RETRY_AFTER_S
    assert error.message == MESSAGES["usage_capped"][0]
    capped = httpx.Response(429, json=body, headers={"x-app-limit-24hour-reset": str(EPOCH + 3600)})
    x.mock.routes.clear()
    error = await publish_error(x, capped)
    assert isinstance(error, RetryableError) and error.retry_after == 3600


async def test_exhausted_credits_stop_calls_with_their_own_message(x: Harness) -> None:
    body = {"title": "Payment Required", "type": "about:blank", "status": 402, "detail": "x"}
    error = await publish_error(x, httpx.Response(402, json=body))
    assert isinstance(error, RetryableError) and error.retry_after == CAPPED_RETRY_AFTER_S
    assert "credits" in error.message and "kredit" in error.message_id


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_trouble_is_retryable(x: Harness, status: int) -> None:
    error = await publish_error(x, httpx.Response(status, text="<html>oops</html>"))
    assert isinstance(error, RetryableError) and error.retry_after is None
    assert "oops" not in error.message


@pytest.mark.parametrize(
    "failure", [httpx.ConnectTimeout("t"), httpx.ReadTimeout("t"), httpx.ConnectError("c")]
)
async def test_timeouts_and_dropped_connections_are_retryable(
    x: Harness, failure: Exception
) -> None:
    error = await publish_error(x, failure)
    assert isinstance(error, RetryableError) and "could not be reached" in error.message


async def test_an_unreadable_success_is_retryable(x: Harness) -> None:
    error = await publish_error(x, httpx.Response(201, text="<html>"))
    assert isinstance(error, RetryableError)


@pytest.mark.parametrize(("status", "code"), [(400, "x.invalid_request"), (404, "x.not_found")])
async def test_refusals_are_permanent(x: Harness, status: int, code: str) -> None:
    body = {"title": "Invalid Request", "detail": "secret internals", "type": "about:blank"}
    error = await publish_error(x, httpx.Response(status, json=body))
    assert isinstance(error, PermanentError) and error.code == code
    assert "internals" not in error.message


async def test_rate_limit_headers_are_reported_for_the_account(x: Harness) -> None:
    headers = {
        "x-rate-limit-limit": "100",
        "x-rate-limit-remaining": "97",
        "x-rate-limit-reset": str(EPOCH + 900),
        "x-user-limit-24hour-remaining": "12",
        "api-version": "2.167",
    }
    x.mock.post("/2/tweets").respond(201, json={"data": {"id": "1"}}, headers=headers)
    await x.connector.publish(account(), VariantToPublish("Halo"))
    assert x.limits == [
        RateLimit(
            account_external_id="2244994945",
            observed_at=NOW,
            limit=100,
            remaining=97,
            resets_at=datetime.fromtimestamp(EPOCH + 900, UTC),
            raw={
                "x-rate-limit-limit": "100",
                "x-rate-limit-remaining": "97",
                "x-rate-limit-reset": str(EPOCH + 900),
                "x-user-limit-24hour-remaining": "12",
            },
        )
    ]


async def test_errors_report_rate_limits_too_and_no_headers_report_nothing(x: Harness) -> None:
    x.mock.post("/2/tweets").mock(
        side_effect=[
            httpx.Response(429, headers={"x-rate-limit-remaining": "0"}),
            httpx.Response(201, json={"data": {"id": "1"}}),
        ]
    )
    with pytest.raises(RetryableError):
        await x.connector.publish(account(), VariantToPublish("Halo"))
    await x.connector.publish(account(), VariantToPublish("Halo"))
    assert [limit.remaining for limit in x.limits] == [0]


def test_every_message_is_written_in_both_languages() -> None:
    for key, (english, indonesian) in MESSAGES.items():
        assert english and indonesian and english != indonesian, key


def test_the_schema_check_catches_a_field_x_does_not_know() -> None:
    validator = create_posts_validator()
    assert validator.is_valid({"text": "hi", "reply": {"in_reply_to_tweet_id": "1"}})
    assert not validator.is_valid({"text": "hi", "in_reply_to": "1"})
    assert not validator.is_valid({"text": "hi", "media": {"media_ids": ["abc"]}})

"""Meta's error object and usage headers, mapped once for both Meta connectors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from gaung.platforms.meta.graph import map_error, usage_of
from gaung.platforms.protocol import AuthError, PermanentError, RetryableError

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def _body(code: int, subcode: int | None = None, **extra: object) -> dict[str, object]:
    error: dict[str, object] = {"message": "x", "type": "OAuthException", "code": code, **extra}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


@pytest.mark.parametrize(
    ("status", "body", "kind", "code"),
    [
        (500, _body(1), RetryableError, None),
        (503, _body(2), RetryableError, None),
        (400, _body(17), RetryableError, None),
        (400, _body(32), RetryableError, None),
        (400, _body(613, 1996), RetryableError, None),
        (400, _body(341), RetryableError, None),
        (400, _body(80002), RetryableError, None),
        (400, _body(9999, is_transient=True), RetryableError, None),
        (400, _body(102), AuthError, None),
        (400, _body(190, 458), AuthError, None),
        (400, _body(190, 460), AuthError, None),
        (400, _body(190, 464), AuthError, None),
        (400, _body(3), PermanentError, "meta.permission_missing"),
        (403, _body(10), PermanentError, "meta.permission_missing"),
        (400, _body(283), PermanentError, "meta.permission_missing"),
        (400, _body(100), PermanentError, "meta.invalid_request"),
        (400, _body(100, 2207028), PermanentError, "instagram.carousel_size"),
        (400, _body(36003, 2207009), PermanentError, "instagram.aspect_ratio"),
        (400, _body(9007, 2207027), RetryableError, None),
        (400, _body(424242), PermanentError, "meta.unknown"),
        (400, "not json", PermanentError, "meta.unknown"),
        (429, None, RetryableError, None),
    ],
)
def test_error_table(status: int, body: object, kind: type[Exception], code: str | None) -> None:
    error = map_error(status, body, {})
    assert type(error) is kind
    if code is not None:
        assert isinstance(error, PermanentError) and error.code == code
    assert error.message and error.message_id and error.message != error.message_id


def test_a_missing_page_role_is_not_an_expired_token() -> None:
    role = map_error(400, _body(190, 492), {})
    expired = map_error(400, _body(190, 463), {})
    assert isinstance(role, AuthError) and isinstance(expired, AuthError)
    assert "role" in role.message and "expired" in expired.message


def test_the_busiest_usage_figure_and_the_longest_wait_win() -> None:
    buc = {
        "111": [{"type": "pages", "call_count": 10, "total_cputime": 91, "total_time": 3,
                 "estimated_time_to_regain_access": 2}],
        "222": [{"type": "instagram", "call_count": 5, "total_cputime": 5, "total_time": 5,
                 "estimated_time_to_regain_access": 0}],
    }  # fmt: skip
    headers = {
        "x-app-usage": json.dumps({"call_count": 40, "total_cputime": 1, "total_time": 1}),
        "x-business-use-case-usage": json.dumps(buc),
    }
    limit = usage_of(headers, "111", NOW)
    assert limit is not None
    assert limit.usage_pct == 91
    assert limit.resets_at == NOW.replace(minute=2)
    assert set(limit.raw) == {"x-app-usage", "x-business-use-case-usage"}


def test_no_or_broken_usage_headers() -> None:
    assert usage_of({}, "1", NOW) is None
    broken = usage_of({"x-app-usage": "{not json"}, "1", NOW)
    assert broken is not None and broken.usage_pct is None

"""Thin calls to the X API v2 and the mapping of its answers to the connector errors.

Every call goes through ``XClient.request``, which reports the ``x-rate-limit-*`` headers to
the context (so callers wait instead of failing) and turns problem JSON, OAuth errors,
timeouts and 5xx into ``RetryableError`` / ``AuthError`` / ``PermanentError`` with messages
for a unit admin in English and Indonesian (kept here, next to the mapping).

Decisions where X's documentation is silent (``shared/reference/platform-apis.md`` A3, A8):
- a 403 on a *reply* that is neither a duplicate nor an access problem is taken as X's
  "reply not summoned" refusal (self-serve tiers allow a programmatic reply only when the
  original author mentioned or quoted the account): code ``x.reply_not_summoned``;
- a 429 whose problem type is ``usage-capped``, and a 402 (pay-per-use credits exhausted),
  wait until the 24-hour reset header (or a day) — they are not short retries.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import httpx

from gaung.platforms.protocol import (
    AuthError,
    Context,
    PermanentError,
    RateLimit,
    RetryableError,
    Usage,
)
from gaung.platforms.x import pricing

# Wait when X says "too many requests" without a reset header (its docs wait at least 60 s).
DEFAULT_RETRY_AFTER_S: Final = 60.0
# A usage cap or exhausted credits lasts until the daily reset or a top-up: wait a day unless
# X says when.
CAPPED_RETRY_AFTER_S: Final = 24 * 3600.0

# (English, Indonesian) per outcome, for the admin who sees why a post did not go out.
MESSAGES: Final[Mapping[str, tuple[str, str]]] = {
    "network": (
        "X could not be reached. Gaung will try again shortly.",
        "X tidak dapat dihubungi. Gaung akan mencoba lagi sebentar lagi.",
    ),
    "server": (
        "X is having trouble right now. Gaung will try again shortly.",
        "X sedang mengalami gangguan. Gaung akan mencoba lagi sebentar lagi.",
    ),
    "unreadable": (
        "X gave an answer Gaung could not read. Gaung will check and try again.",
        "Jawaban X tidak dapat dibaca. Gaung akan memeriksa dan mencoba lagi.",
    ),
    "rate_limited": (
        "Too many requests to X for this account. Gaung will wait and try again.",
        "Terlalu banyak permintaan ke X untuk akun ini. Gaung akan menunggu lalu mencoba lagi.",
    ),
    "usage_capped": (
        "The X app has used up its allowance for now. Gaung will wait until X resets it.",
        "Aplikasi X sudah menghabiskan jatahnya untuk saat ini. Gaung akan menunggu sampai "
        "X mengatur ulang jatahnya.",
    ),
    "credits_exhausted": (
        "The X app has no API credits left. Add credits in the X developer console; Gaung "
        "will try again later.",
        "Aplikasi X kehabisan kredit API. Tambahkan kredit di konsol pengembang X; Gaung akan "
        "mencoba lagi nanti.",
    ),
    "auth": (
        "X no longer accepts this account's access. Please reconnect the X account.",
        "X tidak lagi menerima akses akun ini. Silakan hubungkan ulang akun X.",
    ),
    "x.duplicate_text": (
        "X refused this post because the account already posted the same text. Change the "
        "text and try again.",
        "X menolak postingan ini karena akun sudah pernah memposting teks yang sama. Ubah "
        "teksnya lalu coba lagi.",
    ),
    "x.reply_not_summoned": (
        "X only allows a reply to someone who mentioned or quoted this account. Reply from "
        "the X app instead.",
        "X hanya mengizinkan balasan kepada orang yang menyebut atau mengutip akun ini. "
        "Balas langsung dari aplikasi X.",
    ),
    "x.access_not_allowed": (
        "The X app is not allowed to do this (its plan or project settings). Check the app "
        "in the X developer console.",
        "Aplikasi X tidak diizinkan melakukan ini (paket atau pengaturan proyeknya). Periksa "
        "aplikasi di konsol pengembang X.",
    ),
    "x.forbidden": (
        "X refused this request for this account.",
        "X menolak permintaan ini untuk akun ini.",
    ),
    "x.invalid_request": (
        "X refused the post as invalid. Check its text and media.",
        "X menolak postingan karena tidak valid. Periksa teks dan medianya.",
    ),
    "x.not_found": (
        "X could not find the post or account this refers to; it may have been deleted.",
        "X tidak menemukan postingan atau akun yang dimaksud; mungkin sudah dihapus.",
    ),
    "x.media_failed": (
        "X could not process this media file. Try another file or re-encode the video.",
        "X tidak dapat memproses file media ini. Coba file lain atau enkode ulang videonya.",
    ),
    "x.media_timeout": (
        "X took too long to process the video. Gaung will try again later.",
        "X terlalu lama memproses video. Gaung akan mencoba lagi nanti.",
    ),
    "x.not_configured": (
        "The X app is not set up on this server (client id missing). Ask the server administrator.",
        "Aplikasi X belum diatur di server ini (client id belum diisi). Hubungi administrator "
        "server.",
    ),
    "x.no_refresh_token": (
        "This X account has no refresh permission. Please reconnect the X account.",
        "Akun X ini tidak memiliki izin pembaruan. Silakan hubungkan ulang akun X.",
    ),
}


def retryable(key: str, retry_after: float | None = None) -> RetryableError:
    en, id_ = MESSAGES[key]
    return RetryableError(en, retry_after=retry_after, message_id=id_)


def permanent(code: str) -> PermanentError:
    en, id_ = MESSAGES[code]
    return PermanentError(code, en, message_id=id_)


def auth_error(key: str = "auth") -> AuthError:
    en, id_ = MESSAGES[key]
    return AuthError(en, message_id=id_)


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def rate_limit_of(headers: httpx.Headers, account_id: str, now: datetime) -> RateLimit | None:
    """The 15-minute window X reports, with every ``x-*-limit-*`` header kept raw (the
    24-hour ones are community-documented only), or None when X sent none."""
    raw = {k.lower(): v for k, v in headers.items() if "-limit-" in k.lower()}
    if not raw:
        return None
    reset = _int_header(headers, "x-rate-limit-reset")
    return RateLimit(
        account_external_id=account_id,
        observed_at=now,
        limit=_int_header(headers, "x-rate-limit-limit"),
        remaining=_int_header(headers, "x-rate-limit-remaining"),
        resets_at=datetime.fromtimestamp(reset, UTC) if reset is not None else None,
        raw=raw,
    )


def _seconds_until(epoch: int | None, now: datetime) -> float | None:
    if epoch is None:
        return None
    return max(1.0, epoch - now.timestamp())


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def map_error(response: httpx.Response, now: datetime, *, is_reply: bool = False) -> Exception:
    """The connector error for a non-2xx answer from X."""
    status = response.status_code
    problem = _problem(response)
    kind = str(problem.get("type", ""))
    detail = str(problem.get("detail", "")).lower()
    headers = response.headers
    daily_reset = _int_header(headers, "x-user-limit-24hour-reset") or _int_header(
        headers, "x-app-limit-24hour-reset"
    )
    if status == 402:
        return retryable(
            "credits_exhausted", _seconds_until(daily_reset, now) or CAPPED_RETRY_AFTER_S
        )
    if status == 429:
        if kind.endswith("/usage-capped"):
            wait = _seconds_until(daily_reset, now) or CAPPED_RETRY_AFTER_S
            return retryable("usage_capped", wait)
        # A spent 24-hour budget outlasts the 15-minute window: wait for the later reset.
        reset = _int_header(headers, "x-rate-limit-reset")
        for prefix in ("x-user-limit-24hour", "x-app-limit-24hour"):
            if _int_header(headers, f"{prefix}-remaining") == 0:
                reset = _int_header(headers, f"{prefix}-reset") or reset
        return retryable("rate_limited", _seconds_until(reset, now) or DEFAULT_RETRY_AFTER_S)
    if status == 401:
        return auth_error()
    if status == 403:
        if "duplicate" in detail:
            return permanent("x.duplicate_text")
        if kind.endswith("/client-forbidden") or "reason" in problem:
            return permanent("x.access_not_allowed")
        if is_reply:
            return permanent("x.reply_not_summoned")
        return permanent("x.forbidden")
    if status == 404:
        return permanent("x.not_found")
    if status >= 500:
        return retryable("server")
    return permanent("x.invalid_request")


@dataclass(frozen=True)
class XClient:
    """One place that sends a request to X for an account and reads its JSON answer."""

    ctx: Context
    clock: Callable[[], datetime]

    def url(self, path: str) -> str:
        return f"{self.ctx.endpoints.x_api_base_url.rstrip('/')}{path}"

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None,
        account_id: str,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        is_reply: bool = False,
        basic_auth: bool = False,
    ) -> dict[str, Any]:
        headers: dict[str, str] = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if basic_auth:
            endpoints = self.ctx.endpoints
            pair = f"{endpoints.x_client_id}:{endpoints.x_client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        try:
            response = await self.ctx.http.request(
                method,
                self.url(path),
                params=params,
                json=json_body,
                data=data,
                files=files,
                headers=headers,
            )
        except httpx.TimeoutException as exc:
            raise retryable("network") from exc
        except httpx.HTTPError as exc:
            raise retryable("network") from exc
        now = self.clock()
        # Token and identity calls have no account yet: nothing to store their budget under.
        limit = rate_limit_of(response.headers, account_id, now) if account_id else None
        if limit is not None:
            self.ctx.on_rate_limit(limit)
        if not response.is_success:
            raise map_error(response, now, is_reply=is_reply)
        body: Any = {}
        if response.content:
            try:
                body = json.loads(response.content)
            except ValueError:
                body = None
        if not isinstance(body, dict):
            # X accepted the call even when its answer is unreadable: a write is still billed.
            self._report_usage(method, path, json_body, {}, account_id, is_reply)
            raise retryable("unreadable")
        self._report_usage(method, path, json_body, body, account_id, is_reply)
        return body

    def _report_usage(
        self,
        method: str,
        path: str,
        json_body: Any,
        answer: dict[str, Any],
        account_id: str,
        is_reply: bool,
    ) -> None:
        """Tell the context what an accepted call costs (X bills per use)."""
        price = pricing.price_class(
            method,
            path,
            body=json_body,
            is_reply=is_reply,
            app_owner_id=self.ctx.endpoints.x_app_owner_id,
        )
        if price is None:
            return
        count = pricing.billed_count(price, answer)
        if count:
            if not account_id:
                # Reading the account at connect time: it is the user the answer names.
                data = answer.get("data")
                account_id = str(data.get("id", "")) if isinstance(data, dict) else ""
            self.ctx.on_usage(Usage(account_id, price.value, count))

    async def token(self, form: Mapping[str, str]) -> dict[str, Any]:
        """The OAuth token endpoint: Basic auth for a confidential app, else ``client_id`` in
        the form. An OAuth error (``invalid_grant``, ``invalid_request``) means the grant is
        gone: the admin must reconnect."""
        endpoints = self.ctx.endpoints
        if not endpoints.x_client_id:
            raise permanent("x.not_configured")
        confidential = bool(endpoints.x_client_secret)
        body = dict(form)
        if not confidential:
            body["client_id"] = endpoints.x_client_id
        try:
            return await self.request(
                "POST",
                "/2/oauth2/token",
                token=None,
                account_id="",
                data=body,
                basic_auth=confidential,
            )
        except PermanentError as exc:
            if exc.code in ("x.invalid_request", "x.forbidden"):
                raise auth_error() from exc
            raise

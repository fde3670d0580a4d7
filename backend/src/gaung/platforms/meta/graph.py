"""The Graph API layer Facebook Pages and Instagram share: one request helper that turns Meta's
error object into typed errors (with messages for a unit admin in English and Indonesian),
reports the usage headers, pages through cursors (bounded) and sends synchronous batches.

Multi-id reads (``?ids=a,b``) are gone for new apps, so many objects are read with ``batch``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from gaung.platforms.protocol import (
    AuthError,
    ConnectorError,
    Context,
    PermanentError,
    RateLimit,
    RetryableError,
)

JSON = dict[str, Any]
Sleep = Callable[[float], Awaitable[None]]

# Meta allows 50 sub-requests per batch.
BATCH_SIZE = 50
# Bounds for cursor paging, so a misbehaving API can never loop us forever.
MAX_PAGES = 10
# Without an estimate from Meta, wait this long after a throttle (the reference: 1-5 min).
DEFAULT_THROTTLE_S = 300.0

_THROTTLE_CODES = frozenset({4, 17, 32, 341, 613})
_TRANSIENT_CODES = frozenset({1, 2, -1, -2})
_REAUTH_SUBCODES = frozenset({458, 460, 463, 467})
_FIX_ACCOUNT_SUBCODES = frozenset({459, 464})

# --- messages for admins: (English, Indonesian) ---------------------------------------------

MSG_THROTTLED = (
    "Facebook/Instagram is limiting how often Gaung may call it right now; Gaung will wait "
    "and try again.",
    "Facebook/Instagram sedang membatasi seberapa sering Gaung boleh menghubunginya; Gaung "
    "akan menunggu lalu mencoba lagi.",
)
MSG_UNAVAILABLE = (
    "Facebook/Instagram is temporarily unavailable; Gaung will try again.",
    "Facebook/Instagram sedang tidak tersedia untuk sementara; Gaung akan mencoba lagi.",
)
MSG_EXPIRED = (
    "The connection to this account has expired or was revoked; please reconnect the account.",
    "Sambungan ke akun ini sudah kedaluwarsa atau dicabut; silakan sambungkan ulang akun.",
)
MSG_FIX_ACCOUNT = (
    "Facebook asks the account owner to log in on facebook.com and resolve a notice there; "
    "then reconnect the account.",
    "Facebook meminta pemilik akun masuk di facebook.com dan menyelesaikan pemberitahuan di "
    "sana; setelah itu sambungkan ulang akun.",
)
MSG_NO_PAGE_ROLE = (
    "The person who connected this Page no longer has a role on it; ask a Page admin to "
    "give them access again or reconnect the Page with another admin.",
    "Orang yang menyambungkan Halaman ini tidak lagi punya peran di Halaman tersebut; minta "
    "admin Halaman memberi akses lagi atau sambungkan ulang dengan admin lain.",
)
MSG_PERMISSION = (
    "Gaung lacks a permission it needs for this account; reconnect the account and accept "
    "every permission asked.",
    "Gaung tidak memiliki izin yang diperlukan untuk akun ini; sambungkan ulang akun dan "
    "setujui semua izin yang diminta.",
)
MSG_INVALID = (
    "Facebook/Instagram refused the request as invalid; check the post's content.",
    "Facebook/Instagram menolak permintaan karena tidak valid; periksa isi postingan.",
)
MSG_BLOCKED = (
    "Facebook/Instagram temporarily blocked this account for a policy concern; publishing "
    "is paused, check the account in the Meta app.",
    "Facebook/Instagram memblokir akun ini sementara karena masalah kebijakan; penerbitan "
    "dihentikan, periksa akun di aplikasi Meta.",
)
MSG_DUPLICATE = (
    "Facebook refused this post as a duplicate of a recent one; change the text.",
    "Facebook menolak postingan ini karena sama dengan postingan sebelumnya; ubah teksnya.",
)
MSG_LINK = (
    "Facebook could not read the linked page; check that the link works.",
    "Facebook tidak dapat membaca halaman tautan; pastikan tautannya berfungsi.",
)
MSG_UNKNOWN = (
    "Facebook/Instagram refused the request; try again later or contact support.",
    "Facebook/Instagram menolak permintaan; coba lagi nanti atau hubungi dukungan.",
)
MSG_BAD_ANSWER = (
    "Facebook/Instagram sent an answer Gaung could not read; Gaung will try again.",
    "Facebook/Instagram mengirim jawaban yang tidak dapat dibaca Gaung; Gaung akan mencoba lagi.",
)

# Instagram's publishing table: subcode → (stable code, retryable?, English, Indonesian).
_IG_SUBCODES: Mapping[int, tuple[str, bool, str, str]] = {
    2207003: (
        "instagram.media_download_timeout",
        True,
        "Instagram timed out fetching the media; Gaung will try again.",
        "Instagram kehabisan waktu saat mengambil media; Gaung akan mencoba lagi.",
    ),
    2207001: (
        "instagram.server_error",
        True,
        "Instagram had a server problem; Gaung will try again.",
        "Instagram mengalami masalah server; Gaung akan mencoba lagi.",
    ),
    2207032: (
        "instagram.container_failed",
        True,
        "Instagram could not prepare the post; Gaung will try again.",
        "Instagram gagal menyiapkan postingan; Gaung akan mencoba lagi.",
    ),
    2207008: (
        "instagram.container_unavailable",
        True,
        "Instagram's prepared post is temporarily unavailable; Gaung will try again.",
        "Postingan yang disiapkan Instagram sementara tidak tersedia; Gaung akan mencoba lagi.",
    ),
    2207027: (
        "instagram.container_not_ready",
        True,
        "Instagram is still processing the media; Gaung will try again.",
        "Instagram masih memproses media; Gaung akan mencoba lagi.",
    ),
    2207042: (
        "instagram.publishing_limit",
        True,
        "The account reached Instagram's daily publishing limit; Gaung will publish when it "
        "frees up.",
        "Akun mencapai batas penerbitan harian Instagram; Gaung akan menerbitkan saat batas "
        "kembali tersedia.",
    ),
    2207020: (
        "instagram.media_expired",
        False,
        "Instagram's prepared post expired; publish the post again.",
        "Postingan yang disiapkan Instagram kedaluwarsa; terbitkan ulang postingan.",
    ),
    2207053: (
        "instagram.upload_failed",
        False,
        "Instagram could not process the video; publish the post again.",
        "Instagram gagal memproses video; terbitkan ulang postingan.",
    ),
    2207057: (
        "instagram.thumbnail_offset",
        False,
        "The chosen cover frame lies outside the video.",
        "Bingkai sampul yang dipilih berada di luar durasi video.",
    ),
    2207051: (
        "instagram.activity_restricted",
        False,
        "Instagram restricted this account's activity; check the account in the Instagram app.",
        "Instagram membatasi aktivitas akun ini; periksa akun di aplikasi Instagram.",
    ),
    2207006: (
        "instagram.media_not_found",
        False,
        "Instagram could not find the media; reconnect the account and publish again.",
        "Instagram tidak menemukan media; sambungkan ulang akun dan terbitkan lagi.",
    ),
    2207050: (
        "instagram.account_restricted",
        False,
        "The Instagram account is restricted or inactive; the owner must fix it in the app.",
        "Akun Instagram dibatasi atau tidak aktif; pemilik harus memperbaikinya di aplikasi.",
    ),
    2207023: (
        "instagram.unknown_media_type",
        False,
        "Instagram does not accept this kind of media.",
        "Instagram tidak menerima jenis media ini.",
    ),
    2207028: (
        "instagram.carousel_size",
        False,
        "An Instagram carousel needs 2 to 10 items.",
        "Carousel Instagram memerlukan 2 sampai 10 item.",
    ),
    2207040: (
        "instagram.too_many_tags",
        False,
        "The post tags more than 20 accounts.",
        "Postingan menandai lebih dari 20 akun.",
    ),
    2207026: (
        "instagram.video_format",
        False,
        "Instagram does not support this video format; use MP4 or MOV.",
        "Instagram tidak mendukung format video ini; gunakan MP4 atau MOV.",
    ),
    2207052: (
        "instagram.media_fetch_failed",
        False,
        "Instagram could not fetch the media from Gaung's public address; check "
        "GAUNG_PUBLIC_BASE_URL.",
        "Instagram tidak dapat mengambil media dari alamat publik Gaung; periksa "
        "GAUNG_PUBLIC_BASE_URL.",
    ),
    2207004: (
        "instagram.image_too_large",
        False,
        "The image is larger than Instagram's 8 MB limit.",
        "Gambar lebih besar dari batas Instagram 8 MB.",
    ),
    2207005: (
        "instagram.image_format",
        False,
        "Instagram does not support this image format; use JPEG.",
        "Instagram tidak mendukung format gambar ini; gunakan JPEG.",
    ),
    2207009: (
        "instagram.aspect_ratio",
        False,
        "The image's shape is outside what Instagram accepts (4:5 to 1.91:1).",
        "Bentuk gambar di luar yang diterima Instagram (4:5 sampai 1.91:1).",
    ),
    2207010: (
        "instagram.caption_too_long",
        False,
        "The caption is too long or has too many hashtags or mentions.",
        "Keterangan terlalu panjang atau memuat terlalu banyak tagar atau sebutan.",
    ),
}


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def regain_seconds(headers: Mapping[str, str]) -> float | None:
    """The longest ``estimated_time_to_regain_access`` (minutes) in the BUC header, in seconds."""
    usage = _json_header(headers, "x-business-use-case-usage")
    minutes = [
        float(entry.get("estimated_time_to_regain_access") or 0)
        for entries in (usage or {}).values()
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    longest = max(minutes, default=0.0)
    return longest * 60 if longest > 0 else None


def map_error(status: int, body: object, headers: Mapping[str, str]) -> ConnectorError:
    """Meta's error object (or a bare HTTP failure) → the typed error the caller acts on."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        if status == 429 or status >= 500:
            return retry(MSG_UNAVAILABLE)
        return PermanentError("meta.unknown", *MSG_UNKNOWN)
    code = _int(error.get("code"))
    subcode = _int(error.get("error_subcode"))
    if subcode is not None and subcode in _IG_SUBCODES:
        name, retryable, en, id_ = _IG_SUBCODES[subcode]
        if retryable:
            wait = 3600.0 if subcode == 2207042 else 60.0
            return RetryableError(en, retry_after=wait, message_id=id_)
        return PermanentError(name, en, id_)
    if code in _THROTTLE_CODES or (code is not None and 80000 <= code <= 80014):
        wait = regain_seconds(headers) or DEFAULT_THROTTLE_S
        return retry(MSG_THROTTLED, wait)
    if code in (190, 102):
        if subcode == 492:
            return AuthError(*MSG_NO_PAGE_ROLE)
        if subcode in _FIX_ACCOUNT_SUBCODES:
            return AuthError(*MSG_FIX_ACCOUNT)
        return AuthError(*MSG_EXPIRED)
    if code in _TRANSIENT_CODES or error.get("is_transient") is True or status >= 500:
        return retry(MSG_UNAVAILABLE)
    if code in (3, 10) or (code is not None and 200 <= code <= 299):
        return PermanentError("meta.permission_missing", *MSG_PERMISSION)
    if code == 368:
        return PermanentError("meta.policy_block", *MSG_BLOCKED)
    if code == 506:
        return PermanentError("facebook.duplicate_post", *MSG_DUPLICATE)
    if code == 1609005:
        return PermanentError("facebook.link_unreadable", *MSG_LINK)
    if code == 100:
        return PermanentError("meta.invalid_request", *MSG_INVALID)
    return PermanentError("meta.unknown", *MSG_UNKNOWN)


def retry(msg: tuple[str, str], wait: float | None = None) -> RetryableError:
    return RetryableError(msg[0], retry_after=wait, message_id=msg[1])


def _json_header(headers: Mapping[str, str], name: str) -> dict[str, Any] | None:
    raw = headers.get(name)
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def usage_of(headers: Mapping[str, str], account_id: str, now: datetime) -> RateLimit | None:
    """The usage headers (percentages of the limit used) → the busiest figure, or ``None``."""
    names = ("x-app-usage", "x-business-use-case-usage", "x-page-usage")
    raw = {name: headers[name] for name in names if headers.get(name)}
    if not raw:
        return None
    figures: list[float] = []
    for name in ("x-app-usage", "x-page-usage"):
        flat = _json_header(headers, name) or {}
        figures += [float(v) for v in flat.values() if isinstance(v, int | float)]
    for entries in (_json_header(headers, "x-business-use-case-usage") or {}).values():
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict):
                figures += [
                    float(entry[key])
                    for key in ("call_count", "total_cputime", "total_time")
                    if isinstance(entry.get(key), int | float)
                ]
    wait = regain_seconds(headers)
    return RateLimit(
        account_external_id=account_id,
        observed_at=now,
        usage_pct=max(figures, default=None),
        resets_at=now + timedelta(seconds=wait) if wait else None,
        raw=raw,
    )


def parse_time(value: object) -> datetime:
    """Graph timestamps look like ``2026-01-02T10:00:00+0000``."""
    if isinstance(value, str):
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                pass
    raise retry(MSG_BAD_ANSWER)


@dataclass
class Graph:
    """Calls to one Graph host for one account (its id receives the usage reports)."""

    ctx: Context
    account_id: str = ""
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    @property
    def base(self) -> str:
        e = self.ctx.endpoints
        return f"{e.graph_api_base_url}/{e.graph_api_version}"

    @property
    def video_base(self) -> str:
        e = self.ctx.endpoints
        return f"{e.graph_video_base_url}/{e.graph_api_version}"

    def _auth(self, token: str) -> dict[str, str]:
        if not token:  # app-credential calls (the OAuth exchange) carry no token
            return {}
        params = {"access_token": token}
        secret = self.ctx.endpoints.meta_app_secret
        if secret:
            # Harmless when the app does not require it, mandatory when it does.
            params["appsecret_proof"] = hmac.new(
                secret.encode(), token.encode(), hashlib.sha256
            ).hexdigest()
        return params

    async def call(
        self,
        method: str,
        path: str,
        token: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        base: str | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
    ) -> JSON:
        url = path if path.startswith("http") else f"{base or self.base}/{path.lstrip('/')}"
        query = {**(params or {}), **self._auth(token)}
        try:
            response = await self.ctx.http.request(
                method,
                url,
                params=query,
                data=dict(data) if data else None,
                files=dict(files) if files else None,
            )
        except httpx.TimeoutException:
            raise retry(MSG_UNAVAILABLE) from None
        except httpx.HTTPError:
            raise retry(MSG_UNAVAILABLE) from None
        return self._answer(response.status_code, response.content, response.headers)

    def _answer(self, status: int, content: bytes | str, headers: Mapping[str, str]) -> JSON:
        lower = {k.lower(): v for k, v in headers.items()}
        usage = usage_of(lower, self.account_id, self.clock())
        if usage is not None:
            self.ctx.on_rate_limit(usage)
        try:
            body: object = json.loads(content) if content else {}
        except ValueError:
            body = None
        if status >= 400 or (isinstance(body, dict) and "error" in body):
            raise map_error(status, body, lower)
        if not isinstance(body, dict):
            raise retry(MSG_BAD_ANSWER)
        return body

    async def pages(
        self, path: str, token: str, params: Mapping[str, str], max_pages: int = MAX_PAGES
    ) -> list[JSON]:
        """Every item of a cursor-paged edge, following ``paging.cursors.after`` while
        ``paging.next`` exists, at most ``max_pages`` pages."""
        items: list[JSON] = []
        query = dict(params)
        for _ in range(max_pages):
            body = await self.call("GET", path, token, query)
            items += [item for item in body.get("data") or [] if isinstance(item, dict)]
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                break
            query["after"] = after
        return items

    async def batch(self, token: str, relative_urls: Sequence[str]) -> list[JSON | ConnectorError]:
        """GET many objects in synchronous batches of 50; each answer is its body or its error."""
        results: list[JSON | ConnectorError] = []
        for start in range(0, len(relative_urls), BATCH_SIZE):
            chunk = relative_urls[start : start + BATCH_SIZE]
            requests = [{"method": "GET", "relative_url": url} for url in chunk]
            answer = await self._batch_call(token, json.dumps(requests))
            for item in answer:
                if not isinstance(item, dict):
                    results.append(retry(MSG_BAD_ANSWER))
                    continue
                headers = {
                    h.get("name", ""): h.get("value", "")
                    for h in item.get("headers") or []
                    if isinstance(h, dict)
                }
                try:
                    results.append(
                        self._answer(int(item.get("code") or 500), item.get("body") or "", headers)
                    )
                except ConnectorError as error:
                    results.append(error)
        return results

    async def _batch_call(self, token: str, requests: str) -> list[object]:
        url = f"{self.base}/"
        try:
            response = await self.ctx.http.post(
                url, data={"batch": requests, "include_headers": "true", **self._auth(token)}
            )
        except httpx.HTTPError:
            raise retry(MSG_UNAVAILABLE) from None
        lower = {k.lower(): v for k, v in response.headers.items()}
        usage = usage_of(lower, self.account_id, self.clock())
        if usage is not None:
            self.ctx.on_rate_limit(usage)
        try:
            body: object = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400 or not isinstance(body, list):
            raise map_error(response.status_code, body, lower)
        return body


async def bounded_poll(
    fetch: Callable[[], Awaitable[str]],
    done: Callable[[str], bool],
    sleep: Sleep,
    interval_s: float,
    max_polls: int,
) -> str | None:
    """Ask ``fetch`` up to ``max_polls`` times, sleeping between asks; the first state that is
    ``done``, or ``None`` when it never was."""
    for attempt in range(max_polls):
        state = await fetch()
        if done(state):
            return state
        if attempt + 1 < max_polls:
            await sleep(interval_s)
    return None

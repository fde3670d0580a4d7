"""A fake Graph API (Facebook Pages + Instagram via Facebook Login) for respx: it answers with
the documented shapes, records every request, and lets a test script container states or
inject error answers for one path.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import default
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import respx

from gaung.platforms.facebook.connector import FacebookConnector
from gaung.platforms.instagram.connector import InstagramConnector
from gaung.platforms.protocol import (
    AccountCredentials,
    AuthError,
    Connector,
    Context,
    Endpoints,
    MediaFile,
    PermanentError,
    RateLimit,
    RetryableError,
    VariantToPublish,
)
from gaung.platforms.types import MediaInfo, Platform
from tests.platforms.contract import Adapter

VERSION = "v25.0"
GRAPH = "https://graph.facebook.com"
VIDEO = "https://graph-video.facebook.com"
PAGE = "1234567890"
IG = "17841400000000000"
ENDPOINTS = Endpoints(
    graph_api_base_url=GRAPH,
    graph_video_base_url=VIDEO,
    graph_api_version=VERSION,
    meta_app_id="APPID",
    meta_app_secret="APPSECRET",
)
PAGE_ACCOUNT = AccountCredentials(Platform.facebook, PAGE, "Toko Gaung", "PAGE_TOKEN")
IG_ACCOUNT = AccountCredentials(Platform.instagram, IG, "tokogaung", "PAGE_TOKEN")


def graph_error(
    code: int, subcode: int | None = None, status: int = 400, **headers: str
) -> httpx.Response:
    error: dict[str, Any] = {"message": f"(#{code}) raw developer text", "type": "OAuthException"}
    error["code"] = code
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "TRACE"
    return httpx.Response(status, json={"error": error}, headers=headers)


def image(url: str = "https://media.gaung.example/a.jpg") -> MediaFile:
    from pathlib import Path

    return MediaFile(MediaInfo("image", "image/jpeg", 1000, 1080, 1080), Path("a.jpg"), url)


def video(url: str = "https://media.gaung.example/v.mp4") -> MediaFile:
    from pathlib import Path

    info = MediaInfo("video", "video/mp4", 10_000, 1080, 1920, duration_s=10.0)
    return MediaFile(info, Path("v.mp4"), url)


@dataclass
class Sent:
    method: str
    host: str
    path: str  # without the version prefix
    params: dict[str, str]
    form: dict[str, str]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class FakeGraph:
    """Answers like Meta; ``sent`` holds every request (batch sub-requests are not counted)."""

    sent: list[Sent] = field(default_factory=list)
    # container id → the status codes it reports, one per poll (the last one repeats)
    statuses: dict[str, deque[str]] = field(default_factory=dict)
    # "METHOD path" → answers to give instead, in order (then the normal answer again)
    inject: dict[str, deque[httpx.Response]] = field(default_factory=lambda: defaultdict(deque))
    quota_usage: int = 2
    containers: int = 0
    photos: int = 0
    latency: Callable[[], Awaitable[None]] | None = None
    # the resumable video upload: the size announced, bytes received, the chunk size asked
    upload_size: int = 0
    uploaded: bytearray = field(default_factory=bytearray)
    chunk: int = 4
    limits: list[RateLimit] = field(default_factory=list)
    _last_files: dict[str, bytes] = field(default_factory=dict)

    def context(self, http: httpx.AsyncClient) -> Context:
        return Context(http, ENDPOINTS, self.limits.append)

    def mount(self, router: respx.MockRouter) -> None:
        router.route(host="graph.facebook.com").mock(side_effect=self.handle)
        router.route(host="graph-video.facebook.com").mock(side_effect=self.handle)

    def fail(self, method: str, path: str, *answers: httpx.Response) -> None:
        self.inject[f"{method} {path}"].extend(answers)

    def calls(self, method: str, path: str) -> list[Sent]:
        return [s for s in self.sent if s.method == method and s.path == path]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if self.latency is not None:
            await self.latency()
        url = urlsplit(str(request.url))
        path = url.path.removeprefix(f"/{VERSION}").strip("/")
        params = dict(parse_qsl(url.query))
        form, files = _form(request)
        self.sent.append(Sent(request.method, url.hostname or "", path, params, form, files))
        queued = self.inject.get(f"{request.method} {path}")
        if queued:
            return queued.popleft()
        self._last_files = files
        if request.method == "POST" and path == "":
            return self._batch(json.loads(form["batch"]))
        status, body = self.answer(request.method, path, {**params, **form})
        return httpx.Response(status, json=body)

    def _batch(self, requests: list[dict[str, str]]) -> httpx.Response:
        out = []
        for sub in requests:
            rel = urlsplit(sub["relative_url"])
            path = rel.path.strip("/")
            queued = self.inject.get(f"BATCH {path}")
            if queued:
                answer = queued.popleft()
                out.append({"code": answer.status_code, "headers": [], "body": answer.text})
                continue
            status, body = self.answer("GET", path, dict(parse_qsl(rel.query)))
            out.append({"code": status, "headers": [], "body": json.dumps(body)})
        return httpx.Response(200, json=out)

    def answer(self, method: str, path: str, p: dict[str, str]) -> tuple[int, Any]:
        fields = p.get("fields", "")
        if path == "oauth/access_token":
            long = p.get("grant_type") == "fb_exchange_token"
            return 200, {
                "access_token": "LONG" if long else "SHORT",
                "token_type": "bearer",
                "expires_in": 5183944 if long else 3600,
            }
        if path == "me/accounts":
            if p.get("after") != "c1":
                page = {"id": PAGE, "name": "Toko Gaung", "access_token": "PAGE_TOKEN"}
                page["instagram_business_account"] = {"id": IG, "username": "tokogaung"}  # type: ignore[assignment]
                return 200, {
                    "data": [page],
                    "paging": {"cursors": {"after": "c1"}, "next": "https://graph/next"},
                }
            return 200, {"data": [{"id": "222", "name": "Tanpa IG", "access_token": "T2"}]}
        if path == "me":
            return 200, {"id": PAGE, "name": "Toko Gaung"}
        if path == "debug_token":
            return 200, {"data": {"is_valid": True, "type": "PAGE", "expires_at": 0}}
        if method == "POST":
            return self._post(path, p)
        if path == f"{PAGE}/published_posts" or path == f"{IG}/media":
            ig = path.startswith(IG)
            return 200, {
                "data": [
                    {
                        "id": "M1" if ig else f"{PAGE}_1",
                        ("caption" if ig else "message"): "Halo semua",
                        ("timestamp" if ig else "created_time"): "2026-11-29T10:00:00+0000",
                        ("permalink" if ig else "permalink_url"): "https://example/p/1",
                    }
                ]
            }
        if path == f"{IG}/content_publishing_limit":
            return 200, {
                "data": [
                    {
                        "quota_usage": self.quota_usage,
                        "config": {"quota_total": 50, "quota_duration": 86400},
                    }
                ]
            }
        if path.endswith("/comments"):
            return self._comments(path, p)
        if path.endswith("/insights"):
            return 200, {
                "data": [
                    {"name": "views", "period": "lifetime", "values": [{"value": 120}]},
                    {"name": "reach", "period": "lifetime", "values": [{"value": 80}]},
                    {"name": "saved", "period": "lifetime", "values": [{"value": 3}]},
                ]
            }
        if "status_code" in fields:
            queue = self.statuses.get(path)
            code = (queue.popleft() if len(queue) > 1 else queue[0]) if queue else "FINISHED"
            return 200, {"id": path, "status_code": code, "status": "Error: 2207026"}
        if fields == "permalink_url":
            return 200, {"permalink_url": f"https://www.facebook.com/{path}", "id": path}
        if fields == "permalink":
            return 200, {"permalink": f"https://www.instagram.com/p/{path}/", "id": path}
        if "fan_count" in fields:
            return 200, {
                "id": PAGE,
                "name": "Toko Gaung",
                "fan_count": 1234,
                "followers_count": 1500,
            }
        if "follows_count" in fields:
            return 200, {
                "id": IG,
                "username": "tokogaung",
                "followers_count": 1520,
                "follows_count": 310,
                "media_count": 242,
            }
        if "instagram_business_account" in fields:
            return 200, {
                "id": path,
                "instagram_business_account": {"id": IG, "username": "tokogaung"},
            }
        if fields.startswith("shares"):
            return 200, {
                "id": path,
                "shares": {"count": 3},
                "reactions": {"data": [], "summary": {"total_count": 12}},
                "comments": {"data": [], "summary": {"total_count": 4}},
            }
        if fields.startswith("like_count"):
            return 200, {"id": path, "like_count": 40, "comments_count": 5}
        return 404, {"error": {"message": "Unsupported get request.", "code": 100}}

    def _post(self, path: str, p: dict[str, str]) -> tuple[int, Any]:
        if path == f"{PAGE}/feed":
            return 200, {"id": f"{PAGE}_1"}
        if path == f"{PAGE}/photos":
            self.photos += 1
            return 200, {"id": f"PHOTO{self.photos}", "post_id": f"{PAGE}_{self.photos}"}
        if path == f"{PAGE}/videos":
            return self._video(p)
        if path == f"{IG}/media":
            self.containers += 1
            return 200, {"id": f"C{self.containers}"}
        if path == f"{IG}/media_publish":
            return 200, {"id": "M1"}
        if path.endswith("/comments") or path.endswith("/replies"):
            return 200, {"id": "REPLY1"}
        return 400, {"error": {"message": "Unknown path", "code": 100}}

    def _video(self, p: dict[str, str]) -> tuple[int, Any]:
        phase = p.get("upload_phase")
        if phase is None:
            return 200, {"id": "VIDEO1"}
        if phase == "start":
            self.upload_size = int(p["file_size"])
            end = min(self.chunk, self.upload_size)
            return 200, {"upload_session_id": "S1", "video_id": "VID2", "start_offset": "0",
                         "end_offset": str(end)}  # fmt: skip
        if phase == "transfer":
            assert int(p["start_offset"]) == len(self.uploaded)
            self.uploaded += self._last_files["video_file_chunk"]
            begin = len(self.uploaded)
            end = min(begin + self.chunk, self.upload_size)
            return 200, {"start_offset": str(begin), "end_offset": str(end)}
        return 200, {"success": True}

    def _comments(self, path: str, p: dict[str, str]) -> tuple[int, Any]:
        owner = path.split("/")[0]
        ig = owner == "M1"
        if ig:
            comment = {
                "id": "IGC1",
                "text": "Harganya berapa?",
                "timestamp": "2026-11-29T11:00:00+0000",
                "username": "pembeli",
                "from": {"id": "IGSID1", "username": "pembeli"},
                "replies": {
                    "data": [
                        {
                            "id": "IGC2",
                            "text": "Rp 50.000",
                            "timestamp": "2026-11-29T11:05:00+0000",
                            "username": "tokogaung",
                        }
                    ]
                },
            }
            return 200, {"data": [comment]}
        page_two = p.get("after") == "a1"
        comment = {
            "id": f"{owner}_{'2' if page_two else '1'}",
            "message": "Terima kasih!" if page_two else "Kapan buka?",
            "created_time": "2026-11-29T11:00:00+0000",
            "from": {
                "id": PAGE if page_two else "999",
                "name": "Toko Gaung" if page_two else "Budi",
            },
        }
        paging: dict[str, Any] = {"cursors": {"before": "b", "after": "a1"}}
        if not page_two:
            paging["next"] = "https://graph/next"
        return 200, {"data": [comment], "paging": paging}


def _form(request: httpx.Request) -> tuple[dict[str, str], dict[str, bytes]]:
    """A request body's form fields and (for multipart) its files."""
    if not request.content:
        return {}, {}
    kind = request.headers.get("content-type", "")
    if not kind.startswith("multipart/"):
        return dict(parse_qsl(request.content.decode())), {}
    message = BytesParser(policy=default).parsebytes(
        f"Content-Type: {kind}\r\n\r\n".encode() + request.content
    )
    form: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(payload, bytes)
        if part.get_filename():
            files[name] = payload
        else:
            form[name] = payload.decode()
    return form, files


# The fake's posts and comments carry fixed moments (the post at 10:00, comments from 11:00):
# the contract table runs at a clock just after the post, which never moves.
CONTRACT_NOW = datetime(2026, 11, 29, 10, 0, 30, tzinfo=UTC)


def adapter(graph: FakeGraph, http: httpx.AsyncClient, network: str) -> Adapter:
    """The Facebook or Instagram connector over this fake, as the contract table runs it."""
    ctx = graph.context(http)

    def clock() -> datetime:
        return CONTRACT_NOW

    async def no_sleep(_seconds: float) -> None:
        return None

    facebook = network == "facebook"
    # Where a publish first writes: the Page feed, or the Instagram media container.
    first = f"{PAGE}/feed" if facebook else f"{IG}/media"
    text = VariantToPublish("Halo") if facebook else None
    media = VariantToPublish("Halo", (image(),))

    def refuse(answer: httpx.Response) -> Callable[[], VariantToPublish]:
        def arrange() -> VariantToPublish:
            graph.fail("POST", first, answer)
            return text or media

        return arrange

    async def comment() -> str:
        return "C_1" if facebook else "IGC1"

    throttled = graph_error(4, status=403, **{"X-App-Usage": '{"call_count":100}'})
    connector: Connector = (
        FacebookConnector(ctx, clock=clock)
        if facebook
        else InstagramConnector(ctx, sleep=no_sleep, clock=clock)
    )
    return Adapter(
        connector=connector,
        account=PAGE_ACCOUNT if facebook else IG_ACCOUNT,
        media=media,
        text=text,
        reply_target=comment,
        failures=[
            (AuthError, refuse(graph_error(190, 463))),
            (RetryableError, refuse(throttled)),
            (PermanentError, refuse(graph_error(506 if facebook else 100))),
        ],
        now=clock,
    )

"""A fake X API v2 for respx that keeps what the account posts: its timeline, post lookups and
mentions answer from it in the documented shapes, at a clock the test moves. Used by the
shared contract table (``tests/platforms/contract.py``)."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import respx

from gaung.platforms.protocol import (
    AuthError,
    Context,
    Endpoints,
    MediaFile,
    PermanentError,
    RetryableError,
    VariantToPublish,
)
from gaung.platforms.types import MediaInfo
from gaung.platforms.x.connector import XConnector
from tests.platforms.contract import Adapter
from tests.platforms.x.helpers import API, NOW, account

ME = "2244994945"
FAN = "7"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class FakeX:
    at: datetime = NOW
    posts: list[dict[str, Any]] = field(default_factory=list)
    # Answers to give the next POST /2/tweets instead of creating a post.
    refusals: deque[httpx.Response] = field(default_factory=deque)
    _next: int = 1000

    def now(self) -> datetime:
        return self.at

    def pass_time(self, delta: timedelta) -> None:
        self.at += delta

    def mount(self, router: respx.MockRouter) -> None:
        router.route(host="api.x.com").mock(side_effect=self.handle)

    def _id(self) -> str:
        self._next += 1
        return str(self._next)

    def _mentions(self, start: datetime) -> list[dict[str, Any]]:
        """Someone asks about each of the account's posts three hours after it."""
        found = []
        for post in self.posts:
            at = _parse(post["created_at"]) + timedelta(hours=3)
            if start <= at <= self.at:
                found.append(
                    {
                        "id": f"9{post['id']}",
                        "text": "@dinaskominfo kapan dibuka?",
                        "author_id": FAN,
                        "conversation_id": f"9{post['id']}",
                        "created_at": _iso(at),
                    }
                )
        return found

    async def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        params = dict(request.url.params)
        if request.method == "POST" and path == "/2/tweets":
            if self.refusals:
                return self.refusals.popleft()
            body = json.loads(request.content)
            post = {"id": self._id(), "text": body.get("text", ""), "created_at": _iso(self.at)}
            self.posts.append(post)
            return httpx.Response(201, json={"data": {"id": post["id"], "text": post["text"]}})
        if request.method == "POST" and path == "/2/media/upload":
            media_id = self._id()
            return httpx.Response(
                200, json={"data": {"id": media_id, "media_key": f"3_{media_id}"}}
            )
        if request.method == "POST" and path == "/2/media/metadata":
            return httpx.Response(200, json={"data": {"associated_metadata": True}})
        if request.method == "POST" and path == "/2/oauth2/token":
            return httpx.Response(
                200,
                json={
                    "token_type": "bearer",
                    "expires_in": 7200,
                    "access_token": "akses-2",
                    "refresh_token": "segar-2",
                    "scope": "tweet.read",
                },
            )
        if path == f"/2/users/{ME}/tweets":
            start = _parse(params["start_time"])
            data = [p for p in self.posts if _parse(p["created_at"]) >= start]
            return httpx.Response(200, json=self._list(data))
        if path == f"/2/users/{ME}/mentions":
            data = self._mentions(_parse(params["start_time"]))
            users = [{"id": FAN, "username": "warga", "name": "Warga"}]
            return httpx.Response(200, json=self._list(data) | {"includes": {"users": users}})
        if path == "/2/tweets/search/recent":
            return httpx.Response(200, json={"meta": {"result_count": 0}})
        if path == "/2/tweets":
            ids = params["ids"].split(",")
            metrics = {
                "retweet_count": 1,
                "reply_count": 2,
                "like_count": 30,
                "quote_count": 0,
                "bookmark_count": 1,
                "impression_count": 900,
            }
            data = [p | {"public_metrics": metrics} for p in self.posts if p["id"] in ids]
            return httpx.Response(200, json={"data": data})
        if path == f"/2/users/{ME}":
            metrics = {
                "followers_count": 1000,
                "following_count": 10,
                "tweet_count": 500,
                "listed_count": 7,
            }
            return httpx.Response(
                200,
                json={"data": {"id": ME, "username": "dinaskominfo", "public_metrics": metrics}},
            )
        return httpx.Response(404, json={"title": "Not Found", "type": "about:blank"})

    @staticmethod
    def _list(data: list[dict[str, Any]]) -> dict[str, Any]:
        if not data:
            return {"meta": {"result_count": 0}}
        return {"data": data, "meta": {"result_count": len(data)}}

    def refuse(self, response: httpx.Response) -> VariantToPublish:
        self.refusals.append(response)
        return VariantToPublish("Rapat koordinasi pagi ini.")


def adapter(fake: FakeX, http: httpx.AsyncClient, folder: Path) -> Adapter:
    async def no_sleep(_seconds: float) -> None:
        return None

    ctx = Context(http=http, endpoints=Endpoints(x_api_base_url=API, x_client_id="klien-x"))
    connector = XConnector(ctx, sleep=no_sleep, clock=fake.now)
    photo = folder / "peta.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    image = MediaFile(
        MediaInfo("image", "image/jpeg", 6, 1080, 1080), photo, "https://g.example/m/1", "Peta"
    )
    reset = int((fake.now() + timedelta(minutes=15)).timestamp())
    limited = {
        "x-rate-limit-limit": "100",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": str(reset),
    }
    duplicate = {
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
    }

    async def mentioned() -> str:
        return "1999"

    return Adapter(
        connector=connector,
        account=account(external_id=ME),
        media=VariantToPublish("Peta rawan banjir terbaru.", [image]),
        text=VariantToPublish("Peta rawan banjir terbaru sudah bisa diunduh."),
        reply_target=mentioned,
        failures=[
            (AuthError, lambda: fake.refuse(httpx.Response(401, json={"title": "Unauthorized"}))),
            (
                RetryableError,
                lambda: fake.refuse(
                    httpx.Response(429, headers=limited, json={"title": "Too Many"})
                ),
            ),
            (PermanentError, lambda: fake.refuse(httpx.Response(403, json=duplicate))),
        ],
        now=fake.now,
        pass_time=fake.pass_time,
    )

"""The fake platform as an ASGI app: X API v2 under ``/2/`` and the Graph API under
``/{version}/``, answering with the shapes of ``shared/reference/platform-apis.md`` (A3, A4,
A8, C2, D2) after a configurable latency, and a control API under ``/_fake/``.

Every request is recorded on arrival (monotonic and wall time) before any latency or fault,
so "when the platform received it" is exact. Faults (see ``state.Fault``) replace the answer,
or — for the ``accept_`` kinds — let the post be made and then lose the answer.

Deviations from the real services, for tests: Graph throttling reports its wait in fractional
minutes (Meta sends whole minutes) so a test waits seconds, not a minute; X tokens are matched
to registered accounts (an unknown token is a 401); video processing is instant.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from tests.fakeplatform.state import Account, Comment, Container, FakeState, Fault, Received

# A handler answers at once or after awaiting (most are coroutines; small ones are lambdas).
Handler = Callable[[Received], Response | Awaitable[Response]]

# Faults that answer in the platform's place (nothing is created).
_BEFORE = frozenset({"rate_limit", "server_error", "expired_token", "duplicate", "timeout", "drop"})


class ConnectionDropped(Exception):
    """Raised after a response has started, so the server closes the connection mid-answer."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDropped)


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


@dataclass
class Call:
    """A routed request: its operation name, whose account it is for, and what it does."""

    op: str
    account: str | None
    handle: Handler
    family: str  # "x" | "graph"
    auth_ok: bool = True
    text: str | None = None  # what a publish asks to show, recorded even when it fails


def _x_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _graph_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _graph_error(
    status: int, code: int, message: str, subcode: int | None = None, **extra: Any
) -> JSONResponse:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error.update(extra)
    error["fbtrace_id"] = "FAKE"
    return JSONResponse({"error": error}, status)


def _problem(status: int, title: str, detail: str, kind: str = "about:blank") -> JSONResponse:
    body = {"title": title, "detail": detail, "type": kind, "status": status}
    return JSONResponse(body, status, media_type="application/problem+json")


class FakePlatform:
    """ASGI app over one ``FakeState``."""

    def __init__(self, state: FakeState | None = None) -> None:
        self.state = state or FakeState()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan and websockets: nothing to do
        request = Request(scope, receive)
        path = scope["path"]
        if path.startswith("/_fake/"):
            response = await self._control(request, path.removeprefix("/_fake/"))
            await response(scope, receive, send)
            return
        call = await (
            self._route_x(request) if path.startswith("/2/") else self._route_graph(request)
        )
        if call is None:
            await _problem(404, "Not Found", f"the fake has no {request.method} {path}")(
                scope, receive, send
            )
            return
        await self._serve(call, request, receive, send)

    async def _serve(self, call: Call, request: Request, receive: Receive, send: Send) -> None:
        state = self.state
        record = state.arrive(call.op, request.method, request.url.path, call.account)
        record.text = call.text
        fault = state.pick_fault(record)
        await asyncio.sleep(state.latency_s(call.op))
        if fault is not None and fault.kind in _BEFORE:
            await self._fault(fault, call, record, request.scope, receive, send)
            return
        if not call.auth_ok:
            response = self._unauthorized(call.family)
        else:
            answer = call.handle(record)
            response = await answer if inspect.isawaitable(answer) else answer
        record.status = response.status_code
        if fault is not None:  # accept_timeout / accept_drop: made, then the answer is lost
            if fault.kind == "accept_timeout":
                await _hang(receive, fault.hang_s)
            await _drop(send)
        response.headers.update(self._limit_headers(call.family))
        await response(request.scope, receive, send)

    async def _fault(
        self, fault: Fault, call: Call, record: Received, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if fault.kind == "timeout":
            await _hang(receive, fault.hang_s)
            await _drop(send)
        if fault.kind == "drop":
            await _drop(send)
        x = call.family == "x"
        if fault.kind == "rate_limit":
            reset = time.time() + fault.reset_s
            if x:
                response = _problem(429, "Too Many Requests", "Too Many Requests")
                response.headers.update(
                    {
                        "x-rate-limit-limit": "100",
                        "x-rate-limit-remaining": "0",
                        "x-rate-limit-reset": str(math.ceil(reset)),
                    }
                )
            else:
                minutes = round(fault.reset_s / 60, 4)
                usage = {
                    call.account or "0": [
                        {
                            "type": "pages",
                            "call_count": 100,
                            "total_cputime": 10,
                            "total_time": 10,
                            "estimated_time_to_regain_access": minutes,
                        }
                    ]
                }
                response = _graph_error(
                    429,
                    80001,
                    "(#80001) There have been too many calls to this Page account. Wait a bit "
                    "and try again.",
                )
                response.headers.update(
                    {
                        "x-business-use-case-usage": json.dumps(usage),
                        "retry-after": str(math.ceil(fault.reset_s)),
                    }
                )
        elif fault.kind == "server_error":
            if x:
                response = _problem(500, "Internal Server Error", "Something went wrong.")
            else:
                response = _graph_error(
                    500,
                    2,
                    "An unexpected error has occurred. Please retry your request later.",
                    is_transient=True,
                )
        elif fault.kind == "duplicate":
            if x:
                response = _problem(
                    403,
                    "Forbidden",
                    "You are not allowed to create a Tweet with duplicate content.",
                )
            else:
                response = _graph_error(400, 506, "Duplicate status message")
        else:  # expired_token
            response = self._unauthorized(call.family)
        record.status = response.status_code
        await response(scope, receive, send)

    @staticmethod
    def _unauthorized(family: str) -> Response:
        if family == "x":
            return _problem(401, "Unauthorized", "Unauthorized")
        return _graph_error(
            400,
            190,
            "Error validating access token: Session has expired on Sunday, 29-Nov-26 10:00:00 PST.",
            subcode=463,
        )

    @staticmethod
    def _limit_headers(family: str) -> dict[str, str]:
        if family == "x":
            return {
                "x-rate-limit-limit": "100",
                "x-rate-limit-remaining": "99",
                "x-rate-limit-reset": str(int(time.time()) + 900),
            }
        return {"x-app-usage": json.dumps({"call_count": 1, "total_cputime": 1, "total_time": 1})}

    # --- X -----------------------------------------------------------------------------------

    def _x_account(self, request: Request) -> Account | None:
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        with self.state.lock:
            for account in self.state.accounts.values():
                if account.platform == "x" and account.token == token:
                    return account
        return None

    async def _route_x(self, request: Request) -> Call | None:
        parts = request.url.path.strip("/").split("/")[1:]
        method = request.method
        account = self._x_account(request)
        who = account.external_id if account else None

        def call(
            op: str, handle: Handler, account_id: str | None = who, text: str | None = None
        ) -> Call:
            return Call(op, account_id, handle, "x", auth_ok=account is not None, text=text)

        if method == "POST" and parts == ["tweets"]:
            body = await request.json()
            text = str(body.get("text", "")) if isinstance(body, dict) else ""
            return call("x.post", lambda r: self._x_post(r, account, body), text=text)
        if method == "GET" and parts == ["users", "me"]:
            return call("x.me", lambda r: self._x_me(account))
        if method == "GET" and len(parts) == 3 and parts[0] == "users" and parts[2] == "tweets":
            params = dict(request.query_params)
            return call("x.user_posts", lambda r: self._x_user_posts(parts[1], params), parts[1])
        if method == "GET" and len(parts) == 2 and parts[0] == "users":
            return call("x.user", lambda r: self._x_user(parts[1]), parts[1])
        if parts[:2] == ["media", "upload"]:
            return await self._route_x_media(request, parts[2:], call)
        if method == "POST" and parts == ["media", "metadata"]:
            return call("x.media_metadata", lambda r: _ok({}))
        if method == "POST" and parts == ["oauth2", "token"]:
            form = await request.form()
            fields = {k: str(v) for k, v in form.items()}
            return Call("x.token", None, lambda r: self._x_token(fields), "x")
        return None

    async def _x_post(self, record: Received, account: Account | None, body: Any) -> Response:
        assert account is not None
        text = str(body.get("text", "")) if isinstance(body, dict) else ""
        reply = body.get("reply") if isinstance(body, dict) else None
        answers = str(reply.get("in_reply_to_tweet_id") or "") if isinstance(reply, dict) else ""
        post_id = str(1_900_000_000_000_000_000 + self.state.new_id())
        url = f"https://x.com/{account.handle}/status/{post_id}"
        self.state.create_post(
            record, "x", account.external_id, text, post_id, url, in_reply_to=answers or None
        )
        return JSONResponse(
            {"data": {"id": post_id, "text": text, "edit_history_tweet_ids": [post_id]}}, 201
        )

    async def _x_me(self, account: Account | None) -> Response:
        assert account is not None
        return _ok(
            {
                "data": {
                    "id": account.external_id,
                    "name": account.handle,
                    "username": account.handle,
                }
            }
        )

    async def _x_user(self, user_id: str) -> Response:
        count = len(self.state.account_posts(user_id, None))
        metrics = {
            "followers_count": 1000,
            "following_count": 10,
            "tweet_count": count,
            "listed_count": 0,
        }
        return _ok({"data": {"id": user_id, "username": user_id, "public_metrics": metrics}})

    async def _x_user_posts(self, user_id: str, params: dict[str, str]) -> Response:
        since = None
        if "start_time" in params:
            since = datetime.fromisoformat(params["start_time"].replace("Z", "+00:00"))
        posts = self.state.account_posts(user_id, since)
        size = max(5, min(100, int(params.get("max_results", "10"))))
        start = int(params.get("pagination_token", "0") or 0)
        page = posts[start : start + size]
        if not page:
            return _ok({"meta": {"result_count": 0}})
        meta: dict[str, Any] = {
            "result_count": len(page),
            "newest_id": page[0].id,
            "oldest_id": page[-1].id,
        }
        if start + size < len(posts):
            meta["next_token"] = str(start + size)
        data = [{"id": p.id, "text": p.text, "created_at": _x_time(p.created_at)} for p in page]
        return _ok({"data": data, "meta": meta})

    async def _route_x_media(
        self, request: Request, rest: list[str], call: Callable[[str, Handler], Call]
    ) -> Call | None:
        state = self.state
        if request.method == "GET" and not rest:
            media_id = request.query_params.get("media_id", "")
            info = {"state": "succeeded", "progress_percent": 100}
            return call(
                "x.media_status", lambda r: _ok({"data": {"id": media_id, "processing_info": info}})
            )
        if request.method != "POST":
            return None
        if not rest:
            form = await request.form()
            upload = form.get("media")
            size = len(await upload.read()) if isinstance(upload, UploadFile) else 0
            media_id = str(state.new_id())
            data = {
                "id": media_id,
                "media_key": f"3_{media_id}",
                "size": size,
                "expires_after_secs": 86400,
                "image": {"image_type": "image/jpeg", "w": 1, "h": 1},
            }
            return call("x.media_upload", lambda r: _ok({"data": data}))
        if rest == ["initialize"]:
            media_id = str(state.new_id())
            data = {"id": media_id, "media_key": f"13_{media_id}", "expires_after_secs": 86400}
            return call("x.media_init", lambda r: _ok({"data": data}))
        if len(rest) == 2 and rest[1] == "append":
            await request.form()
            return call("x.media_append", lambda r: Response(status_code=204))
        if len(rest) == 2 and rest[1] == "finalize":
            data = {"id": rest[0], "media_key": f"13_{rest[0]}", "expires_after_secs": 86400}
            return call("x.media_finalize", lambda r: _ok({"data": data}))
        return None

    async def _x_token(self, form: dict[str, str]) -> Response:
        refresh = form.get("refresh_token")
        with self.state.lock:
            for account in self.state.accounts.values():
                if account.platform == "x" and refresh and account.refresh_token == refresh:
                    n = self.state.new_id()
                    account.token, account.refresh_token = f"access-{n}", f"refresh-{n}"
                    return _ok(
                        {
                            "token_type": "bearer",
                            "expires_in": 7200,
                            "access_token": account.token,
                            "refresh_token": account.refresh_token,
                            "scope": "tweet.read tweet.write users.read offline.access",
                        }
                    )
        return JSONResponse(
            {
                "error": "invalid_request",
                "error_description": "Value passed for the token was invalid.",
            },
            400,
        )

    # --- Graph (Facebook Pages, Instagram) -----------------------------------------------------

    async def _route_graph(self, request: Request) -> Call | None:
        parts = request.url.path.strip("/").split("/")
        if len(parts) < 2 or not parts[0].startswith("v"):
            return None
        node, edge = parts[1], parts[2] if len(parts) > 2 else None
        method = request.method
        fields: dict[str, str] = dict(request.query_params)
        if method == "POST":
            form = await request.form()
            fields |= {k: str(v) for k, v in form.items() if isinstance(v, str)}
        token = fields.get("access_token")

        def call(
            op: str, handle: Handler, owner: str | None = node, text: str | None = None
        ) -> Call:
            account = self.state.accounts.get(owner or "")
            ok = account is None or account.token is None or account.token == token
            return Call(op, owner, handle, "graph", auth_ok=ok, text=text)

        if method == "POST" and edge == "feed":
            text = fields.get("message", "")
            return call("fb.feed", lambda r: self._fb_feed(r, node, fields), text=text)
        if method == "POST" and edge == "photos":
            text = fields.get("caption", "") if fields.get("published") != "false" else None
            return call("fb.photo", lambda r: self._fb_photo(r, node, fields), text=text)
        if method == "POST" and edge == "videos":
            return call("fb.video", lambda r: self._fb_video(r, node, fields))
        if method == "GET" and edge in ("published_posts", "posts"):
            return call("fb.posts", lambda r: self._fb_posts(node, fields))
        if method == "POST" and edge == "media":
            return call("ig.container", lambda r: self._ig_container(node, fields))
        if method == "GET" and edge == "media":
            return call("ig.media_list", lambda r: self._ig_media(node, fields))
        if method == "POST" and edge == "media_publish":
            with self.state.lock:
                container = self.state.containers.get(fields.get("creation_id", ""))
            text = container.caption if container is not None else None
            return call("ig.publish", lambda r: self._ig_publish(r, node, fields), text=text)
        if method == "POST" and edge == "comments":
            owner = self._owner(node)
            text = fields.get("message", "")
            return call("graph.comment", lambda r: self._comment(r, node, owner, text), owner)
        if method == "GET" and edge == "content_publishing_limit":
            return call("ig.limit", lambda r: self._ig_limit(node))
        if method == "GET" and edge is None:
            owner = self._owner(node)
            return call("graph.object", lambda r: self._object(node, fields), owner)
        return None

    def _owner(self, object_id: str) -> str | None:
        with self.state.lock:
            if object_id in self.state.accounts:
                return object_id
            container = self.state.containers.get(object_id)
            if container is not None:
                return container.account
            for post in self.state.posts:
                if post.id == object_id:
                    return post.account
        return None

    def _fb_post(self, record: Received, page: str, text: str, link: str | None = None) -> str:
        post_id = f"{page}_{self.state.new_id()}"
        url = f"https://www.facebook.com/{page}/posts/{post_id.split('_')[1]}"
        self.state.create_post(record, "facebook", page, text, post_id, url, link=link)
        return post_id

    async def _fb_feed(self, record: Received, page: str, fields: dict[str, str]) -> Response:
        post_id = self._fb_post(record, page, fields.get("message", ""), fields.get("link"))
        return _ok({"id": post_id})

    async def _comment(self, record: Received, on: str, owner: str | None, text: str) -> Response:
        """The account's own comment on its post (``POST /{object-id}/comments``)."""
        if owner is None:
            return _graph_error(400, 100, "Unsupported post request.")
        comment_id = str(17_800_000_000_000_000 + self.state.new_id())
        with self.state.lock:
            self.state.comments.append(Comment(comment_id, on, owner, text, record.seq))
        return _ok({"id": comment_id})

    async def _fb_photo(self, record: Received, page: str, fields: dict[str, str]) -> Response:
        photo_id = str(self.state.new_id())
        if fields.get("published", "true") == "false":
            return _ok({"id": photo_id})
        return _ok(
            {"id": photo_id, "post_id": self._fb_post(record, page, fields.get("caption", ""))}
        )

    async def _fb_video(self, record: Received, page: str, fields: dict[str, str]) -> Response:
        video_id = str(self.state.new_id())
        self.state.create_post(
            record,
            "facebook",
            page,
            fields.get("description", ""),
            video_id,
            f"https://www.facebook.com/{page}/videos/{video_id}",
        )
        return _ok({"id": video_id})

    async def _fb_posts(self, page: str, fields: dict[str, str]) -> Response:
        items = [
            {
                "id": p.id,
                "message": p.text,
                "created_time": _graph_time(p.created_at),
                "permalink_url": p.url,
            }
            for p in self._since(page, fields)
        ]
        return self._paged(items, fields)

    def _since(self, account: str, fields: dict[str, str]) -> list[Any]:
        posts = self.state.account_posts(account, None)
        if "since" in fields:
            since = int(fields["since"])
            posts = [p for p in posts if int(p.created_at.timestamp()) >= since]
        return posts

    @staticmethod
    def _paged(items: list[dict[str, Any]], fields: dict[str, str]) -> Response:
        size = max(1, min(100, int(fields.get("limit", "25"))))
        start = int(fields.get("after", "0") or 0)
        page = items[start : start + size]
        paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + size)}}
        if start + size < len(items):
            paging["next"] = f"https://graph.fake/next?after={start + size}"
        return _ok({"data": page, "paging": paging})

    async def _ig_container(self, account: str, fields: dict[str, str]) -> Response:
        container_id = str(17_900_000_000_000_000 + self.state.new_id())
        params = {k: v for k, v in fields.items() if k not in ("access_token", "appsecret_proof")}
        with self.state.lock:
            self.state.containers[container_id] = Container(
                container_id,
                account,
                fields.get("caption", ""),
                params,
                self.state.ig_container_polls,
            )
        return _ok({"id": container_id})

    async def _ig_publish(self, record: Received, account: str, fields: dict[str, str]) -> Response:
        with self.state.lock:
            container = self.state.containers.get(fields.get("creation_id", ""))
            if container is None or container.account != account:
                return _graph_error(400, 24, "The media with id does not exist.", subcode=2207006)
            if container.published_as is not None:
                return _graph_error(400, 100, "The media has already been published.")
            if container.polls_left > 0:
                return _graph_error(400, 9007, "Media ID is not available", subcode=2207027)
            media_id = str(18_000_000_000_000_000 + self.state.new_id())
            container.published_as = media_id
        url = f"https://www.instagram.com/p/FAKE{media_id[-8:]}/"
        self.state.create_post(record, "instagram", account, container.caption, media_id, url)
        return _ok({"id": media_id})

    async def _ig_limit(self, account: str) -> Response:
        day_ago = time.time() - 86400
        used = sum(
            1
            for p in self.state.account_posts(account, None)
            if p.created_at.timestamp() >= day_ago
        )
        config = {"quota_total": self.state.ig_quota_total, "quota_duration": 86400}
        return _ok({"data": [{"quota_usage": used, "config": config}]})

    async def _ig_media(self, account: str, fields: dict[str, str]) -> Response:
        items = [
            {
                "id": p.id,
                "caption": p.text,
                "permalink": p.url,
                "timestamp": _graph_time(p.created_at),
            }
            for p in self._since(account, fields)
        ]
        return self._paged(items, fields)

    async def _object(self, object_id: str, fields: dict[str, str]) -> Response:
        with self.state.lock:
            container = self.state.containers.get(object_id)
            if container is not None:
                if container.published_as is not None:
                    code = "PUBLISHED"
                elif container.polls_left > 0:
                    container.polls_left -= 1
                    code = "IN_PROGRESS"
                else:
                    code = "FINISHED"
                return _ok({"id": object_id, "status_code": code, "status": code})
            account = self.state.accounts.get(object_id)
            post = next((p for p in self.state.posts if p.id == object_id), None)
        if post is not None:
            key = "permalink" if post.platform == "instagram" else "permalink_url"
            return _ok({"id": object_id, key: post.url})
        if account is not None:
            return _ok({"id": object_id, "name": account.handle, "fan_count": 0})
        return _graph_error(
            400,
            100,
            f"Unsupported get request. Object with ID '{object_id}' does not exist.",
            subcode=33,
        )

    # --- control ------------------------------------------------------------------------------

    async def _control(self, request: Request, what: str) -> Response:
        state = self.state
        body: Any = {}
        if request.method in ("POST", "PUT"):
            raw = await request.body()
            body = json.loads(raw) if raw else {}
        try:
            if what == "health":
                return _ok({"ok": True})
            if what == "reset" and request.method == "POST":
                state.reset()
                return _ok({"ok": True})
            if what == "config" and request.method in ("POST", "PUT"):
                state.configure(**body)
                return _ok({"ok": True})
            if what == "accounts" and request.method == "POST":
                state.add_account(**body)
                return _ok({"ok": True})
            if what == "faults" and request.method == "POST":
                fault = state.add_fault(**body)
                return _ok({"id": fault.id})
            if what == "faults" and request.method == "DELETE":
                state.clear_faults()
                return _ok({"ok": True})
            if what == "received" and request.method == "GET":
                return _ok(state.snapshot())
        except (TypeError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, 400)
        return JSONResponse({"error": f"no control {request.method} /_fake/{what}"}, 404)


def _ok(body: dict[str, Any]) -> Response:
    return JSONResponse(body, 200)


async def _hang(receive: Receive, seconds: float) -> None:
    """Stay silent until the client hangs up or ``seconds`` pass."""

    async def until_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(until_disconnect(), seconds)


async def _drop(send: Send) -> None:
    """Start an answer and never finish it: the server closes the connection."""
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}
    )
    raise ConnectionDropped

"""Pure ASGI middlewares at the HTTP edge: body limits and security headers.

Pure ASGI (not ``BaseHTTPMiddleware``) so a body is refused before anything reads it, and
streaming responses pass through untouched."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class BodyRule:
    """What a route accepts: the largest body in bytes, and whether a body needs a login."""

    limit: int
    needs_login: bool
    # The field a too-large body is reported on, and the limit as people know it (an upload's
    # own limit, without the multipart framing the byte limit allows for).
    field: str = "body"
    shown_limit: str | None = None


RuleFor = Callable[[str, str], BodyRule]
HeadersFor = Callable[[Scope], Headers]


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def bearer_token(scope: Scope) -> str | None:
    """The credentials of an ``Authorization: Bearer`` header (scheme case-insensitive)."""
    raw = _header(scope, b"authorization")
    if raw is None:
        return None
    scheme, _, token = raw.decode("latin-1").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def size_text(limit: int) -> str:
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    if limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit} bytes"


async def send_error(
    send: Send,
    status: int,
    error: str,
    detail: str,
    fields: dict[str, str],
    headers: Headers | None = None,
    limits: dict[str, dict[str, int]] | None = None,
) -> None:
    """The one error shape (``kit/errors.py``), sent from outside the app's handlers; the
    error's code is each field's rule."""
    body = json.dumps(
        {
            "error": error,
            "detail": detail,
            "fields": fields,
            "rules": {field: error for field in fields},
            "limits": limits or {},
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuses a body the route does not accept before the app reads any of it.

    ``rule_for(method, path)`` says what each route accepts. A body on a route that needs a
    login is refused with 401 unless ``token_ok`` accepts its bearer token (a signature check,
    no database). A declared ``Content-Length`` over the limit is refused at once; a body
    without one is counted as it streams and cut off at the limit: the client gets the 413 and
    the app sees the client go away."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        rule_for: RuleFor,
        token_ok: Callable[[str], bool],
    ) -> None:
        self.app = app
        self.rule_for = rule_for
        self.token_ok = token_ok

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length_header = _header(scope, b"content-length")
        chunked = _header(scope, b"transfer-encoding") is not None
        try:
            declared = int(length_header) if length_header is not None else None
        except ValueError:
            declared = None
        # An unparsable length counts as a body: it is checked as it streams.
        has_body = chunked or (length_header is not None and (declared is None or declared > 0))
        if not has_body:
            await self.app(scope, receive, send)
            return

        rule = self.rule_for(scope["method"], scope["path"])
        if rule.needs_login:
            key = _header(scope, b"x-api-key")
            token = bearer_token(scope) or (key.decode("latin-1").strip() if key else None)
            if token is None:
                await send_error(
                    send,
                    401,
                    "not_authenticated",
                    "Log in first: send Authorization: Bearer <access token>.",
                    {},
                    [(b"www-authenticate", b"Bearer")],
                )
                return
            if not self.token_ok(token):
                await send_error(
                    send,
                    401,
                    "invalid_token",
                    "The access token is invalid or expired; refresh it or log in again.",
                    {},
                    [(b"www-authenticate", b'Bearer error="invalid_token"')],
                )
                return
        if declared is not None and declared > rule.limit:
            await self._too_large(send, rule)
            return
        await self._counted(scope, receive, send, rule)

    @staticmethod
    async def _too_large(send: Send, rule: BodyRule) -> None:
        limit = rule.shown_limit or size_text(rule.limit)
        await send_error(
            send,
            413,
            "payload_too_large",
            f"The request body is larger than this address accepts ({limit}).",
            {rule.field: f"at most {limit}"},
            # The rest of the body is not read: the connection cannot be reused.
            [(b"connection", b"close")],
            {rule.field: {"max_bytes": rule.limit}},
        )

    async def _counted(self, scope: Scope, receive: Receive, send: Send, rule: BodyRule) -> None:
        limit = rule.limit
        received = 0
        cut_off = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, cut_off
            if cut_off:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    cut_off = True
                    if not response_started:
                        await self._too_large(send, rule)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if cut_off:
                return  # the client already has its 413
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            # What the app raises on the disconnect it was shown is not an error to report.
            if not cut_off:
                raise


class SecurityHeaders:
    """Adds ``headers_for(scope)`` to every response, keeping any header the app already set
    (so a route can choose its own ``Cache-Control``)."""

    def __init__(self, app: ASGIApp, *, headers_for: HeadersFor) -> None:
        self.app = app
        self.headers_for = headers_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                headers += [(k, v) for k, v in self.headers_for(scope) if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

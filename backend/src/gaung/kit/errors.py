"""One error shape for every failure: ``{"error", "detail", "fields", "rules", "limits",
"problems"?}``.

``fields`` says in English what is wrong with each field; ``rules`` gives the same as a stable
code from :class:`FieldRule` and ``limits`` the numbers it needs, so a client translates every
message without parsing English."""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The one import from outside kit: the closed set of rule codes, so the API document lists
# them. platforms never imports this module (a test checks), so there is no cycle.
from gaung.platforms.registry import RuleCode

logger = logging.getLogger("gaung")


class FieldRule(StrEnum):
    """The closed set of rule codes a field can break (the API document lists every value)."""

    # Pydantic's error types that request bodies and queries can produce.
    missing = "missing"
    extra_forbidden = "extra_forbidden"
    string_type = "string_type"
    string_too_short = "string_too_short"
    string_too_long = "string_too_long"
    string_pattern_mismatch = "string_pattern_mismatch"
    too_short = "too_short"  # a list with too few items
    too_long = "too_long"  # a list with too many items
    int_parsing = "int_parsing"
    int_type = "int_type"
    int_from_float = "int_from_float"
    float_parsing = "float_parsing"
    float_type = "float_type"
    decimal_parsing = "decimal_parsing"
    decimal_max_places = "decimal_max_places"
    bool_parsing = "bool_parsing"
    bool_type = "bool_type"
    greater_than = "greater_than"
    greater_than_equal = "greater_than_equal"
    less_than = "less_than"
    less_than_equal = "less_than_equal"
    multiple_of = "multiple_of"
    datetime_parsing = "datetime_parsing"
    datetime_from_date_parsing = "datetime_from_date_parsing"
    datetime_type = "datetime_type"
    date_parsing = "date_parsing"
    date_from_datetime_parsing = "date_from_datetime_parsing"
    date_type = "date_type"
    timezone_aware = "timezone_aware"
    enum = "enum"
    literal_error = "literal_error"
    list_type = "list_type"
    dict_type = "dict_type"
    model_type = "model_type"
    model_attributes_type = "model_attributes_type"
    url_parsing = "url_parsing"
    url_scheme = "url_scheme"
    url_type = "url_type"
    value_error = "value_error"  # a validator's own check; ``fields`` says which
    json_invalid = "json_invalid"
    # The app's own checks.
    text_nul = "text_nul"
    text_control = "text_control"
    text_blank = "text_blank"
    date_out_of_range = "date_out_of_range"
    email_taken = "email_taken"
    slug_taken = "slug_taken"
    already_member = "already_member"
    wrong_password = "wrong_password"
    password_too_short = "password_too_short"
    password_too_long = "password_too_long"
    password_too_weak = "password_too_weak"
    password_personal = "password_personal"
    schedule_time_missing = "schedule_time_missing"
    schedule_in_past = "schedule_in_past"
    file_empty = "file_empty"
    payload_too_large = "payload_too_large"
    unsupported_media_type = "unsupported_media_type"
    image_too_large = "image_too_large"
    token_invalid = "token_invalid"
    token_other_page = "token_other_page"
    checklist_incomplete = "checklist_incomplete"
    ends_before_start = "ends_before_start"
    period_over = "period_over"
    period_too_long = "period_too_long"
    option_wrong_platform = "option_wrong_platform"
    # Anything else: ``fields`` has the English words, the client a generic message.
    invalid = "invalid"


_RULES = frozenset(FieldRule)
# Pydantic's context values worth passing on: the numbers (and choices) a message names.
_LIMIT_KEYS = ("min_length", "max_length", "gt", "ge", "lt", "le", "multiple_of", "expected")


def rule_of(code: str) -> FieldRule:
    """The field rule for a pydantic error type or an app error code; unknown ones are generic."""
    return FieldRule(code) if code in _RULES else FieldRule.invalid


class ProblemBody(BaseModel):
    """One broken platform rule of one post variant."""

    field: str = Field(examples=["variants.0.text"])
    variant_index: int
    account_id: int
    platform: str = Field(examples=["x"])
    rule: RuleCode = Field(description="Stable code to translate by.", examples=["x.text.too_long"])
    message: str = Field(examples=["X: 291/280 weighted characters"])
    params: dict[str, Any] = Field(description="The numbers in the message, by name.")


class ErrorBody(BaseModel):
    error: str = Field(description="Stable machine-readable code, e.g. `post_not_found`.")
    detail: str = Field(description="What went wrong, for a person.")
    fields: dict[str, str] = Field(
        default_factory=dict, description="Problem per input field, by dotted path."
    )
    rules: dict[str, FieldRule] = Field(
        default_factory=dict,
        description="The rule each field in `fields` breaks, as a code to translate by.",
        examples=[{"title": "string_too_long"}],
    )
    limits: dict[str, dict[str, int | float | str]] = Field(
        default_factory=dict,
        description="The numbers a field's rule names, by field (e.g. `max_length`).",
        examples=[{"title": {"max_length": 200}}],
    )
    problems: list[ProblemBody] | None = Field(
        default=None, description="Per-platform rule violations, when a post variant is invalid."
    )


class AppError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        rules: dict[str, str] | None = None,
        limits: dict[str, dict[str, int | float | str]] | None = None,
        problems: list[dict[str, Any]] | None = None,
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code
        self.fields = fields or {}
        # Every field names its rule: the one given, else the error's code when it is a rule.
        given = rules or {}
        self.rules = {f: rule_of(given.get(f, self.code)) for f in self.fields}
        self.limits = limits or {}
        self.problems = problems
        self.headers = headers

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "error": self.code,
            "detail": self.detail,
            "fields": self.fields,
            "rules": {f: str(r) for f, r in self.rules.items()},
            "limits": self.limits,
        }
        if self.problems is not None:
            out["problems"] = self.problems
        return out


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Unauthorized(AppError):
    status_code = 401
    code = "not_authenticated"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class Invalid(AppError):
    status_code = 422
    code = "validation_error"


class Busy(AppError):
    status_code = 503
    code = "database_busy"


STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}

# Documented on every route so the OpenAPI document (and the generated client) knows the shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": code.replace("_", " ")}
    for status, code in STATUS_CODES.items()
    # 413: every request's body is limited at the edge (GAUNG_MAX_BODY_KB), whatever the route.
    if status in (401, 403, 404, 409, 413, 422)
}


def _loc_to_path(loc: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:] or parts
    return ".".join(parts) or "body"


def _validation_message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "invalid value"))
    # Pydantic prefixes custom messages with "Value error, "; people don't need that.
    return msg.removeprefix("Value error, ")


# What FastAPI says when it cannot decode a request body at all.
FASTAPI_UNREADABLE_BODY = "There was an error parsing the body"

INTERNAL_ERROR = {
    "error": "internal_error",
    "detail": "Something went wrong on our side.",
    "fields": {},
    "rules": {},
    "limits": {},
}


class UnexpectedErrors:
    """Answers an unexpected exception with the one error shape (500) and keeps the connection.

    Starlette's outermost ServerErrorMiddleware also answers, but then re-raises for the server
    to log, and uvicorn closes the socket without `Connection: close`: the client's next request
    on that keep-alive connection fails too. Installed innermost, so other middleware (CORS,
    headers) still decorates the 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise  # part of an answer is out: only closing the connection is honest now
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            await JSONResponse(INTERNAL_ERROR, status_code=500)(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_middleware(UnexpectedErrors)

    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields: dict[str, str] = {}
        rules: dict[str, FieldRule] = {}
        limits: dict[str, dict[str, int | float | str]] = {}
        for err in exc.errors():
            # A JSON syntax error's location is a byte offset, not a field: name the body.
            loc = ("body",) if err.get("type") == "json_invalid" else tuple(err.get("loc", ()))
            path = _loc_to_path(loc)
            message = _validation_message(err)
            fields[path] = f"{fields[path]}; {message}" if path in fields else message
            if path in rules:
                continue  # the first broken rule of a field is the one to translate
            rules[path] = rule_of(str(err.get("type", "")))
            ctx = err.get("ctx") or {}
            found = {
                k: v
                for k in _LIMIT_KEYS
                if isinstance(v := ctx.get(k), int | float | str) and not isinstance(v, bool)
            }
            if found:
                limits[path] = found
        first = next(iter(fields.items()), ("body", "invalid request"))
        body = ErrorBody(
            error="validation_error",
            detail=f"{first[0]}: {first[1]}" if len(fields) == 1 else "Some fields are invalid.",
            fields=fields,
            rules=rules,
            limits=limits,
        )
        return JSONResponse(body.model_dump(exclude_none=True), status_code=422)

    @app.exception_handler(OperationalError)
    async def _database(_: Request, exc: OperationalError) -> JSONResponse:
        # SQLite gave up waiting for another writer (GAUNG_SQLITE_BUSY_TIMEOUT_S): say so and
        # when to retry. Any other database failure is unexpected.
        if "database is locked" not in str(exc.orig):
            raise exc
        busy = Busy("The database is busy with other changes; try again in a moment.")
        return JSONResponse(busy.body(), status_code=busy.status_code, headers={"Retry-After": "1"})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == FASTAPI_UNREADABLE_BODY:
            # A body FastAPI cannot even decode (not UTF-8) is unreadable JSON like any other.
            message = "must be JSON text in UTF-8"
            return JSONResponse(
                {
                    "error": "validation_error",
                    "detail": f"body: {message}",
                    "fields": {"body": message},
                    "rules": {"body": FieldRule.json_invalid.value},
                    "limits": {},
                },
                status_code=422,
            )
        code = STATUS_CODES.get(exc.status_code, "error")
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return JSONResponse(
            {"error": code, "detail": detail, "fields": {}, "rules": {}, "limits": {}},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    # Only reached for a failure outside UnexpectedErrors (in an outer middleware).
    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        logger.exception("unhandled error", exc_info=exc)
        return JSONResponse(INTERNAL_ERROR, status_code=500)

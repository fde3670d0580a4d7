"""Helpers for the X connector tests: a harness around a respx-mocked API with a fixed clock
and a sleep that only records, and the OpenAPI check of every body sent to ``POST /2/tweets``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from gaung.platforms.protocol import AccountCredentials, Context, Endpoints, RateLimit
from gaung.platforms.types import Platform
from gaung.platforms.x.connector import XConnector

API = "https://api.x.com"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
REPO_ROOT = Path(__file__).resolve().parents[4]
OPENAPI = REPO_ROOT.parent / "shared" / "reference" / "x-api-v2-openapi-2.167.json"


@dataclass
class Harness:
    connector: XConnector
    mock: respx.MockRouter
    limits: list[RateLimit] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)


def account(**changes: Any) -> AccountCredentials:
    values: dict[str, Any] = {
        "platform": Platform.x,
        "external_id": "2244994945",
        "handle": "dinaskominfo",
        "access_token": "akses-1",
        "refresh_token": "segar-1",
    }
    values.update(changes)
    return AccountCredentials(**values)


def build(
    mock: respx.MockRouter, http: httpx.AsyncClient, endpoints: Endpoints | None = None
) -> Harness:
    limits: list[RateLimit] = []
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    ctx = Context(
        http=http,
        endpoints=endpoints or Endpoints(x_client_id="klien-x", x_client_secret="rahasia-x"),
        on_rate_limit=limits.append,
    )
    connector = XConnector(ctx, sleep=sleep, clock=lambda: NOW)
    return Harness(connector, mock, limits, sleeps)


def create_posts_validator(schema_name: str = "CreatePostsRequest") -> Any:
    """A validator for one of the spec's request schemas (``CreatePostsRequest`` by default)
    with its ``$ref``s resolved from the document itself."""
    if not OPENAPI.is_file():
        pytest.skip(f"X's OpenAPI document not found beside the checkout: {OPENAPI}")
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:x-openapi", resource)
    schema = {"$ref": f"urn:x-openapi#/components/schemas/{schema_name}"}
    return Draft202012Validator(schema, registry=registry)


def sent_posts(mock: respx.MockRouter) -> list[dict[str, Any]]:
    """Every body sent to ``POST /2/tweets``, each checked against the OpenAPI schema."""
    bodies = [
        json.loads(call.request.content)
        for call in mock.calls
        if call.request.method == "POST" and call.request.url.path == "/2/tweets"
    ]
    validator = create_posts_validator()
    for body in bodies:
        errors = [e.message for e in validator.iter_errors(body)]
        assert errors == [], (body, errors)
    return bodies


def multipart_fields(request: httpx.Request) -> dict[str, bytes]:
    """The form fields of a multipart body, by name."""
    boundary = request.headers["content-type"].split("boundary=")[1].encode()
    found: dict[str, bytes] = {}
    for part in request.content.split(b"--" + boundary):
        head, _, body = part.partition(b"\r\n\r\n")
        if b'name="' not in head:
            continue
        name = head.split(b'name="')[1].split(b'"')[0].decode()
        found[name] = body.removesuffix(b"\r\n")
    return found

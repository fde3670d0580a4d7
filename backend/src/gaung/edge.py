"""The HTTP edge in front of every route: body limits, login before a body is accepted, security
headers, and the built web app served precompressed with the right caching."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from starlette.convertors import Convertor, register_url_convertor
from starlette.types import Scope

from gaung.apikeys.core import looks_like_key
from gaung.auth.tokens import decode_access_token
from gaung.config import Settings
from gaung.kit.errors import NotFound
from gaung.kit.http import BodyLimit, BodyRule, Headers, HeadersFor, RuleFor, SecurityHeaders
from gaung.kit.net import forwarded_https
from gaung.kit.static import file_response

API_PREFIX = "/api/v1"
UPLOAD_PATH = f"{API_PREFIX}/media"
# Room for the multipart boundaries, part headers and the small form fields beside the file.
MULTIPART_OVERHEAD = 64 * 1024
# The API paths that take a body without a login. A new public route that takes a body (a
# platform's webhook, say) must be added here, or its callers get 401 before it runs.
PUBLIC_API_PATHS = frozenset(
    f"{API_PREFIX}{p}"
    for p in (
        "/auth/login",
        "/auth/refresh",
        "/health",
        "/meta",
        "/docs",
        "/docs/oauth2-redirect",
        "/openapi.json",
        "/inbox/webhooks/meta",  # Meta signs it with the app secret instead
    )
)

# Public by prefix: a network's login returns to the connect callback without a bearer (its
# one-time state is the proof).
PUBLIC_API_PREFIXES = (f"{API_PREFIX}/accounts/connect/callback/",)

IMMUTABLE = "public, max-age=31536000, immutable"  # hashed names: a new build, a new name
NO_CACHE = "no-cache"  # index.html: always revalidated, so a deploy shows at once
SHORT_CACHE = "public, max-age=3600"  # favicon and other unhashed files
MEDIA_CACHE = "public, max-age=86400"  # random names that never change; deletions age out

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "magnetometer=(), gyroscope=(), accelerometer=()"
)
HSTS = "max-age=31536000; includeSubDomains"
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Uploaded files are served from this origin: never let one run as a page here.
MEDIA_CSP = "default-src 'none'; sandbox"
# Swagger UI (the docs pages) loads its script and style from jsDelivr and starts with an inline
# script, allowed by its hash: that script alone, not any inline script.
DOCS_CSP = (
    "default-src 'none'; script-src {hashes} https://cdn.jsdelivr.net; "
    "style-src 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def body_rule(settings: Settings) -> RuleFor:
    json_limit = settings.max_body_kb * 1024
    upload_limit = settings.max_upload_mb * 1024 * 1024 + MULTIPART_OVERHEAD

    def rule_for(method: str, path: str) -> BodyRule:
        needs_login = (
            path.startswith(f"{API_PREFIX}/")
            and path not in PUBLIC_API_PATHS
            and not path.startswith(PUBLIC_API_PREFIXES)
        )
        if (method, path.rstrip("/")) == ("POST", UPLOAD_PATH):
            return BodyRule(upload_limit, needs_login, "file", f"{settings.max_upload_mb} MB")
        return BodyRule(json_limit, needs_login)

    return rule_for


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def app_csp(settings: Settings) -> str:
    """The web app's policy: only its own scripts, no inline script; Mantine sets inline styles."""
    media = _origin(settings.media_base_url)
    extra = f" {media}" if media else ""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:{extra}; media-src 'self' blob:{extra}; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def security_headers(settings: Settings) -> HeadersFor:
    common: Headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"permissions-policy", PERMISSIONS_POLICY.encode()),
        (b"x-frame-options", b"DENY"),
    ]
    hsts: Headers = [(b"strict-transport-security", HSTS.encode())]
    always_https = settings.public_base_url.lower().startswith("https://")
    web_app = [(b"content-security-policy", app_csp(settings).encode())]
    api = [(b"content-security-policy", API_CSP.encode())]
    media = [
        (b"content-security-policy", MEDIA_CSP.encode()),
        # Instagram and Facebook fetch the files from their own servers.
        (b"cross-origin-resource-policy", b"cross-origin"),
        (b"cache-control", MEDIA_CACHE.encode()),
    ]

    def headers_for(scope: Scope) -> Headers:
        path: str = scope["path"]
        if path.startswith("/media/"):
            own = media
        elif path.startswith("/api/"):
            own = api
        else:
            own = web_app
        # HTTPS when TLS ends here or at a proxy in GAUNG_TRUSTED_PROXIES (X-Forwarded-Proto);
        # an https public address means the instance is meant for HTTPS.
        secure = (
            always_https
            or scope.get("scheme") == "https"
            or forwarded_https(scope, settings.trusted_proxy_networks)
        )
        return common + own + (hsts if secure else [])

    return headers_for


def _docs_page(page: HTMLResponse) -> HTMLResponse:
    scripts = _INLINE_SCRIPT.findall(bytes(page.body).decode())
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in scripts
    )
    page.headers["Content-Security-Policy"] = DOCS_CSP.format(hashes=hashes or "'none'")
    return page


def add_docs(app: FastAPI, docs_url: str) -> None:
    """FastAPI's Swagger UI pages, each with a policy allowing exactly its inline script.
    (Create the app with ``docs_url=None``.)"""
    redirect_url = f"{docs_url}/oauth2-redirect"

    @app.get(docs_url, include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root_path = request.scope.get("root_path", "").rstrip("/")
        page = get_swagger_ui_html(
            openapi_url=root_path + (app.openapi_url or ""),
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=root_path + redirect_url,
        )
        return _docs_page(page)

    @app.get(redirect_url, include_in_schema=False)
    async def docs_redirect() -> HTMLResponse:
        return _docs_page(get_swagger_ui_oauth2_redirect_html())


def install_edge(app: FastAPI, settings: Settings) -> None:
    """Body limits inside, security headers outside them so refusals carry the headers too."""
    app.add_middleware(
        BodyLimit,
        rule_for=body_rule(settings),
        # An API key's shape only (no database here); the route checks the key itself.
        token_ok=lambda token: (
            looks_like_key(token) or decode_access_token(token, settings) is not None
        ),
    )
    app.add_middleware(SecurityHeaders, headers_for=security_headers(settings))


class _AppPath(Convertor[str]):
    """Any path the web app may route on the client: not the API's, not the media's (their
    unknown paths are plain 404s, whatever the method)."""

    regex = r"(?!api(?:/|$)|media(?:/|$)).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("app_path", _AppPath())


def mount_spa(app: FastAPI, spa_dir: Path) -> None:
    index = spa_dir / "index.html"
    if not index.is_file():
        return
    assets = spa_dir / "assets"

    # HEAD too: caches and link checkers ask for the headers alone.
    @app.api_route("/assets/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def asset(path: str, request: Request) -> Response:
        found = file_response(assets, path, request.headers.get("accept-encoding"), IMMUTABLE)
        if found is None:
            raise NotFound(f"No file /assets/{path}.")
        return found

    @app.api_route("/{path:app_path}", methods=["GET", "HEAD"], include_in_schema=False)
    def spa(path: str, request: Request) -> Response:
        accept = request.headers.get("accept-encoding")
        if path and path != "index.html":
            found = file_response(spa_dir, path, accept, SHORT_CACHE)
            if found is not None:
                return found
        # Client-side routes (/posts, /accounts …) all load the app.
        page = file_response(spa_dir, "index.html", accept, NO_CACHE)
        if page is None:  # pragma: no cover - removed while running
            raise NotFound("The web app is not built.")
        return page

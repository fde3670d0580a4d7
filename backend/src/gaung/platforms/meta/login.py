"""Facebook Login, shared by the Page and the Instagram connectors: the dialog URL, the code →
short-lived → long-lived user token exchange, and the Pages the user manages with their Page
tokens (which do not expire when taken from a long-lived user token)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from gaung.platforms.meta.graph import JSON, Graph
from gaung.platforms.protocol import AuthorizeRequest, PermanentError

MSG_NOT_CONFIGURED = (
    "Facebook login is not set up on this server (GAUNG_META_APP_ID and "
    "GAUNG_META_APP_SECRET are empty).",
    "Login Facebook belum disiapkan di server ini (GAUNG_META_APP_ID dan "
    "GAUNG_META_APP_SECRET kosong).",
)

PAGE_FIELDS = "id,name,access_token,tasks,instagram_business_account{id,username,name}"


def dialog_url(
    graph: Graph, redirect_uri: str, state: str, scopes: Sequence[str]
) -> AuthorizeRequest:
    endpoints = graph.ctx.endpoints
    query = urlencode(
        {
            "client_id": endpoints.meta_app_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "response_type": "code",
            "scope": ",".join(scopes),
        }
    )
    return AuthorizeRequest(url=f"{endpoints.facebook_dialog_url}?{query}", state=state)


async def managed_pages(graph: Graph, redirect_uri: str, code: str) -> list[JSON]:
    """Code → long-lived user token → the Pages it manages (each with its Page token)."""
    endpoints = graph.ctx.endpoints
    if not endpoints.meta_app_id or not endpoints.meta_app_secret:
        raise PermanentError("meta.not_configured", *MSG_NOT_CONFIGURED)
    app = {"client_id": endpoints.meta_app_id, "client_secret": endpoints.meta_app_secret}
    short = await graph.call(
        "GET", "oauth/access_token", "", {**app, "redirect_uri": redirect_uri, "code": code}
    )
    long = await graph.call(
        "GET",
        "oauth/access_token",
        "",
        {
            **app,
            "grant_type": "fb_exchange_token",
            "fb_exchange_token": str(short.get("access_token") or ""),
        },
    )
    token = str(long.get("access_token") or "")
    pages = await graph.pages("me/accounts", token, {"fields": PAGE_FIELDS, "limit": "100"})
    return [page for page in pages if page.get("id") and page.get("access_token")]

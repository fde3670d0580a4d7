"""Shared pieces of the connect tests: settings with app credentials, the networks' documented
answers (platform-apis.md A2, C1) and a way to follow an authorize URL like a browser would."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from gaung.config import Settings

BASE = "https://gaung.example.go.id"
X_API = "https://api.x.com"
GRAPH = "https://graph.facebook.com/v25.0"
X_CLIENT_ID, X_CLIENT_SECRET = "klien-x", "rahasia-x"
META_APP_ID, META_APP_SECRET = "1234567890", "rahasia-meta"


def configured(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        env="test",
        data_dir=tmp_path / "data",
        public_base_url=BASE,
        spa_dir=tmp_path / "no-spa",
        x_client_id=X_CLIENT_ID,
        x_client_secret=X_CLIENT_SECRET,
        meta_app_id=META_APP_ID,
        meta_app_secret=META_APP_SECRET,
        **extra,
    )


def query(url: str) -> dict[str, str]:
    """The query of a URL, one value per name (as the network reads it)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def x_token(access: str = "akses-1", refresh: str = "segar-1", expires_in: int = 7200) -> Any:
    return {
        "token_type": "bearer",
        "expires_in": expires_in,
        "access_token": access,
        "scope": "tweet.read users.read tweet.write media.write offline.access",
        "refresh_token": refresh,
    }


def x_me(user_id: str = "2244994945", username: str = "PTPSW_BPPT") -> Any:
    return {
        "data": {
            "id": user_id,
            "name": "Pusat Teknologi",
            "username": username,
            "profile_image_url": "https://pbs.twimg.com/profile_images/1/a_normal.jpg",
        }
    }


def pages(*items: tuple[str, str, str, str | None]) -> Any:
    """``me/accounts``: (page id, name, Page token, linked Instagram id or None) each."""
    data = []
    for page_id, name, token, ig in items:
        page: dict[str, Any] = {
            "id": page_id,
            "name": name,
            "access_token": token,
            "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"],
        }
        if ig:
            page["instagram_business_account"] = {"id": ig, "username": f"ig_{page_id}"}
        data.append(page)
    return {"data": data, "paging": {"cursors": {"before": "a", "after": "b"}}}


async def callback(client: httpx.AsyncClient, authorize_url: str, **params: str) -> httpx.Response:
    """Come back from the network as its redirect would: to the redirect_uri the authorize URL
    named, with no Gaung login at all."""
    target = query(authorize_url)["redirect_uri"]
    assert target.startswith(BASE)
    return await client.get(target.removeprefix(BASE), params=params)

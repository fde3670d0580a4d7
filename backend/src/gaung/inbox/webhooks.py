"""Meta's webhooks for Page and Instagram comments, into the same store as polling (which stays
the safety net): the subscription handshake echoes Meta's challenge when the verify token
matches; a delivery is taken only with a valid ``X-Hub-Signature-256`` (HMAC-SHA256 of the raw
body with the app secret); the same body delivered again is ignored."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import AccountStatus, PlatformAccount
from gaung.auth.deps import SessionDep, SettingsDep
from gaung.inbox.models import InboxWebhookDelivery
from gaung.inbox.service import store_conversations
from gaung.kit.errors import ERROR_RESPONSES, Forbidden, Invalid
from gaung.platforms.protocol import Conversation, Message
from gaung.platforms.types import Platform

logger = logging.getLogger("gaung.inbox")

router = APIRouter(prefix="/inbox/webhooks", tags=["inbox"], responses=ERROR_RESPONSES)


class WebhookResult(BaseModel):
    received: int
    replayed: bool


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def _when(value: Any) -> datetime:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return datetime.now(UTC)
    if isinstance(value, str):
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def parse(payload: dict[str, Any]) -> list[tuple[Platform, str, Conversation]]:
    """(network, the account's external id, the conversation) for every new comment in a
    delivery; other changes (likes, edits, mentions without text) are left to polling."""
    kind = payload.get("object")
    found: list[tuple[Platform, str, Conversation]] = []
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        owner = str(entry.get("id") or "")
        changes = entry.get("changes")
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            author: dict[str, Any] = value["from"] if isinstance(value.get("from"), dict) else {}
            if kind == "page" and change.get("field") == "feed":
                if value.get("item") != "comment" or value.get("verb") != "add":
                    continue
                post_id = str(value.get("post_id") or "")
                author_id = str(author.get("id") or "")
                name = author.get("name") if isinstance(author.get("name"), str) else None
                message = Message(
                    external_id=str(value.get("comment_id") or ""),
                    author_id=author_id,
                    author_handle=name or author_id,
                    author_name=name,
                    text=str(value.get("message") or ""),
                    sent_at=_when(value.get("created_time")),
                    from_account=author_id == owner,
                )
                platform = Platform.facebook
            elif kind == "instagram" and change.get("field") == "comments":
                media: dict[str, Any] = (
                    value["media"] if isinstance(value.get("media"), dict) else {}
                )
                post_id = str(media.get("id") or "")
                handle = str(author.get("username") or "")
                message = Message(
                    external_id=str(value.get("id") or ""),
                    author_id=str(author.get("id") or handle),
                    author_handle=handle,
                    author_name=None,
                    text=str(value.get("text") or ""),
                    sent_at=_when(value.get("timestamp") or entry.get("time")),
                    from_account=str(author.get("id") or "") == owner,
                )
                platform = Platform.instagram
            else:
                continue
            if owner and post_id and message.external_id:
                conv = Conversation(post_id, "comment", [message], post_id)
                found.append((platform, owner, conv))
    return found


async def take_delivery(session: AsyncSession, body: bytes) -> WebhookResult:
    digest = hashlib.sha256(body).hexdigest()
    if await session.get(InboxWebhookDelivery, digest) is not None:
        return WebhookResult(received=0, replayed=True)
    try:
        payload = json.loads(body)
    except ValueError:
        raise Invalid("body: must be JSON", fields={"body": "must be JSON"}) from None
    if not isinstance(payload, dict):
        raise Invalid("body: must be a JSON object", fields={"body": "must be a JSON object"})
    session.add(InboxWebhookDelivery(digest=digest))
    received = 0
    for platform, owner, conv in parse(payload):
        accounts = await session.scalars(
            select(PlatformAccount).where(
                PlatformAccount.platform == platform,
                PlatformAccount.external_id == owner,
                PlatformAccount.sandbox.is_(False),
                PlatformAccount.status == AccountStatus.active,
            )
        )
        for account in accounts:
            received += await store_conversations(session, account, [conv])
    await session.flush()
    return WebhookResult(received=received, replayed=False)


@router.get(
    "/meta",
    summary="Meta's subscription handshake: echoes the challenge when the verify token matches",
)
async def verify(
    settings: SettingsDep,
    mode: Annotated[str, Query(alias="hub.mode", max_length=32)] = "",
    token: Annotated[str, Query(alias="hub.verify_token", max_length=500)] = "",
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=500)] = "",
) -> PlainTextResponse:
    expected = settings.meta_webhook_verify_token
    if mode != "subscribe" or not expected or not hmac.compare_digest(token, expected):
        raise Forbidden("The verify token does not match.", code="webhook_verify_failed")
    return PlainTextResponse(challenge)


@router.post(
    "/meta",
    response_model=WebhookResult,
    summary="Page and Instagram comments from Meta (signed with the app secret)",
)
async def receive(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    signature: Annotated[str | None, Header(alias="X-Hub-Signature-256")] = None,
) -> WebhookResult:
    body = await request.body()
    if not signature_ok(settings.meta_app_secret, body, signature):
        raise Forbidden("The delivery is unsigned or its signature is wrong.", code="bad_signature")
    return await take_delivery(session, body)

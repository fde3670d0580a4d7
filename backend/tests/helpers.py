"""Small builders shared by the API tests: images made with Pillow, uploads, audit rows."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.models import AuditEvent
from gaung.units.models import Unit


def image_bytes(width: int = 1080, height: int = 1080, fmt: str = "JPEG") -> bytes:
    buf = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new(mode, (width, height), color=0 if mode == "P" else (30, 120, 200)).save(buf, fmt)
    return buf.getvalue()


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    unit: Unit | int,
    data: bytes | None = None,
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
    **form: str,
) -> httpx.Response:
    unit_id = unit if isinstance(unit, int) else unit.id
    return await client.post(
        "/api/v1/media",
        data={"unit_id": str(unit_id), **form},
        files={"file": (filename, image_bytes() if data is None else data, content_type)},
        headers=headers,
    )


async def audit_events(
    session: AsyncSession, object_type: str, object_id: int | None = None, **where: Any
) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == str(object_id))
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list((await session.scalars(stmt.order_by(AuditEvent.id))).all())


def error_of(res: httpx.Response) -> dict[str, Any]:
    """The body of an error response, checked to have the one error shape."""
    body: dict[str, Any] = res.json()
    assert set(body) <= {"error", "detail", "fields", "problems"}, body
    assert isinstance(body["error"], str) and isinstance(body["detail"], str), body
    assert isinstance(body["fields"], dict), body
    return body

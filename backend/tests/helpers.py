"""Small builders shared by the API tests: images made with Pillow, videos made with PyAV,
uploads (also as a counted stream), audit rows."""

from __future__ import annotations

import io
import secrets
import struct
import tempfile
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import av
import httpx
from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.models import AuditEvent
from gaung.kit.errors import FieldRule
from gaung.units.models import Unit


def image_bytes(width: int = 1080, height: int = 1080, fmt: str = "JPEG") -> bytes:
    buf = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new(mode, (width, height), color=0 if mode == "P" else (30, 120, 200)).save(buf, fmt)
    return buf.getvalue()


def video_bytes(
    frames: int = 10,
    width: int = 64,
    height: int = 48,
    rate: int = 10,
    codec: str = "h264",
    fmt: str = "mp4",
    options: dict[str, str] | None = None,
    rotation: int = 0,
    metadata: dict[str, str] | None = None,
) -> bytes:
    """A small real video: ``frames`` frames of changing grey at ``rate`` frames a second."""
    # A real file: moving the index to the front ("faststart") re-reads the output.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"video.{fmt}"
        with av.open(str(path), mode="w", format=fmt, options=options or {}) as out:
            out.metadata.update(metadata or {})
            stream = out.add_stream(codec, rate=rate)
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            if rotation:
                stream.set_display_rotation(rotation)
            for i in range(frames):
                frame = av.VideoFrame(width, height, "yuv420p")
                for plane in frame.planes:
                    plane.update(bytes([(i * 20) % 256]) * plane.buffer_size)
                out.mux(stream.encode(frame))
            out.mux(stream.encode(None))
        return path.read_bytes()


def png_bytes(width: int, height: int) -> bytes:
    """A real 1-bit PNG of any size, built by hand so a huge one stays quick and small."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the bits of one row
    packer = zlib.compressobj()
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def multipart(parts: list[tuple[str, str | tuple[str, bytes]]]) -> tuple[bytes, str]:
    """A multipart/form-data body with the parts in the order given (a tuple is a file)."""
    boundary = secrets.token_hex(8)
    out = io.BytesIO()
    for name, value in parts:
        out.write(f"--{boundary}\r\n".encode())
        if isinstance(value, tuple):
            filename, data = value
            out.write(
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            out.write(data)
        else:
            out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
            out.write(value.encode())
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class CountedBody:
    """A request body sent in chunks as the server asks for them, counting what it took."""

    def __init__(self, data: bytes, chunk: int = 64 * 1024) -> None:
        self.data, self.chunk, self.sent = data, chunk, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.data), self.chunk):
            piece = self.data[start : start + self.chunk]
            self.sent += len(piece)
            yield piece


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
    assert set(body) <= {"error", "detail", "fields", "rules", "limits", "problems"}, body
    assert isinstance(body["error"], str) and isinstance(body["detail"], str), body
    assert isinstance(body["fields"], dict), body
    # Every field names the rule it breaks, from the closed set the web app translates.
    assert set(body["rules"]) == set(body["fields"]), body
    assert set(body["rules"].values()) <= set(FieldRule), body
    return body

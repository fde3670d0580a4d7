"""Uploads: checked by content (not by the name or the client's content type), measured with
Pillow, stored under the media directory and served from the public base URL."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import anyio
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit
from gaung.auth.deps import Principal, get_in_scope, scoped
from gaung.auth.permissions import Perm
from gaung.config import Settings
from gaung.kit.errors import AppError, Conflict, Forbidden, Invalid
from gaung.kit.time import utcnow
from gaung.media.models import MediaAsset, MediaKind
from gaung.media.schemas import MediaRead
from gaung.posts.models import VariantMedia

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    kind: MediaKind
    mime_type: str
    width: int | None = None
    height: int | None = None


def _sniff_video(head: bytes) -> str | None:
    # ISO base media files start with a box whose type is "ftyp"; QuickTime brand "qt  ".
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    return None


def sniff(path: Path) -> Sniffed:
    with path.open("rb") as fh:
        head = fh.read(16)
    video = _sniff_video(head)
    if video:
        return Sniffed(MediaKind.video, video)
    try:
        with Image.open(path) as img:
            fmt = img.format or ""
            if fmt not in IMAGE_FORMATS:
                raise Invalid(
                    f"{fmt or 'This'} images are not supported: use JPEG, PNG, WebP or GIF.",
                    code="unsupported_media_type",
                    fields={"file": "unsupported image format"},
                )
            img.verify()
            width, height = img.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise Invalid(
            "The file is not an image or video we can use (JPEG, PNG, WebP, GIF, MP4, MOV).",
            code="unsupported_media_type",
            fields={"file": "not a readable image or video"},
        ) from exc
    mime = IMAGE_FORMATS[fmt]
    kind = MediaKind.gif if mime == "image/gif" else MediaKind.image
    return Sniffed(kind, mime, width, height)


def _clean_filename(filename: str | None) -> str | None:
    """The client's file name, kept for people: control characters dropped, at most 255."""
    cleaned = "".join(ch for ch in filename or "" if ch.isprintable())
    return cleaned[:255] or None


def media_url(asset: MediaAsset, settings: Settings) -> str:
    return f"{settings.media_base_url}/{asset.storage_path}"


def read(asset: MediaAsset, settings: Settings) -> MediaRead:
    return MediaRead(
        id=asset.id,
        unit_id=asset.unit_id,
        kind=asset.kind,
        mime_type=asset.mime_type,
        size_bytes=asset.size_bytes,
        width=asset.width,
        height=asset.height,
        duration_s=asset.duration_s,
        alt_text=asset.alt_text,
        original_filename=asset.original_filename,
        url=media_url(asset, settings),
        created_at=asset.created_at,
    )


@dataclass(frozen=True)
class Stored:
    relative: str
    size: int
    sha256: str
    found: Sniffed


def _write(stream: BinaryIO, media_dir: Path, unit_id: int, limit_mb: int) -> Stored:
    """Copy the upload to a temporary file, check it, then move it in place (blocking I/O,
    run in a worker thread)."""
    media_dir.mkdir(parents=True, exist_ok=True)
    limit = limit_mb * 1024 * 1024
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=media_dir, prefix=".upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise AppError(
                        f"The file is larger than {limit_mb} MB.",
                        code="payload_too_large",
                        status_code=413,
                        fields={"file": f"at most {limit_mb} MB"},
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise Invalid("The file is empty.", fields={"file": "empty file"})
        found = sniff(tmp)
        relative = (
            f"{unit_id}/{utcnow():%Y/%m}/{secrets.token_hex(12)}.{EXTENSIONS[found.mime_type]}"
        )
        target = media_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Stored(relative, size, digest.hexdigest(), found)


async def store_upload(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    *,
    unit_id: int,
    stream: BinaryIO,
    filename: str | None,
    alt_text: str | None,
) -> MediaAsset:
    principal.require(unit_id, Perm.write_posts)
    media_dir = settings.effective_media_dir
    stored = await anyio.to_thread.run_sync(
        _write, stream, media_dir, unit_id, settings.max_upload_mb
    )
    found, relative, size = stored.found, stored.relative, stored.size
    asset = MediaAsset(
        unit_id=unit_id,
        uploaded_by_id=principal.user.id,
        kind=found.kind,
        mime_type=found.mime_type,
        size_bytes=size,
        width=found.width,
        height=found.height,
        alt_text=alt_text or None,
        original_filename=_clean_filename(filename),
        sha256=stored.sha256,
        storage_path=relative,
    )
    session.add(asset)
    try:
        await session.flush()
    except BaseException:
        (media_dir / relative).unlink(missing_ok=True)
        raise
    audit(
        session,
        principal,
        action="create",
        object_type="media",
        object_id=asset.id,
        unit_id=unit_id,
        after={"kind": asset.kind.value, "size_bytes": size, "path": relative},
    )
    return asset


async def list_media(
    session: AsyncSession, principal: Principal, unit_id: int | None, limit: int, offset: int
) -> list[MediaAsset]:
    stmt = scoped(select(MediaAsset), MediaAsset, principal)
    if unit_id is not None:
        stmt = stmt.where(MediaAsset.unit_id == unit_id)
    stmt = stmt.order_by(MediaAsset.id.desc()).limit(limit).offset(offset)
    return list((await session.scalars(stmt)).all())


async def get_media(
    session: AsyncSession, principal: Principal, media_id: int, perm: Perm = Perm.read
) -> MediaAsset:
    return await get_in_scope(session, MediaAsset, media_id, principal, perm, what="media")


async def _get_changeable(session: AsyncSession, principal: Principal, media_id: int) -> MediaAsset:
    """Like posts: the uploader changes their own files, editors and admins anyone's."""
    asset = await get_media(session, principal, media_id, Perm.write_posts)
    if asset.uploaded_by_id != principal.user.id and not principal.can(
        asset.unit_id, Perm.manage_posts
    ):
        raise Forbidden(
            "Only the uploader or an editor of the unit can change this file.",
            code="insufficient_role",
        )
    return asset


async def update_alt_text(
    session: AsyncSession, principal: Principal, media_id: int, alt_text: str | None
) -> MediaAsset:
    asset = await _get_changeable(session, principal, media_id)
    before = {"alt_text": asset.alt_text}
    asset.alt_text = alt_text or None
    await session.flush()
    audit(
        session,
        principal,
        action="update",
        object_type="media",
        object_id=asset.id,
        unit_id=asset.unit_id,
        before=before,
        after={"alt_text": asset.alt_text},
    )
    return asset


async def delete_media(
    session: AsyncSession, principal: Principal, settings: Settings, media_id: int
) -> None:
    asset = await _get_changeable(session, principal, media_id)
    in_use = await session.scalar(
        select(VariantMedia.variant_id).where(VariantMedia.media_id == asset.id).limit(1)
    )
    if in_use is not None:
        raise Conflict(
            "The file is attached to a post; remove it from the post first.", code="media_in_use"
        )
    audit(
        session,
        principal,
        action="delete",
        object_type="media",
        object_id=asset.id,
        unit_id=asset.unit_id,
        before={"path": asset.storage_path},
    )
    await session.delete(asset)
    await session.flush()
    path = settings.effective_media_dir / asset.storage_path
    await anyio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))

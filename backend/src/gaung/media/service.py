"""Uploads: read as a stream after the caller is known, decoded (never just sniffed), stored
under the media directory and served from the public base URL."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import anyio
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal, get_in_scope, scoped
from gaung.config import Settings
from gaung.kit.errors import Conflict, Forbidden, Invalid
from gaung.kit.time import utcnow
from gaung.media.decode import Decoded, Refused, decode, rebuilt_path
from gaung.media.models import MediaAsset, MediaKind
from gaung.media.schemas import MediaRead, UploadFields
from gaung.media.upload import ReceivedFile, receive_form
from gaung.posts.models import VariantMedia

# Decoding a large image takes a few hundred MB and a core for a while: at most two at once,
# so uploads cannot take every worker thread (or all the memory) from the rest of the app.
_DECODE_LIMITER = anyio.CapacityLimiter(2)
_MIB = 1024 * 1024
_HASH_CHUNK = _MIB


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


def _upload_fields(fields: dict[str, str], *, file_missing: bool = False) -> UploadFields:
    """The plain form fields, checked like any request body (same error shape)."""
    errors: list[Any] = []
    values: UploadFields | None = None
    try:
        values = UploadFields.model_validate(fields)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
    if file_missing:
        errors.append({"type": "missing", "loc": ("body", "file"), "msg": "Field required"})
    if errors or values is None:
        raise RequestValidationError(errors)
    return values


def _check_unit_early(principal: Principal, fields: dict[str, str]) -> None:
    """Runs when the file part begins: if the form named its unit first (as the web app does),
    a caller who may not upload there is refused before a byte of the file is stored."""
    if "unit_id" in fields:
        unit_id = _upload_fields({"unit_id": fields["unit_id"]}).unit_id
        principal.require(unit_id, Perm.write_posts)


@dataclass(frozen=True)
class Stored:
    relative: str
    size: int
    sha256: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _place(decoded: Decoded, media_dir: Path, unit_id: int) -> Stored:
    """Move what decoded into its final place (blocking I/O, run in a worker thread)."""
    source = decoded.path
    relative = f"{unit_id}/{utcnow():%Y/%m}/{secrets.token_hex(12)}.{decoded.extension}"
    target = media_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    sha256 = _sha256(source)  # of what is stored and served, not of what was sent
    os.replace(source, target)
    return Stored(relative, target.stat().st_size, sha256)


def _refused(exc: Refused) -> Invalid:
    return Invalid(exc.detail, code=exc.code, fields={"file": exc.reason})


async def _decode(received: ReceivedFile, settings: Settings) -> Decoded:
    if received.size == 0:
        raise Invalid(
            "The file is empty.", fields={"file": "empty file"}, rules={"file": "file_empty"}
        )
    try:
        return await anyio.to_thread.run_sync(
            partial(decode, received.path, max_pixels=settings.max_image_pixels),
            limiter=_DECODE_LIMITER,
        )
    except Refused as exc:
        raise _refused(exc) from exc


async def store_upload(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    *,
    content_type: str | None,
    content_length: str | None,
    stream: AsyncIterator[bytes],
) -> MediaAsset:
    """Read the multipart body (``unit_id``, ``file``, ``alt_text``), decode the file, store
    what decoded. The caller is already authenticated: nothing is read before that."""
    media_dir = settings.effective_media_dir
    # Only reads so far (authentication): end that transaction, so a slow upload does not hold
    # a database connection from the pool while its body trickles in.
    await session.commit()
    form = await receive_form(
        content_type,
        content_length,
        stream,
        directory=media_dir,
        max_file_bytes=settings.max_upload_mb * _MIB,
        fields=UploadFields.model_fields,
        before_file=partial(_check_unit_early, principal),
    )
    received = form.file
    try:
        values = _upload_fields(form.fields, file_missing=received is None)
        assert received is not None
        # The file came before its unit: check now, and the temporary file goes.
        principal.require(values.unit_id, Perm.write_posts)
        decoded = await _decode(received, settings)
        stored = await anyio.to_thread.run_sync(_place, decoded, media_dir, values.unit_id)
    finally:
        # Whatever was not moved into place: the upload and what was rebuilt from it (named by
        # the decoder, as the request may be cancelled before its result is seen).
        if received is not None:
            await anyio.to_thread.run_sync(
                _unlink_all, [received.path, rebuilt_path(received.path)]
            )
    asset = MediaAsset(
        unit_id=values.unit_id,
        uploaded_by_id=principal.user.id,
        kind=MediaKind(decoded.kind),
        mime_type=decoded.mime_type,
        size_bytes=stored.size,
        width=decoded.width,
        height=decoded.height,
        duration_s=decoded.duration_s,
        alt_text=values.alt_text or None,
        original_filename=_clean_filename(received.filename),
        sha256=stored.sha256,
        storage_path=stored.relative,
    )
    session.add(asset)
    try:
        await session.flush()
    except BaseException:
        (media_dir / stored.relative).unlink(missing_ok=True)
        raise
    after: dict[str, Any] = {"kind": asset.kind.value, "size_bytes": stored.size}
    if decoded.codec:
        after["codec"] = decoded.codec
    audit(
        session,
        principal,
        action="create",
        object_type="media",
        object_id=asset.id,
        unit_id=values.unit_id,
        after={**after, "path": stored.relative},
    )
    return asset


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


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

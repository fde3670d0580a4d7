from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.requests import ClientDisconnect

from gaung.auth.deps import PrincipalDep, SessionDep, SettingsDep
from gaung.kit.errors import ERROR_RESPONSES, AppError
from gaung.kit.schemas import MAX_ID, IdPath
from gaung.media import service
from gaung.media.schemas import UPLOAD_BODY_SCHEMA, MediaList, MediaRead, MediaUpdate

router = APIRouter(prefix="/media", tags=["media"], responses=ERROR_RESPONSES)


@router.post(
    "",
    response_model=MediaRead,
    status_code=201,
    summary="Upload an image (JPEG, PNG, WebP, GIF) or a video (MP4, MOV)",
    responses={413: ERROR_RESPONSES[422] | {"description": "file too large"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": UPLOAD_BODY_SCHEMA}},
        }
    },
)
async def upload(
    request: Request, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> MediaRead:
    # No form parameters: FastAPI would read (and spool) the whole body before the
    # authentication above. The service reads it as a stream instead.
    try:
        asset = await service.store_upload(
            session,
            principal,
            settings,
            content_type=request.headers.get("content-type"),
            content_length=request.headers.get("content-length"),
            stream=request.stream(),
        )
    except ClientDisconnect:
        # An interrupted upload is the client's doing, not a server error to log.
        raise AppError("The upload was interrupted.", code="upload_interrupted") from None
    return service.read(asset, settings)


@router.get("", response_model=MediaList, summary="Uploaded media, newest first")
async def list_media(
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    unit_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> MediaList:
    items = await service.list_media(session, principal, unit_id, limit, offset)
    return MediaList(items=[service.read(a, settings) for a in items])


@router.get("/{media_id}", response_model=MediaRead, summary="One media file")
async def get_media(
    media_id: IdPath, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> MediaRead:
    return service.read(await service.get_media(session, principal, media_id), settings)


@router.patch("/{media_id}", response_model=MediaRead, summary="Change the alt text")
async def update_media(
    media_id: IdPath,
    body: MediaUpdate,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
) -> MediaRead:
    asset = await service.update_alt_text(session, principal, media_id, body.alt_text)
    return service.read(asset, settings)


@router.delete("/{media_id}", status_code=204, summary="Delete a media file not used by a post")
async def delete_media(
    media_id: IdPath, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> Response:
    await service.delete_media(session, principal, settings, media_id)
    return Response(status_code=204)

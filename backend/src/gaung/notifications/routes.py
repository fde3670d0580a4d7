from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gaung.auth.deps import PrincipalDep, SessionDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath
from gaung.notifications import service
from gaung.notifications.schemas import NotificationList, NotificationRead, ReadAll, UnreadCount

router = APIRouter(prefix="/notifications", tags=["notifications"], responses=ERROR_RESPONSES)


@router.get("", response_model=NotificationList, summary="My notifications, newest first")
async def list_notifications(
    principal: PrincipalDep,
    session: SessionDep,
    unread_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> NotificationList:
    items, total = await service.list_mine(
        session, principal, unread_only=unread_only, limit=limit, offset=offset
    )
    return NotificationList(
        items=[NotificationRead.model_validate(n) for n in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/unread-count", response_model=UnreadCount, summary="How many I have not read")
async def unread_count(principal: PrincipalDep, session: SessionDep) -> UnreadCount:
    return UnreadCount(unread=await service.unread_count(session, principal))


@router.post("/read-all", response_model=ReadAll, summary="Mark all of mine as read")
async def read_all(principal: PrincipalDep, session: SessionDep) -> ReadAll:
    return ReadAll(marked=await service.mark_all_read(session, principal))


@router.post("/{notification_id}/read", response_model=NotificationRead, summary="Mark one as read")
async def read_one(
    notification_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> NotificationRead:
    return NotificationRead.model_validate(
        await service.mark_read(session, principal, notification_id)
    )

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from gaung.auth.deps import CalendarReaderDep, PrincipalDep, SessionDep, SettingsDep
from gaung.feeds import service
from gaung.feeds.schemas import FeedCreated, FeedList, FeedRead
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath

router = APIRouter(tags=["calendar feeds"], responses=ERROR_RESPONSES)

ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}, "description": "An iCalendar document"}
}
MEDIA_TYPE = "text/calendar; charset=utf-8"
Token = Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]


def _ics(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, max-age=300",
        },
    )


@router.get(
    "/feeds/{token}.ics",
    response_class=Response,
    responses=ICS,
    summary="A private calendar feed (the token in the address is the key)",
)
async def read_feed(token: Token, session: SessionDep, settings: SettingsDep) -> Response:
    return _ics(await service.by_token(session, settings, token), "gaung.ics")


@router.get(
    "/units/{unit_id}/calendar.ics",
    response_class=Response,
    responses=ICS,
    summary="The unit's planned and published posts as iCalendar (a member, or a key)",
)
async def unit_calendar(
    unit_id: IdPath, principal: CalendarReaderDep, session: SessionDep, settings: SettingsDep
) -> Response:
    body = await service.unit_calendar_for(session, principal, settings, unit_id)
    return _ics(body, f"gaung-unit-{unit_id}.ics")


@router.post(
    "/units/{unit_id}/calendar-feeds",
    response_model=FeedCreated,
    status_code=201,
    summary="Make a private calendar address for the unit (unit admin); shown once",
)
async def create_unit_feed(
    unit_id: IdPath, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> FeedCreated:
    return await service.create_unit_feed(session, principal, settings, unit_id)


@router.get(
    "/units/{unit_id}/calendar-feeds",
    response_model=FeedList,
    summary="The unit's calendar addresses (unit admin)",
)
async def list_unit_feeds(
    unit_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> FeedList:
    return await service.list_unit_feeds(session, principal, unit_id)


@router.post(
    "/units/{unit_id}/calendar-feeds/{feed_id}/revoke",
    response_model=FeedRead,
    summary="Revoke one of the unit's calendar addresses (unit admin)",
)
async def revoke_unit_feed(
    unit_id: IdPath, feed_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> FeedRead:
    return await service.revoke_unit_feed(session, principal, unit_id, feed_id)


@router.post(
    "/me/calendar-feeds",
    response_model=FeedCreated,
    status_code=201,
    summary="Make your own private calendar address (all your units); shown once",
)
async def create_personal_feed(
    principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> FeedCreated:
    return await service.create_personal_feed(session, principal, settings)


@router.get("/me/calendar-feeds", response_model=FeedList, summary="Your calendar addresses")
async def list_personal_feeds(principal: PrincipalDep, session: SessionDep) -> FeedList:
    return await service.list_personal_feeds(session, principal)


@router.post(
    "/me/calendar-feeds/{feed_id}/revoke",
    response_model=FeedRead,
    summary="Revoke one of your calendar addresses",
)
async def revoke_personal_feed(
    feed_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> FeedRead:
    return await service.revoke_personal_feed(session, principal, feed_id)

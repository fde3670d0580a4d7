"""The calendar and the unit's post templates: thin routes over ``calendar.service``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from gaung.accounts.models import Platform
from gaung.auth.deps import READ_ONLY, CalendarReaderDep, PrincipalDep, SessionDep
from gaung.calendar import service
from gaung.calendar.schemas import (
    CalendarRead,
    CalendarStatus,
    Template,
    TemplateIn,
    TemplateList,
    TemplateUpdate,
)
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import MAX_ID, IdPath, UtcDatetime, json_response

# Its GETs only read (the calendar, the templates).
router = APIRouter(tags=["calendar"], responses=ERROR_RESPONSES, dependencies=[READ_ONLY])


@router.get(
    "/calendar",
    response_model=CalendarRead,
    summary="A unit's variants and observance days over a date range (at most 62 days)",
    description="Each variant at its scheduled time, else when it was published, else its "
    "post's planned time (variants with none of these are left out), ordered by that time; "
    "`start` inclusive, `end` exclusive. `status` may repeat; `held` means scheduled but "
    "waiting (a pause, a blackout, or an account that cannot publish). `days` counts each "
    "day's entries; with `per_day` only each day's earliest come back. Takes a person's token "
    "or a unit's API key with `calendar:read` (its entries are then never `can_move`).",
)
async def get_calendar(
    principal: CalendarReaderDep,
    session: SessionDep,
    unit_id: Annotated[int, Query(ge=1, le=MAX_ID)],
    start: Annotated[UtcDatetime, Query(description="ISO 8601 with an offset.")],
    end: Annotated[UtcDatetime, Query(description="ISO 8601 with an offset; exclusive.")],
    platform: Platform | None = None,
    account_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: Annotated[list[CalendarStatus] | None, Query(max_length=10)] = None,
    category: Annotated[str | None, Query(max_length=80, pattern=r"^[^\x00]*$")] = None,
    author_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    per_day: Annotated[
        int | None,
        Query(
            ge=1,
            le=service.MAX_PER_DAY,
            description="At most this many entries for each day (its earliest); `days` still "
            "counts them all. For a month of busy days.",
        ),
    ] = None,
) -> Response:
    filters = service.CalendarFilters(
        platform=platform,
        account_id=account_id,
        statuses=tuple(dict.fromkeys(s.value for s in status or [])),
        category=category or None,
        author_id=author_id,
    )
    return json_response(
        await service.calendar(session, principal, unit_id, start, end, filters, per_day)
    )


@router.get(
    "/units/{unit_id}/templates", response_model=TemplateList, summary="The unit's post templates"
)
async def list_templates(
    unit_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> TemplateList:
    found = await service.list_templates(session, principal, unit_id)
    return TemplateList(items=[service.template_read(t) for t in found])


@router.post(
    "/units/{unit_id}/templates",
    response_model=Template,
    status_code=201,
    summary="Add a post template (writers)",
)
async def create_template(
    unit_id: IdPath, body: TemplateIn, principal: PrincipalDep, session: SessionDep
) -> Template:
    return service.template_read(await service.create_template(session, principal, unit_id, body))


@router.patch(
    "/units/{unit_id}/templates/{template_id}",
    response_model=Template,
    summary="Change a post template (writers)",
)
async def update_template(
    unit_id: IdPath,
    template_id: IdPath,
    body: TemplateUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> Template:
    template = await service.update_template(session, principal, unit_id, template_id, body)
    return service.template_read(template)


@router.delete(
    "/units/{unit_id}/templates/{template_id}",
    status_code=204,
    summary="Delete a post template (writers)",
)
async def delete_template(
    unit_id: IdPath, template_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> Response:
    await service.delete_template(session, principal, unit_id, template_id)
    return Response(status_code=204)

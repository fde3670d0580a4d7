from __future__ import annotations

from fastapi import APIRouter, Response

from gaung.auth.deps import PrincipalDep, SessionDep
from gaung.holds import service
from gaung.holds.schemas import AgencyHolds, BlackoutIn, BlackoutRead, HoldStatus, PauseIn
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath

router = APIRouter(tags=["holds"], responses=ERROR_RESPONSES)

HELD = (
    "While a unit is held, its due posts wait and go out when the hold ends, unless someone "
    "reschedules them."
)


@router.get(
    "/units/{unit_id}/holds",
    response_model=HoldStatus,
    summary="Whether the unit's posts are held now, why, and the coming blackout periods",
    description=HELD,
)
async def unit_status(unit_id: IdPath, principal: PrincipalDep, session: SessionDep) -> HoldStatus:
    return await service.unit_status(session, principal, unit_id)


@router.post(
    "/units/{unit_id}/pause",
    response_model=HoldStatus,
    summary="Pause the unit's publishing (unit admin or editor)",
    description=HELD,
)
async def pause_unit(
    unit_id: IdPath, body: PauseIn, principal: PrincipalDep, session: SessionDep
) -> HoldStatus:
    return await service.pause_unit(session, principal, unit_id, body)


@router.post(
    "/units/{unit_id}/resume",
    response_model=HoldStatus,
    summary="Resume the unit's publishing (unit admin or editor)",
)
async def resume_unit(unit_id: IdPath, principal: PrincipalDep, session: SessionDep) -> HoldStatus:
    return await service.resume_unit(session, principal, unit_id)


@router.post(
    "/units/{unit_id}/blackouts",
    response_model=BlackoutRead,
    status_code=201,
    summary="Add a blackout period to the unit (unit admin or editor)",
    description=HELD + " An election quiet period (masa tenang) also makes the writing check "
    "and post validation warn on political content.",
)
async def add_unit_blackout(
    unit_id: IdPath, body: BlackoutIn, principal: PrincipalDep, session: SessionDep
) -> BlackoutRead:
    return await service.add_unit_blackout(session, principal, unit_id, body)


@router.delete(
    "/units/{unit_id}/blackouts/{blackout_id}",
    status_code=204,
    summary="Remove one of the unit's blackout periods (unit admin or editor)",
)
async def remove_unit_blackout(
    unit_id: IdPath, blackout_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> Response:
    await service.remove_unit_blackout(session, principal, unit_id, blackout_id)
    return Response(status_code=204)


@router.get(
    "/holds/agency",
    response_model=AgencyHolds,
    summary="The agency-wide pause and blackout periods (instance administrator)",
)
async def agency_status(principal: PrincipalDep, session: SessionDep) -> AgencyHolds:
    return await service.agency_status(session, principal)


@router.post(
    "/holds/agency/pause",
    response_model=AgencyHolds,
    summary="Pause every unit's publishing (instance administrator)",
    description=HELD,
)
async def pause_agency(body: PauseIn, principal: PrincipalDep, session: SessionDep) -> AgencyHolds:
    return await service.pause_agency(session, principal, body)


@router.post(
    "/holds/agency/resume",
    response_model=AgencyHolds,
    summary="Resume publishing across the agency (instance administrator)",
)
async def resume_agency(principal: PrincipalDep, session: SessionDep) -> AgencyHolds:
    return await service.resume_agency(session, principal)


@router.post(
    "/holds/agency/blackouts",
    response_model=BlackoutRead,
    status_code=201,
    summary="Add an agency-wide blackout period (instance administrator)",
)
async def add_agency_blackout(
    body: BlackoutIn, principal: PrincipalDep, session: SessionDep
) -> BlackoutRead:
    return await service.add_agency_blackout(session, principal, body)


@router.delete(
    "/holds/agency/blackouts/{blackout_id}",
    status_code=204,
    summary="Remove an agency-wide blackout period (instance administrator)",
)
async def remove_agency_blackout(
    blackout_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> Response:
    await service.remove_agency_blackout(session, principal, blackout_id)
    return Response(status_code=204)

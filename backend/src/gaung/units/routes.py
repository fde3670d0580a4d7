from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from gaung.auth.deps import PrincipalDep, SessionDep
from gaung.auth.permissions import Perm
from gaung.invites import service as invites
from gaung.invites.schemas import SentInvitationList
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath
from gaung.units import service
from gaung.units.schemas import (
    MemberAdd,
    MemberList,
    MemberPending,
    MemberRead,
    MemberUpdate,
    UnitCreate,
    UnitList,
    UnitRead,
    UnitUpdate,
)

router = APIRouter(prefix="/units", tags=["units"], responses=ERROR_RESPONSES)


@router.get("", response_model=UnitList, summary="Units I belong to")
async def list_units(principal: PrincipalDep, session: SessionDep) -> UnitList:
    units = await service.list_units(session, principal)
    return UnitList(items=[UnitRead.model_validate(u) for u in units])


@router.post("", response_model=UnitRead, status_code=201, summary="Create a unit (instance admin)")
async def create_unit(body: UnitCreate, principal: PrincipalDep, session: SessionDep) -> UnitRead:
    return UnitRead.model_validate(await service.create_unit(session, principal, body))


@router.get("/{unit_id}", response_model=UnitRead, summary="One unit")
async def get_unit(unit_id: IdPath, principal: PrincipalDep, session: SessionDep) -> UnitRead:
    return UnitRead.model_validate(await service.get_unit(session, principal, unit_id, Perm.read))


@router.patch("/{unit_id}", response_model=UnitRead, summary="Change a unit (unit admin)")
async def update_unit(
    unit_id: IdPath, body: UnitUpdate, principal: PrincipalDep, session: SessionDep
) -> UnitRead:
    return UnitRead.model_validate(await service.update_unit(session, principal, unit_id, body))


@router.get("/{unit_id}/members", response_model=MemberList, summary="Members and their roles")
async def list_members(unit_id: IdPath, principal: PrincipalDep, session: SessionDep) -> MemberList:
    return MemberList(items=await service.list_members(session, principal, unit_id))


@router.post(
    "/{unit_id}/members",
    response_model=MemberRead,
    status_code=201,
    summary="Add a member, or invite someone who is not in your units",
    description="A member of one of your units (or anyone, for the instance administrator) is "
    "added at once: 201. Any other address gets an invitation that its owner accepts, and a "
    "new account when it has none: 202, the same answer either way.",
    responses={202: {"model": MemberPending, "description": "invitation pending"}},
)
async def add_member(
    unit_id: IdPath, body: MemberAdd, principal: PrincipalDep, session: SessionDep
) -> MemberRead | JSONResponse:
    result = await service.add_member(session, principal, unit_id, body)
    if isinstance(result, MemberPending):
        return JSONResponse(result.model_dump(mode="json"), status_code=202)
    return result


@router.get(
    "/{unit_id}/invitations",
    response_model=SentInvitationList,
    summary="Pending invitations into the unit (unit admin)",
)
async def list_invitations(
    unit_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> SentInvitationList:
    return SentInvitationList(items=await invites.list_sent(session, principal, unit_id))


@router.delete(
    "/{unit_id}/invitations/{invite_id}",
    status_code=204,
    summary="Withdraw a pending invitation (unit admin)",
)
async def revoke_invitation(
    unit_id: IdPath, invite_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> Response:
    await invites.revoke(session, principal, unit_id, invite_id)
    return Response(status_code=204)


@router.patch("/{unit_id}/members/{user_id}", response_model=MemberRead, summary="Change a role")
async def update_member(
    unit_id: IdPath,
    user_id: IdPath,
    body: MemberUpdate,
    principal: PrincipalDep,
    session: SessionDep,
) -> MemberRead:
    return await service.update_member(session, principal, unit_id, user_id, body.role)


@router.delete("/{unit_id}/members/{user_id}", status_code=204, summary="Remove a member")
async def remove_member(
    unit_id: IdPath, user_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> Response:
    await service.remove_member(session, principal, unit_id, user_id)
    return Response(status_code=204)

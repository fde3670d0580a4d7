from __future__ import annotations

from fastapi import APIRouter, Response

from gaung.auth.deps import PrincipalDep, SessionDep
from gaung.invites import service
from gaung.invites.schemas import InvitationList
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath
from gaung.users.schemas import MembershipRead

router = APIRouter(prefix="/me/invitations", tags=["me"], responses=ERROR_RESPONSES)


@router.get("", response_model=InvitationList, summary="Units that invite me (pending)")
async def list_my_invitations(principal: PrincipalDep, session: SessionDep) -> InvitationList:
    return InvitationList(items=await service.list_mine(session, principal))


@router.post(
    "/{invite_id}/accept",
    response_model=MembershipRead,
    summary="Accept an invitation: become a member with the offered role",
)
async def accept_invitation(
    invite_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> MembershipRead:
    return await service.accept(session, principal, invite_id)


@router.post("/{invite_id}/decline", status_code=204, summary="Decline an invitation")
async def decline_invitation(
    invite_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> Response:
    await service.decline(session, principal, invite_id)
    return Response(status_code=204)

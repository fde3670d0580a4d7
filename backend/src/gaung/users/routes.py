from __future__ import annotations

from fastapi import APIRouter

from gaung.auth.deps import READ_ONLY, PrincipalDep, SessionDep, SettingsDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.units.schemas import UnitRead
from gaung.users import service
from gaung.users.schemas import MembershipRead, MeRead, MeUpdate
from gaung.users.service import memberships_of

router = APIRouter(tags=["me"], responses=ERROR_RESPONSES, dependencies=[READ_ONLY])


async def _me(principal: PrincipalDep, session: SessionDep) -> MeRead:
    user = principal.user
    pairs = await memberships_of(session, user)
    return MeRead(
        id=user.id,
        email=user.email,
        name=user.name,
        locale="en" if user.locale == "en" else "id",
        is_superuser=user.is_superuser,
        memberships=[MembershipRead.of(m.role, UnitRead.model_validate(u)) for m, u in pairs],
    )


@router.get("/me", response_model=MeRead, summary="Who I am and my role in each unit")
async def get_me(principal: PrincipalDep, session: SessionDep) -> MeRead:
    return await _me(principal, session)


@router.patch("/me", response_model=MeRead, summary="Change my name, language or password")
async def update_me(
    body: MeUpdate, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> MeRead:
    await service.update_me(session, principal, body, settings)
    return await _me(principal, session)

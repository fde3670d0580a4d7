from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gaung.auth.deps import PrincipalDep, SessionDep, SettingsDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath
from gaung.xspend import service
from gaung.xspend.schemas import MONTH_PATTERN, XSpend, XSpendCapIn

router = APIRouter(prefix="/units", tags=["x-spend"], responses=ERROR_RESPONSES)


@router.get(
    "/{unit_id}/x-spend",
    response_model=XSpend,
    summary="The unit's estimated X spend in a month",
    description="Billable X calls of the unit's accounts, by price class, at X's pay-per-use "
    "prices (an estimate: X bills re-reads of one post within a day once). Optional reads "
    "pause at a share of the cap (`GAUNG_X_SPEND_READ_PAUSE_FRACTION`), publishing at the cap.",
)
async def get_spend(
    unit_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    month: Annotated[
        str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM; default this UTC month.")
    ] = None,
) -> XSpend:
    return await service.get_spend(session, principal, unit_id, month, settings)


@router.put(
    "/{unit_id}/x-spend-cap",
    response_model=XSpend,
    summary="Set or remove the unit's monthly X spending cap (unit admin)",
)
async def put_cap(
    unit_id: IdPath,
    body: XSpendCapIn,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
) -> XSpend:
    return await service.set_cap(session, principal, unit_id, body.cap(), settings)

from __future__ import annotations

from fastapi import APIRouter

from gaung.apikeys import service
from gaung.apikeys.schemas import ApiKeyCreated, ApiKeyIn, ApiKeyList, ApiKeyRead
from gaung.auth.deps import PrincipalDep, SessionDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath

router = APIRouter(tags=["api keys"], responses=ERROR_RESPONSES)

KEYS = (
    "Send a key as `Authorization: Bearer gk_...` or `X-API-Key: gk_...`. It reaches only its "
    "unit, and only the operations that list one of its scopes."
)


@router.post(
    "/units/{unit_id}/api-keys",
    response_model=ApiKeyCreated,
    status_code=201,
    summary="Make an API key for another system (unit admin); the key is shown this once",
    description=KEYS,
)
async def create_key(
    unit_id: IdPath, body: ApiKeyIn, principal: PrincipalDep, session: SessionDep
) -> ApiKeyCreated:
    return await service.create_key(session, principal, unit_id, body)


@router.get(
    "/units/{unit_id}/api-keys",
    response_model=ApiKeyList,
    summary="The unit's API keys, with their last use (unit admin)",
)
async def list_keys(unit_id: IdPath, principal: PrincipalDep, session: SessionDep) -> ApiKeyList:
    return await service.list_keys(session, principal, unit_id)


@router.post(
    "/units/{unit_id}/api-keys/{key_id}/revoke",
    response_model=ApiKeyRead,
    summary="Revoke an API key; its next request is refused (unit admin)",
)
async def revoke_key(
    unit_id: IdPath, key_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> ApiKeyRead:
    return await service.revoke_key(session, principal, unit_id, key_id)

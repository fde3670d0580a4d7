from __future__ import annotations

from fastapi import APIRouter

from gaung.auth.deps import PrincipalDep, SessionDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath
from gaung.writing import service
from gaung.writing.schemas import (
    CheckIn,
    CheckRead,
    RuleList,
    WritingSettingsIn,
    WritingSettingsRead,
)

router = APIRouter(tags=["writing"], responses=ERROR_RESPONSES)

SPANS = (
    "Spans (`start`, `end`) are offsets in Unicode code points into the text as sent (nothing "
    "is trimmed), end exclusive; JavaScript strings index UTF-16 units, so convert (an emoji "
    "outside the BMP is one code point, two UTF-16 units)."
)


@router.post(
    "/writing/check",
    response_model=CheckRead,
    summary="Check a text's writing for one platform",
    description="Findings on stiff or unclear writing (rule code, span, why, suggestion and, "
    "when there is one, the replacement text), and a score from 0 to 100 with its reasons. "
    "Any member of the unit; the unit's writing settings apply. Messages come in Indonesian "
    "(`id`) and English (`en`). " + SPANS,
)
async def check(body: CheckIn, principal: PrincipalDep, session: SessionDep) -> CheckRead:
    return await service.check(session, principal, body)


@router.get(
    "/writing/rules",
    response_model=RuleList,
    summary="The writing rules, with explanations and examples",
)
async def rules(principal: PrincipalDep) -> RuleList:
    return service.rule_list()


@router.get(
    "/units/{unit_id}/writing-settings",
    response_model=WritingSettingsRead,
    summary="The unit's writing-check settings",
)
async def get_settings(
    unit_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> WritingSettingsRead:
    return await service.get_settings(session, principal, unit_id)


@router.put(
    "/units/{unit_id}/writing-settings",
    response_model=WritingSettingsRead,
    summary="Replace the unit's writing-check settings (unit admin)",
    description="Glossary of acronyms the unit's readers know, rules switched off, stricter "
    "thresholds (never looser than the defaults), and words never flagged.",
)
async def put_settings(
    unit_id: IdPath, body: WritingSettingsIn, principal: PrincipalDep, session: SessionDep
) -> WritingSettingsRead:
    return await service.put_settings(session, principal, unit_id, body)

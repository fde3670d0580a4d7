"""The check and the unit settings: permissions, storage, and the engine run off the event loop."""

from __future__ import annotations

import asyncio
import weakref
from functools import partial

import anyio
import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal
from gaung.holds import service as holds
from gaung.kit.time import utcnow
from gaung.writing import engine
from gaung.writing.models import UnitWritingSettings
from gaung.writing.rulebook import rulebook
from gaung.writing.schemas import (
    CheckIn,
    CheckRead,
    RuleList,
    RuleRead,
    ThresholdRead,
    WritingSettingsIn,
    WritingSettingsRead,
)

# The engine is CPU work: a couple of checks at a time in worker threads keep the event loop
# answering other requests while a 63,000-character text is checked. One limiter per event loop
# (limiters belong to one).
CHECK_THREADS = 2
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def limiter() -> anyio.CapacityLimiter:
    loop = asyncio.get_running_loop()
    found = _limiters.get(loop)
    if found is None:
        found = _limiters[loop] = anyio.CapacityLimiter(CHECK_THREADS)
    return found


def style_of(row: UnitWritingSettings | None) -> engine.UnitStyle:
    if row is None:
        return engine.UnitStyle()
    return engine.UnitStyle.of(
        glossary=[str(e["term"]) for e in row.glossary],
        disabled=row.disabled_rules,
        thresholds=row.thresholds,
        ignored=row.ignored_words,
    )


def _read(unit_id: int, row: UnitWritingSettings | None) -> WritingSettingsRead:
    if row is None:
        return WritingSettingsRead(
            unit_id=unit_id,
            glossary=[],
            disabled_rules=[],
            thresholds={},
            ignored_words=[],
            updated_at=None,
        )
    return WritingSettingsRead.model_validate(row)


async def get_settings(
    session: AsyncSession, principal: Principal, unit_id: int
) -> WritingSettingsRead:
    principal.require(unit_id, Perm.read)
    return _read(unit_id, await session.get(UnitWritingSettings, unit_id))


async def put_settings(
    session: AsyncSession, principal: Principal, unit_id: int, body: WritingSettingsIn
) -> WritingSettingsRead:
    principal.require(unit_id, Perm.manage_unit)
    row = await session.get(UnitWritingSettings, unit_id)
    before = _read(unit_id, row).model_dump(mode="json", exclude={"updated_at"})
    values = body.model_dump(mode="json")
    if row is None:
        row = UnitWritingSettings(unit_id=unit_id, **values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    await session.flush()
    await session.refresh(row)
    after = _read(unit_id, row)
    audit(
        session,
        principal,
        action="update",
        object_type="writing_settings",
        object_id=unit_id,
        unit_id=unit_id,
        before=before,
        after=after.model_dump(mode="json", exclude={"updated_at"}),
    )
    return after


async def check(session: AsyncSession, principal: Principal, body: CheckIn) -> CheckRead:
    principal.require(body.unit_id, Perm.read)
    style = style_of(await session.get(UnitWritingSettings, body.unit_id))
    period = await holds.quiet_period(session, body.unit_id, utcnow())
    run = partial(
        engine.check,
        body.text,
        body.platform.value,
        style,
        body.alt_texts,
        election=period is not None,
    )
    report = await anyio.to_thread.run_sync(run, limiter=limiter())
    out = CheckRead.model_validate(report)
    if period is not None:
        out.quiet_period = await holds.blackout_read(session, period)
    return out


def rule_list() -> RuleList:
    book = rulebook()
    phrases: dict[str, list[dict[str, str]]] = {}
    for group in book.phrases.values():
        for p in group:
            phrases.setdefault(p.rule, []).append({"match": p.text, "replace": p.replace})
    items = [
        RuleRead(
            code=r.code,
            category=r.category,
            weight=r.weight,
            cap=r.cap,
            platforms=list(r.platforms) if r.platforms else None,
            title=r.title,
            why=r.why,
            suggestion=r.suggestion,
            example=r.example,
            phrases=sorted(phrases.get(r.code, []), key=lambda p: p["match"]),
        )
        for r in [*book.rules.values(), book.election.rule]
    ]
    thresholds = [
        ThresholdRead(key=t.key, default=t.default, min=t.min, description=t.description)
        for t in book.thresholds.values()
    ]
    return RuleList(items=items, thresholds=thresholds)

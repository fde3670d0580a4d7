"""held_units: which units' due posts wait at an instant, and why, for every kind of hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from gaung.holds.core import HoldInfo, HoldKind, HoldReason, by_unit
from gaung.holds.models import BlackoutKind, BlackoutPeriod, Pause
from gaung.holds.service import held_units, quiet_period
from gaung.units.models import Unit
from tests.conftest import World

T0 = datetime(2029, 11, 20, 17, 0, tzinfo=UTC)  # 21 Nov 2029 00:00 WIB
H = timedelta(hours=1)


async def pause(
    session: AsyncSession,
    unit: Unit | None,
    at: datetime = T0,
    resumed: datetime | None = None,
    reason: str = "Evaluasi konten",
) -> Pause:
    row = Pause(unit_id=unit.id if unit else None, reason=reason, paused_at=at, resumed_at=resumed)
    session.add(row)
    await session.flush()
    return row


async def blackout(
    session: AsyncSession,
    unit: Unit | None,
    start: datetime,
    end: datetime,
    kind: BlackoutKind = BlackoutKind.mourning,
    label: str = "Hari berkabung",
) -> BlackoutPeriod:
    row = BlackoutPeriod(
        unit_id=unit.id if unit else None, kind=kind, label=label, starts_at=start, ends_at=end
    )
    session.add(row)
    await session.flush()
    return row


async def test_nothing_held_without_holds(world: World) -> None:
    await world.unit()
    assert await held_units(world.session, T0) == {}


async def test_a_unit_pause_holds_that_unit_until_resumed(world: World) -> None:
    a, _other = await world.unit(), await world.unit()
    row = await pause(world.session, a, resumed=T0 + 2 * H)
    assert await held_units(world.session, T0 - H) == {}  # not yet paused
    held = await held_units(world.session, T0 + H)
    assert set(held) == {a.id}  # b is not touched
    [reason] = held[a.id].reasons
    assert (reason.kind, reason.reason, reason.source_id) == (
        HoldKind.unit_pause,
        "Evaluasi konten",
        row.id,
    )
    assert held[a.id].until is None  # a pause ends when someone resumes
    assert await held_units(world.session, T0 + 2 * H) == {}  # resumed


async def test_an_open_pause_holds_at_any_later_time(world: World) -> None:
    a = await world.unit()
    await pause(world.session, a)
    assert set(await held_units(world.session, T0 + timedelta(days=400))) == {a.id}


async def test_an_agency_pause_holds_every_unit(world: World) -> None:
    a, b = await world.unit(), await world.unit()
    await pause(world.session, None, reason="Arahan pimpinan")
    await pause(world.session, a)
    held = await held_units(world.session, T0 + H)
    assert {a.id, b.id} <= set(held)
    assert held[b.id].kind == HoldKind.agency_pause
    # The agency's pause binds first; the unit's own is listed too.
    assert [r.kind for r in held[a.id].reasons] == [HoldKind.agency_pause, HoldKind.unit_pause]
    assert held[a.id].reasons[0].reason == "Arahan pimpinan"


async def test_a_blackout_holds_from_start_until_its_end(world: World) -> None:
    a, _other = await world.unit(), await world.unit()
    await blackout(world.session, a, T0, T0 + 24 * H)
    assert await held_units(world.session, T0 - timedelta(seconds=1)) == {}
    held = await held_units(world.session, T0)  # the start is in
    assert set(held) == {a.id}
    info = held[a.id]
    assert info.kind == HoldKind.blackout and info.until == T0 + 24 * H
    assert info.reasons[0].blackout_kind == BlackoutKind.mourning
    assert not info.election_quiet
    assert await held_units(world.session, T0 + 24 * H) == {}  # the end is out


async def test_expired_periods_hold_nothing(world: World) -> None:
    a = await world.unit()
    await blackout(world.session, a, T0 - 48 * H, T0 - 24 * H)
    await blackout(world.session, None, T0 - 10 * H, T0 - H)
    assert await held_units(world.session, T0) == {}


async def test_overlapping_periods_are_all_reasons(world: World) -> None:
    a, b = await world.unit(), await world.unit()
    first = await blackout(world.session, a, T0, T0 + 10 * H)
    second = await blackout(
        world.session,
        a,
        T0 + 5 * H,
        T0 + 72 * H,
        BlackoutKind.election_quiet,
        "Masa tenang Pilkada",
    )
    agency = await blackout(world.session, None, T0 + 6 * H, T0 + 8 * H, BlackoutKind.other, "X")
    held = await held_units(world.session, T0 + 7 * H)
    assert [r.source_id for r in held[a.id].reasons] == [first.id, second.id, agency.id]
    assert held[a.id].until == T0 + 72 * H  # the later end
    assert held[a.id].election_quiet
    assert [r.source_id for r in held[b.id].reasons] == [agency.id]
    later = await held_units(world.session, T0 + 11 * H)
    assert set(later) == {a.id}
    assert [r.source_id for r in later[a.id].reasons] == [second.id]


async def test_quiet_period_is_the_election_kind_of_the_unit_or_agency(world: World) -> None:
    a, b, c = await world.unit(), await world.unit(), await world.unit()
    await blackout(world.session, a, T0, T0 + 24 * H)  # mourning: no quiet period
    assert await quiet_period(world.session, a.id, T0 + H) is None
    own = await blackout(world.session, b, T0, T0 + 24 * H, BlackoutKind.election_quiet, "B")
    assert await quiet_period(world.session, b.id, T0 + H) == own
    assert await quiet_period(world.session, b.id, T0 + 24 * H) is None
    assert await quiet_period(world.session, c.id, T0 + H) is None
    agency = await blackout(world.session, None, T0, T0 + 48 * H, BlackoutKind.election_quiet)
    assert await quiet_period(world.session, c.id, T0 + H) == agency
    assert await quiet_period(world.session, b.id, T0 + H) == agency  # the one ending last


def test_by_unit_pure() -> None:
    unit_pause = HoldReason(HoldKind.unit_pause, T0, None, 1, 1, reason="r")
    period = HoldReason(HoldKind.blackout, T0 - H, T0 + H, 2, 1, blackout_kind=BlackoutKind.other)
    assert by_unit([period, unit_pause], [1, 2, 3]) == {
        1: HoldInfo(1, (unit_pause,)),
        2: HoldInfo(2, (period,)),
    }
    agency = HoldReason(HoldKind.blackout, T0, T0 + 2 * H, None, 2)
    held = by_unit([period, agency], [1, 2, 3])
    assert set(held) == {1, 2, 3}
    assert held[2].reasons == (period, agency) and held[2].until == T0 + 2 * H

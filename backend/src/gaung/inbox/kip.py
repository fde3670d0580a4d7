"""The legal clock of a public-information request (UU KIP 14/2008, art. 22): an answer within
10 working days, extendable once by 7 more with a written reason. Working days are Monday to
Friday except Indonesia's public holidays and cuti bersama (the ``holidays`` package's
``public`` and ``government`` categories). Pure: no web or database."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

ANSWER_DAYS = 10
EXTENSION_DAYS = 7


@cache
def _holidays(year: int) -> frozenset[date]:
    found = holidays.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return frozenset(found)


def is_working_day(day: date, extra: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year) and day not in extra


def add_working_days(start: date, days: int, extra: Collection[date] = ()) -> date:
    """The ``days``-th working day after ``start`` (the day of the request does not count)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, extra):
            left -= 1
    return day


def due_at(received: datetime, zone: str, days: int = ANSWER_DAYS) -> datetime:
    """The end (23:59:59 local time) of the last working day to answer, in UTC."""
    tz = ZoneInfo(zone)
    last = add_working_days(received.astimezone(tz).date(), days)
    return datetime.combine(last, time(23, 59, 59), tzinfo=tz).astimezone(ZoneInfo("UTC"))


def extended(due: datetime, zone: str) -> datetime:
    """The deadline after the one extension: 7 more working days."""
    tz = ZoneInfo(zone)
    last = add_working_days(due.astimezone(tz).date(), EXTENSION_DAYS)
    return datetime.combine(last, time(23, 59, 59), tzinfo=tz).astimezone(ZoneInfo("UTC"))


def working_days_left(now: datetime, due: datetime, zone: str) -> int:
    """Working days left to answer, counting today and the last day (1 on the last day); once
    past, minus the working days overdue."""
    tz = ZoneInfo(zone)
    today, last = now.astimezone(tz).date(), due.astimezone(tz).date()
    if last >= today:
        return sum(
            is_working_day(today + timedelta(days=n)) for n in range((last - today).days + 1)
        )
    return -sum(is_working_day(last + timedelta(days=n)) for n in range(1, (today - last).days + 1))

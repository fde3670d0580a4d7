"""The arithmetic of metrics, free of the web and the database: the polling schedule, what
counts as an interaction, engagement rates, follower series by day/week/month, the best-time
grid and period comparisons. Everything here is exact and tested against hand-computed figures.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import ZoneInfo

# After publishing, a post's figures are read at these ages: they move fast at first and
# hardly at all after a month, so later reads are rarer (each one is a billed call on X).
POST_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(hours=24),
    timedelta(days=3),
    timedelta(days=7),
    timedelta(days=30),
)
# A cell of the best-time grid with fewer posts than this is shown but marked as a guess.
MIN_RELIABLE_POSTS = 5
WEEKDAYS = 7
HOURS = 24


class Interval(StrEnum):
    day = "day"
    week = "week"
    month = "month"


Basis = Literal["reach", "followers"]


# --- polling -----------------------------------------------------------------------------------


def next_post_poll(published_at: datetime, polls_done: int) -> datetime | None:
    """When a post's next reading is due after ``polls_done`` readings; None when done."""
    if polls_done >= len(POST_SCHEDULE):
        return None
    return published_at + POST_SCHEDULE[polls_done]


def polls_passed(published_at: datetime, now: datetime) -> int:
    """How many schedule steps are already behind a post of this age (an imported post is read
    once now and then follows the rest of the schedule)."""
    age = now - published_at
    return sum(1 for step in POST_SCHEDULE if step <= age)


def spread(key: int, every: timedelta) -> timedelta:
    """A fixed offset within ``every`` for one account, so hourly polls of many accounts are
    spread over the hour instead of all hitting the networks at minute zero."""
    seconds = max(1, int(every.total_seconds()))
    return timedelta(seconds=(key * 7919) % seconds)


def next_slot(now: datetime, key: int, every: timedelta) -> datetime:
    """The account's next slot strictly after ``now`` on its spread grid."""
    seconds = max(1, int(every.total_seconds()))
    offset = int(spread(key, every).total_seconds())
    epoch = int(now.timestamp())
    slot = (epoch - offset) // seconds * seconds + offset + seconds
    return datetime.fromtimestamp(slot, tz=now.tzinfo)


def backoff(failures: int, base_s: float, max_s: float, retry_after: float | None = None) -> float:
    """Seconds to wait before retrying a failed poll: doubling, capped, at least what the
    network asked for."""
    wait: float = min(max_s, base_s * 2.0 ** max(0, failures - 1))
    return max(wait, retry_after or 0.0)


def must_wait(rate_limit: Mapping[str, Any], now: datetime) -> datetime | None:
    """Until when the stored rate-limit state says to leave the account alone, if it does:
    no budget left before its reset, or Meta's usage at 95 % or more (it throttles at 100)."""
    resets = rate_limit.get("resets_at")
    resets_at = datetime.fromisoformat(resets) if isinstance(resets, str) else None
    if resets_at is not None and resets_at <= now:
        return None  # the window the report describes is over
    remaining = rate_limit.get("remaining")
    usage = rate_limit.get("usage_pct")
    exhausted = isinstance(remaining, int) and remaining <= 0
    busy = isinstance(usage, int | float) and usage >= 95
    if not (exhausted or busy):
        return None
    return resets_at or now + timedelta(hours=1)


# --- figures -----------------------------------------------------------------------------------


def interactions(
    likes: int | None, comments: int | None, shares: int | None, saves: int | None
) -> int:
    """What people did with a post: likes (reactions), comments (replies), shares (reposts,
    quotes are not counted twice) and saves (bookmarks). Views and clicks are not interactions."""
    return sum(v for v in (likes, comments, shares, saves) if v is not None)


def engagement(
    interactions_: int, reach: int | None, followers: int | None
) -> tuple[float | None, Basis | None]:
    """A post's engagement rate: interactions per person reached when the network reports reach
    (Instagram, the sandbox), else per follower at publishing (X and Facebook Pages give no
    reach to the API). The basis is returned so nobody compares the two unknowingly."""
    if reach:
        return interactions_ / reach, "reach"
    if followers:
        return interactions_ / followers, "followers"
    return None, None


def growth_rate(gain: int | None, before: int | None) -> float | None:
    if gain is None or not before:
        return None
    return gain / before


def change(current: float | None, previous: float | None) -> tuple[float | None, float | None]:
    """Absolute and relative change from the previous period (relative is None from zero)."""
    if current is None or previous is None:
        return None, None
    diff = current - previous
    return diff, (diff / previous if previous else None)


# --- time -------------------------------------------------------------------------------------


def local_bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants of local midnight at ``start`` and after ``end`` (inclusive days)."""
    begin = datetime.combine(start, time(), tzinfo=zone)
    finish = datetime.combine(end + timedelta(days=1), time(), tzinfo=zone)
    return begin, finish


def bucket(day: date, interval: Interval) -> date:
    """The first day of the period ``day`` falls in (weeks start on Monday)."""
    if interval is Interval.week:
        return day - timedelta(days=day.weekday())
    if interval is Interval.month:
        return day.replace(day=1)
    return day


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before ``start``..``end``; a whole calendar month
    compares with the whole month before."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        last = start - timedelta(days=1)
        return last.replace(day=1), last
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


# --- series ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    period: date
    followers: int
    net_gain: int | None
    growth_rate: float | None


@dataclass(frozen=True)
class Series:
    start_followers: int | None
    end_followers: int | None
    net_gain: int | None
    growth_rate: float | None
    points: list[Point]


def follower_series(
    days: Sequence[tuple[date, int]], baseline: int | None, interval: Interval
) -> Series:
    """Followers at the end of each period (the last known day in it), with the gain since the
    period before (the first period compares with ``baseline``, the last figure before the
    range; without one it has no gain). ``days`` are in order, one per day with figures."""
    last_in: dict[date, int] = {}
    for day, followers in days:
        last_in[bucket(day, interval)] = followers
    points: list[Point] = []
    before = baseline
    for period in sorted(last_in):
        value = last_in[period]
        gain = None if before is None else value - before
        points.append(Point(period, value, gain, growth_rate(gain, before)))
        before = value
    start = baseline if baseline is not None else (days[0][1] if days else None)
    end = days[-1][1] if days else None
    total = None if start is None or end is None else end - start
    return Series(start, end, total, growth_rate(total, start), points)


@dataclass(frozen=True)
class Cell:
    weekday: int
    hour: int
    posts: int
    avg_interactions: float | None
    avg_engagement_rate: float | None
    reliable: bool


def best_time_grid(rows: Iterable[tuple[int, int, int, float | None, float | None]]) -> list[Cell]:
    """Every weekday × hour cell (Monday 0, local hours), from ``(weekday, hour, posts, average
    interactions, average engagement rate)`` rows; empty cells have no averages."""
    found = {(w, h): (n, i, r) for w, h, n, i, r in rows}
    cells = []
    for weekday in range(WEEKDAYS):
        for hour in range(HOURS):
            n, inter, rate = found.get((weekday, hour), (0, None, None))
            cells.append(Cell(weekday, hour, n, inter, rate, reliable=n >= MIN_RELIABLE_POSTS))
    return cells


# --- CSV ---------------------------------------------------------------------------------------


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Plain CSV (comma, dot decimals, ISO dates) that spreadsheets in any locale import."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    # Most cells are ints and texts, written as they are: a year of days for each account is
    # thousands of cells, so those skip the formatting call.
    plain = _PLAIN
    writer.writerows(
        ["" if (v := row.get(c)) is None else v if type(v) in plain else _cell(v) for c in columns]
        for row in rows
    )
    return out.getvalue()


_PLAIN = frozenset({int, str})


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value

"""The pure arithmetic: schedule, spreading, backoff, rate-limit waits, rates and series."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from gaung.metrics import core
from gaung.metrics.core import Interval

T0 = datetime(2026, 4, 1, 2, 15, tzinfo=UTC)


def test_post_schedule_decays_and_ends() -> None:
    assert [core.next_post_poll(T0, n) - T0 for n in range(6)] == [  # type: ignore[operator]
        timedelta(hours=1),
        timedelta(hours=6),
        timedelta(hours=24),
        timedelta(days=3),
        timedelta(days=7),
        timedelta(days=30),
    ]
    assert core.next_post_poll(T0, 6) is None
    assert core.polls_passed(T0, T0 + timedelta(minutes=59)) == 0
    assert core.polls_passed(T0, T0 + timedelta(days=3)) == 4
    assert core.polls_passed(T0, T0 + timedelta(days=90)) == 6


def test_accounts_are_spread_over_the_interval() -> None:
    hour = timedelta(hours=1)
    slots = {core.next_slot(T0, key, hour) for key in range(1, 61)}
    assert len(slots) == 60  # sixty accounts, sixty different moments
    for key in range(1, 61):
        slot = core.next_slot(T0, key, hour)
        assert T0 < slot <= T0 + hour
        # The same minute every hour.
        assert core.next_slot(slot, key, hour) == slot + hour


def test_backoff_doubles_up_to_its_cap_and_honours_retry_after() -> None:
    assert [core.backoff(n, 300, 3600) for n in (1, 2, 3, 4, 5)] == [300, 600, 1200, 2400, 3600]
    assert core.backoff(1, 300, 3600, retry_after=900) == 900


def test_stored_rate_limit_state_says_when_to_wait() -> None:
    later = (T0 + timedelta(minutes=10)).isoformat()
    assert core.must_wait({"remaining": 0, "resets_at": later}, T0) == T0 + timedelta(minutes=10)
    assert core.must_wait({"remaining": 3, "resets_at": later}, T0) is None
    assert core.must_wait({"usage_pct": 97.0}, T0) == T0 + timedelta(hours=1)
    assert core.must_wait({"usage_pct": 50.0}, T0) is None
    past = (T0 - timedelta(minutes=1)).isoformat()
    assert core.must_wait({"remaining": 0, "resets_at": past}, T0) is None  # window over
    assert core.must_wait({}, T0) is None


def test_interactions_and_engagement_say_their_basis() -> None:
    assert core.interactions(10, 5, None, 2) == 17
    assert core.engagement(60, 400, 1000) == (0.15, "reach")
    assert core.engagement(20, None, 1000) == (0.02, "followers")
    assert core.engagement(20, 0, None) == (None, None)


def test_follower_series_by_day_week_and_month() -> None:
    days = [(date(2026, 4, 1), 1020), (date(2026, 4, 2), 1050), (date(2026, 4, 8), 1100)]
    by_day = core.follower_series(days, 1000, Interval.day)
    assert [(p.period.day, p.followers, p.net_gain) for p in by_day.points] == [
        (1, 1020, 20),
        (2, 1050, 30),
        (8, 1100, 50),
    ]
    assert by_day.points[1].growth_rate == pytest.approx(30 / 1020)
    assert (by_day.start_followers, by_day.end_followers, by_day.net_gain) == (1000, 1100, 100)
    assert by_day.growth_rate == pytest.approx(0.1)
    by_week = core.follower_series(days, 1000, Interval.week)
    assert [(p.period, p.followers, p.net_gain) for p in by_week.points] == [
        (date(2026, 3, 30), 1050, 50),
        (date(2026, 4, 6), 1100, 50),
    ]
    by_month = core.follower_series(days, None, Interval.month)
    # Without a figure before the range, the first period has no gain; the total starts at
    # the first day's figure.
    assert [(p.period, p.followers, p.net_gain) for p in by_month.points] == [
        (date(2026, 4, 1), 1100, None)
    ]
    assert (by_month.start_followers, by_month.net_gain) == (1020, 80)
    empty = core.follower_series([], None, Interval.day)
    assert (empty.points, empty.net_gain, empty.growth_rate) == ([], None, None)


def test_previous_period() -> None:
    assert core.previous_period(date(2026, 4, 1), date(2026, 4, 30)) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
    )
    assert core.previous_period(date(2026, 4, 10), date(2026, 4, 16)) == (
        date(2026, 4, 3),
        date(2026, 4, 9),
    )


def test_change_from_zero_has_no_percentage() -> None:
    assert core.change(15, 10) == (5, 0.5)
    assert core.change(3, 0) == (3, None)
    assert core.change(None, 4) == (None, None)


def test_best_time_grid_has_every_cell_and_flags_small_samples() -> None:
    cells = core.best_time_grid([(2, 9, 6, 40.0, 0.08), (3, 19, 1, 51.0, 0.05)])
    assert len(cells) == 168
    wed9 = cells[2 * 24 + 9]
    assert (wed9.weekday, wed9.hour, wed9.posts, wed9.reliable) == (2, 9, 6, True)
    thu19 = cells[3 * 24 + 19]
    assert (thu19.posts, thu19.reliable) == (1, False)
    assert (cells[0].posts, cells[0].avg_interactions) == (0, None)


def test_csv_is_plain() -> None:
    text = core.to_csv(["a", "b", "c"], [{"a": date(2026, 4, 1), "b": 0.125, "c": None}])
    assert text == "a,b,c\n2026-04-01,0.125,\n"

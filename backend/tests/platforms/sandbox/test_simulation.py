"""The simulated audience: the same seed gives the same demo, and its figures look plausible."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from gaung.platforms.sandbox import simulation as sim

DAY = timedelta(days=1)
T0 = datetime(2026, 6, 1, tzinfo=UTC)


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    at = T0 + timedelta(days=40, hours=5)
    published = T0 + timedelta(days=39)
    assert sim.followers(7, "x:a", at) == sim.followers(7, "x:a", at)
    assert sim.post_figures(7, "p1", published, at, 5000) == sim.post_figures(
        7, "p1", published, at, 5000
    )
    assert sim.comments(7, "p1", published, at) == sim.comments(7, "p1", published, at)
    followers = {sim.followers(seed, "x:a", at) for seed in range(5)}
    assert len(followers) == 5
    figures = {sim.post_figures(seed, "p1", published, at, 5000).impressions for seed in range(5)}
    assert len(figures) == 5
    texts = {tuple(c.text for c in sim.comments(s, "p1", published, at)) for s in range(8)}
    assert len(texts) > 1


def test_accounts_differ_under_one_seed() -> None:
    assert sim.followers(1, "x:a", T0) != sim.followers(1, "instagram:a", T0)


def test_followers_never_drop_and_gain_a_plausible_amount_each_day() -> None:
    hourly = [sim.followers(3, "x:a", T0 + timedelta(hours=h)) for h in range(24 * 60)]
    assert all(b >= a for a, b in itertools.pairwise(hourly))
    daily = [sim.followers(3, "x:a", T0 + d * DAY) for d in range(120)]
    gains = [b - a for a, b in itertools.pairwise(daily)]
    assert all(0 <= g <= sim.MAX_DAILY_GAIN for g in gains)
    assert sum(gains) > 119  # it grows, on average more than one a day
    assert 1_000 <= daily[0] <= 20_000  # the size of a government unit's account


def test_more_followers_arrive_on_weekdays_and_in_daytime() -> None:
    by_weekday: dict[bool, list[int]] = {True: [], False: []}
    for day in range(28 * 7):
        start = sim.EPOCH + day * DAY - sim.AUDIENCE_OFFSET  # audience midnight
        gain = sim.followers(5, "x:a", start + DAY) - sim.followers(5, "x:a", start)
        by_weekday[(sim.EPOCH + day * DAY).weekday() < 5].append(gain)
    weekday = sum(by_weekday[True]) / len(by_weekday[True])
    weekend = sum(by_weekday[False]) / len(by_weekday[False])
    assert weekday > weekend * 1.3
    midnight = sim.EPOCH + 100 * DAY - sim.AUDIENCE_OFFSET
    night = sim.followers(5, "x:a", midnight + timedelta(hours=6)) - sim.followers(
        5, "x:a", midnight
    )
    day = sim.followers(5, "x:a", midnight + timedelta(hours=16)) - sim.followers(
        5, "x:a", midnight + timedelta(hours=10)
    )
    assert day > night


def test_before_the_epoch_figures_are_the_starting_ones() -> None:
    early = sim.EPOCH - timedelta(days=30)
    assert sim.followers(1, "x:a", early) == sim.followers(1, "x:a", early - DAY)


def test_post_figures_grow_after_publishing_and_level_off() -> None:
    published = T0
    series = [
        sim.post_figures(2, "p9", published, published + timedelta(hours=h), 8000)
        for h in range(97)
    ]
    assert series[0].impressions == 0 and series[0].likes == 0
    for a, b in itertools.pairwise(series):
        assert b.impressions >= a.impressions and b.reach >= a.reach and b.likes >= a.likes
        assert b.replies >= a.replies and b.shares >= a.shares and b.clicks >= a.clicks
    assert series[12].impressions > series[1].impressions > 0
    # Levelled off after three days: the fourth adds less than 2%.
    assert series[96].impressions - series[72].impressions < 0.02 * series[96].impressions
    final = series[96]
    assert final.reach <= 8000 and final.impressions >= final.reach >= final.likes


INDONESIAN = {
    "min",
    "kak",
    "yg",
    "gak",
    "ya",
    "di",
    "ada",
    "buat",
    "bs",
    "gmn",
    "semoga",
    "terima",
    "kami",
    "infonya",
    "izin",
    "keren",
    "mantap",
    "bangga",
    "sangat",
    "dan",
    "utk",
    "apa",
}


def _words(text: str) -> set[str]:
    return {w.strip(",.?!").lower() for w in text.split()}


def test_comments_are_indonesian_and_many_are_questions() -> None:
    every = [c for n in range(300) for c in sim.comments(4, f"post{n}", T0, T0 + timedelta(days=3))]
    assert len(every) > 300  # about three a post
    assert all(_words(c.text) & INDONESIAN for c in every), [
        c.text for c in every if not _words(c.text) & INDONESIAN
    ]
    questions = [c for c in every if c.is_question]
    assert 0.4 < len(questions) / len(every) < 0.8
    assert all(c.text.endswith("?") or "?" in c.text or "gmn" in c.text.lower() for c in questions)
    assert {c.text for c in every} >= set(sim.QUESTIONS) - {""} or len(
        {c.text for c in questions}
    ) > 15


def test_questions_cover_what_a_technology_agency_is_asked_in_informal_spelling() -> None:
    text = " ".join(sim.QUESTIONS).lower()
    for topic in (
        "cpns",
        "pppk",
        "cuaca",
        "hujan",
        "sungai",
        "air",
        "longsor",
        "banjir",
        "peta",
        "spasial",
        "wilayah",
        "layanan",
        "magang",
    ):
        assert topic in text, topic
    words = set().union(*(_words(q) for q in sim.QUESTIONS))
    assert {"gmn", "yg", "bs"} <= words


def test_comments_arrive_after_the_post_within_the_window_oldest_first() -> None:
    for n in range(50):
        post = f"p{n}"
        cs = sim.comments(1, post, T0, T0 + sim.COMMENT_WINDOW + DAY)
        assert len(cs) == sim.comment_count(1, post) <= sim.MAX_COMMENTS_PER_POST
        assert [c.sent_at for c in cs] == sorted(c.sent_at for c in cs)
        assert all(T0 < c.sent_at <= T0 + sim.COMMENT_WINDOW + timedelta(minutes=1) for c in cs)
        assert sim.comments(1, post, T0, T0) == []


def test_comment_ids_name_their_post() -> None:
    cid = sim.comment_id("123_456", 3)
    assert sim.parse_comment_id(cid) == ("123_456", 3)
    for bad in ("123", "_c1", "123_cx", ""):
        assert sim.parse_comment_id(bad) is None

"""Observance days: national holidays and cuti bersama from the holidays package, commemoration
days from the data file, each with Indonesian and English names."""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files

from gaung.calendar import observances
from gaung.calendar.observances import observances_between, observances_of_year


def on(day: date) -> dict[str, tuple[str, str]]:
    return {o.name: (o.kind, o.name_en) for o in observances_of_year(day.year) if o.date == day}


def test_2026_holidays_cuti_bersama_and_commemorations() -> None:
    assert on(date(2026, 8, 17)) == {
        "Hari Kemerdekaan Republik Indonesia": ("holiday", "Independence Day")
    }
    assert on(date(2026, 8, 10)) == {
        "Hari Kebangkitan Teknologi Nasional": (
            "commemoration",
            "National Technology Awakening Day",
        )
    }
    # Cuti bersama around Idul Fitri 1447 H.
    for day in (date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)):
        assert on(day)["Cuti Bersama Hari Raya Idul Fitri"] == (
            "cuti_bersama",
            "Eid al-Fitr Joint Holiday",
        )
    # A holiday and a commemoration on one day are both there, the holiday first.
    assert [o.kind for o in observances_of_year(2026) if o.date == date(2026, 3, 22)] == [
        "holiday",
        "commemoration",
    ]
    assert on(date(2026, 4, 26))["Hari Kesiapsiagaan Bencana"][0] == "commemoration"


def test_the_brief_commemorations_are_all_in_the_file_with_english_names() -> None:
    wanted = {
        (3, 22): "Hari Air Sedunia",
        (4, 26): "Hari Kesiapsiagaan Bencana",
        (5, 2): "Hari Pendidikan Nasional",
        (5, 20): "Hari Kebangkitan Nasional",
        (6, 5): "Hari Lingkungan Hidup Sedunia",
        (8, 10): "Hari Kebangkitan Teknologi Nasional",
        (10, 28): "Hari Sumpah Pemuda",
        (11, 10): "Hari Pahlawan",
        (9, 26): "Hari Statistik Nasional",
        (11, 8): "Hari Tata Ruang Nasional",
        (3, 23): "Hari Meteorologi Dunia",
        (4, 22): "Hari Bumi",
        (10, 17): "Hari Informasi Geospasial",
    }
    data = json.loads(
        files("gaung.calendar").joinpath("data/commemorations.json").read_text("utf-8")
    )
    assert data["sources"]
    by_day = {(d["month"], d["day"]): d for d in data["days"]}
    for day, name in wanted.items():
        assert by_day[day]["name"] == name
    for entry in data["days"]:
        assert entry["name_en"] and entry["source"], entry


def test_template_kind_is_a_greeting_except_on_leave_days() -> None:
    kinds = {(o.kind, o.template_kind) for o in observances_of_year(2026)}
    assert kinds == {
        ("holiday", "greeting"),
        ("commemoration", "greeting"),
        ("cuti_bersama", None),
    }


def test_between_spans_years_and_includes_both_ends() -> None:
    found = observances_between(date(2026, 12, 25), date(2027, 1, 1))
    assert [(o.date, o.kind) for o in found] == [
        (date(2026, 12, 25), "holiday"),
        (date(2027, 1, 1), "holiday"),
    ]


def test_a_year_is_built_once_and_the_cache_is_bounded() -> None:
    observances_of_year.cache_clear()
    observances_of_year(2026)
    observances_of_year(2026)
    info = observances_of_year.cache_info()
    assert (info.hits, info.misses) == (1, 1)
    assert info.maxsize is not None and info.maxsize <= 16
    # Years outside the package's range give nothing rather than an error.
    assert observances_of_year(observances.MAX_YEAR + 1) == ()

"""The router on informal Indonesian: normalising, typo tolerance, the threshold that leaves
off-topic remarks unrouted, the post's category as a hint, and learning from corrections.
Also the UU KIP clock in Indonesian working days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from gaung.inbox import kip
from gaung.inbox.routing import THRESHOLD, Topic, classify, learn, normalise, stem
from gaung.inbox.topics import demo_topics

TOPICS = [t.classifier() for t in demo_topics()]

# A small fixture of questions as followers write them, with the topic they belong to.
QUESTIONS = [
    ("min formasi cpns utk lulusan s1 ada gak?", "karier"),
    ("Gmn caranya daftar magang? bs buat mhs tingkat akhir?", "karier"),
    ("prakiraan cuaca bsk di semarang gmn min", "cuaca"),
    ("kemarau tahun ini panjang gak krn el nino?", "cuaca"),
    ("debit sungai di hulu lg naik ga min?", "air"),
    ("sumur warga kering, ada program air bersih?", "air"),
    ("banjirrr lagi di desa kami, ews nya ga bunyi", "bencana"),
    ("peta rawan longsor kabupaten kami yg mana ya", "bencana"),
    ("data spasial tutupan lahan bs diunduh gak? format shapefile?", "spasial"),
    ("pemda kami mau kerjasama pendampingan umkm", "wilayah"),
    ("layanan pengaduannya di nomor berapa ya min", "layanan"),
]


def test_informal_spelling_is_normalised() -> None:
    assert normalise("Gmn yg bs, utk daerah2 kami? Banjirrr!") == [
        "bagaimana",
        "yang",
        "bisa",
        "untuk",
        "daerah",
        "kami",
        "banjir",
    ]


def test_stemming_meets_derived_forms() -> None:
    assert stem("pendaftaran") == stem("mendaftar") == stem("daftar") == "daftar"


@pytest.mark.parametrize(("text", "topic"), QUESTIONS)
def test_questions_reach_their_topic(text: str, topic: str) -> None:
    found = classify(text, TOPICS)
    assert found and found[0].key == topic, found


def test_the_matched_words_explain_the_choice() -> None:
    [best, *_] = classify("Min, lowongan magang yg kemarin udah ditutup?", TOPICS)
    assert best.key == "karier" and set(best.matched) == {"lowongan", "magang"}


def test_a_typo_still_matches_a_long_keyword() -> None:
    [best, *_] = classify("ada lowngan buat lulusan teknik?", TOPICS)
    assert best.key == "karier" and "lowngan" in best.matched


@pytest.mark.parametrize(
    "text",
    ["Mantap, semoga bermanfaat 👍", "Keren programnya, lanjutkan!", "Izin share ya min", ""],
)
def test_off_topic_remarks_stay_unrouted(text: str) -> None:
    assert classify(text, TOPICS) == []


def test_the_posts_category_is_a_hint_not_evidence() -> None:
    topics = [Topic("a", {"prosedur": 0.5}, ("Layanan Publik",)), Topic("b", {"x": 2})]
    assert classify("prosedurnya gmn", topics) == []
    [hinted] = classify("prosedurnya gmn", topics, "Layanan Publik")
    assert hinted.key == "a" and hinted.score == 1.0 >= THRESHOLD
    # The category alone routes nothing.
    assert classify("Mantap!", topics, "Layanan Publik") == []


def test_corrections_teach_the_router() -> None:
    text = "alat arsitektur hijau buat gedung sekolah ada?"
    topics = [Topic("wilayah", {"sekolah": 1}), Topic("layanan", {"alat": 0.5})]
    assert classify(text, topics)[0].key == "wilayah"
    changed = learn(text, topics, wrong="wilayah", right="layanan")
    taught = [Topic(t.key, t.keywords, t.categories, changed.get(t.key, t.learned)) for t in topics]
    assert changed["wilayah"][stem("sekolah")] < 0 and changed["layanan"][stem("gedung")] > 0
    again = classify("arsitektur hijau untuk gedung kantor?", taught)
    assert again[0].key == "layanan" and "gedung" in again[0].matched


def test_working_days_skip_weekends_holidays_and_cuti_bersama() -> None:
    # Idul Fitri 2026: 21-22 March with cuti bersama on the 20th, 23rd and 24th; Nyepi 19th.
    assert not kip.is_working_day(date(2026, 3, 23))
    assert not kip.is_working_day(date(2026, 3, 21))
    assert kip.is_working_day(date(2026, 3, 17))
    assert not kip.is_working_day(date(2026, 3, 18))  # cuti bersama before Nyepi
    # Requested on Friday 13 March: 16, 17, 25, 26, 27, 30, 31 March, 1, 2, 6 April
    # (3 April is Good Friday).
    assert kip.add_working_days(date(2026, 3, 13), 10) == date(2026, 4, 6)


def test_the_legal_deadline_ends_the_last_working_day_in_the_units_zone() -> None:
    due = kip.due_at(datetime(2026, 3, 13, 3, tzinfo=UTC), "Asia/Jakarta")
    assert due == datetime(2026, 4, 6, 16, 59, 59, tzinfo=UTC)  # 23:59:59 WIB
    assert kip.extended(due, "Asia/Jakarta") == datetime(2026, 4, 15, 16, 59, 59, tzinfo=UTC)

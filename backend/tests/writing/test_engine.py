"""The writing check's engine: whole-word matching, exact spans, every rule both ways, unit
settings, platforms, alt texts, the score and its reasons."""

from __future__ import annotations

import pytest

from gaung.writing.engine import Finding, UnitStyle, check, tokenize
from gaung.writing.rulebook import rulebook


def found(
    text: str, platform: str = "facebook", style: UnitStyle | None = None, **kw: object
) -> list[tuple[str, str, str | None]]:
    report = check(text, platform, style, **kw)  # type: ignore[arg-type]
    return [(f.rule, text[f.start : f.end], f.replacement) for f in report.findings]


def rules_of(text: str, platform: str = "facebook", style: UnitStyle | None = None) -> set[str]:
    return {f.rule for f in check(text, platform, style).findings}


def apply(text: str, f: Finding) -> str:
    assert f.replacement is not None
    return text[: f.start] + f.replacement + text[f.end :]


# --- matching ---------------------------------------------------------------------------------


def test_words_not_substrings() -> None:
    # "guna" inside "pengguna", "berguna", "kegunaan"; "terkait" inside "keterkaitan".
    text = "Pengguna aplikasi merasa berguna; kegunaan dan keterkaitan data jelas."
    assert rules_of(text) & {"bureaucratic_phrase"} == set()
    assert found("Formulir ini guna pendaftaran.") == [("bureaucratic_phrase", "guna", "untuk")]


def test_case_and_punctuation_tolerant() -> None:
    assert found("DALAM RANGKA HUT kota!")[0][:2] == ("bureaucratic_phrase", "DALAM RANGKA")
    assert found("(dalam  rangka HUT)")[0][:2] == ("bureaucratic_phrase", "dalam  rangka")
    # A sentence break between the words is not the phrase.
    assert "redundant_phrase" not in rules_of("Ini adalah. Merupakan hal lain.")


def test_spans_are_code_points_and_exact() -> None:
    text = "🌧️ Hujan deras: dalam rangka siaga, petugas melakukan pengecekan pompa."
    report = check(text, "facebook")
    spans = {f.rule: (f.start, f.end) for f in report.findings}
    start = text.index("dalam rangka")
    assert spans["bureaucratic_phrase"] == (start, start + len("dalam rangka"))
    start = text.index("melakukan")
    assert spans["melakukan_noun"] == (start, start + len("melakukan pengecekan"))
    assert [f.excerpt for f in report.findings if f.rule == "melakukan_noun"] == [
        "melakukan pengecekan"
    ]


def test_replacement_applies_in_one_click_and_keeps_capitals() -> None:
    text = "Dalam rangka HUT RI, warga kerja bakti."
    [f] = [f for f in check(text, "facebook").findings if f.rule == "bureaucratic_phrase"]
    assert apply(text, f) == "Untuk HUT RI, warga kerja bakti."
    text = "Adapun pendaftaran dibuka besok."
    [f] = check(text, "facebook").findings
    assert apply(text, f) == "Pendaftaran dibuka besok."
    text = "Jalan ditutup, dapat kami sampaikan bahwa ada perbaikan."
    [f] = [f for f in check(text, "facebook").findings if f.rule == "bureaucratic_phrase"]
    assert apply(text, f) == "Jalan ditutup, ada perbaikan."


def test_tokens_keep_hyphenated_words_urls_and_emails_apart() -> None:
    toks = tokenize("Saling tolong-menolong #SiagaBanjir @bnpb humas@pemda.go.id https://x.id/BPPT")
    kinds = [(t.raw, t.kind) for t in toks]
    assert ("tolong-menolong", "word") in kinds
    assert ("#SiagaBanjir", "hashtag") in kinds and ("@bnpb", "mention") in kinds
    assert ("@pemda", "other") in kinds and ("BPPT", "other") in kinds


def test_sentences_split_on_terminators_with_space_only() -> None:
    toks = tokenize("Harga Rp10.000 per orang. Dr. Ana hadir!\nSelesai")
    assert [t.sentence for t in toks] == [0, 0, 0, 0, 0, 1, 1, 1, 2]


# --- each rule, both ways -------------------------------------------------------------------

POSITIVE = {
    "redundant_phrase": ("Kegiatan ini adalah merupakan wujud pelayanan.", "adalah merupakan"),
    "nonstandard_word": ("Jadwal akan kami rubah jika merubah rute.", "merubah"),
    "bureaucratic_phrase": ("Sehubungan dengan cuaca, acara diundur.", "Sehubungan dengan"),
    "melakukan_noun": ("Petugas melakukan pengukuran debit air.", "melakukan pengukuran"),
    "vague_noun": ("Program untuk peningkatan kualitas pelayanan.", "peningkatan kualitas"),
    "passive_officialese": ("Telah dilaksanakan rapat warga di balai desa.", "Telah dilaksanakan"),
    "unexplained_acronym": ("Tim TMC bersiap di posko.", "TMC"),
    "institution_first": ("PTPSW BPPT telah menguji alat ukur banjir.", "PTPSW BPPT telah"),
}
NEGATIVE = {
    "redundant_phrase": "Kegiatan ini wujud pelayanan.",
    "nonstandard_word": "Kami mengubah rute bus mulai besok.",
    "bureaucratic_phrase": "Karena hujan, acara diundur ke Sabtu. Pihak terkait sudah tahu.",
    "melakukan_noun": "Petugas mengukur debit air dan melakukan tugasnya.",
    "vague_noun": "Pembangunan jembatan Cikapundung selesai bulan ini.",
    "passive_officialese": "Rapat warga di balai desa selesai. Jalan akan ditutup besok.",
    "unexplained_acronym": "Tim teknologi modifikasi cuaca (TMC) bersiap. TMC mulai besok.",
    "institution_first": "Alat ukur banjir baru dari BPPT kini aktif.",
}


@pytest.mark.parametrize("rule", sorted(POSITIVE))
def test_rule_flags_its_example(rule: str) -> None:
    text, span = POSITIVE[rule]
    hits = [f for f in check(text, "facebook").findings if f.rule == rule]
    assert [text[f.start : f.end] for f in hits] == [span]
    assert all(f.message["id"] and f.message["en"] and f.why["en"] for f in hits)


@pytest.mark.parametrize("rule", sorted(NEGATIVE))
def test_rule_leaves_plain_text_alone(rule: str) -> None:
    assert rule not in rules_of(NEGATIVE[rule])


def test_the_rulebooks_own_examples() -> None:
    for rule in rulebook().rules.values():
        plain = rule.example["plain"]
        if rule.category == "alt_text":
            continue
        assert rule.code not in rules_of(plain, "instagram"), rule.code


def test_each_rules_stiff_example_is_flagged_by_it() -> None:
    # The examples GET /writing/rules shows must be true.
    for rule in rulebook().rules.values():
        stiff = rule.example["stiff"]
        if rule.category == "alt_text":
            alt = "a" * 300 if rule.code == "alt_text_too_long" else stiff
            report = check("", "facebook", alt_texts=[alt])
        else:
            report = check(stiff, "instagram" if rule.code == "no_call_to_action" else "x")
        assert rule.code in {f.rule for f in report.findings}, rule.code


def test_pleonasm_variants() -> None:
    assert found("Para tamu-tamu sudah datang.") == [
        ("redundant_phrase", "Para tamu-tamu", "Para tamu")
    ]
    assert found("Cuacanya sangat panas sekali hari ini.") == [
        ("redundant_phrase", "sangat panas sekali", "sangat panas")
    ]
    assert found("Warga saling tolong-menolong.") == [
        ("redundant_phrase", "saling tolong-menolong", "saling menolong")
    ]
    assert rules_of("Anak-anak bermain. Sangat senang. Sekali lagi.") == set()
    # "*" stands for one to three words.
    assert rules_of("Sangat sekali.") == set()
    assert found("sangat besar dan luas sekali") == [
        ("redundant_phrase", "sangat besar dan luas sekali", "sangat besar dan luas")
    ]
    assert rules_of("sangat besar, luas dan indah sekali") == set()


def test_melakukan_without_a_known_verb_has_no_replacement() -> None:
    [(rule, span, replacement)] = found("Tim melakukan penggalangan dana.")
    assert (rule, span, replacement) == ("melakukan_noun", "melakukan penggalangan", None)
    assert found("Relawan melaksanakan kegiatan sosialisasi vaksin.") == [
        ("melakukan_noun", "melaksanakan kegiatan sosialisasi", "menyosialisasikan")
    ]


def test_passive_flags_a_high_share_not_every_passive() -> None:
    one = "Kami membuka posko. Bantuan akan disalurkan besok."
    assert "passive_officialese" not in rules_of(one)
    many = "Bantuan akan disalurkan besok. Data telah diverifikasi. Warga dapat dihubungi."
    assert [r for r, _, _ in found(many) if r == "passive_officialese"] == [
        "passive_officialese"
    ] * 3
    strict = UnitStyle.of(thresholds={"passive_share": 0.0})
    assert "passive_officialese" in rules_of(one + " Data telah diverifikasi.", style=strict)


def test_long_sentences_by_share_and_on_x_always() -> None:
    long = " ".join(["kata"] * 25) + "."
    short = "Ini pendek. Itu juga. Ini lagi. Dan ini."
    assert "long_sentences" not in rules_of(f"{long} {short}", "facebook")  # 1 of 5
    assert "long_sentences" in rules_of(f"{long} {short}", "x")
    assert "long_sentences" in rules_of(long, "facebook")
    strict = UnitStyle.of(thresholds={"sentence_words": 10})
    assert "long_sentences" in rules_of(" ".join(["kata"] * 12), style=strict)


# --- unit settings ----------------------------------------------------------------------------


def test_glossary_suppresses_acronym_findings() -> None:
    text = "Tim TMC BRIN bersiap."
    assert [s for r, s, _ in found(text) if r == "unexplained_acronym"] == ["TMC", "BRIN"]
    style = UnitStyle.of(glossary=["tmc"])
    assert [s for r, s, _ in found(text, style=style) if r == "unexplained_acronym"] == ["BRIN"]


def test_acronyms_once_and_familiar_and_shouting_skipped() -> None:
    assert found("Besok BRIN hadir. BRIN pulang.") == [("unexplained_acronym", "BRIN", None)]
    assert rules_of("KTP dan WIB. Bab IV.") == set()
    assert rules_of("INFO PENTING HARI INI UNTUK WARGA") == set()


def test_ignored_words_are_never_flagged() -> None:
    text = "Formulir ini guna pendaftaran oleh BRIN."
    style = UnitStyle.of(ignored=["Guna", "brin"])
    assert rules_of(text, style=style) == set()


def test_disabled_rules_and_only_stricter_thresholds() -> None:
    text = "Dalam rangka HUT kota."
    assert rules_of(text, style=UnitStyle.of(disabled=["bureaucratic_phrase"])) == set()
    looser = UnitStyle.of(thresholds={"hashtags_x": 10})
    assert "hashtag_count" in rules_of("Banjir #a #b #c", "x", style=looser)


# --- platforms --------------------------------------------------------------------------------


def test_hashtags_per_platform() -> None:
    text = "Siaga banjir! Simpan info ini. #Banjir #Siaga #Hujan"
    assert "hashtag_count" in rules_of(text, "x")
    assert "hashtag_count" not in rules_of(text, "instagram")
    assert found("Siaga #siagabanjirjakarta", "x") == [
        ("hashtag_camelcase", "#siagabanjirjakarta", None)
    ]
    assert rules_of("Siaga #SiagaBanjirJakarta #banjir", "x") == set()


def test_call_to_action_only_on_instagram() -> None:
    text = "Jadwal posyandu bulan ini sudah terbit."
    assert rules_of(text, "instagram") == {"no_call_to_action"}
    assert rules_of(text, "facebook") == set()
    assert rules_of(text + " Simpan dan bagikan!", "instagram") == set()


def test_emoji_and_mention_density() -> None:
    assert "emoji_density" in rules_of("🔥🔥🔥 Info 🚨🚨 hari ini 📢📢", "x")
    assert "emoji_density" not in rules_of("📢 Info penting untuk warga kota hari ini.", "x")
    assert "mention_density" in rules_of("@a @b @c @d rapat.", "x")
    assert "mention_density" not in rules_of(
        "Terima kasih @bnpb atas bantuan logistik bagi warga terdampak banjir kemarin sore.", "x"
    )


# --- alt texts --------------------------------------------------------------------------------


def test_alt_text_rules() -> None:
    alts = ["", "IMG_2031.jpg", "  Foto ", "Warga antre vaksin di puskesmas.", "a" * 300]
    report = check("Info.", "facebook", alt_texts=alts)
    got = [(f.rule, f.target, f.start, f.end) for f in report.findings]
    assert got == [
        ("alt_text_missing", "alt_texts.0", 0, 0),
        ("alt_text_filename", "alt_texts.1", 0, 12),
        ("alt_text_generic", "alt_texts.2", 2, 6),
        ("alt_text_too_long", "alt_texts.4", 250, 300),
    ]
    assert rules_of_alt(["DSC_0042"]) == {"alt_text_filename"}
    assert rules_of_alt(["gambar 2"]) == {"alt_text_generic"}


def rules_of_alt(alts: list[str]) -> set[str]:
    return {f.rule for f in check("", "facebook", alt_texts=alts).findings}


# --- score ------------------------------------------------------------------------------------


def test_score_and_reasons() -> None:
    text = "Dalam rangka HUT, adapun acara adalah merupakan lomba. Sehubungan dengan hujan, mundur."
    report = check(text, "facebook")
    by_rule = {r.rule: (r.count, r.points) for r in report.reasons}
    assert by_rule == {"bureaucratic_phrase": (3, 15), "redundant_phrase": (1, 6)}
    assert report.score == 100 - 15 - 6
    assert report.reasons[0].rule == "bureaucratic_phrase"  # biggest first
    assert report.reasons[0].message["en"] == "Bureaucratic phrasing"


def test_caps_bound_what_one_rule_costs() -> None:
    report = check(" ".join(["Adapun kami datang."] * 20), "facebook")
    [reason] = report.reasons
    assert (reason.count, reason.points) == (20, 25)
    assert report.score == 75


def test_a_plain_text_stays_clean() -> None:
    text = (
        "Hujan deras diperkirakan turun di Jakarta sore ini 🌧️. Siapkan jas hujan dan hindari "
        "jalan yang sering tergenang. Cek peta genangan terbaru di tautan bio, lalu bagikan ke "
        "keluarga. #SiagaBanjir"
    )
    for platform in ("x", "instagram", "facebook"):
        report = check(text, platform, alt_texts=["Peta genangan air di Jakarta Timur."])
        assert report.findings == [] and report.score == 100, platform


def test_every_message_in_both_languages() -> None:
    for rule in rulebook().rules.values():
        for text in (rule.title, rule.why, rule.suggestion, *rule.extra.values()):
            assert set(text) == {"id", "en"} and all(text.values()), rule.code


def test_unknown_platform_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown platform"):
        check("teks", "tiktok")


def test_a_realistic_post_exactly() -> None:
    text = (
        "PTPSW BPPT telah melaksanakan kegiatan sosialisasi alat ukur banjir di Bekasi. "
        "Adapun alat ini adalah merupakan hasil riset guna peningkatan kapasitas mitigasi. "
        "Demikian disampaikan. #banjirbekasihariini #BPPT #Riset"
    )
    assert found(text, "x") == [
        ("unexplained_acronym", "PTPSW", None),
        ("institution_first", "PTPSW BPPT telah", None),
        ("unexplained_acronym", "BPPT", None),
        ("melakukan_noun", "melaksanakan kegiatan sosialisasi", "menyosialisasikan"),
        ("bureaucratic_phrase", "Adapun a", "A"),
        ("redundant_phrase", "adalah merupakan", "adalah"),
        ("bureaucratic_phrase", "guna", "untuk"),
        ("vague_noun", "peningkatan kapasitas", None),
        ("bureaucratic_phrase", "Demikian disampaikan. ", ""),
        ("hashtag_camelcase", "#banjirbekasihariini", None),
        ("hashtag_count", "#Riset", None),
    ]
    glossary = UnitStyle.of(glossary=["PTPSW", "BPPT"])
    assert "unexplained_acronym" not in rules_of(text, "x", style=glossary)

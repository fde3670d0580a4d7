"""Which topic a question is about: a small, explainable keyword classifier.

Informal Indonesian is normalised first (``gmn`` -> ``bagaimana``, ``yg`` -> ``yang``, stretched
letters, ``daerah2``), words are reduced by light stemming rules (``pendaftaran`` -> ``daftar``),
and a word one typo away from a keyword still matches it. Each topic scores the sum of the weights
of the distinct keywords found (plus what admins' corrections taught it), the post's category
adds a little, and a topic below ``THRESHOLD`` is not suggested: an off-topic remark stays with
the admins rather than being guessed.

Pure: no web, database or I/O, so the benchmark and the API use the very same code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# A topic must reach this score to be suggested; one strong keyword (weight 1 or more) does.
THRESHOLD = 1.0
# The post's category is a hint, not evidence: alone it never reaches the threshold.
CATEGORY_BONUS = 0.5
# One admin correction moves a word's weight by this much; learned weights stay within the cap.
LEARN_STEP = 0.4
LEARN_CAP = 2.0

# Informal spellings and abbreviations -> the standard word (lower case, after tokenising).
SLANG: dict[str, str] = {
    "gmn": "bagaimana",
    "gmana": "bagaimana",
    "gimana": "bagaimana",
    "gmna": "bagaimana",
    "yg": "yang",
    "yng": "yang",
    "bs": "bisa",
    "bsa": "bisa",
    "utk": "untuk",
    "untk": "untuk",
    "tuk": "untuk",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "tdk": "tidak",
    "kagak": "tidak",
    "udah": "sudah",
    "udh": "sudah",
    "sdh": "sudah",
    "dah": "sudah",
    "blm": "belum",
    "blom": "belum",
    "bgt": "banget",
    "jg": "juga",
    "dmn": "dimana",
    "dmna": "dimana",
    "kpn": "kapan",
    "krn": "karena",
    "karna": "karena",
    "dgn": "dengan",
    "sy": "saya",
    "aq": "aku",
    "gw": "saya",
    "gue": "saya",
    "tgl": "tanggal",
    "thn": "tahun",
    "org": "orang",
    "dr": "dari",
    "sm": "sama",
    "kl": "kalau",
    "klo": "kalau",
    "kalo": "kalau",
    "tp": "tapi",
    "lg": "lagi",
    "pd": "pada",
    "spt": "seperti",
    "tau": "tahu",
    "liat": "lihat",
    "pake": "pakai",
    "dipake": "dipakai",
    "ngisi": "isi",
    "ujan": "hujan",
    "dpt": "dapat",
    "bkn": "bukan",
    "skrg": "sekarang",
    "skrng": "sekarang",
    "kyk": "kayak",
    "gitu": "begitu",
    "bener": "benar",
    "nyari": "cari",
    "nanya": "tanya",
    "ngurus": "urus",
    "ngajuin": "ajukan",
    "daftarnya": "daftar",
    "mhs": "mahasiswa",
    "kab": "kabupaten",
    "kec": "kecamatan",
    "prov": "provinsi",
    "pemkab": "pemda",
    "pemkot": "pemda",
    "pemprov": "pemda",
    "lowker": "lowongan",
    "loker": "lowongan",
    "infonya": "informasi",
    "info": "informasi",
    "dong": "",
    "deh": "",
    "sih": "",
    "nih": "",
    "tuh": "",
    "yah": "",
    "ya": "",
    "kak": "",
    "min": "",
    "mimin": "",
    "admin": "",
    "gan": "",
    "bang": "",
    "pak": "",
    "bu": "",
}

# Words that say nothing about a topic: never learned from.
_STOP = (
    "yang dan di ke dari untuk dengan ini itu ada apa apakah bagaimana kapan dimana mana "
    "siapa kenapa mengapa tidak sudah belum bisa dapat mau ingin akan saya kami kita aku "
    "kamu anda mereka ya juga lagi pada dalam atau tapi kalau karena jadi sama seperti "
    "banget sekali mohon tolong terima kasih makasih min kak pak bu halo selamat pagi siang "
    "sore malam the and or of to for is are how what when where can do does please thanks "
    "tahu lihat buat biar kayak begitu benar sih dong kok nya nih tuh deh "
)
STOPWORDS = frozenset(_STOP.split())

_PARTICLES = ("nya", "kah", "lah", "pun", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
_PREFIXES = (
    "meng",
    "meny",
    "mem",
    "men",
    "peng",
    "peny",
    "pem",
    "pen",
    "ber",
    "ter",
    "me",
    "pe",
    "be",
    "di",
    "ke",
    "se",
)
_MIN_STEM = 4
_TOKEN = re.compile(r"[a-z0-9]+")
_STRETCH = re.compile(r"([a-z])\1{2,}")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """Light Indonesian stemming: particles and possessives, one derivational suffix, one
    prefix, each only when enough of the word is left. Crude on purpose: keywords go through
    the same rules, so both sides meet at the same stem."""
    for suffix in _PARTICLES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            word = word[len(prefix) :]
            break
    return word


def normalise(text: str) -> list[str]:
    """The text's words, lower case, informal spellings replaced, stretched letters
    (``banjirrr``) and reduplication marks (``daerah2``) undone."""
    words: list[str] = []
    for raw in _TOKEN.findall(_fold(text)):
        token = _STRETCH.sub(r"\1", raw)
        if len(token) > 2 and token.endswith("2") and token[:-1].isalpha():
            token = token[:-1]
        token = SLANG.get(token, token)
        words.extend(token.split())
    return words


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance with adjacent swaps, giving up (``limit + 1``) past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _typo_ok(word: str, keyword: str) -> bool:
    """A word close enough to a keyword to be a typo of it; short words must match exactly
    (``air`` and ``fair`` are different words)."""
    if len(keyword) < 6 or len(word) < 5 or word[:1] != keyword[:1]:
        return False
    allowed = 2 if len(keyword) >= 9 else 1
    return edit_distance(word, keyword, allowed) <= allowed


@dataclass(frozen=True)
class Topic:
    """A topic as the classifier sees it: keyword (one word or a phrase) -> weight, the post
    categories that hint at it, and the weights learned from admins' corrections (stem ->
    weight, possibly negative)."""

    key: str
    keywords: Mapping[str, float]
    categories: Sequence[str] = ()
    learned: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    key: str
    score: float
    matched: tuple[str, ...]  # the words of the text that counted, as written there


@dataclass(frozen=True)
class _Compiled:
    topic: Topic
    # keyword -> (its words' stems, weight)
    phrases: tuple[tuple[str, tuple[str, ...], float], ...]


def _compile(topic: Topic) -> _Compiled:
    # Keywords that stem alike (pelamar, melamar) are one keyword, at the higher weight.
    best: dict[tuple[str, ...], tuple[str, float]] = {}
    for kw, weight in topic.keywords.items():
        stems = tuple(stem(w) for w in normalise(kw))
        if stems and (stems not in best or best[stems][1] < weight):
            best[stems] = (kw, weight)
    return _Compiled(topic, tuple((kw, stems, w) for stems, (kw, w) in best.items()))


def _word_matches(word: str, word_stem: str, keyword_stem: str) -> bool:
    if word_stem == keyword_stem or word == keyword_stem:
        return True
    # On stems, only a dropped letter counts (quick typing: "lowngan"); a changed vowel there
    # too often makes another word ("pengembangan" is not "embung").
    return _typo_ok(word, keyword_stem) or (
        len(word_stem) < len(keyword_stem) and _typo_ok(word_stem, keyword_stem)
    )


def _score(compiled: _Compiled, words: list[str], stems: list[str]) -> tuple[float, list[str]]:
    score = 0.0
    matched: list[str] = []
    for _kw, kw_stems, weight in compiled.phrases:
        n = len(kw_stems)
        for i in range(len(words) - n + 1):
            if all(_word_matches(words[i + k], stems[i + k], kw_stems[k]) for k in range(n)):
                score += weight
                matched.append(" ".join(words[i : i + n]))
                break
    seen = set(matched)
    for word, word_stem in zip(words, stems, strict=True):
        delta = compiled.topic.learned.get(word_stem)
        if delta and word not in seen:
            score += delta
            seen.add(word)
            if delta > 0:
                matched.append(word)
    return score, matched


def classify(text: str, topics: Sequence[Topic], category: str | None = None) -> list[Suggestion]:
    """Topics that reach the threshold, best first (ties by key); empty: leave it unrouted."""
    words = normalise(text)
    stems = [stem(w) for w in words]
    out: list[Suggestion] = []
    for topic in topics:
        score, matched = _score(_compile(topic), words, stems)
        if (
            category
            and score > 0
            and category.casefold() in {c.casefold() for c in topic.categories}
        ):
            score += CATEGORY_BONUS
        if score >= THRESHOLD and matched:
            out.append(Suggestion(topic.key, round(score, 2), tuple(dict.fromkeys(matched))))
    return sorted(out, key=lambda s: (-s.score, s.key))


def learn(
    text: str, topics: Sequence[Topic], wrong: str | None, right: str
) -> dict[str, dict[str, float]]:
    """Learned weights after an admin moved a question from ``wrong`` (or unrouted) to
    ``right``: the question's content words count more for ``right`` and the words that misled
    count less for ``wrong``. Returns the new ``learned`` mapping of every changed topic."""
    by_key = {t.key: t for t in topics}
    words = normalise(text)
    stems = [stem(w) for w in words]
    content = {s for w, s in zip(words, stems, strict=True) if w not in STOPWORDS and len(s) >= 3}
    changed: dict[str, dict[str, float]] = {}
    if right in by_key:
        learned = dict(by_key[right].learned)
        for s in content:
            learned[s] = min(LEARN_CAP, learned.get(s, 0.0) + LEARN_STEP)
        changed[right] = learned
    if wrong is not None and wrong != right and wrong in by_key:
        _score_unused, misled = _score(_compile(by_key[wrong]), words, stems)
        learned = dict(by_key[wrong].learned)
        for phrase in misled:
            for w in phrase.split():
                s = stem(w)
                learned[s] = max(-LEARN_CAP, learned.get(s, 0.0) - LEARN_STEP)
        changed[wrong] = learned
    return changed

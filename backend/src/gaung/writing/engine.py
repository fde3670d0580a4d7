"""The check itself: words, sentences and measures over one text, findings with exact spans.

Spans are Python string offsets (Unicode code points) into the text as given, end exclusive.
Every pass is linear in the text: one tokenising regex without nested repetition, then loops
over the tokens that look a bounded distance ahead (phrases are at most a few words long)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from gaung.writing.rulebook import Phrase, Rule, Rulebook, Text, rulebook

Platform = Literal["x", "instagram", "facebook"]
PLATFORM_NAMES: dict[str, str] = {"x": "X", "instagram": "Instagram", "facebook": "Facebook"}

# A word (hyphenated and apostrophe forms kept whole: "tolong-menolong"), hashtag or mention.
TOKEN = re.compile(r"[#@]?\w+(?:[-'’]\w+)*")
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u3030\u303d\u3297\u3299]"
)
SENTENCE_END = frozenset(".!?…")
# Abbreviations whose period does not end a sentence.
ABBREVIATIONS = frozenset(
    {"dr", "drs", "dra", "ir", "prof", "h", "hj", "no", "jl", "kab", "kec", "kel", "tgl", "pkl"}
    | {"st", "sdr", "yth", "bpk", "dll", "dsb", "dst", "hlm", "ket", "telp", "tel", "wib"}
)
ROMAN = re.compile(r"[IVXLCDM]+")
CAMERA_NAME = re.compile(r"(?:IMG|DSC|DSCN|DCIM|PXL|WA|VID|Screenshot)[\w\-]*\d", re.IGNORECASE)
MAX_GAP = 3  # words a "*" in a phrase may stand for


@dataclass(frozen=True)
class UnitStyle:
    """A unit's settings: familiar acronyms, rules off, stricter numbers, words never flagged."""

    glossary: frozenset[str] = frozenset()  # upper case
    disabled: frozenset[str] = frozenset()
    thresholds: Mapping[str, float] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()  # case-folded

    @classmethod
    def of(
        cls,
        glossary: Sequence[str] = (),
        disabled: Sequence[str] = (),
        thresholds: Mapping[str, float] | None = None,
        ignored: Sequence[str] = (),
    ) -> UnitStyle:
        return cls(
            glossary=frozenset(g.upper() for g in glossary),
            disabled=frozenset(disabled),
            thresholds=dict(thresholds or {}),
            ignored=frozenset(w.casefold() for w in ignored),
        )


@dataclass
class Finding:
    rule: str
    target: str  # "text" or "alt_texts.<n>"
    start: int
    end: int
    excerpt: str
    message: Text
    why: Text
    suggestion: Text
    replacement: str | None = None


@dataclass
class Reason:
    rule: str
    count: int
    points: int
    message: Text


@dataclass
class Report:
    platform: str
    score: int
    reasons: list[Reason]
    findings: list[Finding]
    words: int
    sentences: int
    hashtags: int
    mentions: int
    emoji: int


@dataclass
class Work:
    """Counts the engine's steps, so tests can show the work grows linearly with the input."""

    steps: int = 0


@dataclass
class Token:
    start: int
    end: int
    raw: str
    norm: str
    kind: str  # word | hashtag | mention | other (URL and e-mail parts)
    sentence: int


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fmt(text: Text, **params: object) -> Text:
    values = _Params(params)
    return {lang: s.format_map(values) for lang, s in text.items()}


def _sentence_break(gap: str, previous: Token | None) -> bool:
    """Whether the characters between two tokens end a sentence: a line break, or a terminator
    followed by a space ("10.000" and "go.id" have none; "Dr. Ahmad" is an abbreviation)."""
    if "\n" in gap:
        return True
    for i, ch in enumerate(gap):
        if ch in SENTENCE_END:
            if not any(c.isspace() for c in gap[i + 1 :]):
                return False
            return not (ch == "." and previous is not None and previous.norm in ABBREVIATIONS)
    return False


def tokenize(text: str, work: Work | None = None) -> list[Token]:
    work = work or Work()
    urls = [(m.start(), m.end()) for m in URL.finditer(text)]
    tokens: list[Token] = []
    sentence = 0
    url_i = 0
    previous_end = 0
    for m in TOKEN.finditer(text):
        work.steps += 1
        start, end = m.span()
        raw = m.group()
        previous = tokens[-1] if tokens else None
        if tokens and _sentence_break(text[previous_end:start], previous):
            sentence += 1
        previous_end = end
        while url_i < len(urls) and urls[url_i][1] <= start:
            url_i += 1
        kind = "word"
        if url_i < len(urls) and urls[url_i][0] <= start:
            kind = "other"
        elif raw[0] == "#":
            kind = "hashtag"
        elif raw[0] == "@":
            # "humas@pemda.go.id" is an e-mail address, not a mention.
            kind = (
                "other"
                if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._-")
                else "mention"
            )
        tokens.append(Token(start, end, raw, raw.casefold(), kind, sentence))
    return tokens


class _Checker:
    def __init__(
        self, text: str, platform: str, style: UnitStyle, book: Rulebook, work: Work
    ) -> None:
        self.text = text
        self.platform = platform
        self.style = style
        self.book = book
        self.work = work
        self.tokens = tokenize(text, work)
        self.words = [t for t in self.tokens if t.kind == "word"]
        self.findings: list[Finding] = []

    # --- helpers ----------------------------------------------------------------------------

    def limit(self, key: str) -> float:
        default = self.book.thresholds[key].default
        value = self.style.thresholds.get(key, default)
        return min(value, default)  # a unit may only be stricter

    def active(self, code: str) -> bool:
        rule = self.book.rules[code]
        if code in self.style.disabled:
            return False
        return rule.platforms is None or self.platform in rule.platforms

    def ignored(self, tokens: Sequence[Token]) -> bool:
        return any(t.norm in self.style.ignored for t in tokens)

    def add(
        self,
        code: str,
        start: int,
        end: int,
        *,
        target: str = "text",
        source: str | None = None,
        replacement: str | None = None,
        suggestion: Text | None = None,
        **params: object,
    ) -> None:
        rule: Rule = self.book.rules[code]
        source = self.text if source is None else source
        excerpt = source[start:end]
        params = {"phrase": excerpt.strip(), "replacement": replacement, **params}
        self.findings.append(
            Finding(
                rule=code,
                target=target,
                start=start,
                end=end,
                excerpt=excerpt[:200],
                message=_fmt(rule.title, **params),
                why=_fmt(rule.why, **params),
                suggestion=_fmt(suggestion or rule.suggestion, **params),
                replacement=replacement,
            )
        )

    def next_word(self, i: int) -> int | None:
        """The index of the token after ``i`` if it is a word in the same sentence."""
        j = i + 1
        if j < len(self.tokens):
            a, b = self.tokens[i], self.tokens[j]
            if b.kind == "word" and b.sentence == a.sentence:
                return j
        return None

    # --- phrases ----------------------------------------------------------------------------

    def match(self, i: int, phrase: Phrase) -> tuple[int, tuple[int, int] | None] | None:
        """The index of the phrase's last token when it matches at ``i``, and the gap's span."""
        k = i
        gap: tuple[int, int] | None = None
        w = 1
        words = phrase.words
        while w < len(words):
            self.work.steps += 1
            if words[w] == "*":
                # One to MAX_GAP words, then the word after the "*".
                want, before_gap, found = words[w + 1], k, None
                for _ in range(MAX_GAP + 1):
                    nxt = self.next_word(k)
                    self.work.steps += 1
                    if nxt is None:
                        return None
                    k = nxt
                    if self.tokens[k].norm == want and k > before_gap + 1:
                        found = k
                        break
                if found is None:
                    return None
                gap = (self.tokens[before_gap + 1].start, self.tokens[found - 1].end)
                w += 2
                continue
            nxt = self.next_word(k)
            if nxt is None or self.tokens[nxt].norm != words[w]:
                return None
            k = nxt
            w += 1
        return k, gap

    def phrases(self) -> None:
        covered = -1  # phrases do not overlap: the first (and longest) wins
        for i, tok in enumerate(self.tokens):
            self.work.steps += 1
            if tok.kind != "word" or tok.start < covered:
                continue
            if self.plural(i):
                covered = self.findings[-1].end
                continue
            for phrase in self.book.phrases.get(tok.norm, ()):
                self.work.steps += 1
                if not self.active(phrase.rule):
                    continue
                found = self.match(i, phrase)
                if found is None:
                    continue
                last, gap = found
                before = self.tokens[i - 1] if i > 0 else None
                if before and before.sentence == tok.sentence and before.norm in phrase.not_after:
                    continue
                after = self.next_word(last)
                if after is not None and self.tokens[after].norm in phrase.not_before:
                    continue
                if self.ignored(self.tokens[i : last + 1]):
                    continue
                self.phrase_finding(phrase, i, last, gap)
                covered = self.tokens[last].end
                break

    def phrase_finding(
        self, phrase: Phrase, i: int, last: int, gap: tuple[int, int] | None
    ) -> None:
        start, end = self.tokens[i].start, self.tokens[last].end
        capital = self.text[start].isupper()
        rule = self.book.rules[phrase.rule]
        if phrase.replace:
            replacement = phrase.replace.replace("{gap}", self.text[gap[0] : gap[1]] if gap else "")
            if capital:
                replacement = replacement[:1].upper() + replacement[1:]
            self.add(phrase.rule, start, end, replacement=replacement)
            return
        # Dropped: take the punctuation and space after it too, and capitalise what follows
        # when the phrase opened the sentence.
        phrase_text = self.text[start:end]
        # A whole sentence dropped ("Demikian disampaikan.") takes its full stop along.
        trailing = ",;:.!" if capital else ",;:"
        while end < len(self.text) and self.text[end] in trailing:
            end += 1
        while end < len(self.text) and self.text[end] in " \t":
            end += 1
        replacement = ""
        if capital and end < len(self.text) and self.text[end].isalpha():
            replacement = self.text[end].upper()
            end += 1
        self.add(
            phrase.rule,
            start,
            end,
            replacement=replacement,
            suggestion=rule.extra.get("suggestion_drop"),
            phrase=phrase_text,
        )

    def plural(self, i: int) -> bool:
        """ "para tamu-tamu", "semua murid-murid": a plural marked twice."""
        tok = self.tokens[i]
        if tok.norm not in self.book.plural_quantifiers or not self.active("redundant_phrase"):
            return False
        j = self.next_word(i)
        if j is None:
            return False
        noun = self.tokens[j]
        base, dash, again = noun.norm.partition("-")
        if not dash or base != again or self.ignored((tok, noun)):
            return False
        replacement = f"{tok.raw} {noun.raw.partition('-')[0]}"
        self.add("redundant_phrase", tok.start, noun.end, replacement=replacement)
        return True

    # --- word rules -------------------------------------------------------------------------

    def melakukan(self) -> None:
        if not self.active("melakukan_noun"):
            return
        rule = self.book.rules["melakukan_noun"]
        for i, tok in enumerate(self.tokens):
            self.work.steps += 1
            if tok.kind != "word" or tok.norm not in self.book.action_verbs:
                continue
            j = self.next_word(i)
            if j is not None and self.tokens[j].norm == "kegiatan":
                j = self.next_word(j)  # "melaksanakan kegiatan sosialisasi"
            if j is None:
                continue
            noun = self.tokens[j].norm
            known = self.book.verb_of_noun.get(noun)
            if known is None and not (
                noun.startswith("pe") and noun.endswith("an") and len(noun) >= 8
            ):
                continue
            if self.ignored(self.tokens[i : j + 1]):
                continue
            start, end = tok.start, self.tokens[j].end
            if known is not None and tok.norm in self.book.active_verbs:
                replacement = known
                if tok.raw[0].isupper():
                    replacement = replacement[:1].upper() + replacement[1:]
                self.add("melakukan_noun", start, end, replacement=replacement)
            else:
                self.add("melakukan_noun", start, end, suggestion=rule.extra.get("suggestion_free"))

    def vague(self) -> None:
        if not self.active("vague_noun"):
            return
        for i, tok in enumerate(self.tokens):
            self.work.steps += 1
            if tok.kind != "word" or tok.norm not in self.book.vague_nouns:
                continue
            j = self.next_word(i)
            if j is None or self.tokens[j].norm not in self.book.abstract_words:
                continue
            if self.ignored((tok, self.tokens[j])):
                continue
            self.add("vague_noun", tok.start, self.tokens[j].end, phrase=tok.raw)

    # --- measures ---------------------------------------------------------------------------

    def sentences(self) -> list[list[Token]]:
        out: list[list[Token]] = []
        for tok in self.tokens:
            self.work.steps += 1
            while len(out) <= tok.sentence:
                out.append([])
            out[tok.sentence].append(tok)
        return [s for s in out if s]

    def long_sentences(self, sentences: list[list[Token]]) -> None:
        if not self.active("long_sentences") or not sentences:
            return
        limit = int(self.limit("sentence_words"))
        long = [s for s in sentences if sum(t.kind == "word" for t in s) > limit]
        share = len(long) / len(sentences)
        # X: every long sentence is too long; elsewhere, a few are fine.
        if not long or (self.platform != "x" and share <= self.limit("long_sentence_share")):
            return
        for s in long:
            words = sum(t.kind == "word" for t in s)
            self.add("long_sentences", s[0].start, s[-1].end, limit=limit, count=words)

    def passive(self, sentences: list[list[Token]]) -> None:
        if not self.active("passive_officialese") or not sentences:
            return
        stacked: list[tuple[int, int, bool]] = []  # aux index, verb index, opens the sentence
        for i, tok in enumerate(self.tokens):
            self.work.steps += 1
            if tok.kind != "word" or tok.norm not in self.book.passive_auxiliaries:
                continue
            j = self.next_word(i)
            if j is None:
                continue
            verb = self.tokens[j].norm
            if len(verb) < 5 or not verb.startswith("di") or verb in self.book.not_passive:
                continue
            if self.ignored((tok, self.tokens[j])):
                continue
            opens = i == 0 or self.tokens[i - 1].sentence != tok.sentence
            stacked.append((i, j, opens))
        share = len(stacked) / len(sentences)
        heavy = len(stacked) >= 2 and share >= self.limit("passive_share")
        for i, j, opens in stacked:
            if heavy or opens:
                self.add("passive_officialese", self.tokens[i].start, self.tokens[j].end)

    def acronyms(self, sentences: list[list[Token]]) -> None:
        if not self.active("unexplained_acronym"):
            return
        shouting: set[int] = set()
        for s in sentences:
            lettered = [t for t in s if t.kind == "word" and any(c.isalpha() for c in t.raw)]
            upper = sum(t.raw.isupper() for t in lettered)
            if len(lettered) >= 4 and upper / len(lettered) >= 0.6:
                shouting.add(s[0].sentence)
        candidates: list[tuple[Token, str]] = []
        explained: set[str] = set()
        text = self.text
        for tok in self.words:
            self.work.steps += 1
            base = tok.raw.split("-")[0]
            letters = sum(c.isalpha() for c in base)
            if letters < 2 or not base.isupper() or len(base) > 10 or "_" in base:
                continue
            if ROMAN.fullmatch(base) or tok.sentence in shouting:
                continue
            # "Nama Lengkap (TMC)" or "TMC (Nama Lengkap)" explains it.
            inside = (
                tok.start > 0 and text[tok.start - 1] == "(" and text[tok.end : tok.end + 1] == ")"
            )
            after = text[tok.end : tok.end + 3].lstrip(" ")
            if inside or after.startswith("("):
                explained.add(base)
            candidates.append((tok, base))
        seen: set[str] = set()
        book, style = self.book, self.style
        for tok, base in candidates:
            if base in seen or base in explained:
                continue
            seen.add(base)
            if base in book.familiar_acronyms or base in book.not_acronyms:
                continue
            if base in style.glossary or base.casefold() in style.ignored:
                continue
            self.add("unexplained_acronym", tok.start, tok.start + len(base), phrase=base)

    def opening(self, sentences: list[list[Token]]) -> None:
        if not self.active("institution_first") or not sentences:
            return
        first = [t for t in sentences[0] if t.kind == "word"]
        if not first:
            return
        lead = first[0]
        is_acronym = lead.raw.isupper() and sum(c.isalpha() for c in lead.raw) >= 2
        if lead.norm not in self.book.institution_words and not (
            is_acronym and lead.raw not in self.book.not_acronyms
        ):
            return
        for tok in first[1 : self.book.opening_reach + 1]:
            self.work.steps += 1
            if tok.norm in self.book.opening_verbs:
                self.add("institution_first", lead.start, tok.end)
                return

    def hashtags(self) -> None:
        tags = [t for t in self.tokens if t.kind == "hashtag"]
        key = f"hashtags_{self.platform}"
        if self.active("hashtag_count") and key in self.book.thresholds:
            limit = int(self.limit(key))
            if len(tags) > limit:
                extra = tags[limit:]
                self.add(
                    "hashtag_count",
                    extra[0].start,
                    extra[-1].end,
                    limit=limit,
                    count=len(tags),
                    platform=PLATFORM_NAMES[self.platform],
                )
        if self.active("hashtag_camelcase"):
            for tag in tags:
                self.work.steps += 1
                body = tag.raw[1:]
                letters = sum(c.isalpha() for c in body)
                flat = body.islower() or body.isupper()
                if letters >= 10 and flat and body.casefold() not in self.style.ignored:
                    self.add("hashtag_camelcase", tag.start, tag.end)

    def density(self) -> tuple[int, int]:
        emoji = [m.span() for m in EMOJI.finditer(self.text)]
        self.work.steps += len(emoji)
        words = max(len(self.words), 1)
        if (
            self.active("emoji_density")
            and len(emoji) >= 4
            and len(emoji) > words * self.limit("emoji_per_word")
        ):
            self.add(
                "emoji_density", emoji[0][0], emoji[-1][1], count=len(emoji), words=len(self.words)
            )
        mentions = [t for t in self.tokens if t.kind == "mention"]
        if (
            self.active("mention_density")
            and len(mentions) >= 3
            and len(mentions) > words * self.limit("mentions_per_word")
        ):
            self.add(
                "mention_density",
                mentions[0].start,
                mentions[-1].end,
                count=len(mentions),
                words=len(self.words),
            )
        return len(emoji), len(mentions)

    def call_to_action(self, sentences: list[list[Token]]) -> None:  # Instagram only
        if not self.active("no_call_to_action") or not self.words:
            return
        stems = self.book.cta_stems
        for tok in self.tokens:
            self.work.steps += 1
            if tok.kind in ("word", "other") and tok.norm.startswith(stems):
                return
        # Where one belongs: after the last word (an empty span, for the composer to insert at).
        end = sentences[-1][-1].end
        self.add("no_call_to_action", end, end)

    def alt_texts(self, alt_texts: Sequence[str]) -> None:
        limit = int(self.limit("alt_text_chars"))
        for n, alt in enumerate(alt_texts):
            self.work.steps += 1 + len(alt) // 64
            target = f"alt_texts.{n}"
            stripped = alt.strip()
            lead = len(alt) - len(alt.lstrip())
            span = (lead, lead + len(stripped))
            stem, dot, ext = stripped.rpartition(".")
            normal = " ".join(re.sub(r"[\W\d_]+", " ", stripped.casefold()).split())
            if not stripped:
                if self.active("alt_text_missing"):
                    self.add("alt_text_missing", 0, len(alt), target=target, source=alt)
            elif (
                dot and stem and ext.casefold() in self.book.file_extensions and "\n" not in stem
            ) or CAMERA_NAME.fullmatch(stripped):
                if self.active("alt_text_filename"):
                    self.add("alt_text_filename", *span, target=target, source=alt)
            elif normal in self.book.generic_alt or not normal:
                if self.active("alt_text_generic"):
                    self.add("alt_text_generic", *span, target=target, source=alt)
            elif len(stripped) > limit and self.active("alt_text_too_long"):
                self.add(
                    "alt_text_too_long",
                    limit + lead,
                    span[1],
                    target=target,
                    source=alt,
                    limit=limit,
                )

    # --- election quiet period -------------------------------------------------------------

    def political(self) -> list[Finding]:
        """Political terms (words, word and hashtag beginnings, phrases), each span once."""
        terms = self.book.election
        rule = terms.rule
        out: list[Finding] = []
        covered = -1
        for i, tok in enumerate(self.tokens):
            self.work.steps += 1
            if tok.kind not in ("word", "hashtag") or tok.start < covered:
                continue
            norm = tok.norm.lstrip("#")
            last: int | None = None
            for words in terms.phrases.get(norm, ()) if tok.kind == "word" else ():
                k: int | None = i
                for want in words[1:]:
                    self.work.steps += 1
                    k = self.next_word(k) if k is not None else None
                    if k is None or self.tokens[k].norm != want:
                        k = None
                        break
                if k is not None:
                    last = k
                    break
            if last is None and (norm in terms.words or norm.startswith(terms.prefixes)):
                last = i
            if last is None or self.ignored(self.tokens[i : last + 1]):
                continue
            start, end = tok.start, self.tokens[last].end
            phrase = self.text[start:end]
            out.append(
                Finding(
                    rule=rule.code,
                    target="text",
                    start=start,
                    end=end,
                    excerpt=phrase[:200],
                    message=_fmt(rule.title, phrase=phrase),
                    why=_fmt(rule.why, phrase=phrase),
                    suggestion=_fmt(rule.suggestion, phrase=phrase),
                )
            )
            covered = end
        return out

    def run(self, alt_texts: Sequence[str], election: bool = False) -> Report:
        sentences = self.sentences()
        self.phrases()
        self.melakukan()
        self.vague()
        self.passive(sentences)
        self.acronyms(sentences)
        self.long_sentences(sentences)
        self.opening(sentences)
        self.hashtags()
        emoji, mentions = self.density()
        self.call_to_action(sentences)
        self.alt_texts(alt_texts)
        # Political terms are a matter of timing, not of writing: they never cost points.
        reasons = score_reasons(self.findings, self.book)
        if election:
            self.findings.extend(self.political())
        self.findings.sort(key=lambda f: (f.target != "text", f.target, f.start, f.end))
        return Report(
            platform=self.platform,
            score=max(0, 100 - sum(r.points for r in reasons)),
            reasons=reasons,
            findings=self.findings,
            words=len(self.words),
            sentences=len(sentences),
            hashtags=sum(t.kind == "hashtag" for t in self.tokens),
            mentions=mentions,
            emoji=emoji,
        )


def score_reasons(findings: Sequence[Finding], book: Rulebook) -> list[Reason]:
    """What each rule cost: its weight per finding, up to its cap; the biggest first."""
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    reasons = []
    for code, count in counts.items():
        rule = book.rules[code]
        points = min(rule.cap, rule.weight * count)
        reasons.append(Reason(rule=code, count=count, points=points, message=rule.title))
    reasons.sort(key=lambda r: (-r.points, r.rule))
    return reasons


def check(
    text: str,
    platform: str,
    style: UnitStyle | None = None,
    alt_texts: Sequence[str] = (),
    work: Work | None = None,
    election: bool = False,
) -> Report:
    """Check one text for one platform (and the alt texts of its images). ``election``: an
    election quiet period applies, so political terms are reported too (rule
    ``political_content``, no points)."""
    if platform not in PLATFORM_NAMES:
        raise ValueError(f"unknown platform {platform!r}")
    checker = _Checker(text, platform, style or UnitStyle(), rulebook(), work or Work())
    return checker.run(alt_texts, election)


def political_terms(text: str, style: UnitStyle | None = None) -> list[Finding]:
    """Only the political terms in ``text`` (for the post validation report's warnings)."""
    return _Checker(text, "x", style or UnitStyle(), rulebook(), Work()).political()

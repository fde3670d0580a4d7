"""twitter-text's URL and emoji extraction and ``parseTweet``, in time linear in the text.

twitter-text-parser matches URLs with one large backtracking regex (``extract_url``) run by
``finditer``: every attempt greedily walks the whole run of domain characters after it and then
backs off label by label, trying ~1,800 TLD alternatives at each step. On a long run with no
TLD (``"a." * n``) every position starts such an attempt, so the work is quadratic with a large
constant (seconds at 1,000 characters). Its emoji regex tries ~3,600 alternatives at every
position, so even ordinary texts cost microseconds per character.

This module gives the same results with the library's own character classes, TLD lists, emoji
table and URL tail regexes, but finds the domain part of each URL with one right-to-left pass
over the labels of a dotted run (which TLD ends the greedy match is decided once per label, not
once per attempt), and matches TLDs and emoji with prefix trees compiled to regexes. Every step
is bounded by a constant times the text length; ``work`` counts the characters each stage looks
at, so tests can check the bound without a clock.
"""

from __future__ import annotations

import importlib
import re
import stringprep
import sys
import types
import unicodedata
import warnings
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from math import floor
from pathlib import Path
from typing import Any

DEFAULT_PROTOCOL = "https://"


def _resource_string(module_name: str, resource: str) -> bytes:
    """The one ``pkg_resources`` function twitter-text-parser uses, read from its own folder."""
    module_file = getattr(sys.modules[module_name], "__file__", None)
    if module_file is None:
        raise FileNotFoundError(f"cannot locate {resource!r} beside {module_name}")
    return (Path(module_file).parent / resource).read_bytes()


@cache
def twitter_text() -> types.ModuleType:
    """Import the ``twitter_text`` package.

    twitter-text-parser 3.0.0 reads its emoji table through ``pkg_resources``, which recent
    setuptools no longer ships (and Python >= 3.12 environments may lack entirely). When it is
    missing, a stand-in providing ``resource_string`` is registered for the duration of the
    import only.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"pkg_resources is deprecated", category=Warning)
        try:
            return importlib.import_module("twitter_text")
        except ModuleNotFoundError as exc:
            if exc.name != "pkg_resources":
                raise

        for name in [
            m for m in sys.modules if m == "twitter_text" or m.startswith("twitter_text.")
        ]:
            del sys.modules[name]
        missing = object()
        previous = sys.modules.get("pkg_resources", missing)
        stand_in = types.ModuleType("pkg_resources")
        stand_in.resource_string = _resource_string  # type: ignore[attr-defined]
        sys.modules["pkg_resources"] = stand_in
        try:
            return importlib.import_module("twitter_text")
        finally:
            if previous is missing:
                sys.modules.pop("pkg_resources", None)
            else:
                sys.modules["pkg_resources"] = previous  # type: ignore[assignment]


@cache
def _module(name: str) -> Any:
    twitter_text()
    return importlib.import_module(f"twitter_text.{name}")


# --- prefix-tree regexes ---------------------------------------------------------------------


def _trie_pattern(words: list[str], end: str) -> str:
    """A regex matching the longest of ``words`` at a position that is followed by ``end``.

    Longest first equals the library's order: its alternations list every word before any of
    its prefixes (checked by ``_check_longest_first``), and two words matching at the same
    position are always prefix-related.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if "" in node:
            branches.append(end)
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


def _check_longest_first(words: list[str]) -> None:
    index = {word: i for i, word in reversed(list(enumerate(words)))}
    for word in words:
        for cut in range(1, len(word)):
            prefix = word[:cut]
            if prefix in index and index[prefix] < index[word]:
                raise RuntimeError(f"TLD {prefix!r} is tried before the longer {word!r}")


def _alternatives(pattern: str) -> list[str]:
    """The literal alternatives of a twitter-text TLD regex ``(?:(?:a|b|...)(?=...))``."""
    head, tail = "(?:(?:", ")(?=[^0-9a-zA-Z@+-]|$))"
    if not (pattern.startswith(head) and pattern.endswith(tail)):
        raise RuntimeError("unexpected TLD pattern shape in twitter-text-parser")
    return pattern[len(head) : -len(tail)].split("|")


def _class_code_points(pattern: re.Pattern[str]) -> list[int]:
    """Code points of a single character-class regex ``[...]`` (ranges expanded)."""
    points: list[int] = []
    body = pattern.pattern[1:-1].encode().decode("unicode_escape")
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            points.extend(range(ord(body[index]), ord(body[index + 2]) + 1))
            index += 3
        else:
            points.append(ord(body[index]))
            index += 1
    return points


@dataclass(frozen=True)
class _Patterns:
    segment: re.Pattern[str]  # a run of label characters and dots
    # A whole such run, from its start, holding a dot the TLD guard accepts; group 1 is the
    # ASCII letters and digits after the first such dot
    run: re.Pattern[str]
    # Labels with no "_", none empty, none starting or ending with "-", dot-separated
    plain_labels: re.Pattern[str]
    before_excluded: re.Pattern[str]  # characters that may not precede a URL
    allowed_before: frozenset[str]  # the ASCII characters that may
    tld: re.Pattern[str]  # a TLD (gTLD, ccTLD or punycode) at a label start
    tld_after_dot: re.Pattern[str]  # a dot that may be followed by a TLD (a cheap guard)
    ascii_tlds: frozenset[str]
    ascii_word: re.Pattern[str]
    protocol: re.Pattern[str]
    tail: re.Pattern[str]  # port, path and query after the domain
    ascii_label: re.Pattern[str]
    ascii_labels_dots: re.Pattern[str]  # such labels' characters and dots
    ascii_domain: re.Pattern[str]  # ASCII labels and single dots only
    emoji: dict[str, str]  # sequences by first character, as regex source
    emoji_single: re.Pattern[str]
    emoji_start: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    regexp = "regexp."
    domain_chars = _module(regexp + "valid_domain_chars").valid_domain_chars
    gtlds = _alternatives(_module(regexp + "valid_gtld").valid_gtld.pattern)
    cctlds = _alternatives(_module(regexp + "valid_cctld").valid_cctld.pattern)
    _check_longest_first(gtlds + cctlds)
    if not all(char.isalnum() or not char.isascii() for word in gtlds + cctlds for char in word):
        raise RuntimeError("a TLD holds ASCII punctuation: _tld_end's shortcut would not hold")
    punycode = _module(regexp + "valid_punycode").valid_punycode.pattern
    literal = _trie_pattern(gtlds + cctlds, "(?=[^0-9a-zA-Z@+-]|$)")
    tld = f"(?:{literal}|{punycode})"
    # Cheap necessary condition checked before the tree: the TLD's first two characters.
    words = [*gtlds, *cctlds, "xn"]
    guard = "".join(
        "[" + "".join(sorted({re.escape(word[i]) for word in words})) + "]" for i in (0, 1)
    )

    # Classes of the characters in a run (domain characters, "-", "_", ".") and in a label
    # (the same but "."): valid_domain_chars is one negated class, so those leave it.
    body = domain_chars.pattern
    if not (body.startswith("[^") and body.endswith("]") and body.count("_") == 1):
        raise RuntimeError("unexpected valid_domain_chars shape in twitter-text-parser")
    in_label = body.replace("\\-", "", 1).replace("_", "")
    in_run = in_label.replace("\\.", "", 1)
    for char in "-_.aZ0日\u0301":
        expected = bool(domain_chars.fullmatch(char)) or char in "-_."
        if bool(re.fullmatch(in_run, char)) != expected or bool(re.fullmatch(in_label, char)) != (
            expected and char != "."
        ):
            raise RuntimeError(f"run character classes disagree on {char!r}")

    supplant = _module("regex_supplant").regex_supplant
    tail = supplant(
        "(?::(#{valid_port_number}))?"
        "(\\/#{valid_url_path}*)?"
        "(\\?#{valid_url_query_chars}*#{valid_url_query_ending_chars})?",
        {
            name: getattr(_module(regexp + name), name)
            for name in (
                "valid_port_number",
                "valid_url_path",
                "valid_url_query_chars",
                "valid_url_query_ending_chars",
            )
        },
        re.IGNORECASE,
    )
    invalid = _module(regexp + "invalid_chars_group").invalid_chars_group
    # valid_url_preceding_chars is "anything else, or a directional marker (none of these),
    # or the start"; case-insensitive like the URL regex, so the Kelvin sign counts as a "k"
    before_excluded = re.compile(f"[A-Za-z0-9@＠$#＃{invalid}]", re.IGNORECASE)
    latin = _module(regexp + "latin_accent_chars").latin_accent_chars.pattern

    emoji_module = _module(regexp + "emoji")
    sequences = [
        "".join(chr(int(code, 16)) for code in entry.codepoint.split())
        for entry in emoji_module.emoji_list
        if len(entry.codepoint.split()) > 1
    ]
    singles = "[" + emoji_module.single_codepoint_emoji_raw + "]"
    # The library tries multi-code-point sequences longest first, then single code points.
    by_first: dict[str, list[str]] = {}
    for seq in sorted(set(sequences)):
        by_first.setdefault(seq[0], []).append(seq)
    single = re.compile(singles)
    # Sequences longest first, then single code points, as the library's alternation; one
    # small regex per first character, since a regex branch tries its alternatives in turn.
    emoji = {first: _trie_pattern(seqs, "") for first, seqs in by_first.items()}
    candidates = {*by_first, *(chr(c) for c in _class_code_points(single))}
    # Characters that may start an emoji: the BMP ones in one class (a bitmap for the regex
    # engine) and everything beyond the BMP by range, so the scan costs a step per character.
    # An ASCII character ("#", "*", digits) starts an emoji only as a keycap sequence: ask for
    # its second character too, or every digit in a text would be a candidate.
    ascii_starts = "".join(re.escape(c) for c in sorted(candidates) if c.isascii())
    seconds = "".join(re.escape(c) for c in sorted({q[1] for q in sequences if q[0].isascii()}))
    bmp = "".join(re.escape(c) for c in sorted(candidates) if 0x7F < ord(c) <= 0xFFFF)
    emoji_start = re.compile(f"[{ascii_starts}](?=[{seconds}])|[{bmp}\U00010000-\U0010ffff]")

    return _Patterns(
        segment=re.compile(f"(?:{domain_chars.pattern}|[-_.])+"),
        run=re.compile(
            # labels and unguarded dots, taken possessively (no backtracking), then a
            # guarded dot and the rest of the run
            f"(?<!{in_run})(?:{in_label}*+\\.(?!(?i:{guard})))*+{in_label}*+"
            f"\\.(?=(?i:{guard}))([0-9A-Za-z]*){in_run}*+"
        ),
        before_excluded=before_excluded,
        allowed_before=frozenset(chr(c) for c in range(128) if not before_excluded.match(chr(c))),
        tld=re.compile(tld, re.IGNORECASE),
        tld_after_dot=re.compile(rf"\.(?={guard})", re.IGNORECASE),
        ascii_tlds=frozenset(word for word in gtlds + cctlds if word.isascii()),
        ascii_word=re.compile("[0-9A-Za-z]+"),
        protocol=re.compile(r"https?://", re.IGNORECASE),
        tail=tail,
        plain_labels=re.compile(
            f"{domain_chars.pattern}+(?:-+{domain_chars.pattern}+)*"
            f"(?:\\.{domain_chars.pattern}+(?:-+{domain_chars.pattern}+)*)*"
        ),
        ascii_label=re.compile(rf"[\-a-z0-9{latin}]+", re.IGNORECASE),
        ascii_labels_dots=re.compile(rf"[\-a-z0-9{latin}.]*", re.IGNORECASE),
        ascii_domain=re.compile(r"(?:[\-a-zA-Z0-9]+\.)+[\-a-zA-Z0-9]+"),
        emoji=emoji,
        emoji_single=single,
        emoji_start=emoji_start,
    )


# --- work accounting ---------------------------------------------------------------------------


class Work:
    """Characters looked at, per stage: a clock-free measure of how much work a count did."""

    def __init__(self) -> None:
        self.steps = 0

    def add(self, amount: int) -> None:
        self.steps += amount


_NO_WORK = Work()


# --- URLs ------------------------------------------------------------------------------------


@dataclass
class _Segment:
    start: int
    end: int
    label_starts: list[int]
    label_ends: list[int]  # exclusive; the dot (or the segment end) after each label
    best: list[int | None]  # per label: the label the greedy domain match ends its name on


def _segment(text: str, start: int, end: int, rx: _Patterns, work: Work) -> _Segment:
    """Labels of one run of domain characters and dots, and the greedy domain end per label.

    twitter-text's domain is ``subdomain* domain_name tld``. ``subdomain*`` is greedy, so from
    a label the match ends at the LAST label that is a valid name followed by a TLD, provided
    every label up to it is a valid subdomain. One pass from the right decides that for all
    labels at once.
    """
    starts: list[int] = []
    ends: list[int] = []
    position = start
    while True:
        dot = text.find(".", position, end)
        starts.append(position)
        if dot < 0:
            ends.append(end)
            break
        ends.append(dot)
        position = dot + 1
    work.add(end - start)

    count = len(starts)
    best: list[int | None] = [None] * (count + 1)
    for j in range(count - 1, -1, -1):
        a, b = starts[j], ends[j]
        # A subdomain is a non-empty label followed by a dot, starting and ending with a
        # domain character (inner "-" and "_" allowed); a name is the same without "_".
        if not (b < end and a < b and _is_domain_char(text[a]) and _is_domain_char(text[b - 1])):
            continue
        if best[j + 1] is not None:
            best[j] = best[j + 1]
        elif "_" not in text[a:b] and rx.tld.match(text, b + 1):
            best[j] = j
    return _Segment(start, end, starts, ends, best[:count])


def _tld_end(text: str, index: int, rx: _Patterns) -> int | None:
    """Where ``rx.tld.match(text, index)`` ends, or None; a set look-up in the common case.

    When the ASCII letters and digits from ``index`` are a TLD and what follows is ASCII
    punctuation other than "@+-" (or nothing), the regex ends there: its lookahead holds, and
    it tries longer TLDs first but none goes on with ASCII punctuation.
    """
    word = rx.ascii_word.match(text, index)
    if word is not None:
        end = word.end()
        if (
            end == len(text) or (text[end].isascii() and text[end] not in "@+-")
        ) and word.group().lower() in rx.ascii_tlds:
            return end
    tld = rx.tld.match(text, index)
    return None if tld is None else tld.end()


def _is_domain_char(char: str) -> bool:
    """Inside a run every character is a domain character, "-", "_" or "."."""
    return char not in "-_."


def _domain_end(text: str, d: int, seg: _Segment, rx: _Patterns) -> int | None:
    """Where the library's greedy domain match starting at ``d`` ends, or None if it fails."""
    j = bisect_left(seg.label_ends, d)
    if j >= len(seg.label_starts) or d < seg.label_starts[j] or d >= seg.label_ends[j]:
        return None
    a, b = seg.label_starts[j], seg.label_ends[j]
    if d == a:
        last = seg.best[j]
    else:
        # The match starts inside the label: the suffix must itself be a valid label.
        if not (b < seg.end and _is_domain_char(text[d]) and _is_domain_char(text[b - 1])):
            return None
        after = seg.best[j + 1] if j + 1 < len(seg.best) else None
        if after is not None:
            last = after
        elif "_" not in text[d:b] and rx.tld.match(text, b + 1):
            last = j
        else:
            last = None
    if last is None:
        return None
    tld = rx.tld.match(text, seg.label_ends[last] + 1)
    return tld.end() if tld else None


def _ascii_domains(
    domain: str, rx: _Patterns, work: Work, plain: bool = False
) -> list[tuple[int, int]]:
    """``valid_ascii_domain.finditer(domain)`` spans, without its quadratic backtracking.

    The pattern is ``([-a-z0-9 latin]+\\.)+ tld``: greedy, so from a label it ends at the TLD
    after the last label of an unbroken chain of such labels that has one. ``plain``: the
    domain is a plain run (see extract_urls_with_indices), its last label a whole TLD.
    """
    work.add(len(domain))
    if domain.isascii() and rx.ascii_domain.fullmatch(domain):
        # Only such labels and single dots: the chain covers the whole domain, and the TLD
        # the URL match ended on is where the greedy match ends too.
        return [(0, len(domain))]
    if plain:
        # A plain run's last dot is the only one a TLD follows (the run was taken at its
        # first such dot), so the one span is the chain of labels before it: back to the
        # last character outside the labels' class, and the dot after it if any.
        last_dot = domain.rfind(".")
        chain = rx.ascii_labels_dots.match(domain[last_dot - 1 :: -1]) if last_dot > 0 else None
        start = last_dot - (chain.end() if chain else 0)
        if start < last_dot and domain[start] == ".":
            start += 1
        return [(start, len(domain))] if start < last_dot else []
    labels = [m.span() for m in rx.ascii_label.finditer(domain)]
    labels = [(a, b) for a, b in labels if b < len(domain) and domain[b] == "."]
    ends: list[int | None] = [None] * len(labels)
    following: int | None = None
    for j in range(len(labels) - 1, -1, -1):
        b = labels[j][1]
        chained = j + 1 < len(labels) and labels[j + 1][0] == b + 1
        if chained and following is not None:
            ends[j] = following
        else:
            tld = rx.tld.match(domain, b + 1)
            ends[j] = tld.end() if tld else None
        following = ends[j]
    spans: list[tuple[int, int]] = []
    position = 0
    for (a, _b), end in zip(labels, ends, strict=True):
        if end is None or _b <= position:
            continue
        start = max(a, position)
        spans.append((start, end))
        position = end
    return spans


def extract_urls_with_indices(text: str, work: Work = _NO_WORK) -> list[dict[str, Any]]:
    """The same list as twitter-text-parser's ``extract_urls_with_indices(text)``."""
    if text == "" or "." not in text:
        return []
    rx = _patterns()
    work.add(len(text))
    # The dotted runs that hold a TLD after a dot; no URL's domain lies anywhere else.
    # Kept in flat lists (starts, ends, plain ends: see below) rather than one object a
    # run, as a text may hold tens of thousands.
    run_starts: list[int] = []
    run_ends: list[int] = []
    run_plain: list[int | None] = []
    position = 0
    steps = 0
    run_search, tld_dots, ascii_tlds = rx.run.search, rx.tld_after_dot.finditer, rx.ascii_tlds
    plain_labels = rx.plain_labels.fullmatch
    size = len(text)
    while (match := run_search(text, position)) is not None:
        start, end = match.span()
        position = end
        word_start, word_end = match.span(1)
        dot = word_start - 1
        # _tld_end's shortcut, with the word the run regex already found
        if (
            word_end == end
            and (end == size or (text[end].isascii() and text[end] not in "@+-"))
            and match.group(1).lower() in ascii_tlds
        ):
            tld_end: int | None = word_end
        else:
            tld_end = _tld_end(text, word_start, rx)
        if tld_end is None:  # the run's first guarded dot has no TLD: try the others
            for later in tld_dots(text, dot + 1, end):
                dot = later.start()
                tld_end = _tld_end(text, dot + 1, rx)
                if tld_end is not None:
                    break
            else:
                continue
        steps += end - start
        # A plain run: labels a domain may hold, dot-separated, and the TLD after the first
        # dot a TLD follows fills the rest of the run (so that dot is the last). Then every
        # label is a valid subdomain and name, and the greedy domain match from the start
        # takes the whole run: what _domain_end would find, without splitting it.
        plain = end if tld_end == end and plain_labels(text, start, dot) else None
        run_starts.append(start)
        run_ends.append(end)
        run_plain.append(plain)
    work.add(steps)
    if not run_starts:
        return []

    # finditer's walk: the leftmost position where the regex matches, then on from its end.
    # A match consumes one allowed character before the URL (or, at the very start, none),
    # then an optional protocol, and needs a domain; what follows the domain is optional.
    protocols: dict[int, str] = {m.start(): m.group() for m in rx.protocol.finditer(text)}
    labels: dict[int, _Segment] = {}  # split when first needed, by run number

    def segment_at(index: int) -> int:
        """The number of the run holding ``index``, or -1."""
        k = bisect_left(run_starts, index + 1) - 1
        return k if k >= 0 and index < run_ends[k] else -1

    def resolve(u: int) -> tuple[str | None, int, int] | None:
        """(protocol, domain start, domain end) of a match whose URL starts at ``u``."""
        protocol = protocols.get(u)
        d = u + len(protocol) if protocol else u
        # With a protocol the domain must follow it (without, "http:" is no label).
        k = segment_at(d)
        if k < 0 or (protocol and d != run_starts[k]):
            return None
        plain = run_plain[k]
        if d == run_starts[k] and plain is not None:
            return protocol, d, plain
        if k not in labels:
            labels[k] = _segment(text, run_starts[k], run_ends[k], rx, work)
        end = _domain_end(text, d, labels[k], rx)
        return None if end is None else (protocol, d, end)

    urls: list[dict[str, Any]] = []
    position = 0
    before_excluded = rx.before_excluded.match

    def attempt(u: int) -> int | None:
        """The end of the match whose URL starts at ``u``, if finditer takes one there."""
        if u >= 1 and u - 1 >= position and not before_excluded(text, u - 1):
            before = text[u - 1]
        elif u == 0 and position == 0:
            # At the start, consuming text[0] as the character before a URL is tried first.
            if _allowed_before(text, 0, rx) and resolve(1) is not None:
                return None
            before = ""
        else:
            return None
        found = resolve(u)
        if found is None:
            return None
        protocol, d, domain_end = found
        if domain_end < len(text) and text[domain_end] in ":/?":
            tail = rx.tail.match(text, domain_end)
            assert tail is not None  # every part of the tail is optional
            end_position, path = tail.end(), tail.group(2)
        else:  # no port, path or query can start here
            end_position, path = domain_end, None
        work.add(end_position - u)
        _add_url(
            urls,
            text[u:end_position],
            u,
            end_position,
            protocol,
            text[d:domain_end],
            path,
            before,
            rx,
            work,
        )
        return end_position

    # The candidates in order: protocols outside the runs (few) merged with the run starts.
    outside = sorted(u for u in protocols if segment_at(u) < 0)
    k = 0
    plain_steps = 0
    ascii_domain = rx.ascii_domain.fullmatch
    max_url_length: int = _module("extract_urls").max_url_length
    allowed_before = rx.allowed_before
    for start, run_end, plain in zip(run_starts, run_ends, run_plain, strict=True):
        while k < len(outside) and outside[k] < start:
            taken = attempt(outside[k])
            k += 1
            if taken is not None:
                position = taken
        if (
            plain is not None
            and position < start
            and (run_end == size or text[run_end] not in ":/?")
            and start not in protocols
            and (text[start - 1] in allowed_before or not before_excluded(text, start - 1))
        ):
            # What attempt(start) does, shortened: no protocol, the domain is the whole run
            # (a plain run's greedy domain) and no port, path or query follows.
            domain = text[start:run_end]
            before = text[start - 1]
            plain_steps += run_end - start + 1
            position = run_end
            if len(domain) < 64 and domain.isascii() and ascii_domain(domain):
                # And what _add_url does with it: IDNA keeps such a name as it is, it fits,
                # and the ASCII-only domain is all of it.
                if before not in "-_./":
                    urls.append({"url": domain, "indices": [start, run_end]})
                continue
            if before in "-_./":  # no URL whatever IDNA says
                continue
            bound = _idna_length_bound(domain) if len(domain) <= _IDNA_CACHED_LENGTH else None
            if bound is not None and len(DEFAULT_PROTOCOL) + bound <= max_url_length:
                # _add_url's checks settled by the bound: add the ASCII-only domains
                for a, b in _ascii_domains(domain, rx, work, plain=True):
                    urls.append({"url": domain[a:b], "indices": [start + a, start + b]})
                continue
            _add_url(urls, domain, start, run_end, None, domain, None, before, rx, work, plain=True)
            continue
        u = start
        while u < run_end:
            u = max(u, position + 1) if position else u
            if u >= run_end:
                break
            taken = attempt(u)
            work.add(1)
            if taken is not None:
                position = taken
            u += 1
    for u in outside[k:]:
        taken = attempt(u)
        if taken is not None:
            position = taken
    work.add(plain_steps)
    return urls


def _allowed_before(text: str, index: int, rx: _Patterns) -> bool:
    return index < len(text) and not rx.before_excluded.match(text, index)


_IDNA_CACHED_LENGTH = 253  # the longest DNS name


@lru_cache(maxsize=4096)
def _idna(domain: str) -> str | None:
    encoded: str | None = _module("extract_urls").idna_to_ascii(domain)
    return encoded


# Characters nameprep leaves as they are on their own (not mapped, not prohibited, not
# right-to-left), decided once per character the first time one is met; up to a bound, so
# texts full of distinct characters cannot grow them without end.
_NAMEPREP_KEPT: set[str] = set()
_NAMEPREP_CHANGED: set[str] = set()
_NAMEPREP_REMEMBERED = 20_000


def _nameprep_keeps(char: str) -> bool:
    return not (
        stringprep.in_table_b1(char)
        or stringprep.map_table_b2(char) != char
        or stringprep.in_table_c12(char)
        or stringprep.in_table_c22(char)
        or stringprep.in_table_c3(char)
        or stringprep.in_table_c4(char)
        or stringprep.in_table_c5(char)
        or stringprep.in_table_c6(char)
        or stringprep.in_table_c7(char)
        or stringprep.in_table_c8(char)
        or stringprep.in_table_c9(char)
        or stringprep.in_table_d1(char)
    )


def _label_kept(label: str) -> bool:
    """True when Python's IDNA ``nameprep(label)`` returns ``label`` unchanged, without error.

    Then mapping changes nothing, the NFKC step changes nothing (checked on the whole label,
    since characters may compose), nothing is prohibited and, with no right-to-left
    character, the bidi rules do not apply.
    """
    chars = set(label)
    if not chars <= _NAMEPREP_KEPT:
        if chars & _NAMEPREP_CHANGED:
            return False
        for char in chars - _NAMEPREP_KEPT:
            keeps = _nameprep_keeps(char)
            if len(_NAMEPREP_KEPT) + len(_NAMEPREP_CHANGED) < _NAMEPREP_REMEMBERED:
                (_NAMEPREP_KEPT if keeps else _NAMEPREP_CHANGED).add(char)
            if not keeps:
                return False
    return unicodedata.is_normalized("NFKC", label)


def _idna_length_bound(domain: str) -> int | None:
    """An upper bound of ``len(idna_to_ascii(domain))`` when it certainly succeeds, else None.

    None means "ask the codec". ASCII names follow the codec's fast path exactly: each label
    but the last 1 to 63 characters, the last under 64. Other names are split as the codec
    does; a non-ASCII label that nameprep keeps is punycode-encoded behind "xn--": its basic
    characters, a "-" if there are any, then one variable-length integer per other character.
    Each integer is under 10**8 for a label under 64 characters (deltas stay below
    0x110000 * 65), and every digit but the last divides it by at least 10, so it takes at
    most 9 digits. When that bound keeps the label under 64 the encoding cannot fail.
    """
    if domain.isascii():
        if len(domain) < 64 and domain[0] != "." and ".." not in domain:
            return len(domain)  # no label empty but perhaps the last, none too long
        labels = domain.split(".")
        if all(0 < len(label) < 64 for label in labels[:-1]) and len(labels[-1]) < 64:
            return len(domain)
        return None
    if "\u3002" in domain or "\uff0e" in domain or "\uff61" in domain:
        labels = _IDNA_DOTS.split(domain)
    else:
        labels = domain.split(".")
    trailing_dot = labels[-1] == ""
    if trailing_dot:
        del labels[-1]  # the codec keeps a trailing dot as it is
    total = len(labels) - 1 + trailing_dot
    for label in labels:
        if label.isascii():
            if not 0 < len(label) < 64:
                return None
            total += len(label)
            continue
        if len(label) >= 64 or label.startswith("xn--") or not _label_kept(label):
            return None
        basic = len(label.encode("ascii", "ignore"))
        bound = 4 + basic + (basic > 0) + 9 * (len(label) - basic)
        if bound >= 64:
            return None
        total += bound
    return total


_IDNA_DOTS = re.compile("[\u002e\u3002\uff0e\uff61]")


@cache
def _idna_shrinking() -> re.Pattern[str]:
    """Characters IDNA's nameprep may drop or merge into the character before them.

    Those it maps to nothing (RFC 3454 table B.1), combining marks and Hangul vowel and final
    jamo (which NFKC composes). Any other character leaves at least one in the encoding.
    """
    dropped = "\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff"
    marks = "".join(
        re.escape(chr(c))
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)).startswith("M")
    )
    return re.compile(f"[{dropped}\u1160-\u11ff{marks}]")


def _fits(url: str, protocol: str, domain: str, max_length: int) -> bool:
    """False when the URL is certainly too long for ``is_valid_url``, before any IDNA work.

    Encoding a long non-ASCII domain costs tens of microseconds a label, so a cheap lower
    bound of the encoded length rules out overlong candidates first: ASCII labels stay as
    they are, other labels keep at least their characters that nameprep cannot remove.
    """
    if len(protocol) + len(url) <= max_length:
        return True
    shrinking = _idna_shrinking()
    labels = _IDNA_DOTS.split(domain)
    budget = max_length - (len(protocol) + len(url) - len(domain)) - (len(labels) - 1)
    for label in labels:
        kept = len(label) - shrinking.subn("", label)[1] if not label.isascii() else len(label)
        budget -= max(kept, 1)
        if budget < 0:
            return False
    return True


def _add_url(
    urls: list[dict[str, Any]],
    url: str,
    start_position: int,
    end_position: int,
    protocol: str | None,
    domain: str,
    path: str | None,
    before: str,
    rx: _Patterns,
    work: Work,
    plain: bool = False,
) -> None:
    """The library's checks on one regex match, as in ``extract_urls_with_indices``.

    ``plain``: the domain is a whole plain run (see extract_urls_with_indices).
    """
    library = _module("extract_urls")
    limit = library.max_url_length
    prefix = len(protocol or DEFAULT_PROTOCOL) + len(url) - len(domain)
    if prefix + len(domain) <= limit and len(domain) <= _IDNA_CACHED_LENGTH:
        # The library's is_valid_url: the IDNA encoding must succeed and the URL, with the
        # domain encoded, fit. Encoding is pure Python (tens of microseconds a non-ASCII
        # label), so a bound that settles both comes first.
        bound = _idna_length_bound(domain)
        if bound is None or prefix + bound > limit:
            encoded = _idna(domain)
            if not encoded or prefix + len(encoded) > limit:
                return
    else:
        if not _fits(url, protocol or DEFAULT_PROTOCOL, domain, limit):
            return
        encoded = library.idna_to_ascii(domain)
        if not encoded or prefix + len(encoded) > limit:
            return
    if protocol is None:
        # invalid_url_without_protocol_preceding_chars, "[-_./]$", on one character or none
        if before and before in "-_./":
            return
        last_url: dict[str, Any] | None = None
        for a, b in _ascii_domains(domain, rx, work, plain):
            last_url = {"url": domain[a:b], "indices": [start_position + a, start_position + b]}
            urls.append(last_url)
        if last_url is None:
            return
        if path:
            last_url["url"] = url.replace(domain, last_url["url"])
            last_url["indices"][1] = end_position
        return
    tco = library.valid_tco_url.search(url)
    if tco:
        slug = tco.group(1)
        if slug and len(slug) > library.max_tco_slug_length:
            return
        url = tco.group(0)
        end_position = start_position + len(url)
    urls.append({"url": url, "indices": [start_position, end_position]})


# --- emoji -----------------------------------------------------------------------------------


def extract_emojis_with_indices(text: str, work: Work = _NO_WORK) -> list[dict[str, Any]]:
    """The same list as twitter-text-parser's ``extract_emojis_with_indices(text)``."""
    return [
        {"emoji": text[start:end], "indices": [start, end]}
        for start, end in _emoji_spans(text, work)
    ]


@cache
def _emoji_sequences(first: str) -> re.Pattern[str]:
    """The emoji sequences starting with ``first``, longest first (compiled when first met)."""
    return re.compile(_patterns().emoji[first])


def _emoji_spans(text: str, work: Work) -> list[tuple[int, int]]:
    rx = _patterns()
    work.add(len(text))
    spans: list[tuple[int, int]] = []
    search, single = rx.emoji_start.search, rx.emoji_single.match
    position = 0
    while (start := search(text, position)) is not None:
        index = start.start()
        first = text[index]
        match = _emoji_sequences(first).match(text, index) if first in rx.emoji else None
        if match is None:
            match = single(text, index)
        if match is None:
            position = index + 1
            continue
        position = match.end()
        spans.append((index, position))
    work.add(sum(end - start for start, end in spans))
    return spans


# --- parseTweet ------------------------------------------------------------------------------


@cache
def _weight_classes(ranges: tuple[tuple[int, int, int], ...], default: int) -> re.Pattern[str]:
    """One class of every character whose weight differs from the default."""
    parts = [f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b, w in ranges if w != default]
    return re.compile(f"[{''.join(parts)}]" if parts else "(?!)")


def _ranges(options: dict[str, Any]) -> tuple[tuple[int, int, int], ...]:
    return tuple((int(r["start"]), int(r["end"]), int(r["weight"])) for r in options["ranges"])


def _plain_weight(text: str, options: dict[str, Any]) -> int:
    """Sum of per-character weights of ``text``."""
    default = int(options["default_weight"])
    ranges = _ranges(options)
    if len(text) < 16 or len({w for _, _, w in ranges if w != default}) > 1:
        return sum(_char_weight(char, options) for char in text)
    # One non-default weight (as in every twitter-text configuration): count in bulk.
    special = next((w for _, _, w in ranges if w != default), default)
    count = _weight_classes(ranges, default).subn("", text)[1]
    return default * (len(text) - count) + special * count


def _char_weight(char: str, options: dict[str, Any]) -> int:
    code = ord(char)
    for item in options["ranges"]:
        if item["start"] <= code <= item["end"]:
            return int(item["weight"])
    return int(options["default_weight"])


def _utf16_length(text: str) -> int:
    # A lone surrogate (JSON allows "\ud800") is one code unit, not an encoding error.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


_INVALID = frozenset("\ufffe\ufeff\uffff")
_INVALID_SEARCH = re.compile("[\ufffe\ufeff\uffff]")
_LINE_ENDINGS = re.compile(r"\r\n|\r|\n")


def parse_tweet(text: str, options: dict[str, Any], work: Work = _NO_WORK) -> dict[str, Any]:
    """twitter-text-parser's ``parse_tweet(text, options).asdict()``, in linear time.

    The library walks the text one character at a time; here only the prefix that still fits
    (where the valid range can end) is walked, and the rest is weighed in bulk.
    """
    scale = int(options["scale"])
    url_weight = int(options["transformed_url_length"]) * scale
    emoji_weight = int(options["default_weight"])
    limit = int(options["max_weighted_tweet_length"])

    normalized = _LINE_ENDINGS.sub("\n", unicodedata.normalize("NFC", text))
    work.add(len(text) + len(normalized))
    entities: dict[int, tuple[int, int]] = {}  # start -> (length the library skips, weight)
    for url in extract_urls_with_indices(normalized, work):
        entities[url["indices"][0]] = (len(url["url"]), url_weight)
    if options["emoji_parsing_enabled"]:
        for start, end in _emoji_spans(normalized, work):
            entities.setdefault(start, (end - start, emoji_weight))

    weighted = 0
    valid = True
    valid_display_index = 0
    index = 0
    size = len(normalized)
    # Walk item by item while the valid range may still grow, as the library does.
    while index < size and (valid and weighted <= limit * scale):
        entity = entities.get(index)
        if entity is not None:
            weighted += entity[1]
            index += entity[0] - 1
        else:
            weighted += _char_weight(normalized[index], options)
        if normalized[index : index + 1] in _INVALID:
            valid = False
        if valid and weighted <= limit * scale:
            valid_display_index = index
        index += 1
    work.add(index)
    # The rest only adds to the length: plain characters in bulk, entities by their weight.
    if index < size:
        if _INVALID_SEARCH.search(normalized, index):
            valid = False
        weighted += _rest_weight(normalized, index, entities, options)

    length = int(weighted / scale)
    text_units = _utf16_length(text)
    display_offset = _utf16_length(normalized[: valid_display_index + 1]) - 1
    return {
        "weightedLength": length,
        "valid": valid and 0 < length <= limit,
        "permillage": floor((length / limit) * 1000),
        "validRangeStart": 0,
        "validRangeEnd": display_offset + text_units - _utf16_length(normalized),
        "displayRangeStart": 0,
        "displayRangeEnd": text_units - 1 if text_units > 0 else 0,
    }


def _rest_weight(
    text: str, index: int, entities: dict[int, tuple[int, int]], options: dict[str, Any]
) -> int:
    """Weight of ``text[index:]`` as the library's loop sums it from ``index`` on.

    Every character weighs its own weight, except that an entity starting where the loop
    stands is weighed as a whole and the loop jumps over it (an entity starting inside a
    skipped one is never reached).
    """
    pieces: list[str] = []
    total = 0
    for start in sorted(s for s in entities if s >= index):
        if start < index:
            continue
        skip, weight = entities[start]
        pieces.append(text[index:start])
        total += weight
        index = start + max(skip, 1)
    pieces.append(text[index:])
    return total + _plain_weight("".join(pieces), options)

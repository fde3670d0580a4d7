"""Rule codes are a closed set: every code is reachable, documented in the API, and phrased by
the web app in Indonesian and English with values the problem actually carries."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from gaung.config import Settings
from gaung.kit.errors import ProblemBody
from gaung.main import create_app
from gaung.platforms.registry import NETWORKS, rule_codes
from gaung.platforms.types import MediaInfo, Options, Platform
from gaung.platforms.x.rules import XRule
from gaung.posts.validation import check_options, missing_alt_text, validate_variant

MIB = 1024 * 1024
I18N = Path(__file__).resolve().parents[3] / "frontend" / "src" / "i18n"


def image(mime: str = "image/jpeg", size: int = MIB, w: int = 1080, h: int = 1080) -> MediaInfo:
    return MediaInfo("image", mime, size, w, h)


def gif(size: int = MIB) -> MediaInfo:
    return MediaInfo("gif", "image/gif", size, 480, 270)


def video(mime: str = "video/mp4", size: int = 20 * MIB, seconds: float = 30.0) -> MediaInfo:
    return MediaInfo("video", mime, size, 1080, 1920, seconds)


# Variants that break rules, together covering every code of every network.
CASES: list[tuple[Platform, str, list[MediaInfo]]] = [
    (Platform.x, "", []),
    (Platform.x, "a\ufeff" + "a" * 300, []),
    (Platform.x, "hi", [image()] * 5 + [gif(), gif(), video(), video()]),
    (Platform.x, "hi", [image("image/bmp", 6 * MIB)]),
    (Platform.x, "hi", [video(seconds=0.1)]),
    (Platform.x, "hi", [video(seconds=600)]),
    (Platform.instagram, "a" * 2201, []),
    (Platform.instagram, "#t " * 31 + "@u " * 21, [image()] * 11),
    (Platform.instagram, "hi", [gif()]),
    (Platform.instagram, "hi", [image("image/bmp", 9 * MIB)]),
    (Platform.instagram, "hi", [video(seconds=1)]),
    (Platform.instagram, "hi", [video(seconds=3600)]),
    (Platform.instagram, "hi", [image(h=2000), image(w=2500)]),
    (Platform.facebook, "", []),
    (Platform.facebook, "a" * 63207, [image(), video(), video()]),
    (Platform.facebook, "hi", [image("image/webp", 11 * MIB)]),
]

# Options that break their network's rules, covering every option code.
OPTION_CASES: list[tuple[Platform, Options]] = [
    (Platform.x, Options(thread=["ok"] * 24 + ["", "a" * 281 + "\ufeff"])),
    (Platform.instagram, Options(first_comment="a" * 2201)),
    (Platform.instagram, Options(first_comment="#t " * 31 + "@u " * 21)),
    (Platform.facebook, Options(link="ftp://example.org")),
    (Platform.facebook, Options(link="https://example.org/" + "a" * 2100)),
]


def _seen() -> dict[str, set[str]]:
    """Each code the cases produce, with the names of the params it carried."""
    seen: dict[str, set[str]] = {}
    for platform, text, media in CASES:
        for problem in validate_variant(platform, text, media):
            seen.setdefault(problem.rule, set()).update(problem.params)
    for platform, options in OPTION_CASES:
        for problem in check_options(platform, options):
            seen.setdefault(problem.rule, set()).update(problem.params)
    # The unit's own rule, checked beside the network's when the unit requires alt text.
    for problem in missing_alt_text([("image", None)]):
        seen.setdefault(problem.rule, set()).update(problem.params)
    return seen


def test_every_code_is_reachable_and_none_is_outside_the_set() -> None:
    assert set(_seen()) == set(rule_codes())


def test_codes_are_unique_and_named_after_their_network() -> None:
    codes = rule_codes()
    assert len(codes) == len(set(codes))
    for platform, network in NETWORKS.items():
        for code in network.rules.codes:
            assert code.startswith(f"{platform.value}."), code


def test_the_api_document_lists_the_codes() -> None:
    doc: dict[str, Any] = create_app(Settings(env="test")).openapi()
    schemas = doc["components"]["schemas"]
    rule = schemas["ProblemBody"]["properties"]["rule"]
    listed = {
        value for ref in rule["anyOf"] for value in schemas[ref["$ref"].split("/")[-1]]["enum"]
    }
    assert listed == set(rule_codes())


def _template(messages: dict[str, Any], code: str) -> str | None:
    """The message the web app shows for ``code``, looked up as ``lib/problems.ts`` does: the
    network's own phrasing first, then the one shared by every network."""
    rules = messages["rules"]
    generic = code.split(".", 1)[1]
    for key in (code.replace(".", "_"), generic.replace(".", "_")):
        if isinstance(rules.get(key), str):
            return str(rules[key])
    return None


def _values(params: set[str]) -> set[str]:
    """The values ``problemText`` hands to a template (see ``lib/problems.ts``)."""
    values = set(params) | {"platform"}
    if params & {"max", "max_length", "limit", "maximum"}:
        values.add("max")
    if params & {"length", "actual", "count"}:
        values.add("length")
    return values


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_code_has_a_message_with_values_it_carries(language: str) -> None:
    messages = json.loads((I18N / f"{language}.json").read_text(encoding="utf-8"))
    missing: list[str] = []
    unfilled: list[str] = []
    for code, params in sorted(_seen().items()):
        template = _template(messages, code)
        if template is None:
            missing.append(code)
            continue
        needed = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", template))
        if not needed <= _values(params):
            unfilled.append(f"{code}: {sorted(needed - _values(params))}")
    assert missing == [], f"no {language} message for these rule codes"
    assert unfilled == [], f"{language} messages use values the problem does not carry"


def test_a_problem_outside_the_set_is_refused() -> None:
    body = {
        "field": "variants.0.text",
        "variant_index": 0,
        "account_id": 1,
        "platform": "x",
        "message": "X: 281/280 weighted characters",
        "params": {},
    }
    assert ProblemBody(**body, rule="x.text.too_long").rule is XRule.text_too_long
    with pytest.raises(ValidationError):
        ProblemBody(**body, rule="x.poll.too_many_options")

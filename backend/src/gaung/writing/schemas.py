from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from gaung.accounts.models import Platform
from gaung.holds.schemas import BlackoutRead
from gaung.kit.schemas import DbId, Input, Label, Schema
from gaung.platforms.facebook import limits as facebook_limits
from gaung.platforms.instagram import limits as instagram_limits
from gaung.posts.schemas import MAX_TEXT
from gaung.writing.rulebook import rulebook

# The longest text the check accepts per platform: what the platform itself accepts (X: what
# a post variant may hold, the platform rule reports the rest).
MAX_CHECK_TEXT: dict[Platform, int] = {
    Platform.x: MAX_TEXT,
    Platform.instagram: instagram_limits.MAX_CAPTION_LENGTH,
    Platform.facebook: facebook_limits.MAX_MESSAGE_LENGTH,
}
MAX_ALT_TEXTS = 20  # as many as a post variant's media
MAX_ALT_TEXT = 1000  # as long as a media file's alt text
MAX_GLOSSARY = 500
MAX_IGNORED = 500


class Bilingual(BaseModel):
    id: str = Field(description="Indonesian.")
    en: str = Field(description="English.")


class FindingRead(Schema):
    rule: str = Field(description="Stable rule code.", examples=["bureaucratic_phrase"])
    target: str = Field(description="`text`, or `alt_texts.<n>` for the n-th alt text.")
    start: int = Field(
        description="Start of the span in the target, in Unicode code points (Python string "
        "offsets), not UTF-16 units: convert before using them as JavaScript indices."
    )
    end: int = Field(description="End of the span (exclusive), in code points.")
    excerpt: str = Field(description="The text of the span (at most 200 characters).")
    message: Bilingual
    why: Bilingual
    suggestion: Bilingual
    replacement: str | None = Field(
        description="Text to put in place of the span, when there is one (one-click fix)."
    )


class ReasonRead(Schema):
    rule: str
    count: int
    points: int = Field(description="Points this rule took off the score.")
    message: Bilingual


class CheckRead(Schema):
    platform: Platform
    score: int = Field(ge=0, le=100, description="100: nothing to improve.")
    reasons: list[ReasonRead] = Field(description="What lowered the score, biggest first.")
    findings: list[FindingRead]
    quiet_period: BlackoutRead | None = Field(
        default=None,
        description="The election quiet period that applies to the unit now, if any: then "
        "findings with rule `political_content` warn on political terms (they cost no points).",
    )
    words: int
    sentences: int
    hashtags: int
    mentions: int
    emoji: int


class CheckIn(Input):
    # Spans point into the text as sent: nothing is trimmed.
    model_config = ConfigDict(str_strip_whitespace=False)

    unit_id: DbId = Field(description="The unit whose writing settings apply.")
    platform: Platform
    text: str = Field(
        max_length=MAX_TEXT,
        description="At most the platform's own maximum: X 70,000 (a post variant's maximum), "
        "Instagram 2,200, Facebook 63,206 characters.",
    )
    alt_texts: list[str] = Field(default_factory=list, max_length=MAX_ALT_TEXTS)

    @field_validator("alt_texts")
    @classmethod
    def _alt_lengths(cls, v: list[str]) -> list[str]:
        for n, alt in enumerate(v):
            if len(alt) > MAX_ALT_TEXT:
                raise ValueError(f"alt text {n} is longer than {MAX_ALT_TEXT} characters")
        return v

    @field_validator("text")
    @classmethod
    def _platform_length(cls, v: str, info: ValidationInfo) -> str:
        platform = info.data.get("platform")
        if platform is None:  # already reported as invalid
            return v
        limit = MAX_CHECK_TEXT[platform]
        if len(v) > limit:
            raise ValueError(f"{platform.value} accepts at most {limit:,} characters")
        return v


class RuleRead(Schema):
    code: str
    category: str = Field(description="language, structure, platform or alt_text.")
    weight: int = Field(description="Points one finding takes off the score.")
    cap: int = Field(description="The most this rule takes off the score.")
    platforms: list[Platform] | None = Field(description="Only these platforms; null: all.")
    title: Bilingual
    why: Bilingual
    suggestion: Bilingual
    example: dict[str, str] = Field(description="`stiff` and `plain` versions.")
    phrases: list[dict[str, str]] = Field(
        description="For phrase rules: each `match` and its `replace` (empty: drop it)."
    )


class ThresholdRead(Schema):
    key: str
    default: float
    min: float = Field(description="The strictest value a unit may set.")
    description: Bilingual


class RuleList(Schema):
    items: list[RuleRead]
    thresholds: list[ThresholdRead]


class GlossaryEntry(Input):
    term: Label = Field(min_length=2, max_length=20, description="The acronym, e.g. BPPT.")
    meaning: Label | None = Field(default=None, max_length=200)

    @field_validator("term")
    @classmethod
    def _acronym(cls, v: str) -> str:
        if any(ch.isspace() for ch in v):
            raise ValueError("one word, e.g. BPPT")
        return v.upper()


class WritingSettingsIn(Input):
    glossary: list[GlossaryEntry] = Field(default_factory=list, max_length=MAX_GLOSSARY)
    disabled_rules: list[str] = Field(default_factory=list, max_length=50)
    thresholds: dict[str, Annotated[float, Field(strict=True)]] = Field(
        default_factory=dict,
        description="Stricter numbers than the defaults, by key (see GET /writing/rules).",
    )
    ignored_words: list[Label] = Field(default_factory=list, max_length=MAX_IGNORED)

    @field_validator("disabled_rules")
    @classmethod
    def _known_rules(cls, v: list[str]) -> list[str]:
        codes = rulebook().rules
        for code in v:
            if code not in codes:
                raise ValueError(f"unknown rule {code[:60]!r}; see GET /api/v1/writing/rules")
        return sorted(set(v))

    @field_validator("thresholds")
    @classmethod
    def _stricter(cls, v: dict[str, float]) -> dict[str, float]:
        known = rulebook().thresholds
        for key, value in v.items():
            t = known.get(key)
            if t is None:
                raise ValueError(f"unknown threshold {key[:60]!r}; see GET /api/v1/writing/rules")
            if not t.min <= value <= t.default:
                raise ValueError(
                    f"{key} must be between {t.min:g} and {t.default:g} (stricter, not looser)"
                )
            if t.integer and value != int(value):
                raise ValueError(f"{key} must be a whole number")
        return v

    @field_validator("ignored_words")
    @classmethod
    def _words(cls, v: list[str]) -> list[str]:
        for word in v:
            if not 1 <= len(word) <= 60 or any(ch.isspace() for ch in word):
                raise ValueError("each ignored word is one word of 1-60 characters")
        # Matching ignores case: one spelling of each word is enough (the first given).
        unique: dict[str, str] = {}
        for word in v:
            unique.setdefault(word.casefold(), word)
        return [unique[key] for key in sorted(unique)]

    @field_validator("glossary")
    @classmethod
    def _distinct(cls, v: list[GlossaryEntry]) -> list[GlossaryEntry]:
        terms = [e.term for e in v]
        if len(set(terms)) != len(terms):
            raise ValueError("an acronym appears twice in the glossary")
        return v


class GlossaryRead(Schema):
    term: str
    meaning: str | None = None


class WritingSettingsRead(Schema):
    unit_id: int
    glossary: list[GlossaryRead]
    disabled_rules: list[str]
    thresholds: dict[str, float]
    ignored_words: list[str]
    updated_at: datetime | None = Field(description="null: the unit still uses the defaults.")

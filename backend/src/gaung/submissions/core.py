"""Per-platform first drafts from a submitted activity, free of the web and the ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
# X counts any link as 23 characters; the rest of a 280-character post stays well inside.
X_BODY = 240
IG_MAX = 2200
IG_HASHTAGS = 30  # Instagram refuses a caption with more
FB_MAX = 5000


@dataclass(frozen=True)
class Activity:
    title: str
    activity_date: date
    place: str
    description: str
    contact_name: str
    credits: list[str] = field(default_factory=list)
    data_source: str | None = None
    link: str | None = None
    hashtags: list[str] = field(default_factory=list)


def tanggal(d: date) -> str:
    """A date the Indonesian way: ``29 November 2026``."""
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _tags(a: Activity) -> str:
    tags = []
    for tag in a.hashtags[:IG_HASHTAGS]:
        tag = tag.strip().lstrip("#")
        if tag:
            tags.append("#" + tag)
    return " ".join(tags)


def _credits(a: Activity) -> str | None:
    names = [c for c in dict.fromkeys(c.strip() for c in a.credits) if c]
    return "Foto: " + ", ".join(names) if names else None


def x_text(a: Activity) -> str:
    """Short: what, where, when, and the link."""
    body = _cut(f"{a.title} — {a.place}, {tanggal(a.activity_date)}", X_BODY)
    return f"{body} {a.link}" if a.link else body


def instagram_caption(a: Activity) -> str:
    """The story with the photos' credits and the hashtags (links are not clickable there)."""
    tail = [f"📍 {a.place} · {tanggal(a.activity_date)}"]
    if credit := _credits(a):
        tail.append(credit)
    if a.data_source:
        tail.append(f"Sumber data: {a.data_source}")
    tags = _tags(a)
    ending = "\n".join(tail) + (f"\n\n{tags}" if tags else "")
    room = IG_MAX - len(a.title) - len(ending) - 4
    return f"{a.title}\n\n{_cut(a.description, max(room, 0))}\n\n{ending}".replace("\n\n\n", "\n\n")


def facebook_text(a: Activity) -> str:
    """The longer account: everything a reader may want, the link last."""
    lines = [a.title, "", f"{tanggal(a.activity_date)}, {a.place}", "", a.description, ""]
    lines.append(f"Narahubung: {a.contact_name}")
    if a.data_source:
        lines.append(f"Sumber data: {a.data_source}")
    if credit := _credits(a):
        lines.append(credit)
    if a.link:
        lines += ["", a.link]
    return _cut("\n".join(lines), FB_MAX)


def draft_text(platform: str, a: Activity) -> str:
    if platform == "x":
        return x_text(a)
    if platform == "instagram":
        return instagram_caption(a)
    return facebook_text(a)

"""An iCalendar document (RFC 5545) of posts, made with ``icalendar``: one event per variant,
at its time in its unit's zone, with the zone's VTIMEZONE so every client shows it right."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODID = "-//Gaung//Kalender Unggahan//ID"
LENGTH = timedelta(minutes=30)  # a post is a moment; a short block shows in every client
EXCERPT = 280


@dataclass(frozen=True)
class Entry:
    variant_id: int
    post_id: int
    title: str
    text: str
    platform: str
    account: str
    status: str
    at: datetime  # UTC
    timezone: str
    url: str | None
    updated_at: datetime


def build(name: str, timezone: str, entries: list[Entry], *, host: str, now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    cal.add("refresh-interval", timedelta(minutes=15), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT15M")
    stamp = now.astimezone(UTC)
    for e in entries:
        start = e.at.astimezone(ZoneInfo(e.timezone))
        ev = Event()
        # Stable per variant: a moved post updates its event instead of adding another.
        ev.add("uid", f"gaung-variant-{e.variant_id}@{host}")
        ev.add("dtstamp", stamp)
        ev.add("last-modified", e.updated_at.astimezone(UTC))
        ev.add("dtstart", start)
        ev.add("dtend", start + LENGTH)
        ev.add("summary", f"[{e.platform}] {e.title}")
        text = e.text if len(e.text) <= EXCERPT else e.text[: EXCERPT - 1] + "…"
        ev.add("description", f"{e.account} · {e.status}\n\n{text}")
        ev.add("status", "CONFIRMED" if e.status == "published" else "TENTATIVE")
        ev.add("categories", [e.platform])
        if e.url:
            ev.add("url", e.url)
        cal.add_component(ev)
    cal.add_missing_timezones()
    out: bytes = cal.to_ical()
    return out

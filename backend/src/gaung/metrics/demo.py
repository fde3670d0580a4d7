"""A year of plausible, deterministic history for the demo's sandbox accounts, written when the
demo data is seeded, so the embedded dashboard has something to show from the first start.

Followers grow a little every day (more on weekdays), ending at what the simulated network
reports now, so the live hourly readings carry the line on. Posts go out most weekdays; their
figures depend on the hour, the category and the format in a stable way, which gives the
best-time grid and the breakdowns a real shape. Randomness comes from hashing (the sandbox's
``unit_value``), never from ``random``: the same day always seeds the same history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import PlatformAccount
from gaung.metrics import core
from gaung.metrics.models import (
    AccountDaily,
    AccountSnapshot,
    PostFormat,
    PostMetricSnapshot,
    TrackedPost,
)
from gaung.metrics.store import apply_figures
from gaung.platforms.sandbox import simulation
from gaung.platforms.types import Platform

DAYS = 365
SEED = 0
CATEGORIES = (
    ("Informasi Teknologi", 1.0),
    ("Berita Kegiatan", 0.7),
    ("Acara", 0.85),
    ("Layanan Publik", 1.35),
    ("Hari Besar", 1.2),
)
HOURS = ((7, 0.8), (9, 1.0), (12, 1.15), (16, 0.9), (19, 1.35), (20, 1.25))
FORMATS = {
    Platform.x: ((PostFormat.text, 0.8), (PostFormat.image, 1.1), (PostFormat.video, 1.3)),
    Platform.instagram: (
        (PostFormat.image, 1.0),
        (PostFormat.carousel, 1.3),
        (PostFormat.video, 1.5),
    ),
    Platform.facebook: ((PostFormat.text, 0.7), (PostFormat.image, 1.0), (PostFormat.video, 1.2)),
}
TITLES = (
    "Info layanan peta tematik",
    "Kegiatan pendampingan daerah",
    "Tips membaca data cuaca",
    "Ucapan hari besar nasional",
    "Pengumuman jadwal layanan",
    "Kunjungan mitra pemerintah daerah",
    "Hasil riset pemetaan lahan",
    "Webinar data spasial",
)
# Readings of each post's figures kept in the demo: 1 h, 24 h and 7 d after publishing.
READINGS = (timedelta(hours=1), timedelta(hours=24), timedelta(days=7))
SETTLED = (0.35, 0.9, 1.0)


def _u(*parts: object) -> float:
    return simulation.unit_value(SEED, *parts)


def _pick(options: Sequence[tuple[Any, float]], *parts: object) -> tuple[Any, float]:
    return options[int(_u(*parts) * len(options))]


def _gain(key: str, day: date) -> int:
    rhythm = 0.55 if day.weekday() >= 5 else 1.0
    base = 6 + _u(key, "demo-rate") * 18
    return round(base * rhythm * (0.4 + 1.2 * _u(key, "demo-day", day.isoformat())))


def _followers(key: str, days: list[date], final: int) -> dict[date, int]:
    """Followers at the end of each day, walking back from today's figure."""
    values: dict[date, int] = {}
    value = final
    for day in reversed(days):
        values[day] = value
        value = max(0, value - _gain(key, day))
    return values


async def seed_history(
    session: AsyncSession, accounts: Sequence[PlatformAccount], zone: ZoneInfo, now: datetime
) -> None:
    """A year of daily snapshots and published posts with their figures for ``accounts``."""
    today = now.astimezone(zone).date()
    days = [today - timedelta(days=n) for n in range(DAYS, 0, -1)]  # up to yesterday
    snapshots: list[dict[str, Any]] = []
    rollups: list[dict[str, Any]] = []
    for account in accounts:
        key = f"{account.platform.value}:{account.external_id}"
        final = simulation.followers(SEED, key, datetime.combine(days[-1], time(21), zone))
        followers = _followers(key, days, final)
        posts_count = simulation.earlier_posts(SEED, key) - DAYS // 2
        for day in days:
            at = datetime.combine(day, time(21), zone)
            posts_count += 1 if day.weekday() < 5 else 0
            row = {
                "account_id": account.id,
                "unit_id": account.unit_id,
                "measured_at": at,
                "followers": followers[day],
                "following": simulation.following(SEED, key, at),
                "posts": posts_count,
            }
            snapshots.append({**row, "page_likes": None, "raw": {"followers": followers[day]}})
            rollups.append({**row, "day": day, "snapshots": 1})
        await _posts(session, account, key, days, followers, zone)
    await session.execute(insert(AccountSnapshot), snapshots)
    await session.execute(insert(AccountDaily), rollups)


async def _posts(
    session: AsyncSession,
    account: PlatformAccount,
    key: str,
    days: list[date],
    followers: dict[date, int],
    zone: ZoneInfo,
) -> None:
    rows: list[TrackedPost] = []
    figures: list[dict[str, int | None]] = []
    for day in days:
        chance = 0.7 if day.weekday() < 5 else 0.2
        if _u(key, "demo-post", day.isoformat()) >= chance:
            continue
        hour, hour_factor = _pick(HOURS, key, "demo-hour", day.isoformat())
        category, category_factor = _pick(CATEGORIES, key, "demo-cat", day.isoformat())
        fmt, format_factor = _pick(FORMATS[account.platform], key, "demo-fmt", day.isoformat())
        published = datetime.combine(day, time(hour, int(_u(key, "m", day.isoformat()) * 50)), zone)
        audience = followers[day]
        noise = 0.6 + 0.8 * _u(key, "demo-noise", day.isoformat())
        reach = int(audience * 0.12 * hour_factor * category_factor * format_factor * noise)
        likes = int(reach * (0.04 + 0.04 * _u(key, "demo-likes", day.isoformat())))
        final = {
            "impressions": int(reach * 1.4),
            "reach": reach,
            "likes": likes,
            "comments": likes // 9,
            "shares": likes // 12,
            "saves": likes // 10 if account.platform is Platform.instagram else None,
            "clicks": likes // 6 if account.platform is not Platform.instagram else None,
        }
        post = TrackedPost(
            unit_id=account.unit_id,
            account_id=account.id,
            platform=account.platform,
            external_id=f"demo-{day.isoformat()}",
            url=None,
            title=_pick(tuple((t, 0.0) for t in TITLES), key, "demo-title", day.isoformat())[0],
            category=category,
            format=fmt,
            published_at=published,
            weekday=published.weekday(),
            hour=published.hour,
            followers_at_publish=audience,
            interactions=0,
            polls=len(core.POST_SCHEDULE),
            next_poll_at=None,
            failures=0,
        )
        rows.append(post)
        figures.append(final)
    session.add_all(rows)
    await session.flush()
    readings: list[dict[str, Any]] = []
    for post, final in zip(rows, figures, strict=True):
        for after, share in zip(READINGS, SETTLED, strict=True):
            values = {k: None if v is None else int(v * share) for k, v in final.items()}
            readings.append(
                {"post_id": post.id, "measured_at": post.published_at + after, "raw": {}, **values}
            )
        apply_figures(post, final, post.published_at + READINGS[-1])
    if readings:
        await session.execute(insert(PostMetricSnapshot), readings)

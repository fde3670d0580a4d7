"""Reconciling proves a post absent only with a read that was not cut short, and each
network's read stops at its own size."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gaung.platforms.protocol import RecentPost
from gaung.platforms.types import Platform
from gaung.posts.publishing import PublishConfig, Verdict, decide, read_cap

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def posts(n: int) -> list[RecentPost]:
    return [RecentPost(str(i), None, f"lain {i}", NOW) for i in range(n)]


def test_a_full_meta_read_proves_nothing_but_a_shorter_one_does() -> None:
    cfg = PublishConfig(reconcile_after=timedelta(0))
    started = NOW - timedelta(minutes=1)
    for platform in (Platform.facebook, Platform.instagram):
        cap = read_cap(platform)
        assert cap == 250
        assert decide("hilang", started, NOW, posts(cap), cfg, cap)[0] is Verdict.wait
        assert decide("hilang", started, NOW, posts(cap - 1), cfg, cap)[0] is Verdict.resend
    # X reads up to 500: 250 posts is a complete answer there.
    x = read_cap(Platform.x)
    assert decide("hilang", started, NOW, posts(250), cfg, x)[0] is Verdict.resend
    assert decide("hilang", started, NOW, posts(500), cfg, x)[0] is Verdict.wait

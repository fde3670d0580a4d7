"""The harness itself: what it seeds is what a worker will read, and its report counts
published, duplicate and lost variants from the database and the fake together."""

from __future__ import annotations

from datetime import UTC, datetime

from gaung.accounts.models import Platform, PlatformAccount
from gaung.accounts.tokens import credentials
from gaung.db import database, session_scope
from gaung.posts.models import PostStatus, PostVariant
from tests.faults.conftest import postgresql_only
from tests.faults.harness import Harness, percentile

pytestmark = postgresql_only


async def test_seeded_tokens_decrypt_to_what_the_fake_accepts(h: Harness) -> None:
    seeded = await h.seed(platforms=(Platform.x, Platform.facebook, Platform.instagram))
    async with database(h.database_url) as factory, session_scope(factory) as session:
        for seeded_account in seeded.accounts:
            account = await session.get_one(PlatformAccount, seeded_account.id)
            creds = credentials(account, h.settings)
            assert creds is not None and not account.sandbox
            known = h.fake.state.accounts[account.external_id]
            assert creds.access_token == known.token


async def test_the_report_counts_published_duplicates_and_lost(h: Harness) -> None:
    seeded = await h.seed()
    at = datetime.now(UTC)
    assert await h.schedule(seeded, posts=2, at=at) == 4
    report = await h.report()
    assert len(report.lost) == 4 and report.duplicates == 0
    # One variant "published" once, one twice, one failed with a reason.
    first, second, third, _ = report.variants
    state = h.fake.state
    for v, times in ((first, 1), (second, 2)):
        for _ in range(times):
            record = state.arrive("x.post", "POST", "/2/tweets", v.account_external_id)
            state.create_post(record, "x", v.account_external_id, v.text, f"id-{v.id}", "u")
    async with database(h.database_url) as factory, session_scope(factory) as session:
        for v, status, error in (
            (first, PostStatus.published, None),
            (second, PostStatus.published, None),
            (third, PostStatus.failed, "X refused it"),
        ):
            row = await session.get_one(PostVariant, v.id)
            row.status, row.last_error, row.external_id = status, error, f"id-{v.id}"
    report = await h.report()
    assert [v.id for v in report.published_once] == [first.id]
    assert report.duplicates == 1
    assert sorted(v.id for v in report.lost) == sorted([second.id, report.variants[3].id])
    assert len(report.lateness_s()) == 2 and report.lateness_s()[0] >= 0


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (
        50.0,
        99.0,
        100.0,
    )

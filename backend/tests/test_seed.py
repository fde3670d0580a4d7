"""The demo data: created once, realistic, and every demo post passes its platforms' rules."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.models import PlatformAccount
from gaung.calendar.models import PostTemplate
from gaung.config import Settings
from gaung.posts.models import Post
from gaung.seed import UNIT_NAME, seed_demo
from gaung.units.models import Unit
from tests.conftest import World


async def test_seed_once_then_no_change(session: AsyncSession, settings: Settings) -> None:
    assert await seed_demo(session, settings) is True
    assert await seed_demo(session, settings) is False
    assert await session.scalar(select(func.count()).select_from(Unit)) == 1
    unit = await session.scalar(select(Unit))
    assert unit is not None and unit.name == UNIT_NAME and unit.timezone == "Asia/Jakarta"
    handles = (
        await session.execute(select(PlatformAccount.platform, PlatformAccount.handle))
    ).all()
    assert sorted((p.value, h) for p, h in handles) == [
        ("facebook", "PTPSW.BPPT"),
        ("instagram", "@PTPSW_BPPT"),
        ("x", "@PTPSW_BPPT"),
    ]
    posts = (await session.scalars(select(Post))).all()
    assert len(posts) >= 18
    assert len({p.category for p in posts}) == 4
    templates = (await session.scalars(select(PostTemplate).order_by(PostTemplate.id))).all()
    assert [(t.kind.value, t.unit_id) for t in templates] == [
        ("greeting", unit.id),
        ("event", unit.id),
        ("report", unit.id),
    ]


async def test_demo_login_sees_demo_posts_and_all_are_valid(
    client: object, session: AsyncSession, settings: Settings, world: World
) -> None:
    import httpx

    assert isinstance(client, httpx.AsyncClient)
    await seed_demo(session, settings)
    login = await client.post(
        "/api/v1/auth/login",
        json={"email": settings.demo_admin_email, "password": settings.demo_admin_password},
    )
    assert login.status_code == 200
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    posts = (await client.get("/api/v1/posts?limit=200", headers=headers)).json()
    assert len(posts["items"]) >= 18
    for post in posts["items"]:
        body = {
            "unit_id": post["unit_id"],
            "title": post["title"],
            "variants": [
                {"account_id": v["account_id"], "text": v["text"], "media_ids": v["media_ids"]}
                for v in post["variants"]
            ],
        }
        report = (await client.post("/api/v1/posts/validate", json=body, headers=headers)).json()
        assert report["valid"], (post["title"], report["problems"])
    # The demo image is served where its URL says.
    media_url = posts["items"][0]["variants"][1]["media"][0]["url"]
    path = media_url.removeprefix(settings.public_base_url)
    image = await client.get(path)
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"

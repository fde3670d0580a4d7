"""Thin Graph calls for an Instagram professional account reached through its Facebook Page
(Facebook Login; the Page token is the account's token)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gaung.platforms.meta.graph import JSON, Graph

MEDIA_FIELDS = "id,caption,permalink,timestamp"
COMMENT_FIELDS = (
    "id,text,timestamp,username,from{id,username},"
    "replies{id,text,timestamp,username,from{id,username}}"
)
MEDIA_COUNTERS = "like_count,comments_count"
MEDIA_INSIGHTS = "views,reach,shares,saved"


@dataclass
class InstagramClient:
    graph: Graph
    ig_user_id: str
    token: str

    async def container(self, params: dict[str, str]) -> str:
        body = await self.graph.call("POST", f"{self.ig_user_id}/media", self.token, data=params)
        return str(body.get("id") or "")

    async def status(self, container_id: str) -> JSON:
        return await self.graph.call(
            "GET", container_id, self.token, {"fields": "id,status_code,status"}
        )

    async def publishing_limit(self) -> JSON:
        return await self.graph.call(
            "GET",
            f"{self.ig_user_id}/content_publishing_limit",
            self.token,
            {"fields": "quota_usage,config"},
        )

    async def media_publish(self, container_id: str) -> str:
        body = await self.graph.call(
            "POST",
            f"{self.ig_user_id}/media_publish",
            self.token,
            data={"creation_id": container_id},
        )
        return str(body.get("id") or "")

    async def permalink(self, media_id: str) -> str | None:
        body = await self.graph.call("GET", media_id, self.token, {"fields": "permalink"})
        url = body.get("permalink")
        return url if isinstance(url, str) else None

    async def media(self, since: int | None, max_pages: int) -> list[JSON]:
        params = {"fields": MEDIA_FIELDS, "limit": "25"}
        if since is not None:
            params["since"] = str(since)
        return await self.graph.pages(f"{self.ig_user_id}/media", self.token, params, max_pages)

    async def account(self) -> JSON:
        return await self.graph.call(
            "GET",
            self.ig_user_id,
            self.token,
            {"fields": "id,username,followers_count,follows_count,media_count"},
        )

    async def counters(self, media_ids: Sequence[str]) -> list[JSON | Exception]:
        urls = []
        for media_id in media_ids:
            urls += [
                f"{media_id}?fields={MEDIA_COUNTERS}",
                f"{media_id}/insights?metric={MEDIA_INSIGHTS}",
            ]
        return list(await self.graph.batch(self.token, urls))

    async def insights_each(
        self, media_ids: Sequence[str], metrics: Sequence[str]
    ) -> list[JSON | Exception]:
        """Each metric of each media asked alone (media-major order): one metric Meta has
        retired then fails by itself instead of failing the whole insights request."""
        urls = [f"{m}/insights?metric={metric}" for m in media_ids for metric in metrics]
        return list(await self.graph.batch(self.token, urls))

    async def comments(self, media_id: str, max_pages: int) -> list[JSON]:
        params = {"fields": COMMENT_FIELDS, "limit": "50"}
        return await self.graph.pages(f"{media_id}/comments", self.token, params, max_pages)

    async def comment(self, media_id: str, message: str) -> JSON:
        return await self.graph.call(
            "POST", f"{media_id}/comments", self.token, data={"message": message}
        )

    async def reply(self, comment_id: str, message: str) -> JSON:
        return await self.graph.call(
            "POST", f"{comment_id}/replies", self.token, data={"message": message}
        )

    async def linked_account(self, page_id: str) -> JSON:
        return await self.graph.call(
            "GET",
            page_id,
            self.token,
            {"fields": "instagram_business_account{id,username,name}"},
        )

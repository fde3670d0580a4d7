"""Thin Graph calls for a Facebook Page (errors and usage headers are mapped in ``meta.graph``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from gaung.platforms.meta.graph import JSON, Graph

POST_FIELDS = "id,message,created_time,permalink_url"
COMMENT_FIELDS = "id,from{id,name},message,created_time,parent{id}"
# Public counters on the post object, cheaper than insights and valid on every version.
POST_COUNTERS = (
    "shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
)


@dataclass
class FacebookClient:
    graph: Graph
    page_id: str
    token: str

    async def feed(
        self, message: str, attached: Sequence[str] = (), link: str | None = None
    ) -> JSON:
        data = {"message": message}
        if link:
            data["link"] = link
        for index, media_id in enumerate(attached):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": media_id})
        return await self.graph.call("POST", f"{self.page_id}/feed", self.token, data=data)

    async def photo(self, url: str, caption: str | None, published: bool) -> JSON:
        data = {"url": url, "published": "true" if published else "false"}
        if caption is not None:
            data["caption"] = caption
        return await self.graph.call("POST", f"{self.page_id}/photos", self.token, data=data)

    async def video(self, file_url: str, description: str) -> JSON:
        return await self.graph.call(
            "POST",
            f"{self.page_id}/videos",
            self.token,
            data={"file_url": file_url, "description": description},
            base=self.graph.video_base,
        )

    async def permalink(self, object_id: str) -> str | None:
        body = await self.graph.call("GET", object_id, self.token, {"fields": "permalink_url"})
        url = body.get("permalink_url")
        return url if isinstance(url, str) else None

    async def published_posts(self, since: int | None, max_pages: int) -> list[JSON]:
        params = {"fields": POST_FIELDS, "limit": "25"}
        if since is not None:
            params["since"] = str(since)
        return await self.graph.pages(
            f"{self.page_id}/published_posts", self.token, params, max_pages
        )

    async def page(self) -> JSON:
        return await self.graph.call(
            "GET", self.page_id, self.token, {"fields": "id,name,fan_count,followers_count"}
        )

    async def comments(self, post_id: str, since: int, max_pages: int) -> list[JSON]:
        params = {
            "filter": "stream",
            "order": "chronological",
            "fields": COMMENT_FIELDS,
            "since": str(since),
            "limit": "100",
        }
        return await self.graph.pages(f"{post_id}/comments", self.token, params, max_pages)

    async def reply(self, comment_id: str, message: str) -> JSON:
        return await self.graph.call(
            "POST", f"{comment_id}/comments", self.token, data={"message": message}
        )

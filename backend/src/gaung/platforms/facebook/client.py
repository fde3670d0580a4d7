"""Thin Graph calls for a Facebook Page (errors and usage headers are mapped in ``meta.graph``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from gaung.platforms.meta.graph import JSON, Graph
from gaung.platforms.protocol import RetryableError

# A file sent as multipart: (name, bytes, MIME type).
File: TypeAlias = tuple[str, bytes, str]
# A 1 GB video in Facebook's usual ~4-10 MB chunks stays far below this.
MAX_CHUNKS = 1000
_STALLED = (
    "Facebook stopped accepting the video upload; Gaung will try again.",
    "Facebook berhenti menerima unggahan video; Gaung akan mencoba lagi.",
)

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

    async def photo(
        self, url: str, caption: str | None, published: bool, source: File | None = None
    ) -> JSON:
        """By ``url`` (Facebook fetches it) or, with ``source``, the file's bytes."""
        data = {"published": "true" if published else "false"}
        if source is None:
            data["url"] = url
        if caption is not None:
            data["caption"] = caption
        files = {"source": source} if source is not None else None
        return await self.graph.call(
            "POST", f"{self.page_id}/photos", self.token, data=data, files=files
        )

    async def video_upload(self, path: Path, description: str) -> str:
        """Resumable upload of a file's bytes: start, transfer chunk by chunk, finish."""
        size = (await asyncio.to_thread(path.stat)).st_size
        path_videos = f"{self.page_id}/videos"
        base = self.graph.video_base
        start = await self.graph.call(
            "POST",
            path_videos,
            self.token,
            data={"upload_phase": "start", "file_size": str(size)},
            base=base,
        )
        session = str(start.get("upload_session_id") or "")
        video_id = str(start.get("video_id") or "")
        begin, end = _offsets(start)
        # Facebook picks the chunk sizes; every answer must move forward, else stop.
        for _ in range(MAX_CHUNKS):
            if begin >= end:
                break
            chunk = await asyncio.to_thread(_read, path, begin, end - begin)
            answer = await self.graph.call(
                "POST",
                path_videos,
                self.token,
                data={
                    "upload_phase": "transfer",
                    "upload_session_id": session,
                    "start_offset": str(begin),
                },
                files={"video_file_chunk": (path.name, chunk, "application/octet-stream")},
                base=base,
            )
            next_begin, end = _offsets(answer)
            if next_begin <= begin:
                raise RetryableError(_STALLED[0], message_id=_STALLED[1])
            begin = next_begin
        else:
            raise RetryableError(_STALLED[0], message_id=_STALLED[1])
        await self.graph.call(
            "POST",
            path_videos,
            self.token,
            data={
                "upload_phase": "finish",
                "upload_session_id": session,
                "description": description,
            },
            base=base,
        )
        return video_id

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


def _offsets(body: JSON) -> tuple[int, int]:
    try:
        return int(body.get("start_offset") or 0), int(body.get("end_offset") or 0)
    except (TypeError, ValueError):
        raise RetryableError(_STALLED[0], message_id=_STALLED[1]) from None


def _read(path: Path, offset: int, length: int) -> bytes:
    with path.open("rb") as file:
        file.seek(offset)
        return file.read(length)

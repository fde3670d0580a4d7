"""A post's review thread: comments, and what each submit, approve or reject said."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.audit.service import audit
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal, get_in_scope
from gaung.posts.models import CommentKind, Post, PostComment
from gaung.posts.schemas import CommentRead
from gaung.users.models import User


def add(
    session: AsyncSession, post: Post, author_id: int | None, kind: CommentKind, body: str
) -> PostComment:
    comment = PostComment(post_id=post.id, author_id=author_id, kind=kind, body=body)
    session.add(comment)
    return comment


async def list_comments(
    session: AsyncSession, principal: Principal, post_id: int
) -> list[CommentRead]:
    await get_in_scope(session, Post, post_id, principal, Perm.read, what="post")
    rows = await session.execute(
        select(PostComment, User.name)
        .outerjoin(User, User.id == PostComment.author_id)
        .where(PostComment.post_id == post_id)
        .order_by(PostComment.created_at, PostComment.id)
    )
    return [_read(c, name) for c, name in rows]


def _read(c: PostComment, author_name: str | None) -> CommentRead:
    return CommentRead(
        id=c.id,
        author_id=c.author_id,
        author_name=author_name,
        kind=c.kind,
        body=c.body,
        created_at=c.created_at,
    )


async def comment(
    session: AsyncSession, principal: Principal, post_id: int, body: str
) -> CommentRead:
    """Anyone who can read the post may write in its thread (an expert's remark included)."""
    post = await get_in_scope(session, Post, post_id, principal, Perm.read, what="post")
    entry = add(session, post, principal.user.id, CommentKind.comment, body)
    await session.flush()
    audit(
        session,
        principal,
        action="comment",
        object_type="post",
        object_id=post.id,
        unit_id=post.unit_id,
        after={"comment_id": entry.id, "body": body},
    )
    return _read(entry, principal.user.name)

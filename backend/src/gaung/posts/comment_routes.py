"""A post's review thread: thin routes over ``posts.comments``."""

from __future__ import annotations

from fastapi import APIRouter

from gaung.auth.deps import PrincipalDep, SessionDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath
from gaung.posts import comments
from gaung.posts.schemas import CommentIn, CommentList, CommentRead

router = APIRouter(prefix="/posts", tags=["posts"], responses=ERROR_RESPONSES)


@router.get(
    "/{post_id}/comments",
    response_model=CommentList,
    summary="The post's review thread, oldest first (comments, submissions, approvals, rejections)",
)
async def list_comments(
    post_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> CommentList:
    return CommentList(items=await comments.list_comments(session, principal, post_id))


@router.post(
    "/{post_id}/comments",
    response_model=CommentRead,
    status_code=201,
    summary="Write in the post's review thread (anyone who can read the post)",
)
async def add_comment(
    post_id: IdPath, body: CommentIn, principal: PrincipalDep, session: SessionDep
) -> CommentRead:
    return await comments.comment(session, principal, post_id, body.body)

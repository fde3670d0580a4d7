from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from gaung.accounts.models import Platform
from gaung.auth.deps import PostsReaderDep, PrincipalDep, SessionDep, SettingsDep
from gaung.kit.errors import ERROR_RESPONSES, AppError
from gaung.kit.schemas import MAX_ID, IdPath, UtcDatetime
from gaung.posts import service
from gaung.posts.models import PostStatus
from gaung.posts.schemas import (
    CategoryList,
    PostCheck,
    PostCreate,
    PostList,
    PostRead,
    PostUpdate,
    ValidationReport,
)

router = APIRouter(prefix="/posts", tags=["posts"], responses=ERROR_RESPONSES)

OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
# Twenty variants of the longest texts outgrow the JSON body limit (GAUNG_MAX_BODY_KB).
TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: ERROR_RESPONSES[422] | {"description": "body larger than GAUNG_MAX_BODY_KB"}
}


@router.get("", response_model=PostList, summary="Find posts")
async def list_posts(
    principal: PostsReaderDep,
    session: SessionDep,
    settings: SettingsDep,
    unit_id: OptionalId = None,
    date_from: Annotated[
        UtcDatetime | None, Query(description="Planned at or after (ISO 8601, with offset).")
    ] = None,
    date_to: Annotated[UtcDatetime | None, Query(description="Planned before.")] = None,
    status: Annotated[PostStatus | None, Query(description="Any variant in this status.")] = None,
    platform: Platform | None = None,
    account_id: OptionalId = None,
    category: Annotated[str | None, Query(max_length=80, pattern=r"^[^\x00]*$")] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200, pattern=r"^[^\x00]*$", description="Text in title, notes or variants."
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[
        int, Query(ge=0, le=1_000_000, description="Kept for old clients; prefer `cursor`.")
    ] = 0,
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="The `next_cursor` of the previous page."),
    ] = None,
    count: Annotated[
        bool, Query(description="Count every match into `total` (slower on long lists).")
    ] = False,
) -> PostList:
    filters = service.PostFilters(
        unit_id=unit_id,
        date_from=date_from,
        date_to=date_to,
        status=status,
        platform=platform,
        account_id=account_id,
        category=category or None,
        q=(q or "").strip() or None,
    )
    page = await service.list_posts(
        session, principal, filters, limit, offset, cursor=cursor or None, count=count
    )
    return PostList(
        items=await service.read_many(session, page.posts, settings),
        total=page.total,
        limit=limit,
        offset=offset,
        next_cursor=page.next_cursor,
    )


@router.get("/categories", response_model=CategoryList, summary="Categories in use")
async def list_categories(
    principal: PrincipalDep, session: SessionDep, unit_id: OptionalId = None
) -> CategoryList:
    return CategoryList(items=await service.list_categories(session, principal, unit_id))


@router.post(
    "/validate",
    response_model=ValidationReport,
    responses=TOO_LARGE,
    summary="Check each variant against its platform's rules without saving",
    description="Problems make the post invalid; warnings (political terms during an election "
    "quiet period, now or at `planned_at`) do not.",
)
async def validate_post(
    body: PostCheck, principal: PrincipalDep, session: SessionDep
) -> ValidationReport:
    return await service.validate(
        session, principal, body.unit_id, body.variants, planned_at=body.planned_at
    )


@router.api_route("/validate", methods=["GET", "PUT", "PATCH", "DELETE"], include_in_schema=False)
async def validate_other_methods() -> None:
    # Without this, GET /posts/validate reaches GET /posts/{post_id} and fails as a bad id.
    raise AppError(
        "Use POST to validate a post.",
        code="method_not_allowed",
        status_code=405,
        headers={"Allow": "POST"},
    )


@router.post(
    "", response_model=PostRead, status_code=201, summary="Create a post", responses=TOO_LARGE
)
async def create_post(
    body: PostCreate, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> PostRead:
    return await service.read(
        session, await service.create_post(session, principal, body), settings
    )


@router.get("/{post_id}", response_model=PostRead, summary="One post with its variants")
async def get_post(
    post_id: IdPath, principal: PostsReaderDep, session: SessionDep, settings: SettingsDep
) -> PostRead:
    return await service.read(
        session, await service.get_post(session, principal, post_id), settings
    )


@router.patch("/{post_id}", response_model=PostRead, summary="Change a post", responses=TOO_LARGE)
async def update_post(
    post_id: IdPath,
    body: PostUpdate,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
) -> PostRead:
    return await service.read(
        session, await service.update_post(session, principal, post_id, body), settings
    )


@router.delete("/{post_id}", status_code=204, summary="Delete a post that has not gone out")
async def delete_post(post_id: IdPath, principal: PrincipalDep, session: SessionDep) -> Response:
    await service.delete_post(session, principal, post_id)
    return Response(status_code=204)

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gaung.auth.deps import PrincipalDep, SessionDep, SubmitterDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import MAX_ID, IdPath
from gaung.submissions import service
from gaung.submissions.models import SubmissionStatus
from gaung.submissions.schemas import (
    DeclineIn,
    DraftIn,
    SubmissionIn,
    SubmissionList,
    SubmissionRead,
)

router = APIRouter(prefix="/submissions", tags=["submissions"], responses=ERROR_RESPONSES)

OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.post(
    "",
    response_model=SubmissionRead,
    status_code=201,
    summary="Send in an activity for publication (staff who write, or a key)",
    description="The unit's admins and editors see it in their queue. The sender hears how it "
    "ends: a person by notification, a system by the `submission.status_changed` webhook.",
)
async def submit(
    body: SubmissionIn, principal: SubmitterDep, session: SessionDep
) -> SubmissionRead:
    return service.to_read(await service.submit(session, principal, body))


@router.get(
    "",
    response_model=SubmissionList,
    summary="The queue of the units you work, and what you sent in yourself",
)
async def list_submissions(
    principal: SubmitterDep,
    session: SessionDep,
    unit_id: OptionalId = None,
    status: SubmissionStatus | None = None,
    post_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="The one made into this post.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SubmissionList:
    rows = await service.list_submissions(
        session, principal, unit_id=unit_id, status=status, post_id=post_id, limit=limit
    )
    return SubmissionList(items=[service.to_read(r) for r in rows])


@router.get("/{submission_id}", response_model=SubmissionRead, summary="One submission")
async def get_submission(
    submission_id: IdPath, principal: SubmitterDep, session: SessionDep
) -> SubmissionRead:
    return service.to_read(await service.get(session, principal, submission_id))


@router.post(
    "/{submission_id}/start",
    response_model=SubmissionRead,
    summary="Mark a submission in progress (unit admin or editor)",
)
async def start(
    submission_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> SubmissionRead:
    return service.to_read(await service.start(session, principal, submission_id))


@router.post(
    "/{submission_id}/decline",
    response_model=SubmissionRead,
    summary="Decline a submission with a reason the sender is told (unit admin or editor)",
)
async def decline(
    submission_id: IdPath, body: DeclineIn, principal: PrincipalDep, session: SessionDep
) -> SubmissionRead:
    return service.to_read(await service.decline(session, principal, submission_id, body))


@router.post(
    "/{submission_id}/draft",
    response_model=SubmissionRead,
    summary="Make a draft post from a submission, prefilled per platform (unit admin or editor)",
    description="A short X text with the link, an Instagram caption with the photos, credits "
    "and hashtags, a longer Facebook text. The submission records the post (`post_id`), and "
    "`GET /submissions?post_id=` finds the submission from the post.",
)
async def make_draft(
    submission_id: IdPath, body: DraftIn, principal: PrincipalDep, session: SessionDep
) -> SubmissionRead:
    return service.to_read(await service.make_draft(session, principal, submission_id, body))

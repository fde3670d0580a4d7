"""The workflow steps of a post: thin routes over ``posts.workflow``."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks

from gaung.auth.deps import PrincipalDep, SessionDep, SettingsDep
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import IdPath
from gaung.posts import service, workflow
from gaung.posts.schemas import (
    ApproveIn,
    PostRead,
    RejectIn,
    RescheduleIn,
    ScheduleIn,
    SubmitIn,
)
from gaung.worker.scheduler import wake_dispatch

router = APIRouter(prefix="/posts", tags=["posts"], responses=ERROR_RESPONSES)


@router.post("/{post_id}/submit", response_model=PostRead, summary="Submit a draft for review")
async def submit(
    post_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    body: SubmitIn | None = None,
) -> PostRead:
    comment = body.comment if body is not None else None
    post = await workflow.submit(session, principal, post_id, comment)
    return await service.read(session, post, settings)


@router.post(
    "/{post_id}/approve",
    response_model=PostRead,
    summary="Approve a post in review (editor or admin; not its author under four-eyes)",
    description="When the unit has a checklist, `checklist` must hold every item of it "
    "(422 `checklist_incomplete` on `checklist` otherwise); the ticked items are stored.",
)
async def approve(
    post_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    body: ApproveIn | None = None,
) -> PostRead:
    body = body or ApproveIn()
    post = await workflow.approve(session, principal, post_id, body.checklist, body.comment)
    return await service.read(session, post, settings)


@router.post(
    "/{post_id}/reject",
    response_model=PostRead,
    summary="Send a post in review back to draft, with a comment for its author",
)
async def reject(
    post_id: IdPath,
    body: RejectIn,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
) -> PostRead:
    post = await workflow.reject(session, principal, post_id, body.comment)
    return await service.read(session, post, settings)


@router.post(
    "/{post_id}/schedule",
    response_model=PostRead,
    summary="Schedule an approved post (a draft, when the unit needs no approval)",
)
async def schedule(
    post_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    body: ScheduleIn | None = None,
) -> PostRead:
    at = body.at if body is not None else None
    return await service.read(
        session, await workflow.schedule(session, principal, post_id, at), settings
    )


@router.post("/{post_id}/publish-now", response_model=PostRead, summary="Publish at once")
async def publish_now(
    post_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> PostRead:
    post = await workflow.publish_now(session, principal, post_id)
    # After the response, so after the commit: a dispatch woken earlier would not see it.
    background.add_task(wake_dispatch)
    return await service.read(session, post, settings)


@router.post(
    "/{post_id}/cancel",
    response_model=PostRead,
    summary="Take a scheduled post off the schedule before it goes out",
)
async def cancel(
    post_id: IdPath, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> PostRead:
    post = await workflow.cancel(session, principal, post_id)
    return await service.read(session, post, settings)


@router.post(
    "/{post_id}/variants/{variant_id}/retry",
    response_model=PostRead,
    summary="Publish a failed variant again",
)
async def retry(
    post_id: IdPath,
    variant_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> PostRead:
    post = await workflow.retry(session, principal, post_id, variant_id)
    background.add_task(wake_dispatch)
    return await service.read(session, post, settings)


@router.post(
    "/{post_id}/variants/{variant_id}/reschedule",
    response_model=PostRead,
    summary="Move one variant to another time (the calendar's drag)",
    description="A variant that is publishing, published or unconfirmed cannot move (409 "
    "`post_state`). An approved or scheduled variant keeps its status at the new time, unless "
    "the unit needs an approval the mover could not give (no approve permission, or four-eyes "
    "and they wrote it): then it goes back to review. The post's planned time becomes its "
    "variants' earliest.",
)
async def reschedule(
    post_id: IdPath,
    variant_id: IdPath,
    body: RescheduleIn,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> PostRead:
    post = await workflow.reschedule(session, principal, post_id, variant_id, body.at)
    # A variant moved to a sooner time than the dispatcher waits for must wake it.
    background.add_task(wake_dispatch)
    return await service.read(session, post, settings)

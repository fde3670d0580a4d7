from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Query, Request, Response

from gaung.accounts.connectors import http_client
from gaung.auth.deps import PrincipalDep, SessionDep, SettingsDep
from gaung.inbox import service
from gaung.inbox.models import ConversationStatus
from gaung.inbox.schemas import (
    AnswerIn,
    AssignIn,
    ConversationList,
    ConversationRead,
    ExpertsIn,
    ExtendIn,
    InboxSettingsIn,
    InboxSettingsRead,
    LaporIn,
    PracticeIn,
    PrivacyIn,
    PrivacyList,
    PrivacyRead,
    RequestIn,
    ResponseStats,
    RouteIn,
    RouteRead,
    SavedAnswerIn,
    SavedAnswerList,
    SavedAnswerRead,
    StatusIn,
    TopicIn,
    TopicList,
    TopicPatch,
)
from gaung.kit.errors import ERROR_RESPONSES
from gaung.kit.schemas import MAX_ID, IdPath, UtcDatetime
from gaung.platforms.types import Platform

router = APIRouter(tags=["inbox"], responses=ERROR_RESPONSES)


def _http(request: Request) -> httpx.AsyncClient:
    http: httpx.AsyncClient | None = getattr(request.app.state, "http", None)
    if http is None:
        http = request.app.state.http = http_client()
    return http


HttpDep = Annotated[httpx.AsyncClient, Depends(_http)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.post(
    "/inbox/route",
    response_model=RouteRead,
    summary="Suggested topics for a text, with their scores and the words that matched",
)
async def route_text(body: RouteIn, principal: PrincipalDep, session: SessionDep) -> RouteRead:
    return await service.route_text(session, principal, body)


@router.post(
    "/inbox/practice-questions",
    response_model=ConversationRead,
    status_code=201,
    summary="Pose a follower's question to a sandbox account (training, demos)",
)
async def practice_question(
    body: PracticeIn, principal: PrincipalDep, session: SessionDep
) -> ConversationRead:
    return await service.practice_question(session, principal, body)


@router.get(
    "/inbox/conversations",
    response_model=ConversationList,
    summary="Questions and comments, newest first, filtered",
)
async def list_conversations(
    principal: PrincipalDep,
    session: SessionDep,
    unit_id: OptionalId = None,
    status: Annotated[list[ConversationStatus] | None, Query(max_length=5)] = None,
    topic_id: OptionalId = None,
    platform: Platform | None = None,
    assignee_id: OptionalId = None,
    mine: bool = False,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ConversationList:
    return await service.list_conversations(
        session,
        principal,
        unit_id=unit_id,
        status=status or [],
        topic_id=topic_id,
        platform=platform,
        assignee_id=assignee_id,
        mine=mine,
        overdue=overdue,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/inbox/conversations/{conversation_id}",
    response_model=ConversationRead,
    summary="One conversation with its messages, the original post, answers and suggestions",
)
async def read_conversation(
    conversation_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> ConversationRead:
    return await service.read_conversation(session, principal, conversation_id)


@router.post(
    "/inbox/conversations/{conversation_id}/assign",
    response_model=ConversationRead,
    summary="Confirm or change the topic and the expert (admins and editors)",
    description="Moving a question to another topic teaches the router from the correction.",
)
async def assign(
    conversation_id: IdPath, body: AssignIn, principal: PrincipalDep, session: SessionDep
) -> ConversationRead:
    return await service.assign(session, principal, conversation_id, body)


@router.post(
    "/inbox/conversations/{conversation_id}/status",
    response_model=ConversationRead,
    summary="Close, mark as spam or reopen (admins and editors)",
)
async def set_status(
    conversation_id: IdPath, body: StatusIn, principal: PrincipalDep, session: SessionDep
) -> ConversationRead:
    return await service.set_status(session, principal, conversation_id, body)


@router.post(
    "/inbox/conversations/{conversation_id}/answers",
    response_model=ConversationRead,
    summary="Answer: posted as a reply, kept for an admin's approval, or recorded as answered "
    "outside Gaung",
    description="X lets an app reply only to a post that mentions or quotes the account; "
    "otherwise the answer is refused with 409 `reply_not_summoned`.",
)
async def answer(
    conversation_id: IdPath,
    body: AnswerIn,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    http: HttpDep,
) -> ConversationRead:
    return await service.answer(session, principal, conversation_id, body, settings, http)


@router.post(
    "/inbox/answers/{answer_id}/approve",
    response_model=ConversationRead,
    summary="Approve an expert's answer and post it (admins and editors)",
)
async def approve_answer(
    answer_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    http: HttpDep,
) -> ConversationRead:
    return await service.approve_answer(session, principal, answer_id, settings, http)


@router.post(
    "/inbox/conversations/{conversation_id}/request",
    response_model=ConversationRead,
    summary="Mark as a public-information request (UU KIP clock) or a complaint",
)
async def mark_request(
    conversation_id: IdPath, body: RequestIn, principal: PrincipalDep, session: SessionDep
) -> ConversationRead:
    return await service.mark_request(session, principal, conversation_id, body)


@router.post(
    "/inbox/conversations/{conversation_id}/request/extend",
    response_model=ConversationRead,
    summary="Extend a public-information request once by 7 working days, with a reason",
)
async def extend_request(
    conversation_id: IdPath, body: ExtendIn, principal: PrincipalDep, session: SessionDep
) -> ConversationRead:
    return await service.extend_request(session, principal, conversation_id, body)


@router.put(
    "/inbox/conversations/{conversation_id}/lapor",
    response_model=ConversationRead,
    summary="The SP4N-LAPOR! reference number and status of a forwarded complaint",
)
async def set_lapor(
    conversation_id: IdPath, body: LaporIn, principal: PrincipalDep, session: SessionDep
) -> ConversationRead:
    return await service.set_lapor(session, principal, conversation_id, body)


@router.get(
    "/units/{unit_id}/inbox/topics",
    response_model=TopicList,
    summary="The unit's expert topics, their keywords and experts",
)
async def list_topics(unit_id: IdPath, principal: PrincipalDep, session: SessionDep) -> TopicList:
    return await service.list_topics(session, principal, unit_id)


@router.post(
    "/units/{unit_id}/inbox/topics",
    response_model=TopicList,
    status_code=201,
    summary="Add a topic with its keywords (admins and editors)",
)
async def create_topic(
    unit_id: IdPath, body: TopicIn, principal: PrincipalDep, session: SessionDep
) -> TopicList:
    return await service.create_topic(session, principal, unit_id, body)


@router.patch(
    "/units/{unit_id}/inbox/topics/{topic_id}",
    response_model=TopicList,
    summary="Rename a topic or replace its keywords (admins and editors)",
)
async def update_topic(
    unit_id: IdPath,
    topic_id: IdPath,
    body: TopicPatch,
    principal: PrincipalDep,
    session: SessionDep,
) -> TopicList:
    return await service.update_topic(session, principal, unit_id, topic_id, body)


@router.delete(
    "/units/{unit_id}/inbox/topics/{topic_id}",
    status_code=204,
    summary="Remove a topic; its questions return to the admins (admins and editors)",
)
async def delete_topic(
    unit_id: IdPath, topic_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> Response:
    await service.delete_topic(session, principal, unit_id, topic_id)
    return Response(status_code=204)


@router.put(
    "/units/{unit_id}/inbox/topics/{topic_id}/experts",
    response_model=TopicList,
    summary="Set a topic's experts (admins and editors)",
)
async def set_experts(
    unit_id: IdPath,
    topic_id: IdPath,
    body: ExpertsIn,
    principal: PrincipalDep,
    session: SessionDep,
) -> TopicList:
    return await service.set_experts(session, principal, unit_id, topic_id, body)


@router.get(
    "/units/{unit_id}/inbox/saved-answers",
    response_model=SavedAnswerList,
    summary="Saved answers (of one topic and general ones, with topic_id)",
)
async def list_saved(
    unit_id: IdPath, principal: PrincipalDep, session: SessionDep, topic_id: OptionalId = None
) -> SavedAnswerList:
    return await service.list_saved(session, principal, unit_id, topic_id)


@router.post(
    "/units/{unit_id}/inbox/saved-answers",
    response_model=SavedAnswerRead,
    status_code=201,
    summary="Add a saved answer (admins and editors)",
)
async def add_saved(
    unit_id: IdPath, body: SavedAnswerIn, principal: PrincipalDep, session: SessionDep
) -> SavedAnswerRead:
    return await service.add_saved(session, principal, unit_id, body)


@router.put(
    "/units/{unit_id}/inbox/saved-answers/{saved_id}",
    response_model=SavedAnswerRead,
    summary="Change a saved answer (admins and editors)",
)
async def update_saved(
    unit_id: IdPath,
    saved_id: IdPath,
    body: SavedAnswerIn,
    principal: PrincipalDep,
    session: SessionDep,
) -> SavedAnswerRead:
    return await service.update_saved(session, principal, unit_id, saved_id, body)


@router.delete(
    "/units/{unit_id}/inbox/saved-answers/{saved_id}",
    status_code=204,
    summary="Delete a saved answer (admins and editors)",
)
async def delete_saved(
    unit_id: IdPath, saved_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> Response:
    await service.delete_saved(session, principal, unit_id, saved_id)
    return Response(status_code=204)


@router.get(
    "/units/{unit_id}/inbox/settings",
    response_model=InboxSettingsRead,
    summary="The unit's response-time target, answer approval policy and data retention",
)
async def read_settings(
    unit_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> InboxSettingsRead:
    return await service.read_settings(session, principal, unit_id)


@router.patch(
    "/units/{unit_id}/inbox/settings",
    response_model=InboxSettingsRead,
    summary="Change the unit's inbox settings (unit admins)",
)
async def update_settings(
    unit_id: IdPath, body: InboxSettingsIn, principal: PrincipalDep, session: SessionDep
) -> InboxSettingsRead:
    return await service.update_settings(session, principal, unit_id, body)


@router.get(
    "/units/{unit_id}/inbox/stats",
    response_model=ResponseStats,
    summary="Response times per topic and per expert",
    description="Over the conversations opened from `start` (inclusive) to `end` (exclusive), "
    "or all of them: answered, the median hours to the first answer, still open, overdue now.",
)
async def response_stats(
    unit_id: IdPath,
    principal: PrincipalDep,
    session: SessionDep,
    start: Annotated[UtcDatetime | None, Query(description="ISO 8601 with an offset.")] = None,
    end: Annotated[UtcDatetime | None, Query(description="ISO 8601 with an offset.")] = None,
) -> ResponseStats:
    return await service.response_stats(session, principal, unit_id, start, end)


@router.post(
    "/units/{unit_id}/inbox/privacy-requests",
    response_model=PrivacyRead,
    status_code=201,
    summary="Carry out a commenter's request to delete or restrict their data (admins, editors)",
)
async def privacy_request(
    unit_id: IdPath, body: PrivacyIn, principal: PrincipalDep, session: SessionDep
) -> PrivacyRead:
    return await service.privacy_request(session, principal, unit_id, body)


@router.get(
    "/units/{unit_id}/inbox/privacy-requests",
    response_model=PrivacyList,
    summary="The log of privacy requests: when asked, when done, how many messages (managers)",
)
async def list_privacy(
    unit_id: IdPath, principal: PrincipalDep, session: SessionDep
) -> PrivacyList:
    return await service.list_privacy(session, principal, unit_id)

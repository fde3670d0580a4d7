"""Connecting accounts through a network's login, and adding a Page token by hand.

The flow can be driven by any HTTP client: ``start`` keeps a pending ``AccountConnection``
and returns the network's authorize URL; the network sends the browser to the callback,
which checks the one-time state, exchanges the code at once and records the outcome; the
result (accounts, Pages to choose from, or an error with a stable code) is read by id.

X gives one account per login. Facebook Login gives the Pages the person manages, each with
its Page token and linked Instagram account: the admin chooses which to connect, and an
Instagram account is reached with its Page's token. A reconnect must sign in as the same
account; it then gets fresh tokens and is active again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gaung.accounts.connectors import endpoints
from gaung.accounts.models import (
    AccountConnection,
    AccountStatus,
    ConnectErrorCode,
    ConnectionStatus,
    Platform,
    PlatformAccount,
)
from gaung.accounts.schemas import (
    AccountRead,
    ConnectChoice,
    ConnectChoose,
    ConnectErrorRead,
    ConnectResult,
    ConnectStartBody,
    ManualAccountCreate,
)
from gaung.accounts.tokens import store_tokens
from gaung.audit.service import audit, snapshot
from gaung.auth.permissions import Perm
from gaung.auth.principal import Principal, get_in_scope
from gaung.config import Settings
from gaung.db import session_scope
from gaung.kit.crypto import decrypt, encrypt
from gaung.kit.errors import AppError, Conflict, Invalid, NotFound
from gaung.kit.time import utcnow
from gaung.platforms.facebook import connector as facebook
from gaung.platforms.facebook.connector import FacebookConnector
from gaung.platforms.instagram import connector as instagram
from gaung.platforms.instagram.connector import InstagramConnector
from gaung.platforms.meta import login
from gaung.platforms.meta.graph import JSON, Graph
from gaung.platforms.protocol import (
    AuthError,
    AuthorizeRequest,
    ConnectedAccount,
    ConnectorError,
    Context,
    PermanentError,
    TokenSet,
)
from gaung.platforms.x.connector import XConnector
from gaung.users.models import User

# Long enough to log in (with two-factor) and pick Pages; short enough that a state or a set
# of Page tokens does not linger.
TTL = timedelta(minutes=10)
# Finished or abandoned connections are kept this long (for the result page), then deleted.
KEEP = timedelta(days=1)
CALLBACK_PATH = "/api/v1/accounts/connect/callback"
# The id and the secret of a state are both ``secrets.token_urlsafe`` output.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Facebook and Instagram share one login: it asks for both networks' permissions, so every
# Page and Instagram account it offers can be used whichever button the admin pressed.
META_SCOPES = tuple(dict.fromkeys(facebook.SCOPES + instagram.SCOPES))
ACCOUNT_FIELDS = ["platform", "external_id", "handle", "display_name", "status"]

NAMES = {Platform.x: "X", Platform.facebook: "Facebook", Platform.instagram: "Instagram"}
MESSAGES: dict[ConnectErrorCode, str] = {
    ConnectErrorCode.denied: "Access was not granted on {network}; nothing was connected.",
    ConnectErrorCode.platform_error: "{network} ended the sign-in with an error: {detail}",
    ConnectErrorCode.expired: "The connection was not finished within 10 minutes; start again.",
    ConnectErrorCode.refused: (
        "{network} did not accept the sign-in (its code is valid only briefly); start again."
    ),
    ConnectErrorCode.unavailable: (
        "{network} could not be reached or gave an unreadable answer; start again in a moment."
    ),
    ConnectErrorCode.wrong_account: (
        "You signed in to {network} as another account than the one being reconnected; "
        "sign in as that account and start again."
    ),
    ConnectErrorCode.no_pages: (
        "The Facebook account you signed in with manages no Page (or did not share any with "
        "Gaung); choose the Pages when Facebook asks."
    ),
    ConnectErrorCode.no_instagram: (
        "None of the Pages you manage has an Instagram professional account linked; link it "
        "in the Page's settings, then start again."
    ),
    ConnectErrorCode.account_gone: "The account being reconnected was deleted meanwhile.",
}


def login_platform(platform: Platform) -> Platform:
    """The network whose login connects ``platform``: Instagram accounts come through Facebook."""
    return Platform.x if platform == Platform.x else Platform.facebook


def redirect_uri(settings: Settings, platform: Platform) -> str:
    """Where the network sends the browser back: register exactly this address in the app."""
    base = settings.public_base_url.rstrip("/")
    return f"{base}{CALLBACK_PATH}/{login_platform(platform).value}"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _context(settings: Settings, http: httpx.AsyncClient) -> Context:
    return Context(http=http, endpoints=endpoints(settings))


def _meta_configured(settings: Settings) -> None:
    if not settings.meta_app_id or not settings.meta_app_secret:
        raise Conflict(login.MSG_NOT_CONFIGURED[0], code="connect_not_configured")


def _seal(settings: Settings, data: dict[str, Any]) -> str:
    return encrypt(json.dumps(data), settings.encryption_keys)


def _unseal(settings: Settings, conn: AccountConnection) -> dict[str, Any]:
    if conn.secret_enc is None:
        return {}
    data: dict[str, Any] = json.loads(decrypt(conn.secret_enc, settings.encryption_keys))
    return data


def _fail(conn: AccountConnection, code: ConnectErrorCode, message: str | None = None) -> None:
    conn.status = ConnectionStatus.failed
    conn.error_code = code.value
    network = NAMES[login_platform(conn.platform)]
    conn.error_message = message or MESSAGES[code].format(network=network, detail="")
    conn.secret_enc = None  # nothing secret outlives the flow
    conn.choices = []


# --- start -----------------------------------------------------------------------------------


async def start(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    http: httpx.AsyncClient,
    body: ConnectStartBody,
) -> tuple[AccountConnection, str]:
    """A pending connection and the URL to send the admin to."""
    principal.require(body.unit_id, Perm.manage_accounts)
    if body.account_id is not None:
        account = await get_in_scope(
            session,
            PlatformAccount,
            body.account_id,
            principal,
            Perm.manage_accounts,
            what="account",
        )
        if account.unit_id != body.unit_id:
            raise Invalid(
                "The account belongs to another unit.",
                fields={"account_id": "belongs to another unit than unit_id"},
            )
        if account.platform != body.platform:
            raise Invalid(
                f"Account {account.id} is on {NAMES[account.platform]}, not "
                f"{NAMES[body.platform]}.",
                fields={"account_id": f"is a {account.platform.value} account"},
            )
        if account.sandbox:
            raise Conflict(
                "A sandbox account is simulated and is never connected to a network.",
                code="account_sandbox",
            )
    now = utcnow()
    # Old connections of any unit go when a new one starts (no job needed for so few rows),
    # and the secrets of abandoned ones at once.
    await session.execute(
        delete(AccountConnection).where(AccountConnection.expires_at < now - KEEP)
    )
    await session.execute(
        update(AccountConnection)
        .where(AccountConnection.expires_at <= now, AccountConnection.secret_enc.is_not(None))
        .values(secret_enc=None)
        .execution_options(synchronize_session=False)
    )
    conn_id = secrets.token_urlsafe(24)
    secret = secrets.token_urlsafe(32)
    state = f"{conn_id}.{secret}"
    uri = redirect_uri(settings, body.platform)
    ctx = _context(settings, http)
    sealed: dict[str, Any] = {}
    if body.platform == Platform.x:
        try:
            request = XConnector(ctx).authorize_url(uri, state)
        except PermanentError as exc:
            raise Conflict(exc.message, code="connect_not_configured") from exc
        sealed["code_verifier"] = request.code_verifier
    else:
        _meta_configured(settings)
        request = login.dialog_url(Graph(ctx), uri, state, META_SCOPES)
    conn = AccountConnection(
        id=conn_id,
        unit_id=body.unit_id,
        platform=body.platform,
        account_id=body.account_id,
        state_hash=_hash(secret),
        secret_enc=_seal(settings, sealed),
        created_by=principal.user.id,
        created_at=now,
        expires_at=now + TTL,
        status=ConnectionStatus.pending,
        choices=[],
        result_account_ids=[],
    )
    session.add(conn)
    await session.flush()
    return conn, request.url


# --- the callback ----------------------------------------------------------------------------


class StateInvalid(AppError):
    status_code = 400
    code = "connect_state_invalid"


@dataclass(frozen=True)
class _Begun:
    """What the callback took from the connection before calling the network."""

    conn_id: str
    platform: Platform
    code: str
    secret: dict[str, Any]


async def callback(
    factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    http: httpx.AsyncClient,
    platform: Platform,
    *,
    state: str | None,
    code: str | None,
    error: str | None,
    error_description: str | None,
) -> str:
    """Handle the network's answer; returns the connection's id (the outcome is stored on it).

    The state is checked and spent in one transaction, the code is exchanged outside any
    (no database lock waits on the network), and the outcome is written in a second one."""
    async with session_scope(factory) as session:
        begun = await _begin(session, settings, platform, state, code, error, error_description)
    if begun is None:
        return (state or "").partition(".")[0]
    uri = redirect_uri(settings, begun.platform)
    ctx = _context(settings, http)
    found: Sequence[ConnectedAccount] | list[JSON]
    try:
        if begun.platform == Platform.x:
            verifier = str(begun.secret.get("code_verifier") or "")
            request = AuthorizeRequest(url="", state="", code_verifier=verifier)
            found = await XConnector(ctx).exchange_callback(uri, begun.code, request)
        else:
            found = await login.managed_pages(Graph(ctx), uri, begun.code)
    except ConnectorError as exc:
        async with session_scope(factory) as session:
            conn = await session.get(AccountConnection, begun.conn_id)
            if conn is not None:
                _fail(conn, *_failure(exc, conn.platform))
        return begun.conn_id
    async with session_scope(factory) as session:
        conn = await session.get(AccountConnection, begun.conn_id)
        if conn is None:  # deleted meanwhile (its unit was)
            return begun.conn_id
        if begun.platform == Platform.x:
            accounts = [a for a in found if isinstance(a, ConnectedAccount)]
            await _finish_x(session, settings, conn, accounts)
        else:
            pages = [p for p in found if isinstance(p, dict)]
            await _offer_pages(session, settings, conn, pages)
    return begun.conn_id


async def _begin(
    session: AsyncSession,
    settings: Settings,
    platform: Platform,
    state: str | None,
    code: str | None,
    error: str | None,
    error_description: str | None,
) -> _Begun | None:
    conn_id, _, secret = (state or "").partition(".")
    well_formed = _TOKEN.fullmatch(conn_id) and _TOKEN.fullmatch(secret)
    conn = await session.get(AccountConnection, conn_id) if well_formed else None
    # The secret's hash is compared in constant time; a wrong network's callback is as wrong.
    if (
        conn is None
        or not hmac.compare_digest(conn.state_hash, _hash(secret))
        or login_platform(conn.platform) != platform
    ):
        raise StateInvalid(
            "This sign-in answer does not belong to a connection started here; start the "
            "connection again from the accounts page.",
            fields={"state": "does not match a connection"},
        )
    now = utcnow()
    # Spend the state: of two callbacks racing with it, exactly one gets here.
    spent = await session.execute(
        update(AccountConnection)
        .where(
            AccountConnection.id == conn.id,
            AccountConnection.callback_at.is_(None),
            AccountConnection.status == ConnectionStatus.pending,
        )
        .values(callback_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(spent, "rowcount", 0) != 1:
        raise Conflict(
            "This sign-in answer was already used; see the connection's result, or start again.",
            code="connect_state_used",
        )
    network = NAMES[login_platform(conn.platform)]
    if conn.expires_at <= now:
        _fail(conn, ConnectErrorCode.expired)
        return None
    if error or not code:
        if error == "access_denied":
            _fail(conn, ConnectErrorCode.denied)
        else:
            said = error_description or error or "no code was given"
            # The network's words, shown as one line of plain text.
            detail = "".join(ch if ch.isprintable() else " " for ch in said).strip()[:300]
            message = MESSAGES[ConnectErrorCode.platform_error].format(
                network=network, detail=detail
            )
            _fail(conn, ConnectErrorCode.platform_error, message)
        return None
    return _Begun(conn.id, conn.platform, code, _unseal(settings, conn))


def _failure(exc: ConnectorError, platform: Platform) -> tuple[ConnectErrorCode, str]:
    network = NAMES[login_platform(platform)]
    if isinstance(exc, PermanentError):
        if exc.code.endswith(".not_configured"):
            return ConnectErrorCode.not_configured, exc.message
        return ConnectErrorCode.rejected, exc.message
    if isinstance(exc, AuthError):
        return ConnectErrorCode.refused, MESSAGES[ConnectErrorCode.refused].format(network=network)
    return ConnectErrorCode.unavailable, MESSAGES[ConnectErrorCode.unavailable].format(
        network=network
    )


async def _creator(session: AsyncSession, conn: AccountConnection) -> Principal | None:
    """Who started the connection: the callback acts (and is audited) on their behalf."""
    user = await session.get(User, conn.created_by) if conn.created_by else None
    return Principal(user=user) if user is not None else None


async def _save_account(
    session: AsyncSession,
    settings: Settings,
    actor: Principal | None,
    unit_id: int,
    platform: Platform,
    found: ConnectedAccount,
    account: PlatformAccount | None = None,
) -> PlatformAccount:
    """Create the account, or give the existing one (``account``, else the unit's account
    with the same id on the network) its new tokens and make it active again."""
    if account is None:
        account = await session.scalar(
            select(PlatformAccount).where(
                PlatformAccount.unit_id == unit_id,
                PlatformAccount.platform == platform,
                PlatformAccount.external_id == found.external_id,
                PlatformAccount.sandbox.is_(False),
            )
        )
    before = None if account is None else snapshot(account, ACCOUNT_FIELDS)
    if account is None:
        account = PlatformAccount(
            unit_id=unit_id,
            platform=platform,
            sandbox=False,
            external_id=found.external_id,
            display_name=found.display_name[:200],
        )
        session.add(account)
    account.handle = found.handle[:100]
    if found.avatar_url:
        account.avatar_url = found.avatar_url[:1000]
    tokens = found.tokens
    store_tokens(
        account,
        settings,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_at=tokens.expires_at,
    )
    account.status = AccountStatus.active
    account.last_error = None
    account.last_error_at = None
    await session.flush()
    if actor is not None:
        audit(
            session,
            actor,
            action="connect" if before is None else "reconnect",
            object_type="account",
            object_id=account.id,
            unit_id=account.unit_id,
            before=before,
            after=snapshot(account, ACCOUNT_FIELDS),
        )
    return account


async def _target(session: AsyncSession, conn: AccountConnection) -> PlatformAccount | None:
    """The account a reconnect is for (None when it is a new connection)."""
    if conn.account_id is None:
        return None
    return await session.get(PlatformAccount, conn.account_id)


async def _finish_x(
    session: AsyncSession,
    settings: Settings,
    conn: AccountConnection,
    accounts: Sequence[ConnectedAccount],
) -> None:
    if not accounts:
        _fail(conn, ConnectErrorCode.unavailable)
        return
    found = accounts[0]
    target = await _target(session, conn)
    if conn.account_id is not None:
        if target is None:
            _fail(conn, ConnectErrorCode.account_gone)
            return
        if target.external_id != found.external_id:
            _fail(conn, ConnectErrorCode.wrong_account)
            return
    # The tokens (with X's single-use refresh token) are stored in this transaction, before
    # anything uses them.
    actor = await _creator(session, conn)
    account = await _save_account(session, settings, actor, conn.unit_id, Platform.x, found, target)
    _done(conn, [account])


def _done(conn: AccountConnection, accounts: Sequence[PlatformAccount]) -> None:
    conn.status = ConnectionStatus.done
    conn.result_account_ids = [a.id for a in accounts]
    conn.secret_enc = None
    conn.choices = []
    conn.error_code = conn.error_message = None


@dataclass(frozen=True)
class _Offer:
    """One Page or Instagram account the login gave, with the token that reaches it."""

    platform: Platform
    external_id: str
    name: str
    handle: str
    token: str
    linked_to: str | None = None

    def connected(self) -> ConnectedAccount:
        return ConnectedAccount(self.external_id, self.handle, self.name, TokenSet(self.token))


def _offers(pages: Sequence[JSON]) -> list[_Offer]:
    offers: list[_Offer] = []
    for page in pages:
        page_id, token = str(page["id"]), str(page["access_token"])
        name = str(page.get("name") or page_id)
        offers.append(_Offer(Platform.facebook, page_id, name, name, token))
        linked = page.get("instagram_business_account")
        if isinstance(linked, dict) and linked.get("id"):
            ig_id = str(linked["id"])
            username = str(linked.get("username") or ig_id)
            ig_name = str(linked.get("name") or username)
            offers.append(_Offer(Platform.instagram, ig_id, ig_name, username, token, page_id))
    return offers


def _offers_of(secret: dict[str, Any]) -> list[_Offer]:
    return [
        _Offer(
            platform=Platform(o["platform"]),
            external_id=o["external_id"],
            name=o["name"],
            handle=o["handle"],
            token=o["token"],
            linked_to=o.get("linked_to"),
        )
        for o in secret.get("offers", [])
    ]


async def _offer_pages(
    session: AsyncSession, settings: Settings, conn: AccountConnection, pages: Sequence[JSON]
) -> None:
    offers = _offers(pages)
    if conn.account_id is not None:
        target = await _target(session, conn)
        if target is None:
            _fail(conn, ConnectErrorCode.account_gone)
            return
        match = [
            o
            for o in offers
            if (o.platform, o.external_id) == (target.platform, target.external_id)
        ]
        if not match:
            _fail(conn, ConnectErrorCode.wrong_account)
            return
        actor = await _creator(session, conn)
        found = match[0].connected()
        account = await _save_account(
            session, settings, actor, conn.unit_id, target.platform, found, target
        )
        _done(conn, [account])
        return
    if not offers:
        _fail(conn, ConnectErrorCode.no_pages)
        return
    if conn.platform == Platform.instagram and not any(
        o.platform == Platform.instagram for o in offers
    ):
        _fail(conn, ConnectErrorCode.no_instagram)
        return
    existing = {
        (a.platform, a.external_id): a.id
        for a in await session.scalars(
            select(PlatformAccount).where(
                PlatformAccount.unit_id == conn.unit_id, PlatformAccount.sandbox.is_(False)
            )
        )
    }
    conn.choices = [
        {
            "external_id": o.external_id,
            "platform": o.platform.value,
            "name": o.name,
            "handle": o.handle,
            "picture_url": None,
            "linked_to": o.linked_to,
            "connected_account_id": existing.get((o.platform, o.external_id)),
        }
        for o in offers
    ]
    # The Page tokens wait, encrypted, for the admin's choice; the clock restarts for it.
    conn.secret_enc = _seal(
        settings,
        {
            "offers": [
                {
                    "platform": o.platform.value,
                    "external_id": o.external_id,
                    "name": o.name,
                    "handle": o.handle,
                    "token": o.token,
                    "linked_to": o.linked_to,
                }
                for o in offers
            ]
        },
    )
    conn.status = ConnectionStatus.choose
    conn.expires_at = utcnow() + TTL


# --- reading and choosing --------------------------------------------------------------------


async def get_connection(
    session: AsyncSession, principal: Principal, conn_id: str
) -> AccountConnection:
    conn = await session.get(AccountConnection, conn_id)
    if conn is None or conn.unit_id not in principal.roles:
        raise NotFound(f"Connection {conn_id} not found.", code="connection_not_found")
    principal.require(conn.unit_id, Perm.manage_accounts, "connection")
    return conn


def expired(conn: AccountConnection, now: datetime | None = None) -> bool:
    """A flow left unfinished past its time (shown as failed, without writing on a read)."""
    open_ = conn.status in (ConnectionStatus.pending, ConnectionStatus.choose)
    return open_ and conn.expires_at <= (now or utcnow())


async def result(session: AsyncSession, conn: AccountConnection) -> ConnectResult:
    """The connection as the web app reads it; an unfinished one past its time is failed."""
    accounts = await _result_accounts(session, conn)
    status, code, message = conn.status, conn.error_code, conn.error_message
    if expired(conn):
        status, code = ConnectionStatus.failed, ConnectErrorCode.expired.value
        message = MESSAGES[ConnectErrorCode.expired]
    choices = conn.choices if status == ConnectionStatus.choose else []
    error = ConnectErrorRead(code=ConnectErrorCode(code), message=message or "") if code else None
    return ConnectResult(
        id=conn.id,
        unit_id=conn.unit_id,
        platform=conn.platform,
        status=status,
        error=error,
        accounts=[AccountRead.model_validate(a) for a in accounts],
        choices=[ConnectChoice.model_validate(c) for c in choices],
    )


async def _result_accounts(session: AsyncSession, conn: AccountConnection) -> list[PlatformAccount]:
    if not conn.result_account_ids:
        return []
    rows = await session.scalars(
        select(PlatformAccount)
        .where(
            PlatformAccount.id.in_(conn.result_account_ids),
            PlatformAccount.unit_id == conn.unit_id,
        )
        .order_by(PlatformAccount.id)
    )
    return list(rows)


async def choose(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    conn_id: str,
    body: ConnectChoose,
) -> AccountConnection:
    conn = await get_connection(session, principal, conn_id)
    if expired(conn):  # read as failed; its Page tokens go when the next connection starts
        raise Conflict(MESSAGES[ConnectErrorCode.expired], code="connect_expired")
    if conn.status != ConnectionStatus.choose:
        raise Conflict(
            f"This connection has nothing to choose (it is {conn.status.value}).",
            code="connect_not_choosing",
        )
    offers = _offers_of(_unseal(settings, conn))
    by_id = {o.external_id: o for o in offers}
    unknown = [e for e in body.external_ids if e not in by_id]
    if unknown:
        raise Invalid(
            "Choose among the Pages and Instagram accounts this login offered.",
            fields={"external_ids": f"not offered by this login: {', '.join(unknown[:5])}"},
        )
    wanted = set(body.external_ids)
    accounts = [
        await _save_account(session, settings, principal, conn.unit_id, o.platform, o.connected())
        for o in offers
        if o.external_id in wanted
    ]
    _done(conn, accounts)
    await session.flush()
    return conn


# --- a Page token by hand --------------------------------------------------------------------


class PlatformUnavailable(AppError):
    status_code = 503
    code = "platform_unavailable"


async def add_manual(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    http: httpx.AsyncClient,
    body: ManualAccountCreate,
) -> list[PlatformAccount]:
    """A pasted Page token, checked against Facebook (that it is valid and a Page's, and for
    Instagram which account the Page links) before anything is saved."""
    principal.require(body.unit_id, Perm.manage_accounts)
    _meta_configured(settings)
    platform = Platform(body.platform)
    ctx = _context(settings, http)
    try:
        page = await FacebookConnector(ctx).check_token(body.access_token)
        if body.page_id is not None and page.external_id != body.page_id:
            raise Invalid(
                f"The token belongs to Page {page.external_id}, not {body.page_id}.",
                code="token_other_page",
                fields={"page_id": f"the token belongs to Page {page.external_id}"},
            )
        found = page
        if platform == Platform.instagram:
            found = await InstagramConnector(ctx).linked_account(
                page.external_id, body.access_token
            )
    except AuthError as exc:
        raise Invalid(
            exc.message, code="token_invalid", fields={"access_token": exc.message}
        ) from exc
    except PermanentError as exc:
        code = {
            "facebook.not_page_token": "token_not_page",
            "instagram.no_linked_account": "no_instagram",
        }.get(exc.code, "token_refused")
        raise Invalid(exc.message, code=code, fields={"access_token": exc.message}) from exc
    except ConnectorError as exc:
        raise PlatformUnavailable(exc.message) from exc
    account = await _save_account(session, settings, principal, body.unit_id, platform, found)
    return [account]

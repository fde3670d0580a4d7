"""The settings reach connectors as plain endpoints, so any network can be pointed elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gaung.accounts.connectors import bind, endpoints, http_client
from gaung.accounts.health import mark_needs_reauth
from gaung.accounts.models import AccountStatus
from gaung.accounts.tokens import store_tokens
from gaung.audit.models import AuditEvent
from gaung.auth.principal import SystemActor
from gaung.config import Settings
from gaung.notifications.models import Notification, NotificationKind
from gaung.platforms.sandbox.connector import SandboxConnector
from gaung.platforms.types import Platform
from gaung.platforms.x.connector import XConnector
from gaung.users.models import Role
from tests.conftest import World


def test_every_host_comes_from_the_settings(tmp_path: Path) -> None:
    settings = Settings(
        env="test",
        data_dir=tmp_path,
        x_api_base_url="http://127.0.0.1:9001/",
        graph_api_base_url="http://127.0.0.1:9002",
        graph_video_base_url="http://127.0.0.1:9003",
        graph_rupload_base_url="http://127.0.0.1:9004",
        instagram_api_base_url="http://127.0.0.1:9005",
        graph_api_version="v26.0",
        x_client_id="klien",
        x_client_secret="sangat-rahasia",
        meta_app_secret="juga-rahasia",
    )
    found = endpoints(settings)
    assert found.x_api_base_url == "http://127.0.0.1:9001"  # no doubled slash in paths
    assert found.graph_api_base_url == "http://127.0.0.1:9002"
    assert found.graph_video_base_url == "http://127.0.0.1:9003"
    assert found.graph_rupload_base_url == "http://127.0.0.1:9004"
    assert found.instagram_api_base_url == "http://127.0.0.1:9005"
    assert found.facebook_dialog_url == "https://www.facebook.com/v26.0/dialog/oauth"
    assert found.x_client_id == "klien"
    assert found.x_client_secret == "sangat-rahasia"
    # Secrets never reach a log line through repr.
    assert "rahasia" not in repr(found)


def test_the_x_post_fields_parameter_is_a_checked_setting(tmp_path: Path) -> None:
    assert endpoints(Settings(env="test", data_dir=tmp_path)).x_post_fields_param == "tweet.fields"
    renamed = Settings(env="test", data_dir=tmp_path, x_post_fields_param="post.fields")
    assert endpoints(renamed).x_post_fields_param == "post.fields"
    with pytest.raises(ValidationError, match="x_post_fields_param"):
        Settings(env="test", data_dir=tmp_path, x_post_fields_param="fields")


async def test_bind_gives_a_sandbox_account_the_sandbox_and_a_real_one_its_tokens(
    world: World, settings: Settings
) -> None:
    unit = await world.unit()
    sandbox = await world.account(unit, Platform.instagram)
    real = await world.account(unit, Platform.x)
    real.sandbox = False
    async with http_client() as http:
        bound = bind(sandbox, session=world.session, settings=settings, http=http)
        assert bound is not None
        assert isinstance(bound.connector, SandboxConnector)
        assert bound.credentials.external_id == sandbox.external_id
        # A real account never connected cannot be called at all.
        assert bind(real, session=world.session, settings=settings, http=http) is None
        store_tokens(real, settings, access_token="akses", refresh_token="segar")
        bound = bind(real, session=world.session, settings=settings, http=http)
        assert bound is not None
        assert isinstance(bound.connector, XConnector)
        assert bound.credentials.access_token == "akses"
        assert bound.credentials.refresh_token == "segar"


async def test_losing_access_holds_the_account_and_tells_its_admins_once(
    world: World, session: AsyncSession
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    await world.user(unit, Role.editor)
    account = await world.account(unit, Platform.facebook)

    first = await mark_needs_reauth(session, SystemActor("refresh"), account, "Token dicabut.")
    again = await mark_needs_reauth(session, SystemActor("dispatch"), account, "Masih dicabut.")
    await session.flush()

    assert (first, again) == (True, False)
    assert account.status == AccountStatus.needs_reauth
    assert account.last_error == "Masih dicabut." and account.last_error_at is not None
    notes = (await session.scalars(select(Notification))).all()
    assert [(n.user_id, n.kind, n.params["reason"]) for n in notes] == [
        (admin.id, NotificationKind.account_needs_reauth, "Token dicabut.")
    ]
    events = (await session.scalars(select(AuditEvent))).all()
    assert [(e.action, e.system_job) for e in events] == [("needs_reauth", "refresh")]

"""Error bodies name each field's rule as a code (and the numbers it needs), so the web app
translates every message instead of showing the server's English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from gaung.accounts.models import Platform
from gaung.kit.errors import AppError, FieldRule, Invalid, rule_of
from gaung.users.models import Role
from tests.conftest import World
from tests.helpers import error_of


def test_an_app_error_takes_its_code_as_the_rule_when_it_is_one() -> None:
    err = AppError("x", code="email_taken", fields={"email": "already registered"})
    assert err.body()["rules"] == {"email": "email_taken"}


def test_an_app_error_with_a_code_that_is_no_rule_is_generic() -> None:
    err = Invalid("x", code="something_new", fields={"a": "bad"})
    assert err.body()["rules"] == {"a": "invalid"}
    assert rule_of("no_such_rule") is FieldRule.invalid


def test_a_given_rule_wins_and_limits_are_passed_on() -> None:
    err = Invalid(
        "x", fields={"t": "required"}, rules={"t": "missing"}, limits={"t": {"max_length": 3}}
    )
    body = err.body()
    assert body["rules"] == {"t": "missing"}
    assert body["limits"] == {"t": {"max_length": 3}}


async def test_pydantic_errors_give_their_type_and_limit(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    account = await world.account(unit, Platform.facebook)
    res = await client.post(
        "/api/v1/posts",
        json={
            "unit_id": unit.id,
            "title": "x" * 201,
            "variants": [],
            "bogus": 1,
        },
        headers=world.headers(admin),
    )
    assert res.status_code == 422, res.text
    body = error_of(res)
    assert body["rules"]["title"] == "string_too_long"
    assert body["limits"]["title"] == {"max_length": 200}
    assert body["rules"]["variants"] == "too_short"
    assert body["limits"]["variants"]["min_length"] == 1
    assert body["rules"]["bogus"] == "extra_forbidden"
    assert account.id  # the unit has an account: the refusal is about the body alone


async def test_the_app_own_text_checks_have_their_own_rules(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    account = await world.account(unit, Platform.facebook)
    res = await client.post(
        "/api/v1/posts",
        json={
            "unit_id": unit.id,
            "title": "a\u202eb",
            "variants": [{"account_id": account.id, "text": "halo"}],
        },
        headers=world.headers(admin),
    )
    assert res.status_code == 422, res.text
    assert error_of(res)["rules"] == {"title": "text_control"}


async def test_a_missing_field_and_unreadable_json(client: httpx.AsyncClient, world: World) -> None:
    unit = await world.unit()
    admin = await world.user(unit, Role.admin)
    headers = {**world.headers(admin), "content-type": "application/json"}
    res = await client.post("/api/v1/posts", json={"unit_id": unit.id}, headers=headers)
    assert error_of(res)["rules"]["title"] == "missing"
    res = await client.post("/api/v1/posts", content=b"{", headers=headers)
    assert error_of(res)["rules"] == {"body": "json_invalid"}


async def test_a_blackout_period_names_which_time_rule_it_breaks(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    editor = await world.user(unit, Role.editor)
    start = datetime.now(UTC) + timedelta(days=1)
    cases = [
        (start - timedelta(hours=1), "ends_before_start", None),
        (start + timedelta(days=400), "period_too_long", {"max_days": 366}),
    ]
    for end, rule, limits in cases:
        res = await client.post(
            f"/api/v1/units/{unit.id}/blackouts",
            json={
                "kind": "mourning",
                "label": "Hari berkabung",
                "starts_at": start.isoformat(),
                "ends_at": end.isoformat(),
            },
            headers=world.headers(editor),
        )
        body = error_of(res)
        assert body["rules"] == {"ends_at": rule}, body
        if limits:
            assert body["limits"] == {"ends_at": limits}

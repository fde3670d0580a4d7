"""Every operation of the OpenAPI document, fed generated requests: never a 5xx, and every
answer is one the document describes (status code and body schema).

A bounded number of examples per operation with a fixed seed, so a run is repeatable and quick.
The requests go through the app in-process on a loop of their own, so this module uses its own
engine on the session's database, commits like production, and empties the tables afterwards."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import delete
from sqlalchemy.pool import NullPool

from gaung.accounts.models import Platform, PlatformAccount
from gaung.auth.models import AuthSession
from gaung.auth.tokens import create_access_token, new_session_id
from gaung.config import Settings
from gaung.db import create_engine, make_sessionmaker
from gaung.main import create_app
from gaung.models import Base
from gaung.units.models import Unit
from gaung.users.models import Membership, Role, User
from tests.conftest import password_hash
from tests.helpers import image_bytes

MAX_EXAMPLES = 25  # per operation, valid requests
NEGATIVE_EXAMPLES = 10  # per operation, requests the document says are invalid
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

T = TypeVar("T")


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on a loop of its own: this module's tests are sync and the test session's
    loop is not ours to use."""
    out: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            out.append(asyncio.run(make()))
        except BaseException as exc:  # handed to the caller
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return out[0]


@dataclass
class Seeded:
    unit: int
    admin: int
    member: int
    accounts: list[int]
    other_unit: int
    other_admin: int
    sid: str  # the admin's login session
    other_sid: str


async def seed(url: str) -> Seeded:
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with make_sessionmaker(engine)() as s:
            unit = Unit(name="Biro Humas", slug="st-humas")
            other = Unit(name="Unit Lain", slug="st-lain")
            s.add_all([unit, other])
            await s.flush()
            people = [
                User(email=f"st{n}@example.go.id", name=f"Orang {n}", password_hash=password_hash())
                for n in range(3)
            ]
            s.add_all(people)
            await s.flush()
            admin, member, other_admin = people
            s.add_all(
                [
                    Membership(user_id=admin.id, unit_id=unit.id, role=Role.admin),
                    Membership(user_id=member.id, unit_id=unit.id, role=Role.viewer),
                    Membership(user_id=other_admin.id, unit_id=other.id, role=Role.admin),
                    AuthSession(id=(sid := new_session_id()), user_id=admin.id),
                    AuthSession(id=(other_sid := new_session_id()), user_id=other_admin.id),
                ]
            )
            accounts = [
                PlatformAccount(
                    unit_id=unit.id,
                    platform=platform,
                    sandbox=True,
                    external_id=f"st-{platform.value}",
                    handle=f"@st_{platform.value}",
                    display_name=platform.value,
                )
                for platform in Platform
            ]
            s.add_all(accounts)
            await s.commit()
            return Seeded(
                unit.id,
                admin.id,
                member.id,
                [a.id for a in accounts],
                other.id,
                other_admin.id,
                sid,
                other_sid,
            )
    finally:
        await engine.dispose()


async def empty_tables(url: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                await conn.execute(delete(table))
    finally:
        await engine.dispose()


@dataclass
class Api:
    schema: schemathesis.BaseSchema
    headers: dict[str, str]
    ids: dict[str, int]  # real ids for path parameters, so requests reach past the 404


@pytest.fixture(scope="module")
def api(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    settings = Settings(
        env="test",
        data_dir=folder / "data",
        public_base_url="https://gaung.example.go.id",
        spa_dir=folder / "no-spa",
        database_url=database_url,
    )
    # The app's lifespan opens its engine on the loop that serves the requests, and closes it.
    app = create_app(settings)
    try:
        seeded = run_async(lambda: seed(database_url))
        headers = {
            "Authorization": f"Bearer {create_access_token(seeded.admin, seeded.sid, settings)}",
        }
        with asgi.get_client(app) as client:
            account = seeded.accounts[0]
            media = client.post(
                "/api/v1/media",
                data={"unit_id": str(seeded.unit)},
                files={"file": ("foto.jpg", image_bytes(320, 320), "image/jpeg")},
                headers=headers,
            )
            assert media.status_code == 201, media.text
            post = client.post(
                "/api/v1/posts",
                json={
                    "unit_id": seeded.unit,
                    "title": "Siaran pers",
                    "variants": [
                        {"account_id": account, "text": "halo", "media_ids": [media.json()["id"]]}
                    ],
                },
                headers=headers,
            )
            assert post.status_code == 201, post.text
            # Another unit's admin invites ours, so accepting and declining have something to do.
            token = create_access_token(seeded.other_admin, seeded.other_sid, settings)
            other = {"Authorization": f"Bearer {token}"}
            invited = client.post(
                f"/api/v1/units/{seeded.other_unit}/members",
                json={"email": "st0@example.go.id", "role": "viewer", "name": "X"}
                | {"password": "kata-sandi-awal-123"},
                headers=other,
            )
            assert invited.status_code == 202, invited.text
            [invite] = client.get("/api/v1/me/invitations", headers=headers).json()["items"]
        yield Api(
            schema=schemathesis.openapi.from_asgi("/api/v1/openapi.json", app),
            headers=headers,
            ids={
                "unit_id": seeded.unit,
                "user_id": seeded.member,
                "account_id": account,
                "post_id": post.json()["id"],
                "variant_id": post.json()["variants"][0]["id"],
                "media_id": media.json()["id"],
                "invite_id": invite["id"],
            },
        )
    finally:
        asgi.shutdown_lifespans()
        run_async(lambda: empty_tables(database_url))


def exercise(api: Api, operation: schemathesis.APIOperation) -> tuple[int, list[str]]:
    """Run one operation's examples; returns (requests sent, failures)."""
    sent = 0
    failures: list[str] = []
    for mode, examples in (
        (schemathesis.GenerationMode.POSITIVE, MAX_EXAMPLES),
        (schemathesis.GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
    ):
        fixed = {k: v for k, v in api.ids.items() if "{" + k + "}" in operation.path}
        strategy = operation.as_strategy(
            generation_mode=mode,
            path_parameters=fixed if mode == schemathesis.GenerationMode.POSITIVE else None,
            headers=api.headers,
        )

        @hypothesis.settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded time
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=strategy)
        def run(case: schemathesis.Case) -> None:
            nonlocal sent
            sent += 1
            response = case.call(headers=api.headers)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except hypothesis.errors.Unsatisfiable:
            # Nothing to make invalid: the operation takes no parameters and no body.
            assert mode == schemathesis.GenerationMode.NEGATIVE, operation.label
        except (Exception, BaseExceptionGroup) as exc:  # one run reports every operation
            failures.append(f"{operation.label} ({mode.value}): {exc}")
    return sent, failures


def test_every_operation_answers_as_documented(api: Api) -> None:
    failures: list[str] = []
    sent = 0
    started = time.perf_counter()
    operations = [result.ok() for result in api.schema.get_all_operations()]
    # Logging out ends the session every other request uses: last.
    operations.sort(key=lambda op: op.path == "/api/v1/auth/logout")
    assert len(operations) >= 30, [op.label for op in operations]
    for operation in operations:
        n, found = exercise(api, operation)
        sent += n
        failures += found
    elapsed = time.perf_counter() - started
    print(f"\nschemathesis: {len(operations)} operations, {sent} requests, {elapsed:.1f} s")
    assert not failures, "\n\n".join(failures)

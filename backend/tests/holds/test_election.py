"""Election quiet period: political terms are warned about in the writing check and the post
validation report only while a quiet period applies to the unit, and never block or cost points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from gaung.holds.models import BlackoutKind, BlackoutPeriod
from gaung.units.models import Unit
from gaung.users.models import Role
from gaung.writing.engine import UnitStyle, check, political_terms
from gaung.writing.models import UnitWritingSettings
from gaung.writing.rulebook import rulebook
from tests.conftest import World

API = "/api/v1"
CAMPAIGN = "Ayo coblos nomor urut 2 di TPS! #Pemilu2029"


def terms(text: str, style: UnitStyle | None = None) -> list[str]:
    return [text[f.start : f.end] for f in political_terms(text, style)]


# --- the terms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CAMPAIGN, ["coblos", "nomor urut", "#Pemilu2029"]),
        ("Dukung calon wali kota kita, #CoblosDiTPS.", ["calon wali kota", "#CoblosDiTPS"]),
        (
            "Vote for Budi: the best candidate in this election.",
            ["Vote for", "candidate", "election"],
        ),
        ("Hasil hitung cepat: partai A unggul.", ["hitung cepat", "partai"]),
        ("KAMPANYE damai, jangan golput.", ["KAMPANYE", "golput"]),
    ],
)
def test_political_terms_found(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Layanan KTP tetap buka. Pilihan menu tersedia di aplikasi.",  # "pilih" inside a word
        "Pemilihan duta wisata dibuka besok.",
        "Calon peserta pelatihan mendaftar di kantor.",  # "calon" alone is not a candidate
        "Nomor antrean dibagikan pukul 08.00.",
        "Hujan deras, warga diimbau waspada.",
    ],
)
def test_everyday_words_are_not_political(text: str) -> None:
    assert terms(text) == []


def test_a_phrase_does_not_cross_a_sentence() -> None:
    assert terms("Silakan pilih. Nomor antrean dibagikan.") == []
    assert terms("Pilih nomor 2!") == ["Pilih nomor"]


def test_ignored_words_are_honoured() -> None:
    assert terms("Kampanye imunisasi campak.", UnitStyle.of(ignored=["kampanye"])) == []


def test_only_in_the_quiet_period_and_never_costing_points() -> None:
    plain = check(CAMPAIGN, "x")
    quiet = check(CAMPAIGN, "x", election=True)
    assert "political_content" not in {f.rule for f in plain.findings}
    political = [f for f in quiet.findings if f.rule == "political_content"]
    assert [f.excerpt for f in political] == ["coblos", "nomor urut", "#Pemilu2029"]
    assert quiet.score == plain.score and quiet.reasons == plain.reasons
    assert political[0].message["id"] == "Konten politik di masa tenang"
    assert "“coblos”" in political[0].why["id"] and "“coblos”" in political[0].why["en"]


def test_the_rules_example_is_true() -> None:
    rule = rulebook().election.rule
    assert terms(rule.example["stiff"]) and not terms(rule.example["plain"])


# --- over HTTP --------------------------------------------------------------------------------


async def quiet(
    world: World,
    unit: Unit | None,
    start: datetime,
    end: datetime,
    kind: BlackoutKind = BlackoutKind.election_quiet,
) -> BlackoutPeriod:
    row = BlackoutPeriod(
        unit_id=unit.id if unit else None,
        kind=kind,
        label="Masa tenang Pilkada",
        starts_at=start,
        ends_at=end,
    )
    world.session.add(row)
    await world.session.flush()
    return row


def now() -> datetime:
    return datetime.now(UTC)


async def writing_check(client: httpx.AsyncClient, world: World, unit: Unit) -> Any:
    user = await world.user(unit, Role.viewer)
    res = await client.post(
        f"{API}/writing/check",
        json={"unit_id": unit.id, "platform": "x", "text": CAMPAIGN},
        headers=world.headers(user),
    )
    assert res.status_code == 200, res.text
    return res.json()


def political(body: Any) -> list[str]:
    return [f["excerpt"] for f in body["findings"] if f["rule"] == "political_content"]


async def test_writing_check_warns_only_during_a_quiet_period(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    before = await writing_check(client, world, unit)
    assert political(before) == [] and before["quiet_period"] is None
    # Expired, upcoming and mourning periods change nothing.
    await quiet(world, unit, now() - timedelta(days=3), now() - timedelta(days=1))
    await quiet(world, unit, now() + timedelta(days=1), now() + timedelta(days=3))
    await quiet(
        world, unit, now() - timedelta(hours=1), now() + timedelta(hours=1), BlackoutKind.mourning
    )
    assert political(await writing_check(client, world, unit)) == []
    period = await quiet(world, unit, now() - timedelta(hours=1), now() + timedelta(days=2))
    during = await writing_check(client, world, unit)
    assert political(during) == ["coblos", "nomor urut", "#Pemilu2029"]
    assert during["quiet_period"]["id"] == period.id
    assert during["score"] == before["score"]  # a warning, not a writing fault
    other = await world.unit()  # another unit's quiet period is not this one's
    assert political(await writing_check(client, world, other)) == []


async def test_an_agency_wide_quiet_period_applies_to_every_unit(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    await quiet(world, None, now() - timedelta(hours=1), now() + timedelta(hours=1))
    assert political(await writing_check(client, world, unit)) != []


async def test_the_election_rule_is_listed(client: httpx.AsyncClient, world: World) -> None:
    res = await client.get(f"{API}/writing/rules", headers=world.headers(await world.user()))
    [rule] = [r for r in res.json()["items"] if r["code"] == "political_content"]
    assert rule["category"] == "election" and rule["weight"] == 0


async def validate(
    client: httpx.AsyncClient, world: World, unit: Unit, **extra: Any
) -> tuple[Any, int]:
    user = await world.user(unit, Role.editor)
    account = await world.account(unit)
    body = {
        "unit_id": unit.id,
        "variants": [{"account_id": account.id, "text": CAMPAIGN}],
        **extra,
    }
    res = await client.post(f"{API}/posts/validate", json=body, headers=world.headers(user))
    assert res.status_code == 200, res.text
    created = await client.post(
        f"{API}/posts", json={**body, "title": "Ajakan"}, headers=world.headers(user)
    )
    return res.json(), created.status_code


async def test_post_validation_warns_during_a_quiet_period_without_blocking(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    report, _ = await validate(client, world, unit)
    assert report["warnings"] == [] and report["valid"] is True
    await quiet(world, unit, now() - timedelta(hours=1), now() + timedelta(days=1))
    report, created = await validate(client, world, unit)
    assert report["valid"] is True and report["problems"] == []
    [warning] = report["warnings"]
    assert warning["rule"] == "political_content" and warning["field"] == "variants.0.text"
    assert warning["params"]["terms"] == ["coblos", "nomor urut", "#Pemilu2029"]
    assert warning["params"]["period"] == "Masa tenang Pilkada"
    assert "Election quiet period" in warning["message"]
    assert created == 201  # a warning never stops saving


async def test_post_validation_warns_when_planned_into_a_quiet_period(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    start = now() + timedelta(days=5)
    await quiet(world, unit, start, start + timedelta(days=3))
    inside, _ = await validate(
        client, world, unit, planned_at=(start + timedelta(hours=2)).isoformat()
    )
    assert [w["rule"] for w in inside["warnings"]] == ["political_content"]
    after, _ = await validate(
        client, world, unit, planned_at=(start + timedelta(days=4)).isoformat()
    )
    assert after["warnings"] == []


async def test_post_validation_keeps_the_units_ignored_words(
    client: httpx.AsyncClient, world: World
) -> None:
    unit = await world.unit()
    world.session.add(UnitWritingSettings(unit_id=unit.id, ignored_words=["coblos", "nomor"]))
    await quiet(world, unit, now() - timedelta(hours=1), now() + timedelta(days=1))
    report, _ = await validate(client, world, unit)
    [warning] = report["warnings"]
    assert warning["params"]["terms"] == ["#Pemilu2029"]

"""The writing check over HTTP: findings and score, the unit's settings applied, the rule list,
settings read by members and written by admins, bad input answered in the one error shape."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gaung.units.models import Unit
from gaung.users.models import Role, User
from tests.conftest import World
from tests.helpers import audit_events, error_of


async def setup(world: World, role: Role = Role.admin) -> tuple[Unit, User]:
    unit = await world.unit()
    return unit, await world.user(unit, role)


async def check(
    client: httpx.AsyncClient, world: World, user: User, body: dict[str, Any]
) -> httpx.Response:
    return await client.post("/api/v1/writing/check", json=body, headers=world.headers(user))


async def test_check_returns_findings_score_and_reasons(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, user = await setup(world, Role.viewer)
    text = "  Dalam rangka HUT, tim TMC melakukan pemeriksaan pompa 🌧️."
    res = await check(
        client,
        world,
        user,
        {"unit_id": unit.id, "platform": "instagram", "text": text, "alt_texts": ["foto"]},
    )
    assert res.status_code == 200, res.text
    body = res.json()
    rules = [(f["rule"], f["target"]) for f in body["findings"]]
    assert rules == [
        ("bureaucratic_phrase", "text"),
        ("unexplained_acronym", "text"),
        ("melakukan_noun", "text"),
        ("no_call_to_action", "text"),
        ("alt_text_generic", "alt_texts.0"),
    ]
    first = body["findings"][0]
    # Spans index the text as sent (leading spaces kept), in code points.
    assert text[first["start"] : first["end"]] == "Dalam rangka"
    assert first["replacement"] == "Untuk"
    assert set(first["message"]) == set(first["why"]) == set(first["suggestion"]) == {"id", "en"}
    assert body["score"] == 100 - sum(r["points"] for r in body["reasons"])
    assert body["platform"] == "instagram" and body["emoji"] == 1


async def test_the_units_settings_apply(client: httpx.AsyncClient, world: World) -> None:
    unit, admin = await setup(world)
    other, other_admin = await setup(world)
    put = await client.put(
        f"/api/v1/units/{unit.id}/writing-settings",
        json={
            "glossary": [{"term": "tmc", "meaning": "Teknologi Modifikasi Cuaca"}],
            "disabled_rules": ["melakukan_noun"],
            "thresholds": {"sentence_words": 10},
            "ignored_words": ["rangka"],
        },
        headers=world.headers(admin),
    )
    assert put.status_code == 200, put.text
    assert put.json()["glossary"] == [{"term": "TMC", "meaning": "Teknologi Modifikasi Cuaca"}]
    text = "Dalam rangka HUT, tim TMC melakukan pemeriksaan pompa di dua belas titik rawan."
    body = {"platform": "facebook", "text": text}
    mine = await check(client, world, admin, body | {"unit_id": unit.id})
    theirs = await check(client, world, other_admin, body | {"unit_id": other.id})
    assert {f["rule"] for f in mine.json()["findings"]} == {"long_sentences"}
    assert {f["rule"] for f in theirs.json()["findings"]} == {
        "bureaucratic_phrase",
        "unexplained_acronym",
        "melakukan_noun",
    }


async def test_settings_read_defaults_then_written_and_audited(
    client: httpx.AsyncClient, world: World
) -> None:
    unit, admin = await setup(world)
    viewer = await world.user(unit, Role.viewer)
    url = f"/api/v1/units/{unit.id}/writing-settings"
    res = await client.get(url, headers=world.headers(viewer))
    assert res.json() == {
        "unit_id": unit.id,
        "glossary": [],
        "disabled_rules": [],
        "thresholds": {},
        "ignored_words": [],
        "updated_at": None,
    }
    put = await client.put(
        url, json={"ignored_words": ["Guna", "guna"]}, headers=world.headers(admin)
    )
    # Matching ignores case, so one spelling is kept.
    assert put.status_code == 200 and put.json()["ignored_words"] == ["Guna"]
    again = await client.get(url, headers=world.headers(viewer))
    assert again.json()["ignored_words"] == ["Guna"] and again.json()["updated_at"]
    events = await audit_events(world.session, "writing_settings")
    assert [e.action for e in events] == ["update"]
    # PUT replaces: what is left out goes back to the default.
    cleared = await client.put(url, json={}, headers=world.headers(admin))
    assert cleared.json()["ignored_words"] == []


async def test_only_a_unit_admin_writes_settings(client: httpx.AsyncClient, world: World) -> None:
    unit, editor = await setup(world, Role.editor)
    res = await client.put(
        f"/api/v1/units/{unit.id}/writing-settings", json={}, headers=world.headers(editor)
    )
    assert res.status_code == 403 and error_of(res)["error"] == "insufficient_role"


async def test_rules_are_listed_with_explanations(client: httpx.AsyncClient, world: World) -> None:
    user = await world.user()  # in no unit: the rules hold no unit's data
    res = await client.get("/api/v1/writing/rules", headers=world.headers(user))
    assert res.status_code == 200
    body = res.json()
    by_code = {r["code"]: r for r in body["items"]}
    assert {"redundant_phrase", "bureaucratic_phrase", "no_call_to_action"} <= set(by_code)
    assert by_code["no_call_to_action"]["platforms"] == ["instagram"]
    assert {"match": "agar supaya", "replace": "agar"} in by_code["redundant_phrase"]["phrases"]
    assert by_code["redundant_phrase"]["example"]["plain"]
    assert {t["key"] for t in body["thresholds"]} >= {"sentence_words", "hashtags_x"}
    assert (await client.get("/api/v1/writing/rules")).status_code == 401


BAD_CHECKS: list[tuple[dict[str, Any], str]] = [
    ({"platform": "instagram", "text": "a" * 2201}, "text"),
    ({"platform": "facebook", "text": "a" * 63_207}, "text"),
    ({"platform": "x", "text": "a" * 70_001}, "text"),
    ({"platform": "tiktok", "text": "halo"}, "platform"),
    ({"platform": "x", "text": "halo", "alt_texts": ["a" * 1001]}, "alt_texts"),
    ({"platform": "x", "text": "halo", "alt_texts": ["a"] * 21}, "alt_texts"),
    ({"platform": "x", "text": "ha\x00lo"}, "text"),
    ({"platform": "x", "text": 5}, "text"),
    ({"platform": "x", "text": "halo", "bahasa": "id"}, "bahasa"),
]


@pytest.mark.parametrize(("body", "field"), BAD_CHECKS)
async def test_bad_checks_name_the_field(
    client: httpx.AsyncClient, world: World, body: dict[str, Any], field: str
) -> None:
    unit, user = await setup(world)
    res = await check(client, world, user, {"unit_id": unit.id} | body)
    assert res.status_code == 422, res.text
    assert list(error_of(res)["fields"]) == [field]


async def test_the_platforms_maximum_is_accepted(client: httpx.AsyncClient, world: World) -> None:
    unit, user = await setup(world)
    for platform, n in (("instagram", 2200), ("facebook", 63_206)):
        res = await check(
            client,
            world,
            user,
            {"unit_id": unit.id, "platform": platform, "text": "Ya. " * (n // 4)},
        )
        assert res.status_code == 200, res.text


BAD_SETTINGS: list[tuple[dict[str, Any], str, str]] = [
    ({"disabled_rules": ["no_such_rule"]}, "disabled_rules", "unknown rule"),
    ({"thresholds": {"sentence_words": 40}}, "thresholds", "stricter"),
    ({"thresholds": {"sentence_words": 2}}, "thresholds", "between 8 and 20"),
    ({"thresholds": {"sentence_words": 12.5}}, "thresholds", "whole number"),
    ({"thresholds": {"speed": 1}}, "thresholds", "unknown threshold"),
    ({"thresholds": {"sentence_words": True}}, "thresholds.sentence_words", "number"),
    ({"glossary": [{"term": "BPPT"}, {"term": "bppt"}]}, "glossary", "twice"),
    ({"glossary": [{"term": "B P"}]}, "glossary.0.term", "one word"),
    ({"glossary": [{"term": f"A{i}"} for i in range(501)]}, "glossary", "500"),
    ({"ignored_words": ["dua kata"]}, "ignored_words", "one word"),
    ({"ignored_words": ["\u202eguna"]}, "ignored_words.0", "bidirectional"),
    ({"glosary": []}, "glosary", "not permitted"),
]


@pytest.mark.parametrize(("body", "field", "words"), BAD_SETTINGS)
async def test_bad_settings_name_the_field_and_rule(
    client: httpx.AsyncClient, world: World, body: dict[str, Any], field: str, words: str
) -> None:
    unit, admin = await setup(world)
    res = await client.put(
        f"/api/v1/units/{unit.id}/writing-settings", json=body, headers=world.headers(admin)
    )
    assert res.status_code == 422, res.text
    fields = error_of(res)["fields"]
    assert list(fields) == [field] and words in fields[field], fields

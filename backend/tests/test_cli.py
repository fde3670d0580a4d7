"""The `gaung` command: migrate, seed the demo once, create the instance administrator."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaung import cli
from gaung.cli import app
from gaung.config import Settings, get_settings
from tests.conftest import password_hash


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # The command reads settings from the environment; this test uses its own SQLite file.
    monkeypatch.setenv("GAUNG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GAUNG_SPA_DIR", str(tmp_path / "no-spa"))
    for name in ("GAUNG_DATABASE_URL", "GAUNG_ENV", "GAUNG_SECRET_KEY", "GAUNG_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_migrate_seed_and_create_admin(data_dir: Path) -> None:
    runner = CliRunner()
    migrated = runner.invoke(app, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    assert (data_dir / "gaung.sqlite3").is_file()

    first = runner.invoke(app, ["seed-demo"])
    assert first.exit_code == 0 and "demo data created" in first.output
    again = runner.invoke(app, ["seed-demo"])
    assert again.exit_code == 0 and "already present" in again.output

    args = ["create-admin", "--email", "Root@Example.go.id", "--name", "Root"]
    created = runner.invoke(app, [*args, "--password", "a-long-password"])
    assert created.exit_code == 0, created.output
    duplicate = runner.invoke(app, [*args, "--password", "a-long-password"])
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    short = runner.invoke(app, [*args, "--password", "short"])
    assert short.exit_code == 2


def test_openapi_command_prints_the_document(data_dir: Path) -> None:
    result = CliRunner().invoke(app, ["openapi"])
    assert result.exit_code == 0
    assert '"/api/v1/posts/validate"' in result.output


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Settings, str, int]]:
    """What `gaung run`/`gaung api` would serve, captured instead of starting a server."""
    calls: list[tuple[Settings, str, int]] = []
    monkeypatch.setattr(cli, "_serve", lambda s, host, port: calls.append((s, host, port)))
    return calls


def test_run_listens_on_this_machine_with_its_own_key(
    data_dir: Path, served: list[tuple[Settings, str, int]]
) -> None:
    first = CliRunner().invoke(app, ["run"])
    assert first.exit_code == 0, first.output
    settings, host, port = served[0]
    assert (host, port) == ("127.0.0.1", 8000)
    assert settings.embedded
    assert settings.secret_key == (data_dir / "secret.key").read_text().strip()
    assert stat.S_IMODE((data_dir / "secret.key").stat().st_mode) == 0o600
    assert "Demo login: admin@ptpsw.example.go.id / gaung-demo-2026" in first.output
    assert "reachable from the network" not in first.output
    # A restart on the same data: no new demo data, the password is checked and still the demo's.
    restart = CliRunner().invoke(app, ["run"])
    assert "demo data created" not in restart.output
    assert "Demo login: admin@ptpsw.example.go.id / gaung-demo-2026" in restart.output

    # Once the demo admin's password is changed, the demo login is no longer printed.
    with sqlite3.connect(data_dir / "gaung.sqlite3") as db:
        db.execute(
            "UPDATE user_account SET password_hash = ? WHERE email = ?",
            (password_hash(), "admin@ptpsw.example.go.id"),
        )
    again = CliRunner().invoke(app, ["run", "--host", "0.0.0.0"])
    assert again.exit_code == 0, again.output
    assert served[2][0].secret_key == settings.secret_key  # reused across restarts
    assert served[2][1] == "0.0.0.0" and "reachable from the network" in again.output
    assert "Demo login" not in again.output


@pytest.mark.parametrize("command", ["run", "api"])
def test_the_test_env_is_never_served(
    command: str,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    served: list[tuple[Settings, str, int]],
) -> None:
    monkeypatch.setenv("GAUNG_ENV", "test")
    result = CliRunner().invoke(app, [command])
    assert result.exit_code == 2
    assert "GAUNG_ENV=test is for the test suite only" in result.output
    assert served == []


def test_api_in_production_says_which_settings_are_missing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, served: list[tuple[Settings, str, int]]
) -> None:
    monkeypatch.setenv("GAUNG_ENV", "production")
    for name in ("GAUNG_SECRET_KEY", "GAUNG_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, ["api"])
    assert result.exit_code == 2
    for name in ("GAUNG_SECRET_KEY", "GAUNG_ENCRYPTION_KEYS", "GAUNG_DATABASE_URL"):
        assert name in result.output
    assert served == []
    assert not (data_dir / "secret.key").exists()

"""The `gaung` command: migrate, seed the demo once, create the instance administrator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaung.cli import app
from gaung.config import get_settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # The command reads settings from the environment; this test uses its own SQLite file.
    monkeypatch.setenv("GAUNG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("GAUNG_DATABASE_URL", raising=False)
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

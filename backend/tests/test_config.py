from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from gaung.config import Settings


def test_production_refuses_default_secrets() -> None:
    with pytest.raises(ValidationError) as err:
        Settings(env="production", database_url="postgresql+psycopg://db/gaung")
    message = str(err.value)
    assert "GAUNG_SECRET_KEY" in message and "GAUNG_ENCRYPTION_KEYS" in message


def test_production_needs_a_database_url() -> None:
    with pytest.raises(ValidationError, match="GAUNG_DATABASE_URL"):
        Settings(
            env="production",
            secret_key="x" * 40,
            encryption_keys=Fernet.generate_key().decode(),
        )


def test_production_starts_with_own_secrets() -> None:
    s = Settings(
        env="production",
        secret_key="x" * 40,
        encryption_keys=Fernet.generate_key().decode(),
        database_url="postgresql+psycopg://db/gaung",
    )
    assert s.effective_database_url == "postgresql+psycopg://db/gaung"


def test_settings_come_from_gaung_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAUNG_PUBLIC_BASE_URL", "https://humas.example.go.id/")
    monkeypatch.setenv("GAUNG_ACCESS_TOKEN_MINUTES", "5")
    s = Settings()
    assert s.media_base_url == "https://humas.example.go.id/media"
    assert s.access_token_minutes == 5


def test_embedded_default_is_sqlite_under_the_data_dir(tmp_path: object) -> None:
    s = Settings(data_dir=tmp_path)  # type: ignore[arg-type]
    assert s.effective_database_url == f"sqlite+aiosqlite:///{tmp_path}/gaung.sqlite3"

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gaung.config import (
    ENCRYPTION_KEY_FILE,
    LEGACY_ENCRYPTION_KEY,
    LEGACY_SECRET_KEY,
    SECRET_KEY_FILE,
    Settings,
)
from gaung.kit.crypto import decrypt, encrypt
from gaung.main import create_app
from tests.conftest import World
from tests.helpers import error_of


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


def test_production_names_what_to_set() -> None:
    with pytest.raises(ValidationError) as err:
        Settings(env="production")
    message = str(err.value)
    for name in ("GAUNG_SECRET_KEY", "GAUNG_ENCRYPTION_KEYS", "GAUNG_DATABASE_URL"):
        assert f"set {name} to" in message or f"; {name} to" in message


def test_production_refuses_the_old_public_encryption_key() -> None:
    with pytest.raises(ValidationError, match="GAUNG_ENCRYPTION_KEYS"):
        Settings(
            env="production",
            secret_key="x" * 40,
            encryption_keys=f"{Fernet.generate_key().decode()},{LEGACY_ENCRYPTION_KEY}",
            database_url="postgresql+psycopg://db/gaung",
        )


@pytest.mark.parametrize("env", ["development", "production", "test"])
def test_the_old_public_secret_key_is_refused_everywhere(env: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="public key"):
        Settings(env=env, data_dir=tmp_path, secret_key=LEGACY_SECRET_KEY)  # type: ignore[arg-type]


def test_development_creates_private_keys_once_and_reuses_them(tmp_path: Path) -> None:
    data = tmp_path / "var"
    first = Settings(data_dir=data).with_secrets()
    secret_file, key_file = data / SECRET_KEY_FILE, data / ENCRYPTION_KEY_FILE
    for path in (secret_file, key_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.secret_key == secret_file.read_text().strip()
    assert len(first.secret_key) >= 32 and first.secret_key != LEGACY_SECRET_KEY
    own_key = key_file.read_text().strip()
    assert first.encryption_keys == f"{own_key},{LEGACY_ENCRYPTION_KEY}"

    restarted = Settings(data_dir=data).with_secrets()
    assert restarted.secret_key == first.secret_key
    assert restarted.encryption_keys == first.encryption_keys
    # Another data folder, another instance: other keys.
    other = Settings(data_dir=tmp_path / "other").with_secrets()
    assert other.secret_key != first.secret_key


def test_keys_that_are_set_are_kept_and_no_file_is_made(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    s = Settings(data_dir=tmp_path, secret_key="s" * 40, encryption_keys=key).with_secrets()
    assert (s.secret_key, s.encryption_keys) == ("s" * 40, key)
    assert list(tmp_path.iterdir()) == []


def test_processes_starting_together_share_one_key(tmp_path: Path) -> None:
    barrier = threading.Barrier(8)

    def start() -> str:
        barrier.wait()
        return Settings(data_dir=tmp_path).with_secrets().secret_key

    with ThreadPoolExecutor(8) as pool:
        keys = list(pool.map(lambda _: start(), range(8)))
    assert len(set(keys)) == 1


def test_a_key_file_made_readable_by_others_is_made_private_again(tmp_path: Path) -> None:
    key = Settings(data_dir=tmp_path).with_secrets().secret_key
    path = tmp_path / SECRET_KEY_FILE
    path.chmod(0o644)
    assert Settings(data_dir=tmp_path).with_secrets().secret_key == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_unusable_key_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ENCRYPTION_KEY_FILE).write_text("not a fernet key\n")
    with pytest.raises(ValueError, match=r"encryption\.key: not a usable key"):
        Settings(data_dir=tmp_path).with_secrets()


def test_old_tokens_still_decrypt_but_new_ones_use_the_own_key(tmp_path: Path) -> None:
    keys = Settings(data_dir=tmp_path).with_secrets().encryption_keys
    stored_before = encrypt("old platform token", LEGACY_ENCRYPTION_KEY)
    assert decrypt(stored_before, keys) == "old platform token"
    fresh = encrypt("new platform token", keys)
    own = (tmp_path / ENCRYPTION_KEY_FILE).read_text().strip()
    assert decrypt(fresh, own) == "new platform token"
    with pytest.raises(ValueError):
        decrypt(fresh, LEGACY_ENCRYPTION_KEY)


def test_the_test_env_has_random_keys_not_known_ones() -> None:
    s = Settings(env="test")
    assert len(s.secret_key) >= 32 and s.secret_key != LEGACY_SECRET_KEY
    assert LEGACY_ENCRYPTION_KEY not in s.encryption_keys
    assert Fernet(s.encryption_keys.encode())


async def test_a_token_signed_with_the_old_public_key_is_refused(
    tmp_path: Path,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    world: World,
) -> None:
    root = await world.user(superuser=True)
    sid = await world.login_session(root)
    await world.commit()
    # What `gaung run` serves with: development, embedded, no key set.
    app = create_app(Settings(data_dir=tmp_path, embedded=True, spa_dir=tmp_path / "no-spa"))
    app.state.engine, app.state.sessionmaker = engine, sessionmaker
    now = datetime.now(UTC)
    claims = {
        "sub": str(root.id),
        "sid": sid,
        "typ": "access",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    forged = jwt.encode(claims, LEGACY_SECRET_KEY, algorithm="HS256")
    own = jwt.encode(claims, app.state.settings.secret_key, algorithm="HS256")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        refused = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
        assert refused.status_code == 401
        assert error_of(refused)["error"] == "invalid_token"
        # The same claims signed with the instance's own key do get in.
        accepted = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {own}"})
        assert accepted.status_code == 200

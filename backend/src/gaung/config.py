"""All settings in one place, read from the environment with the prefix ``GAUNG_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Defaults that make the embedded mode work out of the box. Production refuses them.
DEFAULT_SECRET_KEY = "gaung-dev-secret-key-change-me-0123456789"
DEFAULT_ENCRYPTION_KEYS = "Z2F1bmctZGV2LWVuY3J5cHRpb24ta2V5LWNoYW5nZSE="

REPO_ROOT = Path(__file__).resolve().parents[3]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GAUNG_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Field(
        default=REPO_ROOT / "var",
        description="Where the embedded database and uploaded media live.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means the embedded SQLite file under data_dir.",
    )
    secret_key: str = Field(default=DEFAULT_SECRET_KEY, description="Signs access tokens.")
    encryption_keys: str = Field(
        default=DEFAULT_ENCRYPTION_KEYS,
        description="Comma-separated Fernet keys for platform tokens; the first encrypts, "
        "all decrypt (rotation).",
    )
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    public_base_url: str = Field(
        default="http://localhost:8000",
        description="Public address of this instance; media URLs are built from it.",
    )
    media_dir: Path | None = Field(
        default=None, description="Where uploads are stored; default data_dir/media."
    )
    max_upload_mb: int = Field(default=512, ge=1, description="Largest accepted upload.")
    max_image_pixels: int = Field(
        default=8192 * 8192,
        ge=1,
        le=178_956_970,  # beyond this Pillow itself refuses to open an image
        description="Largest image accepted, in pixels (width × height), checked before decoding.",
    )
    spa_dir: Path = Field(
        default=REPO_ROOT / "frontend" / "dist", description="Built single-page app to serve."
    )
    embedded: bool = Field(
        default=False, description="Set by `gaung run`: shows the demo login on the login page."
    )
    demo_admin_email: str = "admin@ptpsw.example.go.id"
    demo_admin_password: str = "gaung-demo-2026"
    cors_origins: str = Field(default="", description="Comma-separated extra allowed origins.")

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if self.env == "production":
            weak = []
            if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32:
                weak.append("GAUNG_SECRET_KEY")
            if DEFAULT_ENCRYPTION_KEYS in self.encryption_keys.split(","):
                weak.append("GAUNG_ENCRYPTION_KEYS")
            if not self.database_url:
                weak.append("GAUNG_DATABASE_URL")
            if weak:
                raise ValueError(
                    "production refuses to start with default or missing settings: "
                    + ", ".join(weak)
                )
        return self

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'gaung.sqlite3'}"

    @property
    def effective_media_dir(self) -> Path:
        return self.media_dir or self.data_dir / "media"

    @property
    def media_base_url(self) -> str:
        return self.public_base_url.rstrip("/") + "/media"


@lru_cache
def get_settings() -> Settings:
    return Settings()

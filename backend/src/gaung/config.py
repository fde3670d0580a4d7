"""All settings in one place, read from the environment with the prefix ``GAUNG_``."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from gaung.kit.net import IPNetwork, parse_networks

# Keys that earlier versions used by default: they are public, so nothing may sign or encrypt
# with them. The old encryption key stays a decrypt-only fallback in development, so platform
# tokens that an existing `var/` holds still read (see `with_secrets`).
LEGACY_SECRET_KEY = "gaung-dev-secret-key-change-me-0123456789"
LEGACY_ENCRYPTION_KEY = "Z2F1bmctZGV2LWVuY3J5cHRpb24ta2V5LWNoYW5nZSE="

# The test suite's keys: random per process, so no token made elsewhere is ever accepted.
_TEST_SECRET_KEY = secrets.token_urlsafe(48)
_TEST_ENCRYPTION_KEY = Fernet.generate_key().decode()

SECRET_KEY_FILE = "secret.key"
ENCRYPTION_KEY_FILE = "encryption.key"

REPO_ROOT = Path(__file__).resolve().parents[3]

_HOW_TO_SET = {
    "GAUNG_SECRET_KEY": "at least 32 random characters, e.g. "
    '`python3 -c "import secrets; print(secrets.token_urlsafe(48))"`',
    "GAUNG_ENCRYPTION_KEYS": "a Fernet key, e.g. "
    '`python3 -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`',
    "GAUNG_DATABASE_URL": "the PostgreSQL URL, e.g. "
    "`postgresql+psycopg://gaung:<password>@db:5432/gaung`",
}


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
    secret_key: str = Field(
        default="",
        description="Signs access tokens; empty in development means a random key kept in "
        "data_dir/secret.key.",
    )
    encryption_keys: str = Field(
        default="",
        description="Comma-separated Fernet keys for platform tokens; the first encrypts, "
        "all decrypt (rotation). Empty in development means data_dir/encryption.key.",
    )
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    refresh_grace_seconds: int = Field(
        default=30,
        ge=0,
        le=300,
        description="A refresh token used again this soon (parallel tabs) gets a new pair "
        "instead of ending the session.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For "
        "is believed; empty: the direct peer is the client.",
    )
    login_account_max_failures: int = Field(
        default=5, ge=1, description="Failed logins for one email before it is locked."
    )
    login_address_max_failures: int = Field(
        default=20, ge=1, description="Failed logins from one address before it is locked."
    )
    login_failure_window_seconds: int = Field(
        default=900, ge=1, description="Failures older than this are forgotten."
    )
    login_lock_seconds: int = Field(
        default=30, ge=1, description="First lock; it doubles with each further failure."
    )
    login_lock_max_seconds: int = Field(
        default=900, ge=1, description="Longest lock, so nobody is locked out for good."
    )
    public_base_url: str = Field(
        default="http://localhost:8000",
        description="Public address of this instance; media URLs are built from it.",
    )
    media_dir: Path | None = Field(
        default=None, description="Where uploads are stored; default data_dir/media."
    )
    max_upload_mb: int = Field(default=512, ge=1, description="Largest accepted upload.")
    max_body_kb: int = Field(
        default=1024, ge=1, description="Largest request body of every route but the upload."
    )
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
    sqlite_busy_timeout_s: float = Field(
        default=30.0,
        ge=0,
        le=3600,
        description="How long a SQLite writer waits for another one to finish before failing.",
    )

    # The publishing pipeline (docs/architecture.md, "Publishing").
    run_jobs: bool | None = Field(
        default=None,
        description="Run the scheduled jobs (publishing, reconciling) inside the api process; "
        "unset: only in the embedded mode.",
    )
    dispatch_interval_s: float = Field(
        default=5.0, gt=0, le=3600, description="How often due posts are looked for."
    )
    reconcile_interval_s: float = Field(
        default=60.0, gt=0, le=86400, description="How often unconfirmed posts are looked up."
    )
    publish_batch_size: int = Field(
        default=200, ge=1, le=1000, description="Most variants one claim takes at once."
    )
    publish_concurrency: int = Field(
        default=200, ge=1, le=500, description="Most platform calls one worker makes at once."
    )
    publish_max_attempts: int = Field(
        default=5, ge=1, le=100, description="Attempts before a variant that keeps failing fails."
    )
    publish_lease_s: int = Field(
        default=600,
        ge=30,
        le=86400,
        description="How long a claim lasts; an unfinished one is then unconfirmed.",
    )
    publish_backoff_s: float = Field(
        default=30.0, gt=0, le=86400, description="Wait before the first retry (it doubles)."
    )
    publish_backoff_max_s: float = Field(
        default=3600.0, gt=0, le=7 * 86400, description="Longest wait between retries."
    )
    reconcile_after_s: int = Field(
        default=300,
        ge=0,
        le=7 * 86400,
        description="How long after an unanswered attempt a post not found is sent again.",
    )

    # Metrics polling (docs/architecture.md, "Metrics").
    metrics_account_interval_s: int = Field(
        default=3600, ge=300, le=7 * 86400, description="How often each account's figures are read."
    )
    metrics_poll_interval_s: float = Field(
        default=60.0, gt=0, le=3600, description="How often due metrics readings are looked for."
    )
    metrics_posts_per_run: int = Field(
        default=2000, ge=1, le=100_000, description="Most post readings one poll makes."
    )
    metrics_backfill_days: int = Field(
        default=30, ge=0, le=365, description="How far back a new account's posts are imported."
    )

    @property
    def jobs_in_process(self) -> bool:
        """Whether the api process runs the jobs itself (never in the test suite unless asked)."""
        if self.run_jobs is not None:
            return self.run_jobs
        return self.embedded and self.env != "test"

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_proxies(cls, value: str) -> str:
        parse_networks(value)
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        return parse_networks(self.trusted_proxies)

    # The networks' hosts and this instance's app credentials (see docs/operations.md). Every
    # base URL is a setting so tests and harnesses can point a network at a fake server.
    x_api_base_url: str = Field(default="https://api.x.com", description="X API v2 host.")
    x_authorize_url: str = Field(
        default="https://x.com/i/oauth2/authorize", description="X's OAuth 2.0 consent page."
    )
    x_client_id: str = Field(default="", description="OAuth 2.0 client id of the X app.")
    x_client_secret: str = Field(default="", description="Its client secret (confidential app).")
    # Spec 2.167 renamed `tweet.fields` to `post.fields`; whether the live API takes both is
    # unknown, so the name is a setting (the documented one by default).
    x_post_fields_param: str = Field(
        default="tweet.fields",
        pattern=r"^(tweet|post)\.fields$",
        description="Query parameter naming the post fields X returns.",
    )
    x_app_owner_id: str = Field(
        default="",
        pattern=r"^[0-9]*$",
        description="X user id owning the X app (its own reads are billed cheaper).",
    )
    x_spend_read_pause_fraction: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="Share of a unit's monthly X cap at which optional reads pause.",
    )
    graph_api_base_url: str = Field(
        default="https://graph.facebook.com", description="Meta Graph API host."
    )
    graph_video_base_url: str = Field(
        default="https://graph-video.facebook.com", description="Graph host for Page videos."
    )
    graph_rupload_base_url: str = Field(
        default="https://rupload.facebook.com", description="Meta's resumable-upload host."
    )
    graph_api_version: str = Field(
        default="v25.0",
        pattern=r"^v\d{1,3}\.0$",
        description="Graph API version in every Meta path (available until 2028-07-29).",
    )
    facebook_dialog_url: str = Field(
        default="", description="Facebook Login dialog; empty: facebook.com/<version>/dialog/oauth."
    )
    instagram_api_base_url: str = Field(
        default="https://graph.instagram.com", description="Instagram Login API host."
    )
    meta_app_id: str = Field(default="", description="Meta app id (Facebook Login).")
    meta_app_secret: str = Field(default="", description="Meta app secret.")
    meta_webhook_verify_token: str = Field(
        default="", description="Token Meta echoes when subscribing the inbox webhook."
    )
    inbox_poll_interval_s: float = Field(
        default=300.0, gt=0, le=86400, description="How often the inbox reads every account."
    )
    inbox_reminder_interval_s: float = Field(
        default=900.0, gt=0, le=86400, description="How often overdue questions are reminded."
    )
    token_refresh_ahead_s: int = Field(
        default=3600,
        ge=60,
        le=7 * 24 * 3600,
        description="The token job refreshes access tokens expiring within this many seconds.",
    )

    # Email copies of notifications; nothing is sent while smtp_host is empty.
    smtp_host: str = Field(default="", description="SMTP server; empty: no email is sent.")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port.")
    smtp_username: str = Field(default="", description="SMTP login; empty: no login.")
    smtp_password: str = Field(default="", description="SMTP password.")
    smtp_starttls: bool = Field(default=True, description="Upgrade the connection with STARTTLS.")
    smtp_timeout_s: float = Field(default=20.0, gt=0, le=300, description="SMTP timeout.")
    mail_from: str = Field(default="", description="Sender address of notification emails.")
    # Integrations: API keys, outgoing webhooks.
    api_key_rate_per_minute: int = Field(
        default=120, ge=1, le=100_000, description="Requests a minute one API key may make."
    )
    webhook_allow_private: bool = Field(
        default=False,
        description="Let webhooks reach loopback, private and link-local addresses.",
    )
    webhook_interval_s: float = Field(
        default=10.0, gt=0, le=3600, description="How often the worker delivers webhooks."
    )
    webhook_timeout_s: float = Field(
        default=10.0, gt=0, le=120, description="How long one webhook request may take."
    )
    webhook_give_up_hours: float = Field(
        default=24.0, gt=0, le=720, description="How long a webhook delivery is retried."
    )
    webhook_pause_after_days: float = Field(
        default=3.0, gt=0, le=365, description="A subscription failing this long is paused."
    )

    @model_validator(mode="after")
    def _refuse_known_secrets(self) -> Settings:
        if self.secret_key == LEGACY_SECRET_KEY:
            raise ValueError(
                "GAUNG_SECRET_KEY is the public key of earlier versions; set your own "
                f"({_HOW_TO_SET['GAUNG_SECRET_KEY']}) or leave it empty outside production"
            )
        if self.env == "production":
            weak = []
            if len(self.secret_key) < 32:
                weak.append("GAUNG_SECRET_KEY")
            keys = [k.strip() for k in self.encryption_keys.split(",") if k.strip()]
            if not keys or LEGACY_ENCRYPTION_KEY in keys:
                weak.append("GAUNG_ENCRYPTION_KEYS")
            if not self.database_url:
                weak.append("GAUNG_DATABASE_URL")
            if weak:
                raise ValueError(
                    "production refuses to start without its own settings; set "
                    + "; ".join(f"{name} to {_HOW_TO_SET[name]}" for name in weak)
                )
        if self.env == "test":
            # The suite builds Settings(env="test") without keys; never a known constant.
            self.secret_key = self.secret_key or _TEST_SECRET_KEY
            self.encryption_keys = self.encryption_keys or _TEST_ENCRYPTION_KEY
        return self

    def with_secrets(self) -> Settings:
        """These settings with their keys resolved: what is set is kept; in development a
        missing key is created at random on first start under data_dir and reused after."""
        if self.secret_key and self.encryption_keys:
            return self
        if self.env != "development":  # production refuses above; test fills its own
            raise ValueError("GAUNG_SECRET_KEY and GAUNG_ENCRYPTION_KEYS must be set")
        update: dict[str, object] = {}
        if not self.secret_key:
            update["secret_key"] = _key_file(
                self.data_dir / SECRET_KEY_FILE, lambda: secrets.token_urlsafe(48), _check_secret
            )
        if not self.encryption_keys:
            own = _key_file(
                self.data_dir / ENCRYPTION_KEY_FILE,
                lambda: Fernet.generate_key().decode(),
                _check_fernet,
            )
            # The old default key is last: it never encrypts, it only still decrypts tokens
            # stored before this key file existed (re-saving an account re-encrypts them).
            update["encryption_keys"] = f"{own},{LEGACY_ENCRYPTION_KEY}"
        return self.model_copy(update=update)

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


def _check_secret(value: str) -> None:
    if len(value) < 32:
        raise ValueError("needs at least 32 characters")


def _check_fernet(value: str) -> None:
    Fernet(value.encode())


def _key_file(path: Path, make: Callable[[], str], check: Callable[[str], None]) -> str:
    """The key kept in ``path``, created (readable by its owner only) when missing.

    O_EXCL makes creation atomic: of two processes starting together one writes its key, the
    other finds the file and reads the winner's key (waiting briefly while it is written)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(make() + "\n")
            f.flush()
            os.fsync(f.fileno())
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # a copied or restored file: keep the key private
    for _ in range(50):
        value = path.read_text(encoding="ascii").strip()
        if value:
            break
        time.sleep(0.02)  # another process created the file and is still writing its key
    try:
        check(value)
    except ValueError as exc:
        raise ValueError(f"{path}: not a usable key ({exc}); delete it to make a new one") from exc
    return value

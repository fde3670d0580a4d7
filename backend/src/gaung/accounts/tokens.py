"""Platform tokens at rest: encrypted with the configured keys, decrypted only when used."""

from __future__ import annotations

from datetime import datetime

from gaung.accounts.models import PlatformAccount
from gaung.config import Settings
from gaung.kit.crypto import decrypt, encrypt


def store_tokens(
    account: PlatformAccount,
    settings: Settings,
    *,
    access_token: str,
    refresh_token: str | None = None,
    expires_at: datetime | None = None,
) -> None:
    account.access_token_enc = encrypt(access_token, settings.encryption_keys)
    account.refresh_token_enc = (
        encrypt(refresh_token, settings.encryption_keys) if refresh_token else None
    )
    account.token_expires_at = expires_at


def access_token(account: PlatformAccount, settings: Settings) -> str | None:
    if account.access_token_enc is None:
        return None
    return decrypt(account.access_token_enc, settings.encryption_keys)


def refresh_token(account: PlatformAccount, settings: Settings) -> str | None:
    if account.refresh_token_enc is None:
        return None
    return decrypt(account.refresh_token_enc, settings.encryption_keys)

"""Platform tokens at rest: encrypted with the configured keys, decrypted only when used."""

from __future__ import annotations

from datetime import datetime

from gaung.accounts.models import PlatformAccount
from gaung.config import Settings
from gaung.kit.crypto import decrypt, encrypt
from gaung.platforms.protocol import AccountCredentials


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


def credentials(account: PlatformAccount, settings: Settings) -> AccountCredentials | None:
    """The account as a connector takes it, tokens decrypted; ``None`` without an access token
    (a sandbox account, or one never connected), since no network call can be made for it."""
    token = access_token(account, settings)
    if token is None:
        return None
    return AccountCredentials(
        platform=account.platform,
        external_id=account.external_id,
        handle=account.handle,
        access_token=token,
        refresh_token=refresh_token(account, settings),
        token_expires_at=account.token_expires_at,
    )

"""Encryption at rest for platform tokens (MultiFernet: first key encrypts, all decrypt)."""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


@lru_cache(maxsize=8)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def encrypt(plaintext: str, keys: str) -> str:
    return _fernet(keys).encrypt(plaintext.encode()).decode()


def decrypt(token: str, keys: str) -> str:
    try:
        return _fernet(keys).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: none of the configured keys fits") from exc


def rotate(token: str, keys: str) -> str:
    """Re-encrypt under the first (newest) key."""
    return _fernet(keys).rotate(token.encode()).decode()

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from gaung.kit.crypto import decrypt, encrypt, rotate


def test_round_trip_and_ciphertext_hides_the_token() -> None:
    keys = Fernet.generate_key().decode()
    secret = "EAAB-page-token-123"
    sealed = encrypt(secret, keys)
    assert secret not in sealed
    assert decrypt(sealed, keys) == secret


def test_key_rotation_keeps_old_tokens_readable() -> None:
    old = Fernet.generate_key().decode()
    new = Fernet.generate_key().decode()
    sealed_old = encrypt("token", old)
    both = f"{new},{old}"
    assert decrypt(sealed_old, both) == "token"
    rotated = rotate(sealed_old, both)
    assert decrypt(rotated, new) == "token"  # readable with the new key alone
    with pytest.raises(ValueError, match="none of the configured keys"):
        decrypt(rotated, old)

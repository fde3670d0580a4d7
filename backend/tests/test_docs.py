"""The operations guide lists every setting the code reads."""

from __future__ import annotations

from pathlib import Path

from gaung.config import Settings

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def test_every_setting_is_documented() -> None:
    text = OPERATIONS.read_text(encoding="utf-8")
    missing = [
        f"GAUNG_{name.upper()}"
        for name in Settings.model_fields
        if f"`GAUNG_{name.upper()}`" not in text
    ]
    assert missing == [], f"document these settings in docs/operations.md: {missing}"

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, JSONType
from gaung.kit.time import utcnow


class UnitWritingSettings(Base):
    """How the writing check treats one unit's texts. No row: the defaults."""

    __tablename__ = "unit_writing_settings"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )
    # [{"term": "BPPT", "meaning": "Badan Pengkajian dan Penerapan Teknologi"}]
    glossary: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    disabled_rules: Mapped[list[str]] = mapped_column(JSONType, default=list)
    thresholds: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    ignored_words: Mapped[list[str]] = mapped_column(JSONType, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

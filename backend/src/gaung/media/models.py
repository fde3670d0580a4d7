from __future__ import annotations

from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from gaung.kit.models import Base, TimestampMixin, str_enum


class MediaKind(StrEnum):
    image = "image"
    gif = "gif"
    video = "video"


class MediaAsset(TimestampMixin, Base):
    __tablename__ = "media_asset"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    kind: Mapped[MediaKind] = mapped_column(str_enum(MediaKind, "media_kind"))
    mime_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int | None]
    height: Mapped[int | None]
    duration_s: Mapped[float | None]
    alt_text: Mapped[str | None] = mapped_column(String(1000))
    original_filename: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    # Relative to the media directory; the public URL is built from GAUNG_PUBLIC_BASE_URL.
    storage_path: Mapped[str] = mapped_column(String(255), unique=True)

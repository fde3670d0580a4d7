from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, field_validator

from gaung.kit.schemas import Input, Schema

# "YYYY-MM", a calendar month in UTC of this millennium (X's pay-per-use began in 2026).
MONTH_PATTERN = r"^2[0-9]{3}-(0[1-9]|1[0-2])$"
MAX_CAP_USD = 1_000_000


class ClassSpend(Schema):
    price_class: str = Field(description="X price class, e.g. post_create, post_read.")
    calls: int = Field(description="Billed units: requests for writes, resources for reads.")
    estimated_usd: float


class XSpend(Schema):
    """A unit's estimated X spend in one UTC month, at X's pay-per-use prices."""

    unit_id: int
    month: str = Field(description="YYYY-MM (UTC).")
    estimated_usd: float
    cap_usd: float | None = Field(description="Monthly cap; null: none.")
    reads_paused: bool = Field(description="Optional reads (metrics, mentions) are paused.")
    publishing_paused: bool = Field(description="Publishing to X is paused (cap reached).")
    by_class: list[ClassSpend]


class XSpendCapIn(Input):
    cap_usd: (
        Annotated[float, Field(strict=True, ge=0, le=MAX_CAP_USD, allow_inf_nan=False)] | None
    ) = Field(description="Monthly cap in US dollars (cents at most); null removes the cap.")

    @field_validator("cap_usd")
    @classmethod
    def _cents(cls, value: float | None) -> float | None:
        if value is not None and Decimal(str(value)) != Decimal(str(value)).quantize(
            Decimal("0.01")
        ):
            raise ValueError("use at most two decimal places (cents)")
        return value

    def cap(self) -> Decimal | None:
        if self.cap_usd is None:
            return None
        return Decimal(str(self.cap_usd)).quantize(Decimal("0.01"))

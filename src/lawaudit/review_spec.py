"""The pydantic models of a reviews file (``reviews.yaml``), as written.

Kept apart from :mod:`lawaudit.reviews` and imported only when a reviews file
is actually parsed, so a run without reviews does not pay for defining them.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

_Text = Annotated[str, Field(min_length=1)]


class ReviewSpec(BaseModel):
    """One entry of ``reviews:`` as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    statute: _Text
    criterion: _Text
    reason: _Text
    by: _Text
    date: _dt.date
    expires: _dt.date | None = None

    @field_validator("reason", "by", "statute", "criterion")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("expires")
    @classmethod
    def _after_date(cls, value: _dt.date | None, info: ValidationInfo) -> _dt.date | None:
        reviewed = info.data.get("date")
        if value is not None and reviewed is not None and value < reviewed:
            raise ValueError(f"expires ({value}) is before the review date ({reviewed})")
        return value


class ReviewsFileSpec(BaseModel):
    """The top level of a reviews file (entries are validated one by one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reviews: list[Any] = []

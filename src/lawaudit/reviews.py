"""Analyst reviews (``reviews.yaml``) — issue 6 builds this out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def find_reviews(paths: Iterable[str | Path]) -> None:
    """No reviews support yet: nothing to apply."""
    return None

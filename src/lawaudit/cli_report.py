"""``lawaudit report``: write audit reports into a folder (issue 5 builds this out)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""

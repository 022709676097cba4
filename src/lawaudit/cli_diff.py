"""``lawaudit diff``: compare audits between two git revisions (issue 6 builds this out)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the ``diff`` command to ``app``."""

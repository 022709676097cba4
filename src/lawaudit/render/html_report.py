"""``--format html``: one self-contained HTML file (inline CSS; no scripts, fonts or network).

A matrix of statutes by the four tests (each cell coloured by status and
labelled in words), verdicts per jurisdiction, the recommendations, and a
section per statute with its findings, linked from the matrix. Everything that
comes from statute or criteria files is autoescaped by Jinja.
"""

from __future__ import annotations

from pathlib import Path

from ..choices import Format
from ..runner import Run
from . import Reporter, views
from .templating import html_env, render


class HtmlReporter(Reporter):
    format = Format.html

    def __init__(self, templates: Path | None = None) -> None:
        self.env = html_env(templates)

    def render(self, run: Run) -> str:
        statutes = [views.statute_view(r) for r in run.results]
        ctx = {
            "run": run,
            "statutes": statutes,
            "by_file": {s["r"].file: s for s in statutes},  # type: ignore[index,attr-defined]
            "groups": views.recommendation_groups(run.results),
            "verdicts": views.verdict_counts(run.results),
            "finding_anchor": views.finding_anchor,
        }
        text = render(self.env, "report.html.j2", ctx)
        return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n")) + "\n"

    def report_files(self, run: Run) -> dict[str, str]:
        """``lawaudit report --format html``: the one file, as ``index.html``."""
        return {"index.html": self.render(run)}

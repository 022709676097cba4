"""``--format html``: one self-contained HTML file (inline CSS; no scripts, fonts or network).

A matrix of statutes by the four tests (each cell coloured by status and
labelled in words), verdicts per jurisdiction, the recommendations, and a
section per statute with its findings, linked from the matrix. Everything that
comes from statute or criteria files is autoescaped by Jinja.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..choices import Format
from ..runner import LiveRun, Run
from . import WritingReporter, finished, views
from .templating import LineWriter, generate, html_env, write_lines


class HtmlReporter(WritingReporter):
    format = Format.html

    def __init__(self, templates: Path | None = None) -> None:
        self.env = html_env(templates)

    def write(self, run: "Run | LiveRun", out: TextIO) -> None:
        """Write the page as Jinja produces it, each line's trailing spaces trimmed (:class:`_Trimmed`).

        The page is never held whole: for 10,000 statutes it is ~90 MB.
        """
        run = finished(run)
        statutes = [views.statute_view(r) for r in run.results]
        ctx = {
            "run": run,
            "statutes": statutes,
            "by_file": {s["r"].file: s for s in statutes},  # type: ignore[index,attr-defined]
            "groups": views.recommendation_groups(run.results),
            "verdicts": views.verdict_counts(run.results),
            "finding_anchor": views.finding_anchor,
        }
        write_lines(generate(self.env, "report.html.j2", ctx), _Trimmed(out.write))

    def report_files(self, run: Run) -> dict[str, str]:
        """``lawaudit report --format html``: the one file, as ``index.html``."""
        return {"index.html": self.render(run)}


class _Trimmed(LineWriter):
    """Lines without trailing spaces, no line breaks at the very end, then exactly one.

    As ``"\\n".join(line.rstrip() for line in text.rstrip("\\n").split("\\n")) + "\\n"``
    would give for the whole text: empty lines are held back until a line
    with something on it follows, and dropped at the end.
    """

    def __init__(self, write: Callable[[str], object]) -> None:
        super().__init__(write)
        self._empty = 0  # empty lines held back
        self._written = False

    def lines(self, lines: list[str]) -> None:
        out: list[str] = []
        for line in lines:
            if not line:
                self._empty += 1
                continue
            if self._empty:
                out.extend([""] * self._empty)
                self._empty = 0
            out.append(line.rstrip())
        if out:
            out.append("")
            self.write("\n".join(out))
            self._written = True

    def end(self, last: str) -> None:
        if last:
            self.lines([last])
        if not self._written:
            self.write("\n")

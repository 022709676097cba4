"""``--format markdown`` and the Markdown files of ``lawaudit report``.

``check --format markdown`` renders the whole run as one document
(``check.md.j2``); ``lawaudit report`` writes one file per statute
(``statute.md.j2``), an ``index.md`` and a ``recommendations.md``. Both use the
same templates and the same precomputed views, so a statute reads the same
either way.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..choices import Format
from ..runner import LiveRun, Run
from . import Reporter, views
from .templating import LineWriter, generate, markdown_env, render, write_lines


def _run_context(run: Run, names: dict[str, str], links: bool) -> dict[str, object]:
    statutes = [views.statute_view(r, names.get(r.file, "")) for r in run.results]
    return {
        "run": run,
        "statutes": statutes,
        "by_file": {s["r"].file: s for s in statutes},  # type: ignore[index,attr-defined]
        "groups": views.recommendation_groups(run.results),
        "verdicts": views.verdict_counts(run.results),
        "links": links,
    }


class MarkdownReporter(Reporter):
    format = Format.markdown

    def __init__(self, templates: Path | None = None) -> None:
        self.env = markdown_env(templates)

    def render(self, run: Run) -> str:
        out = io.StringIO()
        self.write(run, out)
        return out.getvalue()

    def write(self, run: "Run | LiveRun", out: TextIO) -> None:
        """Write the document as Jinja produces it, tidied line by line (:class:`_Tidy`).

        The document itself is never held: 10,000 statutes make ~65 MB of
        Markdown, which rendered whole, then split into lines and joined again
        took ~500 MB. It still needs the finished run (its overview and
        recommendations come before the statutes).
        """
        if isinstance(run, LiveRun):
            run = run.finish()
        ctx = _run_context(run, {}, links=False)
        write_lines(generate(self.env, "check.md.j2", ctx), _Tidy(out.write))

    def report_files(self, run: Run) -> dict[str, str]:
        """File name -> content for ``lawaudit report``: one file per statute, ``index.md``, ``recommendations.md``."""
        names = {file: f"{stem}.md" for file, stem in views.report_names(run.results).items()}
        ctx = _run_context(run, names, links=True)
        out: dict[str, str] = {}
        for s in ctx["statutes"]:  # type: ignore[attr-defined]
            out[s["name"]] = _end(render(self.env, "statute.md.j2", ctx, s=s, level=1, standalone=True))
        out["index.md"] = _end(render(self.env, "index.md.j2", ctx))
        out["recommendations.md"] = _end(render(self.env, "recommendations.md.j2", ctx, level=1))
        return out


class _Tidy(LineWriter):
    """:func:`_end` for a document that arrives in pieces: the same text, written as it comes."""

    def __init__(self, write: Callable[[str], object]) -> None:
        super().__init__(write)
        self._started = False  # a line with text was written (blank lines before it are dropped)
        self._blank = False  # a blank line is due before the next line with text (never at the end)

    def lines(self, lines: list[str]) -> None:
        out: list[str] = []
        for line in lines:
            line = line.rstrip()
            if not line:
                self._blank = self._started  # runs of blank lines collapse to one
                continue
            if self._blank:
                out.append("")
                self._blank = False
            out.append(line)
            self._started = True
        if out:
            out.append("")
            self.write("\n".join(out))

    def close(self) -> None:
        self.lines([self._partial])
        if not self._started:
            self.write("\n")


def _end(text: str) -> str:
    """Exactly one trailing newline, no trailing blank lines, no trailing spaces."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue  # collapse runs of blank lines produced by template blocks
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"

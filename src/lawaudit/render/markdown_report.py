"""``--format markdown`` and the Markdown files of ``lawaudit report``.

``check --format markdown`` renders the whole run as one document
(``check.md.j2``); ``lawaudit report`` writes one file per statute
(``statute.md.j2``), an ``index.md`` and a ``recommendations.md``. Both use the
same templates and the same precomputed views, so a statute reads the same
either way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..choices import Format
from ..runner import LiveRun, Run
from . import WritingReporter, finished, views
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


class MarkdownReporter(WritingReporter):
    format = Format.markdown

    def __init__(self, templates: Path | None = None) -> None:
        self.env = markdown_env(templates)

    def write(self, run: "Run | LiveRun", out: TextIO) -> None:
        """Write the document as Jinja produces it, tidied line by line (:class:`_Tidy`).

        The document itself is never held: 10,000 statutes make ~65 MB of
        Markdown, which rendered whole, then split into lines and joined again
        took ~500 MB. It still needs the finished run (its overview and
        recommendations come before the statutes).
        """
        run = finished(run)
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
    """The Markdown whitespace rule, applied as the document arrives in pieces.

    Trailing spaces are trimmed, runs of blank lines collapse to one, blank
    lines at the start and the end are dropped, and the text ends with
    exactly one newline. :func:`_end` applies it to a whole text.
    """

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

    def end(self, last: str) -> None:
        self.lines([last])
        if not self._started:
            self.write("\n")


def _end(text: str) -> str:
    """Exactly one trailing newline, no trailing blank lines, no trailing spaces, no runs of blank lines."""
    out: list[str] = []
    tidy = _Tidy(out.append)
    tidy.feed(text)
    tidy.close()
    return "".join(out)

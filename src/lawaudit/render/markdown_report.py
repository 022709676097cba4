"""``--format markdown`` and the Markdown files of ``lawaudit report``.

``check --format markdown`` renders the whole run as one document
(``check.md.j2``); ``lawaudit report`` writes one file per statute
(``statute.md.j2``), an ``index.md`` and a ``recommendations.md``. Both use the
same templates and the same precomputed views, so a statute reads the same
either way.
"""

from __future__ import annotations

from pathlib import Path

from ..choices import Format
from ..runner import Run
from . import Reporter, views
from .templating import markdown_env, render


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
        ctx = _run_context(run, {}, links=False)
        return _end(render(self.env, "check.md.j2", ctx))

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

"""The GitHub Actions job summary (``$GITHUB_STEP_SUMMARY``).

``check`` appends a compact Markdown summary: one table row per statute and,
below, each statute's findings folded in a ``<details>`` block. GitHub
refuses a step summary over 1 MiB, so the text is cut to fit what is left of
that budget, with a note saying how much was left out. No Jinja here: this
runs on every CI ``check``, whatever the format.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..results import AuditResult, TestName
from ..runner import Run
from . import mdtext, views

#: GitHub's limit for one step's summary file
LIMIT_BYTES = 1024 * 1024
#: kept free below the limit (for the truncation note and anything else the step writes)
MARGIN_BYTES = 16 * 1024


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _row(r: AuditResult) -> str:
    cells = [
        mdtext.code(r.statute),
        mdtext.inline(r.jurisdiction),
        mdtext.inline(r.provision),
        mdtext.inline(views.VERDICT_LABEL[r.verdict]),
        mdtext.inline(views.RECOMMENDATION_LABEL[r.recommendation]),
        str(r.score),
    ] + [f"{views.STATUS_LABEL[r.tests[t].status]} ({r.tests[t].score})" for t in TestName]
    return "| " + " | ".join(cells) + " |\n"


def _details(r: AuditResult) -> str:
    head = html.escape(f"{r.statute} — {r.provision}: {views.VERDICT_LABEL[r.verdict]}, {views.RECOMMENDATION_LABEL[r.recommendation]}")
    lines = [f"<details><summary>{head}</summary>\n\n", f"{mdtext.inline(views.recommendation_sentence(r))}\n\n"]
    for f in r.findings:
        line = f.evidence[0].line if f.evidence else 1
        cite = "; ".join(mdtext.link(s.cite(), s.url) for s in f.sources)
        lines.append(
            f"- **{f.severity.value}** {mdtext.code(f.criterion)} ({mdtext.inline(views.TEST_LABEL[f.test])}): "
            f"{mdtext.inline(f.title)} — {mdtext.inline(r.file)} line {line}" + (f" — {cite}" if cite else "") + "\n"
        )
    if not r.findings:
        lines.append("No criterion fired.\n")
    lines.append("\n</details>\n\n")
    return "".join(lines)


def render_summary(run: Run, budget: int = LIMIT_BYTES - MARGIN_BYTES) -> str:
    """The summary Markdown, at most ``budget`` bytes (UTF-8)."""
    head = (
        f"## lawaudit: {len(run.results)} statute(s) audited\n\n"
        + "".join(
            f"- {n} {views.VERDICT_LABEL[v]}\n"
            for v, n in sorted(((v, sum(r.verdict is v for r in run.results)) for v in views.VERDICT_LABEL), key=lambda x: x[0].value)
            if n
        )
        + (f"- {len({e.file for e in run.errors})} file(s) could not be loaded\n" if run.errors else "")
        + "\n"
    )
    table = (
        "| Statute | Jurisdiction | Provision | Verdict | Recommendation | Score | "
        + " | ".join(views.TEST_LABEL[t] for t in TestName)
        + " |\n|---|---|---|---|---|---:|"
        + "---|" * len(TestName)
        + "\n"
    )
    parts = [head, table]
    used = _size(head) + _size(table)
    note_room = 512
    shown_rows = 0
    for r in run.results:
        row = _row(r)
        if used + _size(row) + note_room > budget:
            break
        parts.append(row)
        used += _size(row)
        shown_rows += 1
    parts.append("\n")
    used += 1
    shown_details = 0
    if shown_rows == len(run.results):
        for r in run.results:
            block = _details(r)
            if used + _size(block) + note_room > budget:
                break
            parts.append(block)
            used += _size(block)
            shown_details += 1
    if run.errors:
        errs = "**Files that could not be loaded**\n\n"
        for e in run.errors:
            item = f"- {mdtext.inline(e.render())}\n"
            if used + _size(errs) + _size(item) + note_room > budget:
                break
            errs += item
        parts.append(errs + "\n")
        used += _size(errs) + 1
    left_rows = len(run.results) - shown_rows
    left_details = len(run.results) - shown_details
    if left_rows or left_details:
        parts.append(
            f"*Summary truncated to stay under GitHub's 1 MiB limit: {left_rows} statute row(s) and "
            f"{left_details} detail block(s) left out. See the full report (for example `lawaudit report`, "
            f"or the uploaded artifact).*\n\n"
        )
    text = "".join(parts)
    if _size(text) > budget:  # only if the budget is smaller than the head itself
        text = text.encode("utf-8")[:budget].decode("utf-8", "ignore")
    return text


def append_step_summary(run: Run, path: Path) -> bool:
    """Append the summary to the step summary file, within what is left of the 1 MiB budget.

    Returns False when nothing was written (no room left, or the file cannot be
    written): a summary that cannot be written must not fail the audit.
    """
    try:
        existing = path.stat().st_size
    except OSError:
        existing = 0
    budget = LIMIT_BYTES - MARGIN_BYTES - existing
    if budget <= 1024:
        return False  # no room left: GitHub would reject the whole summary
    text = render_summary(run, budget)
    try:
        with open(path, "a", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError:
        return False
    return True

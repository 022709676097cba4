"""``--format text``: a readable report for a terminal or a CI log.

Plain text always works (pipes, CI logs, ``NO_COLOR``); on a terminal the CLI
asks for colour and rich is imported then, and only then.
"""

from __future__ import annotations

import re

from ..choices import Format
from ..results import AuditResult, Finding, TestName
from ..runner import Run
from . import Reporter

_LABEL = {"pass": "pass", "concern": "CONCERN", "fail": "FAIL", "not_applicable": "n/a"}

#: control characters other than tab and line feed (C0, DEL, C1): a statute may hold them
#: through YAML escapes (``"\x1b[2J"``), and written raw they would drive the terminal
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible_controls(text: str) -> str:
    r"""``text`` with each control character shown as ``\xNN``, so a report never drives a terminal."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _finding_lines(f: Finding, reviewed: bool = False) -> list[str]:
    head = f"  [{f.severity.value.upper()}] {f.test.value}: {f.criterion}"
    if reviewed and f.review:
        head += f"  (reviewed: {f.review.get('reason', '')})"
    lines = [head, f"      {f.message}"]
    for e in f.evidence[:4]:
        lines.append(f"      evidence: {e.field} line {e.line}: “{e.quote}”")
    if len(f.evidence) > 4:
        lines.append(f"      … and {len(f.evidence) - 4} more")
    for s in f.sources:
        lines.append(f"      standard: {s.cite()} — {s.url}")
    lines.append(f"      → {f.recommendation}")
    return lines


def result_lines(r: AuditResult) -> list[str]:
    """The block of lines describing one statute's audit."""
    lines = [
        f"{r.file}: {r.statute} — {r.jurisdiction}, {r.instrument}, {r.provision}: {r.title}",
        f"  verdict: {r.verdict.value}   recommendation: {r.recommendation.value}   score: {r.score}",
        "  tests:   " + "   ".join(f"{t.value} {_LABEL[r.tests[t].status.value]} ({r.tests[t].score})" for t in TestName),
    ]
    for a in r.aims:
        how = "inferred" if a.inferred else "named"
        lines.append(f"  aim ({how}): {a.interest} → {a.aim or 'no permissible aim'} [{a.status}]")
    for f in r.findings:
        lines.extend(_finding_lines(f))
    for f in r.reviewed:
        lines.extend(_finding_lines(f, reviewed=True))
    return lines


class TextReporter(Reporter):
    format = Format.text

    def __init__(self, color: bool = False, templates: object = None) -> None:
        del templates  # not a template format
        self.color = color

    def render(self, run: Run) -> str:
        blocks = ["\n".join(result_lines(r)) for r in run.results]
        if run.errors:
            blocks.append("\n".join(["errors:"] + [f"  {e.render()}" for e in run.errors]))
        if not blocks:
            blocks.append("no statute files found")
        plain = visible_controls("\n\n".join(blocks) + "\n")
        return _colour(plain) if self.color else plain


#: what to colour in the plain report, and how (status words, verdicts, headers)
_STYLES = (
    (r"^\S.*$", "bold"),
    (r"\[FAIL\]|\bFAIL\b|\bincompatible\b|\brepeal\b", "bold red"),
    (r"\[CONCERN\]|\bCONCERN\b|\bpartially_compatible\b|\bsubstantially_amend\b|\bamend\b", "yellow"),
    (r"(?<!in)(?<!partially_)\bcompatible\b|\bpass\b|\bretain\b", "green"),
    (r"standard: .*$", "cyan"),
    (r"evidence: \S+ line \d+", "dim"),
)


def _colour(plain: str) -> str:
    """The same report with ANSI colours, for a terminal (rich is imported only here)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(force_terminal=True, color_system="standard", highlight=False, soft_wrap=True, width=10_000)
    with console.capture() as captured:
        for line in plain.splitlines():
            text = Text(line)
            for pattern, style in _STYLES:
                text.highlight_regex(pattern, style)
            console.print(text)
    return captured.get()

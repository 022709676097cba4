"""``--format github``: GitHub Actions workflow commands (annotations).

``::error file=...,line=...,title=...::message`` for fail-level findings and
files that could not be loaded, ``::warning`` for concerns. Property values
and messages are escaped as ``@actions/core`` does. GitHub shows at most 10
error and 10 warning annotations per step, so the rest are counted in one
notice; the CLI prints the full text report right after.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..choices import Format
from ..results import AuditResult, Finding, Severity
from ..runner import Run
from . import Reporter
from .text import visible_controls

#: annotations GitHub shows per step, per kind (actions/toolkit PR #734)
MAX_PER_KIND = 10


def escape_data(text: str) -> str:
    r"""A workflow-command message: ``%``, CR and LF escaped (other control characters shown as ``\xNN``)."""
    return visible_controls(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """A workflow-command property value: as data, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: object) -> str:
    """One workflow command line, properties in the order given."""
    parts = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None and v != "")
    return f"::{kind} {parts}::{escape_data(message)}" if parts else f"::{kind}::{escape_data(message)}"


class GithubReporter(Reporter):
    format = Format.github

    def __init__(self, templates: Path | None = None) -> None:
        del templates  # not a template format

    def render(self, run: Run) -> str:
        # only the first MAX_PER_KIND of each kind are written; the rest are counted, not built
        shown: dict[str, list[str]] = {"error": [], "warning": []}
        hidden = 0

        def add(kind: str, make: Callable[[], str]) -> None:
            nonlocal hidden
            if len(shown[kind]) < MAX_PER_KIND:
                shown[kind].append(make())
            else:
                hidden += 1

        for e in run.errors:
            props = {"file": e.file, "line": max(1, e.line), "col": e.column if e.column >= 1 else None, "title": "lawaudit: file could not be loaded"}
            add("error", partial(command, "error", f"{e.field}: {e.message}" if e.field else e.message, **props))
        for r in run.results:
            for f in r.findings:
                add("error" if f.severity is Severity.fail else "warning", partial(_annotation, r, f))
        lines = shown["error"] + shown["warning"]
        if hidden:
            lines.append(
                command(
                    "notice",
                    f"{hidden} more finding(s) are not annotated: GitHub shows at most {MAX_PER_KIND} error and "
                    f"{MAX_PER_KIND} warning annotations per step. The full report follows in the log.",
                    title="lawaudit",
                )
            )
        return "".join(line + "\n" for line in lines)


def _annotation(r: AuditResult, f: Finding) -> str:
    """The workflow command for one finding."""
    line = max(1, f.evidence[0].line) if f.evidence else 1
    cite = "; ".join(s.cite() for s in f.sources)
    msg = (
        f"{r.provision} ({r.statute}): {f.title}. {f.message}\n"
        f"Recommendation: {f.recommendation}" + (f"\nStandard: {cite}" if cite else "")
    )
    return command(
        "error" if f.severity is Severity.fail else "warning",
        msg,
        file=r.file,
        line=line,
        title=f"lawaudit {f.criterion} ({f.severity.value})",
    )

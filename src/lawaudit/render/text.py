"""``--format text``: a readable report for a terminal or a CI log.

Plain text always works (pipes, CI logs, ``NO_COLOR``); on a terminal the CLI
asks for colour and rich is imported then, and only then.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from ..choices import Format
from ..results import AuditResult, Finding, TestName
from ..runner import Encoded, LiveRun, Run
from . import WritingReporter, utf8_buffer

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


def encode_result(r: AuditResult) -> bytes | None:
    """A result's block as :meth:`TextReporter.write` writes it without colour (UTF-8), ending with its newline.

    The reporter's ``encode_result``: worker processes call it, so that a
    streamed run sends back text instead of result objects (see
    :class:`~lawaudit.runner.Encoded`). ``None`` (a lone surrogate, which
    UTF-8 cannot hold) leaves the result to the parent, which writes it as
    the output stream's own error handler decides.
    """
    try:
        return (visible_controls("\n".join(result_lines(r))) + "\n").encode()
    except UnicodeEncodeError:
        return None


def _pieces(run: "Run | LiveRun") -> Iterator[str | bytes]:
    """The report in pieces, each of whole lines: a result's block (with the blank line before it), then the errors.

    Joined, they are ``"\n\n".join(blocks) + "\n"`` with control characters
    made visible. A result a worker already wrote comes as its bytes.
    """
    first = True
    for r in run.results:
        if not first:
            yield "\n"
        first = False
        if type(r) is Encoded:
            yield r.text
        else:
            yield visible_controls("\n".join(result_lines(r))) + "\n"  # type: ignore[arg-type]
    errors = run.errors  # (complete once the results are)
    if errors:
        yield ("" if first else "\n") + visible_controls("\n".join(["errors:"] + [f"  {e.render()}" for e in errors])) + "\n"
    elif first:
        yield "no statute files found\n"


class TextReporter(WritingReporter):
    """One block of lines per statute, written as each statute is audited.

    The report streams: a block is written as soon as its statute is
    audited, and nothing is held for the whole run (10,000 statutes make
    ~30 MB of text, which rendered whole took ~200 MB more memory). Without
    colour, worker processes write the blocks (:func:`encode_result`).
    """

    format = Format.text
    streams = True

    def __init__(self, color: bool = False, templates: object = None) -> None:
        del templates  # not a template format
        self.color = color
        #: colour is added in the parent, which knows where the report goes
        self.encode_result = None if color else encode_result

    def write(self, run: "Run | LiveRun", out: TextIO) -> None:
        if self.color:
            colour = _Colourer()
            for piece in _pieces(run):
                out.write(colour(piece if isinstance(piece, str) else piece.decode()))
            return
        buffer = utf8_buffer(out)
        if buffer is None:
            for piece in _pieces(run):
                out.write(piece if isinstance(piece, str) else piece.decode())
            return
        # UTF-8 straight to the bytes under standard output, as the JSON reporter does
        out.flush()
        errors = out.errors or "strict"
        for piece in _pieces(run):
            buffer.write(piece.encode("utf-8", errors) if isinstance(piece, str) else piece)


#: what to colour in the plain report, and how (status words, verdicts, headers)
_STYLES = (
    (r"^\S.*$", "bold"),
    (r"\[FAIL\]|\bFAIL\b|\bincompatible\b|\brepeal\b", "bold red"),
    (r"\[CONCERN\]|\bCONCERN\b|\bpartially_compatible\b|\bsubstantially_amend\b|\bamend\b", "yellow"),
    (r"(?<!in)(?<!partially_)\bcompatible\b|\bpass\b|\bretain\b", "green"),
    (r"standard: .*$", "cyan"),
    (r"evidence: \S+ line \d+", "dim"),
)


class _Colourer:
    """ANSI colours for whole lines of the plain report, for a terminal (rich is imported only here).

    One console serves the whole report; each piece is coloured line by line,
    so colouring the report piece by piece gives what colouring it whole does.
    """

    def __init__(self) -> None:
        from rich.console import Console
        from rich.text import Text

        self._text = Text
        self._console = Console(force_terminal=True, color_system="standard", highlight=False, soft_wrap=True, width=10_000)

    def __call__(self, piece: str) -> str:
        console, text_of = self._console, self._text
        with console.capture() as captured:
            # line by line as str.splitlines() splits the whole report: each line the
            # pieces end with "\n" holds may break again (U+2028, U+2029)
            for segment in piece.split("\n")[:-1]:
                for line in (segment + "\n").splitlines():
                    text = text_of(line)
                    for pattern, style in _STYLES:
                        text.highlight_regex(pattern, style)
                    console.print(text)
        return captured.get()

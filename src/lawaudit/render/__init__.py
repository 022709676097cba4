"""Presentation: one reporter per output format, behind one interface.

Reporters turn a :class:`~lawaudit.runner.Run` into text; they never print,
so the CLI decides where the text goes (standard output or an atomically
written file). Each lives in its own module and is imported only when its
format is asked for, so ``check --format json`` never pays for Jinja or rich.
"""

from __future__ import annotations

import codecs
import importlib
import io
import os
import sys
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, BinaryIO, TextIO

from ..choices import Format

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..results import AuditResult
    from ..runner import LiveRun, Run  # noqa: F401


class Reporter(ABC):
    """Renders a whole run as one document."""

    #: the format this reporter implements
    format: Format

    #: True when :meth:`write` streams (the CLI then writes as it goes instead of rendering
    #: first, and may pass a :class:`~lawaudit.runner.LiveRun`, audited as it is written)
    streams: bool = False

    #: for a reporter that streams: how its :meth:`write` writes one result (UTF-8), or
    #: None for a result it does not write that way. The CLI hands it to the run, whose
    #: worker processes then send back that text instead of the result (see
    #: :class:`~lawaudit.runner.Encoded`, which :meth:`write` must then accept).
    encode_result: "Callable[[AuditResult], bytes | None] | None" = None

    @abstractmethod
    def render(self, run: "Run") -> str:
        """The complete document, ending with a newline."""

    def write(self, run: "Run | LiveRun", out: "TextIO") -> None:
        """Write the document to ``out``: the same text as :meth:`render`.

        The default renders first; a reporter whose document grows with the
        corpus overrides this to write piece by piece in bounded memory (see
        :class:`WritingReporter`). A :class:`~lawaudit.runner.LiveRun` is
        finished first.
        """
        out.write(self.render(finished(run)))


class WritingReporter(Reporter):
    """A reporter whose document is made by :meth:`write`, a piece at a time.

    Its documents grow with the corpus, so they are never held whole when
    written; :meth:`render` (for tests and callers that want the text)
    collects the same pieces.
    """

    def render(self, run: "Run") -> str:
        out = io.StringIO()
        self.write(run, out)
        return out.getvalue()

    @abstractmethod
    def write(self, run: "Run | LiveRun", out: "TextIO") -> None:
        """Write the document to ``out``, piece by piece."""


def finished(run: "Run | LiveRun") -> "Run":
    """``run`` itself, or the finished run of a :class:`~lawaudit.runner.LiveRun` (for a document that needs every result)."""
    from ..runner import LiveRun

    return run.finish() if isinstance(run, LiveRun) else run


def utf8_buffer(out: TextIO) -> BinaryIO | None:
    """The binary stream under ``out`` when bytes written there are exactly what ``out`` would write.

    That is so for the interpreter's own standard output on a platform whose
    line ends are ``\n`` (it translates none), encoding UTF-8 and not line
    buffered (a terminal's is, so that each line shows as it is written).
    Any other stream (a file, a test's capture) is written as text.
    """
    if (
        out is sys.__stdout__
        and isinstance(out, io.TextIOWrapper)
        and os.linesep == "\n"
        and not out.line_buffering
        and codecs.lookup(out.encoding).name == "utf-8"
    ):
        return out.buffer  # type: ignore[return-value]
    return None


#: Format -> "module:Class"; the explicit registry (a test walks every Format)
REGISTRY: dict[Format, str] = {
    Format.text: "lawaudit.render.text:TextReporter",
    Format.json: "lawaudit.render.json_report:JsonReporter",
    Format.markdown: "lawaudit.render.markdown_report:MarkdownReporter",
    Format.sarif: "lawaudit.render.sarif:SarifReporter",
    Format.junit: "lawaudit.render.junit:JunitReporter",
    Format.github: "lawaudit.render.github:GithubReporter",
    Format.html: "lawaudit.render.html_report:HtmlReporter",
}


def reporter_for(fmt: Format, **options: object) -> Reporter:
    """Instantiate the reporter registered for ``fmt``."""
    try:
        target = REGISTRY[fmt]
    except KeyError:
        raise ValueError(f"no reporter for format '{fmt.value}'") from None
    module, _, cls = target.partition(":")
    reporter_cls = getattr(importlib.import_module(module), cls)
    return reporter_cls(**options)  # type: ignore[no-any-return]

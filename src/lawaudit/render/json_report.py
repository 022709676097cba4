"""``--format json``: the contract's document (``shared/spec/cli-contract.md``).

Keys appear in a fixed order and results are ordered by file, findings by
test then criterion, so the same input always gives byte-identical output.
Fields beyond the contract (``rationale``, ``aims``, ``reviewed``, ``match``)
are additive, which the contract allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from ..choices import Format
from ..errors import InputError
from ..jsonout import Lazy, dumps, write
from ..results import AuditResult
from ..runner import LiveRun, Run
from . import Reporter

SCHEMA_VERSION = 1


def _errors_when_reached(run: Run | LiveRun) -> Iterator[InputError]:
    """The run's errors, read only when the writer reaches them.

    A :class:`~lawaudit.runner.LiveRun` knows all its errors only after its
    last result; the errors follow the results in the document, so by then
    they are complete.
    """
    yield from run.errors


def run_document(run: Run | LiveRun, *, lazy: bool = False) -> dict[str, Any]:
    """The JSON document as Python data (also used by other reporters and ``diff``).

    ``lazy``: results stay objects until :func:`lawaudit.jsonout.dumps` writes
    them, one at a time (bounded memory on large corpora); with a
    :class:`~lawaudit.runner.LiveRun` each is audited just before it is written.
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lawaudit", "version": run.tool_version},
        "criteria": {"name": run.catalogue_name, "version": run.catalogue_version, "count": run.criteria_count},
        "results": Lazy(run.results, AuditResult.as_dict, plain=True) if lazy else [r.as_dict() for r in run.results],
        "errors": Lazy(_errors_when_reached(run), InputError.as_dict, plain=True) if lazy else [e.as_dict() for e in run.errors],
    }


class JsonReporter(Reporter):
    format = Format.json

    def __init__(self, templates: object = None) -> None:
        del templates  # not a template format

    def render(self, run: Run) -> str:
        # the bytes of json.dumps(..., ensure_ascii=False, indent=2), several times sooner
        return dumps(run_document(run, lazy=True)) + "\n"

    streams = True

    def write(self, run: Run | LiveRun, out: TextIO) -> None:
        # one result at a time: 10,000 statutes make ~70 MB of JSON, never held whole;
        # from a LiveRun, written while the remaining files are audited
        write(run_document(run, lazy=True), out.write)
        out.write("\n")

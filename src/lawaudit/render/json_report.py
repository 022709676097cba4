"""``--format json``: the contract's document (``shared/spec/cli-contract.md``).

Keys appear in a fixed order and results are ordered by file, findings by
test then criterion, so the same input always gives byte-identical output.
Fields beyond the contract (``rationale``, ``aims``, ``reviewed``, ``match``)
are additive, which the contract allows.
"""

from __future__ import annotations

from typing import Any, TextIO

from ..choices import Format
from ..jsonout import Lazy, Raw, dumps, encode_at, write
from ..results import AuditResult
from ..runner import Run
from . import Reporter

SCHEMA_VERSION = 1
#: how deep a result stands in the document: {"results": [ RESULT ]}
_RESULT_LEVEL = 2


def prepare(result: AuditResult) -> str:
    """One result's JSON text, as it stands in the document.

    Given to :func:`lawaudit.runner.audit_paths` as ``prepare``, it runs in
    the worker that audited the result, so encoding the report is shared
    among the workers instead of left to the parent at the end of the run.
    """
    return encode_at(result.as_dict(), _RESULT_LEVEL)


def run_document(run: Run, *, lazy: bool = False) -> dict[str, Any]:
    """The JSON document as Python data (also used by other reporters and ``diff``).

    ``lazy``: results stay objects until :func:`lawaudit.jsonout.dumps` writes
    them, one at a time (bounded memory on large corpora); results the run
    already encoded with :func:`prepare` are copied as they are.
    """
    results: Any
    if lazy and run.prepared is not None and run.prepared_with is prepare:
        results = Lazy(run.prepared, Raw)
    elif lazy:
        results = Lazy(run.results, AuditResult.as_dict)
    else:
        results = [r.as_dict() for r in run.results]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lawaudit", "version": run.tool_version},
        "criteria": {"name": run.catalogue_name, "version": run.catalogue_version, "count": run.criteria_count},
        "results": results,
        "errors": [e.as_dict() for e in run.errors],
    }


class JsonReporter(Reporter):
    format = Format.json

    def __init__(self, templates: object = None) -> None:
        del templates  # not a template format

    def render(self, run: Run) -> str:
        # the bytes of json.dumps(..., ensure_ascii=False, indent=2), 2-3x faster
        return dumps(run_document(run, lazy=True)) + "\n"

    streams = True

    def write(self, run: Run, out: TextIO) -> None:
        # one result at a time: 10,000 statutes make ~70 MB of JSON, never held whole
        write(run_document(run, lazy=True), out.write)
        out.write("\n")

"""``--format json``: the contract's document (``shared/spec/cli-contract.md``).

Keys appear in a fixed order and results are ordered by file, findings by
test then criterion, so the same input always gives byte-identical output.
Fields beyond the contract (``rationale``, ``aims``, ``reviewed``, ``match``)
are additive, which the contract allows.
"""

from __future__ import annotations

from typing import Any, TextIO

from ..choices import Format
from ..jsonout import Lazy, dumps, write
from ..results import AuditResult
from ..runner import Run
from . import Reporter

SCHEMA_VERSION = 1


def run_document(run: Run, *, lazy: bool = False) -> dict[str, Any]:
    """The JSON document as Python data (also used by other reporters and ``diff``).

    ``lazy``: results stay objects until :func:`lawaudit.jsonout.dumps` writes
    them, one at a time (bounded memory on large corpora).
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lawaudit", "version": run.tool_version},
        "criteria": {"name": run.catalogue_name, "version": run.catalogue_version, "count": run.criteria_count},
        "results": Lazy(run.results, AuditResult.as_dict) if lazy else [r.as_dict() for r in run.results],
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

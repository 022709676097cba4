"""``--format json``: the contract's document (``shared/spec/cli-contract.md``).

Keys appear in a fixed order and results are ordered by file, findings by
test then criterion, so the same input always gives byte-identical output.
Fields beyond the contract (``rationale``, ``aims``, ``reviewed``, ``match``)
are additive, which the contract allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any, TextIO

from ..choices import Format
from ..errors import InputError
from ..jsonout import Lazy, Raw, dumps, encode_at, write
from ..results import AuditResult, SourceRef
from ..runner import LiveRun, Run
from . import Reporter

SCHEMA_VERSION = 1


#: how deep a finding's ``sources`` list stands: {"results": [{"findings": [{"sources": [ ]}]}]}
_SOURCES_LEVEL = 5


@lru_cache(maxsize=1024)
def _sources_json(sources: tuple[SourceRef, ...]) -> Raw:
    """A criterion's sources, encoded once per run: every finding of the criterion repeats them.

    They are about a third of a report's text; encoding them once instead
    of at every finding takes that share off the JSON writing time.
    """
    return Raw(encode_at([s.as_dict() for s in sources], _SOURCES_LEVEL))


def _result_data(result: AuditResult) -> dict[str, Any]:
    """``result.as_dict()`` with the findings' sources already encoded (same bytes once written)."""
    data = result.as_dict()
    for key, findings in (("findings", result.findings), ("reviewed", result.reviewed)):
        for finding, item in zip(findings, data[key]):
            item["sources"] = _sources_json(finding.sources)
    return data


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
        "results": Lazy(run.results, _result_data) if lazy else [r.as_dict() for r in run.results],
        "errors": Lazy(_errors_when_reached(run), InputError.as_dict) if lazy else [e.as_dict() for e in run.errors],
    }


class JsonReporter(Reporter):
    format = Format.json

    def __init__(self, templates: object = None) -> None:
        del templates  # not a template format

    def render(self, run: Run) -> str:
        # the bytes of json.dumps(..., ensure_ascii=False, indent=2), 2-3x faster
        return dumps(run_document(run, lazy=True)) + "\n"

    streams = True

    def write(self, run: Run | LiveRun, out: TextIO) -> None:
        # one result at a time: 10,000 statutes make ~70 MB of JSON, never held whole;
        # from a LiveRun, written while the remaining files are audited
        write(run_document(run, lazy=True), out.write)
        out.write("\n")

"""``--format json``: the contract's document (``shared/spec/cli-contract.md``).

Keys appear in a fixed order and results are ordered by file, findings by
test then criterion, so the same input always gives byte-identical output.
Fields beyond the contract (``rationale``, ``aims``, ``reviewed``, ``match``)
are additive, which the contract allows.
"""

from __future__ import annotations

import json
from typing import Any

from ..choices import Format
from ..runner import Run
from . import Reporter

SCHEMA_VERSION = 1


def run_document(run: Run) -> dict[str, Any]:
    """The JSON document as Python data (also used by other reporters and ``diff``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lawaudit", "version": run.tool_version},
        "criteria": {"name": run.catalogue_name, "version": run.catalogue_version, "count": run.criteria_count},
        "results": [r.as_dict() for r in run.results],
        "errors": [e.as_dict() for e in run.errors],
    }


class JsonReporter(Reporter):
    format = Format.json

    def __init__(self, templates: object = None) -> None:
        del templates  # not a template format

    def render(self, run: Run) -> str:
        return json.dumps(run_document(run), ensure_ascii=False, indent=2) + "\n"

"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning.

One rule per criterion that fired (help text, the standards it rests on, and
``helpUri`` pointing at the first of them); one result per finding, located at
the statute file and the line of its first evidence. ``partialFingerprints``
hash the criterion and the statute id, never the line, so an alert survives
edits elsewhere in the file. Findings accepted on review are reported with an
external suppression. Files that could not be loaded become tool execution
notifications.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from ..choices import Format
from ..results import AuditResult, Finding, Severity
from ..jsonout import Lazy, dumps, write
from ..runner import LiveRun, Run
from . import Reporter, finished, mdtext
from .views import RECOMMENDATION_LABEL, TEST_LABEL

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Severity.fail: "error", Severity.concern: "warning"}
#: the key of our fingerprint in ``partialFingerprints`` (versioned: change the recipe, change the key)
FINGERPRINT_KEY = "lawauditFinding/v1"


def _uri(path: str) -> str:
    """The statute file as a URI reference: relative to the working directory when it lies
    under it (code scanning wants repository-relative paths), else a ``file:`` URI."""
    if os.path.isabs(path):
        rel = os.path.relpath(path)
        if rel.startswith(".."):
            return Path(path).as_uri()
        path = rel
    return quote(path.replace("\\", "/"), safe="/-._~")


def fingerprint(criterion: str, statute: str) -> str:
    """Stable across runs and line moves: a hash of the criterion and the statute id."""
    return hashlib.sha256(f"{criterion}\x00{statute}".encode()).hexdigest()[:32]


def _rule(f: Finding) -> dict[str, Any]:
    cites = [f"{s.cite()}{' (' + s.title + ')' if s.title else ''}: {s.url}" for s in f.sources]
    help_text = f"{f.recommendation}\n\nStandards:\n" + "\n".join(f"- {c}" for c in cites) if cites else f.recommendation
    md_sources = "\n".join(
        f"- {mdtext.link(s.cite(), s.url)}" + (f" — {mdtext.inline(s.title)}" if s.title else "") for s in f.sources
    )
    rule: dict[str, Any] = {
        "id": f.criterion,
        "name": f.criterion.replace(".", "/"),
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": f"{f.title} ({TEST_LABEL[f.test]} test)."},
        "help": {"text": help_text, "markdown": f"**{mdtext.inline(f.recommendation)}**\n\n{md_sources}" if md_sources else mdtext.inline(f.recommendation)},
        "defaultConfiguration": {"level": _LEVEL[f.severity]},
        "properties": {"tags": ["iccpr", f.test.value], "test": f.test.value},
    }
    if f.sources:
        rule["helpUri"] = f.sources[0].url
    if f.remedy is not None:
        rule["properties"]["remedy"] = f.remedy.value
    return rule


def _result(r: AuditResult, f: Finding, rule_index: int, reviewed: bool) -> dict[str, Any]:
    line = max(1, f.evidence[0].line) if f.evidence else 1
    cite = "; ".join(s.cite() for s in f.sources)
    text = (
        f"{r.provision} ({r.statute}): {f.title}. {f.message} "
        f"Recommendation: {f.recommendation}" + (f" Standard: {cite}." if cite else "")
    )
    out: dict[str, Any] = {
        "ruleId": f.criterion,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(r.file)},
                    "region": {"startLine": line},
                },
                "logicalLocations": [{"name": r.provision, "fullyQualifiedName": r.statute, "kind": "module"}],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f.criterion, r.statute)},
        "properties": {
            "statute": r.statute,
            "test": f.test.value,
            "verdict": r.verdict.value,
            "recommendation": RECOMMENDATION_LABEL[r.recommendation],
            "evidence": [e.as_dict() for e in f.evidence],
        },
    }
    if reviewed:
        reason = str((f.review or {}).get("reason", "accepted on analyst review"))
        out["suppressions"] = [{"kind": "external", "justification": reason}]
    return out


def sarif_document(run: Run, lazy: bool = False) -> dict[str, Any]:
    """The SARIF log as Python data; ``lazy``: its results as a :class:`~lawaudit.jsonout.Lazy` list.

    A lazy list is made one result at a time as it is written, so that a
    log of 10,000 statutes (~65 MB) is never held as data.
    """
    rules: dict[str, dict[str, Any]] = {}
    for r in run.results:
        for f in (*r.findings, *r.reviewed):
            rules.setdefault(f.criterion, _rule(f))
    order = sorted(rules)
    index = {cid: i for i, cid in enumerate(order)}
    made = (
        _result(r, f, index[f.criterion], reviewed)
        for r in run.results
        for findings, reviewed in ((r.findings, False), (r.reviewed, True))
        for f in findings
    )
    results: Any = Lazy(made, _same, plain=True) if lazy else list(made)
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{e.field}: {e.message}" if e.field else e.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(e.file)},
                        "region": {"startLine": max(1, e.line), **({"startColumn": e.column} if e.column >= 1 else {})},
                    }
                }
            ],
        }
        for e in run.errors
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lawaudit",
                        "version": run.tool_version,
                        "semanticVersion": run.tool_version,
                        "rules": [rules[c] for c in order],
                        "properties": {
                            "catalogue": run.catalogue_name,
                            "catalogueVersion": run.catalogue_version,
                            "criteriaCount": run.criteria_count,
                        },
                    }
                },
                "invocations": [{"executionSuccessful": not run.errors, "toolExecutionNotifications": notifications}],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


class SarifReporter(Reporter):
    format = Format.sarif

    def __init__(self, templates: Path | None = None) -> None:
        del templates  # not a template format

    def render(self, run: Run) -> str:
        # the bytes of json.dumps(..., ensure_ascii=False, indent=2), sooner (jsonout)
        return dumps(sarif_document(run, lazy=True)) + "\n"

    def write(self, run: "Run | LiveRun", out: TextIO) -> None:
        """Write the log a result at a time (the finished run is needed: rules come first)."""
        write(sarif_document(finished(run), lazy=True), out.write)
        out.write("\n")


def _same(item: Any) -> Any:
    return item

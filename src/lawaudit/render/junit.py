"""``--format junit``: JUnit XML for CI test dashboards.

One ``testsuite`` per statute and one ``testcase`` per statute and test
(legality, legitimate aim, necessity, precision): a ``failure`` when the test
fails, ``skipped`` when it does not apply, a pass otherwise (concerns are
listed in ``system-out``). Files that could not be loaded form a last suite of
``error`` test cases.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import TextIO

from ..choices import Format
from ..results import AuditResult, Finding, TestName, TestStatus
from ..errors import InputError
from ..runner import LiveRun, Run
from . import WritingReporter, finished
from .views import TEST_LABEL

#: characters XML 1.0 cannot carry at all
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _finding_text(f: Finding) -> str:
    lines = [f"[{f.severity.value}] {f.criterion}: {f.title}", f"  {f.message}"]
    lines += [f"  evidence: {e.field} line {e.line}: “{e.quote}”" for e in f.evidence]
    lines += [f"  standard: {s.cite()} — {s.url}" for s in f.sources]
    lines.append(f"  recommendation: {f.recommendation}")
    return "\n".join(lines)


def _suite(r: AuditResult) -> ET.Element:
    failures, skipped = _counts(r)
    suite = ET.Element(
        "testsuite",
        {
            "name": _x(f"{r.statute}: {r.provision}"),
            "tests": str(len(TestName)),
            "failures": str(failures),
            "errors": "0",
            "skipped": str(skipped),
            "file": _x(r.file),
        },
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (("verdict", r.verdict.value), ("recommendation", r.recommendation.value), ("score", str(r.score))):
        ET.SubElement(props, "property", {"name": name, "value": value})
    for t in TestName:
        res = r.tests[t]
        mine = [f for f in r.findings if f.test is t]
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": _x(r.statute), "name": _x(f"{t.value}: {TEST_LABEL[t]}"), "file": _x(r.file)},
        )
        if mine:
            case.set("line", str(max(1, mine[0].evidence[0].line if mine[0].evidence else 1)))
        body = "\n\n".join(_finding_text(f) for f in mine)
        if res.status is TestStatus.fail:
            titles = "; ".join(f.title for f in mine if f.severity.value == "fail")
            failure = ET.SubElement(case, "failure", {"message": _x(f"{TEST_LABEL[t]} fails (score {res.score}): {titles}"), "type": "fail"})
            failure.text = _x(body)
        elif res.status is TestStatus.not_applicable:
            ET.SubElement(case, "skipped", {"message": "no criterion of this test applies to the rights restricted"})
        elif mine:
            out = ET.SubElement(case, "system-out")
            out.text = _x(f"{TEST_LABEL[t]}: concern (score {res.score})\n\n{body}")
    return suite


class JunitReporter(WritingReporter):
    format = Format.junit

    def __init__(self, templates: Path | None = None) -> None:
        del templates  # not a template format

    def write(self, run: "Run | LiveRun", out: TextIO) -> None:
        """Write the document a suite at a time: the text ``ET.indent`` and ``ET.tostring`` give for the whole tree.

        The tree of 10,000 statutes, built whole, took ~300 MB. The totals on
        ``testsuites`` are counted from the results first; then each suite is
        built, indented for its depth and written on its own.
        """
        run = finished(run)
        counts = [_counts(r) for r in run.results]
        errors = len(run.errors)
        root = ET.Element("testsuites", {"name": "lawaudit"})
        root.set("tests", str(len(TestName) * len(counts) + errors))
        root.set("failures", str(sum(c[0] for c in counts)))
        root.set("errors", str(errors))
        root.set("skipped", str(sum(c[1] for c in counts)))
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        if not counts and not errors:
            out.write(ET.tostring(root, encoding="unicode") + "\n")
            return
        # the root's start tag as the whole tree writes it: the root serialised without children, its " />" cut
        head = ET.tostring(root, encoding="unicode").removesuffix(" />") + ">"
        out.write(head)
        suites: Iterator[ET.Element] = (_suite(r) for r in run.results)
        if errors:
            suites = chain(suites, (_error_suite(run.errors),))
        for suite in suites:
            out.write(_indented(suite))
        out.write("\n</testsuites>\n")


def _indented(suite: ET.Element) -> str:
    """``suite`` as a child of the root in ``ET.indent(root, space="  ")``'s output, with the line break before it."""
    ET.indent(suite, space="  ", level=1)
    suite.tail = None  # (the whole tree's last suite ends "\n", the others "\n  ": the next one's line break)
    return "\n  " + ET.tostring(suite, encoding="unicode")


def _counts(r: AuditResult) -> tuple[int, int]:
    """A statute's failing and not-applicable tests: its suite's ``failures`` and ``skipped``."""
    return (
        sum(r.tests[t].status is TestStatus.fail for t in TestName),
        sum(r.tests[t].status is TestStatus.not_applicable for t in TestName),
    )


def _error_suite(errors: "tuple[InputError, ...] | list[InputError]") -> ET.Element:
    """The last suite: one ``error`` test case per file that could not be loaded."""
    err_suite = ET.Element(
        "testsuite",
        {"name": "files that could not be loaded", "tests": str(len(errors)), "failures": "0", "errors": str(len(errors)), "skipped": "0"},
    )
    for e in errors:
        case = ET.SubElement(err_suite, "testcase", {"classname": _x(e.file), "name": _x(f"load {e.file}:{e.line}:{e.column}"), "file": _x(e.file), "line": str(max(1, e.line))})
        err = ET.SubElement(case, "error", {"message": _x(e.render()), "type": "input_error"})
        err.text = _x(e.render())
    return err_suite

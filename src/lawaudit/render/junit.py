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
from pathlib import Path

from ..choices import Format
from ..results import AuditResult, Finding, TestName, TestStatus
from ..runner import Run
from . import Reporter
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
    failures = sum(r.tests[t].status is TestStatus.fail for t in TestName)
    skipped = sum(r.tests[t].status is TestStatus.not_applicable for t in TestName)
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


class JunitReporter(Reporter):
    format = Format.junit

    def __init__(self, templates: Path | None = None) -> None:
        del templates  # not a template format

    def render(self, run: Run) -> str:
        root = ET.Element("testsuites", {"name": "lawaudit"})
        suites = [_suite(r) for r in run.results]
        if run.errors:
            err_suite = ET.Element(
                "testsuite",
                {"name": "files that could not be loaded", "tests": str(len(run.errors)), "failures": "0", "errors": str(len(run.errors)), "skipped": "0"},
            )
            for e in run.errors:
                case = ET.SubElement(err_suite, "testcase", {"classname": _x(e.file), "name": _x(f"load {e.file}:{e.line}:{e.column}"), "file": _x(e.file), "line": str(max(1, e.line))})
                err = ET.SubElement(case, "error", {"message": _x(e.render()), "type": "input_error"})
                err.text = _x(e.render())
            suites.append(err_suite)
        root.extend(suites)
        tests = sum(int(s.get("tests", "0")) for s in suites)
        root.set("tests", str(tests))
        root.set("failures", str(sum(int(s.get("failures", "0")) for s in suites)))
        root.set("errors", str(sum(int(s.get("errors", "0")) for s in suites)))
        root.set("skipped", str(sum(int(s.get("skipped", "0")) for s in suites)))
        ET.indent(root, space="  ")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

"""Golden files: the Markdown reports of two corpus statutes, byte for byte.

When a change to the criteria, the engine or the templates changes these
reports on purpose, regenerate the golden files and review the diff:

    LAWAUDIT_REGEN_GOLDEN=1 pytest tests/test_render_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from lawaudit.render.markdown_report import MarkdownReporter
from lawaudit.runner import audit_paths

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
STATUTES = ["statutes/kz_cc_274.yaml", "statutes/kz_cc_400.yaml"]
#: golden file -> file written by the Markdown report
CASES = {
    "kz-cc-274.md": "kz-cc-274.md",
    "kz-cc-400.md": "kz-cc-400.md",
    "kz-cc-274+400-recommendations.md": "recommendations.md",
}


@pytest.fixture(scope="module")
def files():
    old = os.getcwd()
    os.chdir(REPO)  # statute paths in the reports are as given: relative to the repository
    try:
        return MarkdownReporter().report_files(audit_paths(STATUTES))
    finally:
        os.chdir(old)


@pytest.mark.parametrize("golden", sorted(CASES))
def test_markdown_matches_golden(golden, files):
    actual = files[CASES[golden]]
    path = GOLDEN / golden
    if os.environ.get("LAWAUDIT_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{golden} differs from the rendered report; if the change is intended, run "
        "`LAWAUDIT_REGEN_GOLDEN=1 pytest tests/test_render_golden.py` and review the diff"
    )


def test_golden_reports_say_what_the_issue_asks(files):
    report = files["kz-cc-274.md"]
    head = report.split("## The four tests")[0]
    # verdict and recommendation up front, the recommendation in the imperative
    assert "**Verdict: incompatible**" in head and "**Recommendation: repeal**" in head
    assert "> Repeal Article 274 of the Criminal Code of the Republic of Kazakhstan" in head
    # the four tests with status and score
    for label in ("Legality", "Legitimate aim", "Necessity and proportionality", "Precision"):
        assert f"| {label} | " in report
    # findings quote the evidence with its line, and cite the standard with document, paragraph and link
    assert re.search(r"^- line \d+, `conduct`: “dissemination of information known to be false", report, re.M)
    assert "[CCPR/C/GC/34 para 49](https://www2.ohchr.org/english/bodies/hrc/docs/gc34.pdf)" in report
    recs = files["recommendations.md"]
    bullets = [line for line in recs.splitlines() if line.startswith("- ")]
    assert [b.split(" ")[1] for b in bullets] == ["Repeal", "Repeal"]
    assert "Article 274" in bullets[0] and "Article 400" in bullets[1]

"""Every output format: wired in the registry, deterministic, and correct in its own terms
(JUnit XML, GitHub workflow commands, the job summary, the JSON path's light imports)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lawaudit.choices import Format
from lawaudit.render import REGISTRY, Reporter, reporter_for
from lawaudit.render.github import GithubReporter, command, escape_data, escape_property
from lawaudit.render.summary import append_step_summary, render_summary
from lawaudit.runner import audit_paths

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def small_run(tmp_path, monkeypatch):
    """One real statute and one file that cannot be loaded."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "kz_cc_274.yaml").write_bytes((REPO / "statutes" / "kz_cc_274.yaml").read_bytes())
    (tmp_path / "s" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    return audit_paths(["s"])


def _corpus_run():
    return audit_paths([str(REPO / "statutes")], jobs=1)


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_is_wired(fmt, small_run):
    assert fmt in REGISTRY, f"Format.{fmt.name} has no reporter in REGISTRY"
    reporter = reporter_for(fmt)
    assert isinstance(reporter, Reporter)
    assert reporter.format is fmt
    text = reporter.render(small_run)
    assert isinstance(text, str) and text.endswith("\n") and text.strip()
    # the statute appears in every format
    assert "kz_cc_274.yaml" in text or "kz-cc-274" in text
    # template formats accept --templates; the others ignore it instead of crashing
    reporter_for(fmt, templates=None).render(small_run)


@pytest.mark.parametrize("fmt", list(Format))
def test_output_is_byte_identical_across_runs(fmt, monkeypatch):
    monkeypatch.chdir(REPO)
    first = reporter_for(fmt).render(audit_paths(["statutes"], jobs=1))
    second = reporter_for(fmt).render(audit_paths(["statutes"], jobs=2))
    assert first.encode("utf-8") == second.encode("utf-8")


def test_check_json_imports_neither_jinja_nor_rich():
    code = (
        "import sys, runpy\n"
        "sys.argv = ['lawaudit', 'check', 'statutes/', '-f', 'json']\n"
        "try:\n"
        "    runpy.run_module('lawaudit', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'rich'))\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy) + '\\n')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    doc = json.loads(proc.stdout)
    assert doc["results"], proc.stderr
    line = [x for x in proc.stderr.splitlines() if x.startswith("HEAVY=")]
    assert line == ["HEAVY="], proc.stderr


# ------------------------------------------------------------------ junit


def test_junit_has_a_testcase_per_statute_and_test(small_run):
    root = ET.fromstring(reporter_for(Format.junit).render(small_run).split("\n", 1)[1])
    result = small_run.results[0]
    suites = root.findall("testsuite")
    statute_suite = suites[0]
    cases = statute_suite.findall("testcase")
    assert [c.get("name").split(":")[0] for c in cases] == ["legality", "legitimate_aim", "necessity", "precision"]
    for case in cases:
        status = result.tests[next(t for t in result.tests if t.value == case.get("name").split(":")[0])].status.value
        assert (case.find("failure") is not None) == (status == "fail")
        assert (case.find("skipped") is not None) == (status == "not_applicable")
    # the file that could not be loaded is an error test case
    errors = suites[-1].findall("testcase/error")
    assert len(errors) == len(small_run.errors) >= 1
    assert root.get("failures") == str(sum(1 for c in cases if c.find("failure") is not None))


# ----------------------------------------------------------------- github


def test_github_escaping_follows_actions_core():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert command("error", "m", file="x,y:z.yaml", line=3, title="t") == "::error file=x%2Cy%3Az.yaml,line=3,title=t::m"


def test_github_annotations(small_run):
    out = GithubReporter().render(small_run)
    lines = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    # one line per annotation: messages never contain a raw newline
    result = small_run.results[0]
    fails = [f for f in result.findings if f.severity.value == "fail"]
    concerns = [f for f in result.findings if f.severity.value == "concern"]
    errors = [x for x in lines if x.startswith("::error ")]
    assert len(errors) == min(10, len(fails) + len(small_run.errors))
    assert len([x for x in lines if x.startswith("::warning ")]) == min(10, len(concerns))
    first = next(x for x in errors if "kz_cc_274" in x)
    f = fails[0]
    assert first.startswith(f"::error file=s/kz_cc_274.yaml,line={f.evidence[0].line},title=lawaudit {f.criterion} (fail)::")
    assert "%0A" in first  # the multi-line message was escaped


def test_github_caps_annotations_per_step(monkeypatch):
    monkeypatch.chdir(REPO)
    run = audit_paths(["statutes"])
    out = GithubReporter().render(run)
    n_fail = sum(f.severity.value == "fail" for r in run.results for f in r.findings)
    assert n_fail > 10  # the corpus has more than GitHub shows
    assert out.count("::error ") == 10
    notice = [x for x in out.splitlines() if x.startswith("::notice ")]
    assert len(notice) == 1 and "more finding(s) are not annotated" in notice[0]


# ---------------------------------------------------------------- summary


def test_step_summary_appends_table_and_details(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    run = audit_paths(["statutes"])
    path = tmp_path / "summary.md"
    path.write_text("earlier step output\n", encoding="utf-8")
    append_step_summary(run, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("earlier step output\n")
    for r in run.results:
        assert f"| `{r.statute}` |" in text
    assert text.count("<details>") == len(run.results) == text.count("</details>")
    assert "truncated" not in text


def test_step_summary_stays_under_the_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    run = audit_paths(["statutes"])
    small = render_summary(run, budget=4000)
    assert len(small.encode("utf-8")) <= 4000
    assert "truncated" in small and "| `kz-assembly-law-1995` |" in small
    # a file already near the 1 MiB limit gets only what fits
    path = tmp_path / "summary.md"
    path.write_bytes(b"x" * (1024 * 1024 - 20_000))
    append_step_summary(run, path)
    assert path.stat().st_size < 1024 * 1024
    assert "truncated" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["github", "json"])  # json: the streamed report must still feed the summary
def test_check_writes_step_summary(tmp_path, fmt):
    summary = tmp_path / "summary.md"
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary))
    proc = subprocess.run(
        [sys.executable, "-m", "lawaudit", "check", "statutes/kz_cc_274.yaml", "statutes/kz_cc_400.yaml", "-f", fmt],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("::" if fmt == "github" else "{")
    text = summary.read_text(encoding="utf-8")
    assert "kz-cc-274" in text and "kz-cc-400" in text


# ---------------------------------------------------------------- reviews


def test_reviewed_findings_are_shown_in_every_human_format(tmp_path, monkeypatch):
    from lawaudit.reviews import find_reviews

    monkeypatch.chdir(tmp_path)
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "kz_cc_274.yaml").write_bytes((REPO / "statutes" / "kz_cc_274.yaml").read_bytes())
    (tmp_path / "s" / "reviews.yaml").write_text(
        "reviews:\n"
        "  - statute: kz-cc-274\n"
        "    criterion: precision.undefined-vague-term\n"
        "    reason: A binding ruling | defines the `term` <narrowly>.\n"
        "    by: A. Analyst\n"
        "    date: 2026-11-20\n",
        encoding="utf-8",
    )
    run = audit_paths(["s"], reviews=find_reviews(["s"]))
    assert not run.errors, run.errors
    assert [f.criterion for f in run.results[0].reviewed] == ["precision.undefined-vague-term"]
    md = reporter_for(Format.markdown).render(run)
    assert "accepted on review by A. Analyst on 2026-11-20: A binding ruling \\| defines the \\`term\\` &lt;narrowly&gt;." in md
    page = reporter_for(Format.html).render(run)
    assert "A binding ruling | defines the `term` &lt;narrowly&gt;." in page
    sarif = json.loads(reporter_for(Format.sarif).render(run))
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["precision.undefined-vague-term"]
    assert suppressed[0]["suppressions"][0]["justification"].startswith("A binding ruling")


def test_step_summary_never_fails_the_audit(tmp_path, small_run):
    assert append_step_summary(small_run, tmp_path / "missing-folder" / "summary.md") is False
    assert append_step_summary(small_run, tmp_path / "summary.md") is True


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_control_characters_from_yaml_escapes_never_reach_the_terminal(tmp_path, fmt) -> None:
    """``title: "…\\x1b[2J…"`` is valid YAML; the terminal reports show the character as ``\\x1b``, not send it."""
    root = Path(__file__).resolve().parent.parent
    text = (root / "tests" / "controls" / "incitement_narrow.yaml").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    statute = tmp_path / "s.yaml"
    statute.write_text(text.replace(title, 'title: "Clear\\x1b[2Jthe screen\\u0007 and ring"'), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "lawaudit", "check", str(statute), "-f", fmt, "--fail-on", "never"],
                          capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert b"\x1b" not in proc.stdout and b"\x07" not in proc.stdout
    assert b"Clear\\x1b[2Jthe screen\\x07 and ring" in proc.stdout


def test_evidence_in_a_quoted_value_points_at_its_line(tmp_path) -> None:
    """A ``"\\n"`` escape in a quoted scalar is not a line of the file: the evidence line is the value's own."""
    root = Path(__file__).resolve().parent.parent
    text = (root / "statutes" / "kz_cc_274.yaml").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    quoted = 'title: "Dissemination\\n\\n\\nof information known to be false"'
    statute = tmp_path / "s.yaml"
    statute.write_text(text.replace(title, quoted), encoding="utf-8")
    title_line = 1 + statute.read_text(encoding="utf-8").splitlines().index(quoted)
    proc = subprocess.run([sys.executable, "-m", "lawaudit", "check", str(statute), "-f", "json", "--fail-on", "never"],
                          capture_output=True, text=True, check=False)
    doc = json.loads(proc.stdout)
    lines = {e["line"] for r in doc["results"] for f in r["findings"] for e in f["evidence"] if e["field"] == "title"}
    assert lines == {title_line}, proc.stdout

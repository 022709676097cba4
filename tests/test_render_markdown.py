"""Markdown rendering: hostile statute text stays text, tables stay tables, the
recommendations list reads like the founding briefing's, and ``--templates`` overrides."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from lawaudit.choices import Format
from lawaudit.render import mdtext, reporter_for, views
from lawaudit.render.markdown_report import MarkdownReporter
from lawaudit.results import (
    AuditResult,
    Evidence,
    Finding,
    Recommendation,
    Severity,
    SourceRef,
    TestName,
    TestResult,
    TestStatus,
    Verdict,
)
from lawaudit.runner import Run, audit_paths

REPO = Path(__file__).resolve().parents[1]
HOSTILE_TITLE = "<script>document.title='pwned'</script> a|b `tick` # *star* _u_ [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
HOSTILE_INSTRUMENT = "Code | with `backticks` # hash <b>bold</b> & more"
HOSTILE_PROVISION = "Article 1|2 `x`"
#: put into the conduct, which findings quote as evidence
HOSTILE_CONDUCT = "dissemination of `information` | known to be false <i>that</i> # creates"


def hostile_statute(folder: Path, statute_id: str = "hostile-1") -> Path:
    """A copy of a corpus statute whose title, instrument and provision are hostile Markdown/HTML."""
    src = (REPO / "statutes" / "kz_cc_274.yaml").read_text(encoding="utf-8")
    src = src.replace("id: kz-cc-274", f"id: {statute_id}")
    src = re.sub(r"^title: .*$", "title: " + json.dumps(HOSTILE_TITLE), src, flags=re.M)
    src = re.sub(r"^instrument: .*$", "instrument: " + json.dumps(HOSTILE_INSTRUMENT), src, flags=re.M)
    src = re.sub(r"^provision: .*$", "provision: " + json.dumps(HOSTILE_PROVISION), src, flags=re.M)
    conduct = "  dissemination of information known to be false that creates"
    assert conduct in src
    src = src.replace(conduct, "  " + HOSTILE_CONDUCT)
    path = folder / f"{statute_id}.yaml"
    path.write_text(src, encoding="utf-8")
    return path


def _md():
    return MarkdownIt("commonmark").enable("table")


def _text_of(tokens) -> str:
    out = []
    for t in tokens:
        if t.type == "inline":
            out.append("".join(c.content for c in t.children if c.type in ("text", "code_inline")))
    return "".join(out)


@pytest.mark.parametrize(
    "raw",
    [HOSTILE_TITLE, HOSTILE_INSTRUMENT, "1. not a list", "- not a list", "# not a heading", "a\nb  | c\\d $x$ ~~s~~ &amp;"],
)
def test_inline_renders_literally(raw):
    tokens = _md().parse(mdtext.inline(raw))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    inline = tokens[1].children
    assert all(c.type == "text" for c in inline), [c.type for c in inline]
    assert "".join(c.content for c in inline) == " ".join(raw.split())


def _inline_char_by_char(text: object) -> str:
    """The escaping as first written, a character at a time: the reference the faster one must equal."""
    s = re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", str(text))).strip()
    out = []
    for ch in s:
        if ch in "&<>":
            out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;"}[ch])
        elif ch in "\\`*_[]|#~!$":
            out.append("\\" + ch)
        else:
            out.append(ch)
    res = "".join(out)
    if re.match(r"^[-+=](\s|$)", res):
        return "\\" + res
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", res)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab19٣²-+=.) \t\n\x0b\x0c\x1c\x85\xa0\u2028\u3000&<>\\`*_[]|#~!$ё")) | st.characters(),
        max_size=30,
    )
)
@example("2. two")
@example("٣) three in Arabic-Indic digits")
@example("² superscript")
@example("= x")
@example("\x0b-\x0c")
def test_inline_equals_escaping_char_by_char(raw: str) -> None:
    assert mdtext.inline(raw) == _inline_char_by_char(raw)


def test_inline_in_a_table_cell_keeps_the_columns():
    row = "| " + " | ".join(mdtext.inline(x) for x in (HOSTILE_TITLE, HOSTILE_INSTRUMENT, "|||")) + " |"
    tokens = _md().parse("| a | b | c |\n|---|---|---|\n" + row + "\n")
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 3
    texts = [t.children for t in tokens if t.type == "inline"][3:]
    assert ["".join(c.content for c in ch) for ch in texts] == [HOSTILE_TITLE, HOSTILE_INSTRUMENT, "|||"]


def test_links_only_for_http_urls():
    assert mdtext.link("x", "javascript:alert(1)") == "x"
    assert mdtext.link("a]b", "https://ex.org/a b(c)|d") == "[a\\]b](https://ex.org/a%20b%28c%29%7Cd)"


def _row_widths(tokens) -> list[int]:
    widths = []
    for i, t in enumerate(tokens):
        if t.type == "tr_open":
            n = 0
            for u in tokens[i + 1 :]:
                if u.type == "tr_close":
                    break
                n += u.type in ("th_open", "td_open")
            widths.append(n)
    return widths


def test_hostile_statute_renders_without_breaking_tables(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hostile_statute(tmp_path)
    run = audit_paths(["hostile-1.yaml"])
    assert run.results and not run.errors
    docs = {"check": MarkdownReporter().render(run), **MarkdownReporter().report_files(run)}
    anchors = {'<a id="hostile-1">', "</a>"}
    for name, doc in docs.items():
        tokens = _md().parse(doc)
        # no HTML from the statute gets through: the only HTML is our own anchor
        assert not [t for t in tokens if t.type == "html_block"], name
        html = [c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "html_inline"]
        assert set(html) <= anchors, (name, html)
        # the hostile strings come out as the same text
        text = _text_of(tokens)
        assert HOSTILE_PROVISION in text, name
        if name != "index.md":
            assert HOSTILE_TITLE in text and HOSTILE_INSTRUMENT in text, name
        if name not in ("index.md", "recommendations.md"):
            assert "“" + HOSTILE_CONDUCT in text, name  # quoted as evidence, intact
        # no heading or link was made out of statute text
        assert not [t for t in tokens if t.type == "link_open" and "javascript" in (t.attrGet("href") or "")]
        assert all(t.tag in ("h1", "h2", "h3", "h4") for t in tokens if t.type == "heading_open")
        # every table keeps its columns: each row as wide as its header
        for table in re.findall(r"(?:^\|.*\|\n)+", doc, flags=re.M):
            widths = _row_widths(_md().parse(table))
            assert widths and len(set(widths)) == 1, (name, table)
    # the statute table of the index shows the hostile provision in its own cell
    index_tokens = _md().parse(docs["index.md"])
    cells = ["".join(c.content for c in t.children) for t in index_tokens if t.type == "inline"]
    assert f"{HOSTILE_PROVISION}, {HOSTILE_INSTRUMENT}" in cells


def _result(statute, jurisdiction, rec, file, rationale=(), findings=()):
    return AuditResult(
        statute=statute,
        file=file,
        jurisdiction=jurisdiction,
        instrument="Penal Code",
        provision=f"Article {statute.split('-')[-1]}",
        title=f"Offence {statute}",
        rights=("expression",),
        verdict=Verdict.compatible if rec is Recommendation.retain else Verdict.incompatible,
        recommendation=rec,
        score=100,
        tests={t: TestResult(TestStatus.passed, 100) for t in TestName},
        findings=tuple(findings),
        rationale=tuple(rationale),
    )


def _finding(criterion, title, severity=Severity.fail):
    return Finding(
        criterion=criterion,
        test=TestName.necessity,
        severity=severity,
        title=title,
        message="m",
        recommendation="Do the thing.",
        evidence=(Evidence("conduct", "q", 3),),
        sources=(SourceRef("CCPR/C/GC/34", "25", "https://example.org/gc34"),),
    )


def test_recommendations_are_grouped_ordered_and_built_from_the_data():
    ban = _finding("necessity.ban", "A general ban on criticism")
    vague = _finding("precision.vague", "An undefined key term")
    results = (
        _result("xx-1", "XX", Recommendation.amend, "a.yaml", ["Only necessity falls short."], [vague]),
        _result("xx-2", "XX", Recommendation.retain, "b.yaml", ["No test fails and no concern remains."]),
        _result("xx-3", "XX", Recommendation.repeal, "c.yaml", ["No permissible aim can justify it.", "necessity.ban"], [ban, vague]),
        _result("aa-4", "AA", Recommendation.substantially_amend, "d.yaml", [], [vague]),
        _result("xx-5", "XX", Recommendation.substantially_amend, "e.yaml", ["A legitimate aim may exist."], [vague]),
    )
    run = Run("0", "cat", "1", 2, results, ())
    recs = MarkdownReporter().report_files(run)["recommendations.md"]
    headings = [line for line in recs.splitlines() if line.startswith("#")]
    assert headings == ["# Recommendations", "## To the authorities of AA", "## To the authorities of XX", "### Retain"]
    bullets = [line for line in recs.splitlines() if line.startswith("- ")]
    assert bullets[0].startswith("- Substantially amend Article 4 of the Penal Code, “Offence aa-4”, because of this finding: an undefined key term.")
    xx = bullets[1:]
    assert [b.split(" of the Penal Code")[0] for b in xx] == [
        "- Repeal Article 3",
        "- Substantially amend Article 5",
        "- Amend Article 1",
        "- Retain Article 2",
    ]
    # the reason is the scoring rule's sentence, the decisive finding the one named in the rationale
    assert xx[0].startswith(
        "- Repeal Article 3 of the Penal Code, “Offence xx-3”, because no permissible aim can justify it "
        "(decisive finding: a general ban on criticism)."
    )
    assert "([audit report](xx-3.md))" in xx[0]
    assert "retain are listed last" in recs


def test_templates_override_by_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    run = audit_paths(["statutes/kz_cc_274.yaml"])
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "check.md.j2").write_text("CUSTOM {{ statutes|length }} {{ statutes[0].r.title }}\n", encoding="utf-8")
    out = reporter_for(Format.markdown, templates=tpl).render(run)
    assert out == "CUSTOM 1 Dissemination of information known to be false\n"
    # templates not overridden still come from the package
    files = reporter_for(Format.markdown, templates=tpl).report_files(run)
    assert files["kz-cc-274.md"].startswith("# Article 274")


def test_views_slug_and_names():
    assert views.slug("KZ/../cc 274") == "kz-cc-274"
    r1 = _result("index", "XX", Recommendation.amend, "a.yaml")
    r2 = _result("index", "XX", Recommendation.amend, "b.yaml")
    names = views.report_names([r1, r2])
    assert names == {"a.yaml": "index-2", "b.yaml": "index-3"}
    # a statute whose own slug is taken by another's numbering keeps it
    r3 = _result("index-2", "XX", Recommendation.amend, "c.yaml")
    assert views.report_names([r1, r3]) == {"a.yaml": "index-3", "c.yaml": "index-2"}
    # duplicates: the first keeps the slug, later ones skip every slug in use
    d1, d2 = (_result("xx", "XX", Recommendation.amend, f) for f in ("d.yaml", "e.yaml"))
    d3 = _result("xx-2", "XX", Recommendation.amend, "f.yaml")
    assert views.report_names([d1, d2, d3]) == {"d.yaml": "xx", "e.yaml": "xx-3", "f.yaml": "xx-2"}


def test_broken_templates_are_input_errors(tmp_path, monkeypatch):
    import subprocess
    import sys

    from lawaudit.errors import InputErrors

    monkeypatch.chdir(REPO)
    run = audit_paths(["statutes/kz_cc_274.yaml"])
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "check.md.j2").write_text("fine\n{{ statutes|length }\n", encoding="utf-8")
    (tpl / "index.md.j2").write_text("ok\n\n{{ no_such_thing.x }}\n", encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        reporter_for(Format.markdown, templates=tpl).render(run)
    (err,) = exc.value.errors
    assert err.file.endswith("check.md.j2") and err.line == 2 and "syntax error" in err.message
    with pytest.raises(InputErrors) as exc:
        reporter_for(Format.markdown, templates=tpl).report_files(run)
    (err,) = exc.value.errors
    assert err.file.endswith("index.md.j2") and err.line == 3 and "no_such_thing" in err.message
    for args in (["check", "statutes/kz_cc_274.yaml", "-f", "markdown"], ["report", "statutes/kz_cc_274.yaml", "-o", str(tmp_path / "out")]):
        proc = subprocess.run([sys.executable, "-m", "lawaudit", *args, "--templates", str(tpl)], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and ".j2:" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_template_expression_that_raises_is_an_input_error(tmp_path, monkeypatch):
    """``{{ 1/0 }}`` raises ZeroDivisionError, not a Jinja error: still the template's file and line, exit 2."""
    import subprocess
    import sys

    monkeypatch.chdir(REPO)
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    for name in ("check.md.j2", "statute.md.j2"):  # what check and report render first
        (tpl / name).write_text("fine\n\n{{ 1/0 }}\n", encoding="utf-8")
    for args in (["check", "statutes/kz_cc_274.yaml", "-f", "markdown"], ["report", "statutes/kz_cc_274.yaml", "-o", str(tmp_path / "out")]):
        proc = subprocess.run([sys.executable, "-m", "lawaudit", *args, "--templates", str(tpl)], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert ".md.j2:3:1: template error: ZeroDivisionError: division by zero" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_templates_folder_is_a_usage_error(tmp_path, monkeypatch):
    import subprocess
    import sys

    monkeypatch.chdir(REPO)
    for args in (["check", "statutes/kz_cc_274.yaml", "-f", "markdown"], ["report", "statutes/kz_cc_274.yaml", "-o", str(tmp_path / "out")]):
        proc = subprocess.run([sys.executable, "-m", "lawaudit", *args, "--templates", str(tmp_path / "nope")], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "is not a folder" in proc.stderr
        assert proc.stdout == ""


def test_a_template_that_is_not_utf8_is_named_with_its_folder(tmp_path, monkeypatch):
    import subprocess
    import sys

    monkeypatch.chdir(REPO)
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "check.md.j2").write_bytes(b"caf\xe9 {{ x }}\n")
    proc = subprocess.run([sys.executable, "-m", "lawaudit", "check", "statutes/kz_cc_274.yaml", "-f", "markdown", "--templates", str(tpl)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert f"{tpl / 'check.md.j2'}:1:1: template error: UnicodeDecodeError" in proc.stderr

"""The engine on the Kazakhstan corpus: the founding briefing's own conclusions.

Amnesty International's briefing (EUR 57/5644/2017) recommends substantially
amending Criminal Code Article 174 and repealing Articles 274 and 400; the
engine must reach the same conclusions from the statute files' facts, with
findings that quote the statute and cite their standards.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lawaudit.runner import audit_paths

ROOT = Path(__file__).resolve().parent.parent
STATUTES = ROOT / "statutes"


@pytest.fixture(scope="module")
def corpus(catalogue):  # type: ignore[no-untyped-def]
    run = audit_paths([STATUTES], catalogue)
    assert not run.errors
    return {r.statute: r for r in run.results}


@pytest.mark.parametrize(
    ("statute", "recommendation"),
    [("kz-cc-174", "substantially_amend"), ("kz-cc-274", "repeal"), ("kz-cc-400", "repeal")],
)
def test_briefing_recommendations(corpus, statute: str, recommendation: str) -> None:  # type: ignore[no-untyped-def]
    result = corpus[statute]
    assert result.recommendation.value == recommendation
    assert result.verdict.value == "incompatible"
    assert result.findings
    for finding in result.findings:
        assert finding.evidence, finding.criterion
        assert all(e.quote for e in finding.evidence)
        assert finding.sources, finding.criterion
        for source in finding.sources:
            assert source.document and source.paragraph and source.url.startswith("http")


def test_274_findings_quote_the_statute(corpus) -> None:  # type: ignore[no-untyped-def]
    result = corpus["kz-cc-274"]
    by_id = {f.criterion: f for f in result.findings}
    ban = by_id["necessity.general-false-information-ban"]
    assert any("ложн" in e.quote.lower() or "false" in e.quote.lower() for e in ban.evidence)
    assert any(s.document == "Joint Declaration on Freedom of Expression and Elections in the Digital Age (UN/OSCE/OAS/ACHPR, 30 April 2020)" or s.document for s in ban.sources)
    vague = by_id["precision.undefined-vague-term"]
    lines = Path(STATUTES / "kz_cc_274.yaml").read_text(encoding="utf-8").splitlines()
    for e in vague.evidence:
        # the evidence line points at the line of the statute file holding the quoted term
        assert e.match.split()[0].lower() in lines[e.line - 1].lower(), (e, lines[e.line - 1])


def test_174_is_precision_not_aim(corpus) -> None:  # type: ignore[no-untyped-def]
    """Article 174 pursues a legitimate aim (protecting groups) but fails precision."""
    result = corpus["kz-cc-174"]
    assert result.tests[next(t for t in result.tests if t.value == "precision")].status.value == "fail"
    assert not any(f.remedy and f.remedy.value == "repeal" and f.severity.value == "fail" for f in result.findings)
    assert any(a.status == "permissible" for a in result.aims)


def test_400_punishes_assembly_itself(corpus) -> None:  # type: ignore[no-untyped-def]
    ids = {f.criterion for f in corpus["kz-cc-400"].findings}
    assert "necessity.criminal-sanction-for-assembly-procedure" in ids
    assert "necessity.assisting-assembly" in ids


def test_every_corpus_result_explains_itself(corpus) -> None:  # type: ignore[no-untyped-def]
    for result in corpus.values():
        assert result.rationale, result.statute
        assert result.aims, result.statute


def test_cli_json_is_contract_shaped() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "lawaudit", "check", "statutes/kz_cc_274.yaml", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    result = doc["results"][0]
    assert result["recommendation"] == "repeal"
    assert set(result["tests"]) == {"legality", "legitimate_aim", "necessity", "precision"}
    finding = result["findings"][0]
    assert {"criterion", "test", "severity", "message", "evidence", "sources"} <= set(finding)
    assert {"document", "paragraph", "url"} <= set(finding["sources"][0])
    checker = ROOT.parent / "shared" / "tools" / "check_contract.py"
    if checker.exists():
        out = ROOT / ".pytest_cache" / "contract.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(proc.stdout, encoding="utf-8")
        check = subprocess.run([sys.executable, str(checker), str(out)], capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stdout

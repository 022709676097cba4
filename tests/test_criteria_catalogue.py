"""The catalogue tests itself: every criterion's examples, sources and wiring."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lawaudit.criteria import default_directory, load_catalogue
from lawaudit.errors import InputError, InputErrors
from lawaudit.examples import run_examples
from lawaudit.runner import audit_paths

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = load_catalogue()
OUTCOMES = run_examples(CATALOGUE)


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[f"{o.criterion}:{o.kind}:{o.name}" for o in OUTCOMES])
def test_criterion_example(outcome) -> None:  # type: ignore[no-untyped-def]
    assert outcome.ok, outcome.detail


@pytest.mark.parametrize("criterion", CATALOGUE.criteria, ids=[c.id for c in CATALOGUE.criteria])
def test_criterion_has_examples_and_sources(criterion) -> None:  # type: ignore[no-untyped-def]
    assert criterion.examples.trigger and criterion.examples.pass_
    assert criterion.sources
    for source in criterion.sources:
        assert source.document and source.paragraph and source.url.startswith(("http://", "https://"))


def test_minimum_coverage() -> None:
    """Each of the four tests has criteria, for expression and for assembly."""
    for test in ("legality", "legitimate_aim", "necessity", "precision"):
        assert any(c.test.value == test and "expression" in c.rights for c in CATALOGUE.criteria), test
    for test in ("legality", "legitimate_aim", "necessity"):
        assert any(c.test.value == test and "assembly" in c.rights for c in CATALOGUE.criteria), test


def test_criteria_test_command_passes() -> None:
    proc = subprocess.run([sys.executable, "-m", "lawaudit", "criteria", "test"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 failed" in proc.stderr


NEW_CRITERION = """\
id: necessity.test-fines-only
test: necessity
rights: [expression]
title: Any fine at all (a criterion added in a test)
severity: concern
condition:
  some: {in: "sanctions[*]", where: {field: kind, equals: fine}}
message: The provision carries a fine ({matches}).
recommendation: Consider whether a fine is needed.
sources:
  - document: CCPR/C/GC/34
    paragraph: "34"
    url: https://example.org/gc34
examples:
  trigger:
    - name: fine
      statute: {sanctions: [{kind: fine}]}
  pass:
    - name: none
      statute: {}
"""


def test_new_criterion_fires_without_python_change(tmp_path: Path) -> None:
    cat_dir = tmp_path / "criteria"
    shutil.copytree(default_directory(), cat_dir)
    (cat_dir / "rules" / "necessity" / "test-fines-only.yaml").write_text(NEW_CRITERION, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "lawaudit", "check", "statutes/kz_cc_274.yaml", "--criteria", str(cat_dir), "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert "necessity.test-fines-only" in proc.stdout, proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "lawaudit", "criteria", "test", "--criteria", str(cat_dir), "--only", "necessity.test-fines-only"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout


def test_malformed_criterion_is_a_positioned_error(tmp_path: Path) -> None:
    cat_dir = tmp_path / "criteria"
    shutil.copytree(default_directory(), cat_dir)
    bad = NEW_CRITERION.replace("equals: fine}}", "equal: fine}}")
    path = cat_dir / "rules" / "necessity" / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_catalogue(cat_dir)
    (err,) = info.value.errors
    assert err.file.endswith("rules/necessity/bad.yaml")
    assert (err.line, err.column) == (7, 37)
    assert "equal" in err.message
    proc = subprocess.run(
        [sys.executable, "-m", "lawaudit", "check", "statutes/kz_cc_274.yaml", "--criteria", str(cat_dir)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert "bad.yaml:7:37" in proc.stderr
    assert "Traceback" not in proc.stderr


def _the_catalogue_error(tmp_path: Path, criterion: str) -> InputError:
    """The one error a copy of the shipped catalogue gives with ``criterion`` added as rules/necessity/bad.yaml."""
    cat_dir = tmp_path / "criteria"
    shutil.copytree(default_directory(), cat_dir)
    (cat_dir / "rules" / "necessity" / "bad.yaml").write_text(criterion, encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_catalogue(cat_dir)
    (err,) = info.value.errors
    return err


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("The provision carries a fine ({matches).", "unbalanced braces"),
        ("The provision carries a fine } ({matches}).", "unbalanced braces"),
        ("The provision carries a fine ({matches:>99999999999}).", "takes no format or conversion"),
        ("The provision carries a fine ({matches!r}).", "takes no format or conversion"),
        ("The provision carries a fine ({matches[0]}).", "unknown placeholder {matches[0]}"),
        ("The provision carries a fine ({}).", "unknown placeholder {}"),
        ("The provision carries a fine ({matchez}).", "unknown placeholder {matchez}"),
    ],
)
def test_a_malformed_message_is_a_positioned_catalogue_error(tmp_path: Path, message: str, expected: str) -> None:
    """A message is filled only when its criterion fires: a bad one must stop the catalogue, not the audit."""
    err = _the_catalogue_error(tmp_path, NEW_CRITERION.replace("The provision carries a fine ({matches}).", message))
    assert (err.file.endswith("rules/necessity/bad.yaml"), err.line, err.field) == (True, 8, "message")
    assert expected in err.message


def test_literal_braces_in_a_message_are_allowed(tmp_path: Path) -> None:
    cat_dir = tmp_path / "criteria"
    shutil.copytree(default_directory(), cat_dir)
    (cat_dir / "rules" / "necessity" / "braces.yaml").write_text(
        NEW_CRITERION.replace("The provision carries a fine ({matches}).", "A fine {{sic}} ({matches})."), encoding="utf-8"
    )
    run = audit_paths([ROOT / "statutes" / "kz_cc_400.yaml"], load_catalogue(cat_dir))
    (finding,) = [f for f in run.results[0].findings if f.criterion == "necessity.test-fines-only"]
    assert finding.message.startswith("A fine {sic} (")


_FINE_CONDITION = 'some: {in: "sanctions[*]", where: {field: kind, equals: fine}}'


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ('some: {in: "sanctions[*]", where: {field: kinds, equals: fine}}', "no field 'kinds' here"),
        ('some: {in: "sanction[*]", where: {field: kind, equals: fine}}', "no field 'sanction' here"),
        ('some: {in: "sanctions[*]", where: {field: kind, equals: fines}}', "'fines' is not one of"),
        ("{field: harmz, exists: true}", "no field 'harmz' here"),
        ("{field: harm, in: [none, possibly]}", "'possibly' is not one of"),
        ("{field: rights, contains: speech}", "'speech' is not one of"),
        ("{field: rights, equals: expression}", "this is a list: use 'contains'"),
        ('{field: "sanctions[*].kind", contains: imprisonment}', "'contains' looks inside a list"),
        ("{field: measure, equals: blocking}", "this is a mapping"),
        ("{field: harm, gte: 2}", "'gte' compares numbers"),
        ("{field: measure.criteria_in_law, equals: flase}", "'flase' is not true or false"),
        ("{field: measure.decided, equals: court}", "no field 'decided' here"),
        ("{field: title.en, exists: true}", "'en' is read from text, which has no fields"),
        ('{field: "conduct[*]", exists: true}', "'conduct' is not a list"),
        ("{field: text.eng, exists: true}", "'eng' is not a key this mapping can have"),
        ('some: {in: "derived.aims[*]", where: {field: status, equals: allowed}}', "'allowed' is not one of"),
        ('some: {in: "derived.aims[*]", where: {field: entry, in: [head-of-stat]}}', "'head-of-stat' is not one of"),
        ('some: {in: "derived.aims[*]", where: {field: aim, equals: public_oder}}', "'public_oder' is not one of"),
        ("{lexicon: vague-terms, in: [texts.en]}", "no field 'texts' here"),
        ('{lexicon: vague-terms, in: "terms[*]"}', "reads text, and this holds mappings"),
        ('some: {in: "terms[*]", where: {lexicon: vague-terms}}', "say which fields of the item to read with 'in:'"),
    ],
)
def test_a_field_or_value_the_format_cannot_have_is_a_catalogue_error(tmp_path: Path, condition: str, expected: str) -> None:
    """A typo in a path or a value would make a criterion silently never fire: it is refused, with its position."""
    err = _the_catalogue_error(tmp_path, NEW_CRITERION.replace(_FINE_CONDITION, condition))
    assert err.file.endswith("rules/necessity/bad.yaml") and err.line == 7, err
    assert expected in err.message, err.message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("where: {field: status, equals: fail}}", "where: {field: status, equals: failed}}", "'failed' is not one of"),
        ("- {field: remedy, equals: repeal}", "- {field: criterion, equals: necessity.network-shutdwn}", "'necessity.network-shutdwn' is not one of"),
    ],
)
def test_a_value_the_outcome_cannot_have_is_a_scoring_error(tmp_path: Path, old: str, new: str, expected: str) -> None:
    """Scoring rules read test statuses and findings: a misspelt status or criterion id would silently change verdicts."""
    cat_dir = tmp_path / "criteria"
    shutil.copytree(default_directory(), cat_dir)
    scoring = cat_dir / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    assert old in text
    scoring.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_catalogue(cat_dir)
    (err,) = info.value.errors
    assert err.file.endswith("scoring.yaml") and expected in err.message, err


@pytest.mark.parametrize(
    ("rule", "remembered"),
    [
        ("{field: score, lt: 0}", True),
        ("{field: statute.harm, equals: none}", False),
        ('{some: {in: "findings[*]", where: {field: $.statute.harm, equals: none}}}', False),
    ],
)
def test_outcomes_are_remembered_only_when_the_rules_ignore_the_statute(tmp_path: Path, rule: str, remembered: bool) -> None:
    """The engine decides an outcome (tests and findings) once per run, unless a rule reads the statute itself."""
    from lawaudit.engine import Engine

    assert Engine(CATALOGUE)._outcomes is not None
    cat_dir = tmp_path / "criteria"
    shutil.copytree(default_directory(), cat_dir)
    scoring = cat_dir / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8").replace("verdict:\n", f"verdict:\n  - when: {rule}\n    verdict: compatible\n", 1)
    scoring.write_text(text, encoding="utf-8")
    catalogue = load_catalogue(cat_dir)
    assert (Engine(catalogue)._outcomes is not None) is remembered
    run = audit_paths([ROOT / "statutes"], catalogue)
    harmless = [r for r in run.results if r.verdict.value == "compatible" and r.findings]
    assert bool(harmless) is (rule != "{field: score, lt: 0}")


def test_unknown_lexicon_and_unverified_reference_are_errors(tmp_path: Path) -> None:
    cat_dir = tmp_path / "criteria"
    shutil.copytree(default_directory(), cat_dir)
    path = cat_dir / "rules" / "necessity" / "bad.yaml"
    path.write_text(NEW_CRITERION.replace('some: {in: "sanctions[*]", where: {field: kind, equals: fine}}', "lexicon: no-such-lexicon"), encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_catalogue(cat_dir)
    assert "unknown lexicon 'no-such-lexicon'" in info.value.errors[0].message


def test_lexicons_compile_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cost grows with statutes, not statutes x terms: one matcher pass per field."""
    from lawaudit import lexicon

    calls: list[int] = []
    original = lexicon.Matcher.find

    def counting(self, text):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(self, text)

    monkeypatch.setattr(lexicon.Matcher, "find", counting)
    audit_paths([ROOT / "statutes" / "kz_cc_274.yaml"], CATALOGUE)
    per_statute = len(calls)
    entries = len(CATALOGUE.lexicons.entries)
    criteria = len(CATALOGUE.criteria)
    # far fewer matcher passes than (criteria x lexicon entries), and bounded by the fields scanned
    assert per_statute < 40 < criteria * entries


def test_severity_is_set_by_configuration(tmp_path: Path) -> None:
    cat_dir = tmp_path / "criteria"
    shutil.copytree(default_directory(), cat_dir)
    scoring = cat_dir / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8").replace(
        "severity: {}", "severity:\n  necessity.general-false-information-ban: concern"
    )
    scoring.write_text(text, encoding="utf-8")
    run = audit_paths([ROOT / "statutes" / "kz_cc_274.yaml"], load_catalogue(cat_dir))
    (finding,) = [f for f in run.results[0].findings if f.criterion == "necessity.general-false-information-ban"]
    assert finding.severity.value == "concern"
    # no longer a fail-level repeal finding, so the recommendation softens
    assert run.results[0].recommendation.value != "repeal"
    scoring.write_text(text.replace("necessity.general-false-information-ban: concern", "no.such-criterion: concern"), encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_catalogue(cat_dir)
    assert "no criterion 'no.such-criterion'" in info.value.errors[0].message


def test_an_empty_criteria_file_is_called_a_criteria_file(tmp_path: Path) -> None:
    cat_dir = tmp_path / "criteria"
    shutil.copytree(default_directory(), cat_dir)
    (cat_dir / "catalogue.yaml").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        load_catalogue(cat_dir)
    assert any(e.message == "the file is empty; a criteria file is a mapping of fields" for e in info.value.errors)

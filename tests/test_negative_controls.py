"""Negative controls: well-drafted provisions must pass, and one changed fact must flip a test.

The two control statutes in ``tests/controls/`` are model texts written from
the OSCE/ODIHR-Venice Commission assembly guidelines and the Rabat Plan of
Action (sources in each file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from lawaudit.runner import audit_paths

CONTROLS = Path(__file__).resolve().parent / "controls"


def _audit(catalogue: Any, data: dict[str, Any], tmp_path: Path) -> Any:
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = audit_paths([path], catalogue)
    assert not run.errors, run.errors
    return run.results[0]


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((CONTROLS / name).read_text(encoding="utf-8"))
    # safe_load turns dates into date objects; the format wants strings back
    for source in data["sources"]:
        if "accessed" in source:
            source["accessed"] = str(source["accessed"])
    return data


CONTROL_FILES = sorted(p.name for p in CONTROLS.glob("*.yaml"))


def test_there_are_controls_of_each_kind() -> None:
    assert len(CONTROL_FILES) >= 5


@pytest.mark.parametrize("name", CONTROL_FILES)
def test_control_is_compatible(catalogue, name: str) -> None:  # type: ignore[no-untyped-def]
    run = audit_paths([CONTROLS / name], catalogue)
    assert not run.errors
    (result,) = run.results
    assert result.findings == ()
    assert result.verdict.value == "compatible"
    assert result.recommendation.value == "retain"
    assert result.score == 100


def _status(result: Any, test: str) -> str:
    return {t.value: r.status.value for t, r in result.tests.items()}[test]


def test_notification_to_authorisation_flips_necessity(catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _load("assembly_notification.yaml")
    assert _status(_audit(catalogue, data, tmp_path), "necessity") == "pass"
    data["measure"]["kind"] = "authorization"
    result = _audit(catalogue, data, tmp_path)
    assert _status(result, "necessity") == "fail"
    assert "necessity.prior-authorisation" in {f.criterion for f in result.findings}
    assert result.verdict.value == "incompatible"


def test_designated_places_flip_necessity(catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _load("assembly_notification.yaml")
    data["measure"]["location_restrictions"] = "designated_places_only"
    result = _audit(catalogue, data, tmp_path)
    assert _status(result, "necessity") == "fail"


def test_removing_intent_flips_necessity(catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _load("incitement_narrow.yaml")
    assert _status(_audit(catalogue, data, tmp_path), "necessity") == "pass"
    data["mental_element"] = "recklessness"
    result = _audit(catalogue, data, tmp_path)
    assert _status(result, "necessity") == "fail"
    assert "necessity.incitement-without-intent" in {f.criterion for f in result.findings}


def test_undefining_hatred_flips_precision_only_for_vague_terms(catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _load("incitement_narrow.yaml")
    data["terms"].append({"term": "discord", "definition": None})
    result = _audit(catalogue, data, tmp_path)
    assert _status(result, "precision") == "fail"


def test_state_interest_flips_aim(catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _load("incitement_narrow.yaml")
    data["protected_interests"] = ["interests of the state"]
    result = _audit(catalogue, data, tmp_path)
    assert _status(result, "legitimate_aim") == "fail"
    assert result.recommendation.value == "repeal"


def test_blocking_by_prosecutor_flips_legality(catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _load("blocking_court_order.yaml")
    data["measure"].update({"decided_by": "prosecutor", "judicial_review": "none"})
    result = _audit(catalogue, data, tmp_path)
    assert _status(result, "legality") == "fail"
    data["measure"].update({"decided_by": "court", "judicial_review": "prior", "target": "whole_resource"})
    assert _status(_audit(catalogue, data, tmp_path), "necessity") == "fail"


def test_interception_without_warrant_flips_legality(catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _load("interception_warrant.yaml")
    data["measure"].update({"decided_by": "executive", "judicial_review": "subsequent"})
    result = _audit(catalogue, data, tmp_path)
    assert _status(result, "legality") == "fail"
    assert "legality.interception-without-judicial-authorisation" in {f.criterion for f in result.findings}


def test_criminal_defamation_flips_necessity(catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = _load("defamation_civil.yaml")
    data["sanctions"] = [{"kind": "imprisonment", "max": "2 years"}]
    result = _audit(catalogue, data, tmp_path)
    assert _status(result, "necessity") == "fail"
    assert "necessity.imprisonment-for-expression" in {f.criterion for f in result.findings}

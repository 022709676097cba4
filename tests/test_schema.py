"""``lawaudit schema``: a valid JSON Schema that accepts the corpus and refuses what the loader refuses."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from lawaudit.cli import app
from lawaudit.loader import load_file

BAD = Path(__file__).resolve().parent / "bad_inputs"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _as_json(node: Any) -> Any:
    """PyYAML's dates -> ISO strings, as a YAML language server would see them."""
    if isinstance(node, dict):
        return {str(k): _as_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_json(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


def _data(text: str) -> Any:
    return _as_json(yaml.safe_load(text))


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert set(schema["required"]) == {
        "id", "jurisdiction", "instrument", "provision", "title", "status", "rights", "text", "conduct", "sources"
    }  # fmt: skip


def test_every_corpus_file_validates(validator: jsonschema.Draft202012Validator, statute_files: list[Path]) -> None:
    assert statute_files
    for path in statute_files:
        errors = [e.message for e in validator.iter_errors(_data(path.read_text(encoding="utf-8")))]
        assert errors == [], (path, errors)


def test_minimal_statute_and_extension_keys_validate(
    validator: jsonschema.Draft202012Validator, minimal_statute: str, tmp_path: Path
) -> None:
    text = minimal_statute + "x-note: anything\nmeasure:\n  kind: other\n  x-private: [1, 2]\n"
    assert list(validator.iter_errors(_data(text))) == []
    # the loader agrees
    path = tmp_path / "minimal.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_file(path).loaded is not None


def test_optional_lists_default_to_a_new_empty_list(
    schema: dict[str, Any], minimal_statute: str, tmp_path: Path
) -> None:
    """Editors see ``default: []`` for every list a statute may leave out, and each loaded statute gets a list of its own."""
    lists = {name for name, prop in schema["properties"].items() if prop.get("type") == "array" and name not in schema["required"]}
    assert lists == {"terms", "protected_interests", "grounds", "scope", "aggravating", "sanctions", "application"}
    assert all(schema["properties"][name]["default"] == [] for name in lists)
    statutes = []
    for n in (1, 2):
        path = tmp_path / f"s{n}.yaml"
        path.write_text(minimal_statute.replace("id: ", f"id: s{n}-", 1), encoding="utf-8")
        loaded = load_file(path).loaded
        assert loaded is not None, load_file(path).errors
        statutes.append(loaded.statute)
    for name in lists:
        assert getattr(statutes[0], name) == [] and getattr(statutes[0], name) is not getattr(statutes[1], name)


def test_misspelt_field_fails_schema_validation(validator: jsonschema.Draft202012Validator, minimal_statute: str) -> None:
    data = _data(minimal_statute.replace("conduct:", "condcut:"))
    errors = list(validator.iter_errors(data))
    messages = [e.message for e in errors]
    assert any(e.validator == "additionalProperties" and "'condcut'" in e.message for e in errors), messages
    assert "'conduct' is a required property" in messages
    # nested too: a misspelt field inside a sanction
    nested = _data(minimal_statute + "sanctions:\n  - kind: fine\n    maxx: 10\n")
    assert any(
        e.validator == "additionalProperties" and "'maxx'" in e.message and list(e.absolute_path) == ["sanctions", 0]
        for e in validator.iter_errors(nested)
    )


@pytest.mark.parametrize(
    "name",
    ["missing_required.yaml", "wrong_type.yaml", "bad_enum.yaml", "misspelt_field.yaml", "empty_rights.yaml", "empty_text.yaml"],
)
def test_schema_refuses_what_the_loader_refuses(validator: jsonschema.Draft202012Validator, name: str) -> None:
    path = BAD / name
    assert load_file(path).loaded is None
    assert not validator.is_valid(_data(path.read_text(encoding="utf-8")))

"""``lawaudit.jsonout`` writes exactly what ``json.dumps(..., ensure_ascii=False, indent=2)`` writes."""

from __future__ import annotations

import json
import math
from enum import Enum
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lawaudit.jsonout import Lazy, dumps, write

REPO_CONTROLS = Path(__file__).resolve().parent / "controls"


def _reference(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
keys = st.text(max_size=8) | st.integers(-5, 5) | st.booleans() | st.none() | st.floats(allow_nan=False)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.tuples(children, children)
    | st.dictionaries(keys, children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_same_text_as_json_dumps(obj: object) -> None:
    assert dumps(obj) == _reference(obj)


class _Colour(str, Enum):
    red = "red"


def test_special_values() -> None:
    obj = {
        "nan": math.nan,
        "inf": [math.inf, -math.inf],
        "enum": _Colour.red,
        "quote": 'a "b"\n\t\\ ё \u2028 \x00',
        "empty": {"l": [], "d": {}, "t": ()},
        1: 2,
        None: False,
    }
    assert dumps(obj) == _reference(obj)


def test_lazy_list_converts_one_item_at_a_time() -> None:
    seen: list[int] = []

    def convert(i: int) -> dict[str, object]:
        seen.append(i)
        return {"i": i, "items": list(range(i))}

    doc = {"a": 1, "results": Lazy(range(4), convert), "empty": Lazy([], convert)}
    expected = _reference({"a": 1, "results": [convert(i) for i in range(4)], "empty": []})
    seen.clear()
    assert dumps(doc) == expected
    assert seen == [0, 1, 2, 3]


def test_deep_nesting() -> None:
    obj: object = "x"
    for _ in range(250):
        obj = [obj]
    assert dumps(obj) == _reference(obj)


def test_write_streams_the_same_text_in_pieces() -> None:
    doc = {"head": {"x": [1, 2]}, "results": Lazy(range(5), lambda i: {"i": i, "s": "ё" * i}), "tail": []}
    pieces: list[str] = []
    write(doc, pieces.append)
    assert "".join(pieces) == dumps(doc) == _reference({**doc, "results": [{"i": i, "s": "ё" * i} for i in range(5)]})
    assert len(pieces) == 6  # one per result, then the rest


plain_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(plain_values, max_size=3))
def test_plain_items_go_through_the_compiled_encoder_with_the_same_text(items: list[object]) -> None:
    doc = {"results": Lazy(items, lambda x: x, plain=True), "deeper": [{"x": Lazy(items, lambda x: x, plain=True)}]}
    expected = _reference({"results": items, "deeper": [{"x": items}]})
    assert dumps(doc) == expected
    pieces: list[str] = []
    write(doc, pieces.append)
    assert "".join(pieces) == expected


def test_what_the_compiled_encoder_refuses_is_walked() -> None:
    items = [{"quote": "half a pair: \ud800", "n": 1}, {"ok": ["ё", None]}]
    assert dumps({"results": Lazy(items, dict, plain=True)}) == _reference({"results": items})


def _plain(value: object) -> bool:
    """Only what ``Lazy(..., plain=True)`` promises: str, int, bool, None, lists, tuples, dicts keyed by str."""
    if value is None or type(value) in (str, int, bool):
        return True
    if type(value) in (list, tuple):
        return all(_plain(v) for v in value)  # type: ignore[attr-defined]
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())  # type: ignore[attr-defined]
    return False


def test_results_and_errors_are_plain_data_as_the_json_reporter_promises(tmp_path: Path) -> None:
    from conftest import STATUTES

    from lawaudit.runner import audit_paths

    (tmp_path / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    run = audit_paths([STATUTES, REPO_CONTROLS, tmp_path])
    assert run.results and run.errors
    for item in (*run.results, *run.errors):
        assert _plain(item.as_dict()), item


# ------------------------------------------------------- results written as UTF-8


def _results_of_every_kind(tmp_path: Path) -> list[object]:
    from conftest import STATUTES

    from lawaudit.runner import audit_paths

    return list(audit_paths([STATUTES, REPO_CONTROLS, tmp_path]).results)


def test_results_written_directly_are_the_bytes_of_json_dumps(tmp_path: Path) -> None:
    from lawaudit.render.json_report import _result_utf8

    results = _results_of_every_kind(tmp_path)
    assert results
    for result in results:
        for level in (0, 1, 2, 7):
            expected = json.dumps(result.as_dict(), ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)  # type: ignore[attr-defined]
            written = _result_utf8(result, level)  # type: ignore[arg-type]
            assert written is not None and written.decode("utf-8") == expected


awkward_text = st.text(alphabet=st.sampled_from(['"', "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "ё", "€", "𝄞", "\u2028", "a", " "]), max_size=8)


@settings(max_examples=200, deadline=None)
@given(awkward_text, awkward_text, awkward_text, awkward_text, st.booleans())
def test_every_string_of_a_result_is_escaped_as_json_dumps_escapes_it(
    quote: str, message: str, interest: str, title: str, empty_rationale: bool
) -> None:
    from lawaudit.render.json_report import _result_utf8
    from lawaudit.results import (
        AimResult, AuditResult, Evidence, Finding, Recommendation, Severity, SourceRef, TestName, TestResult, TestStatus, Verdict,
    )  # fmt: skip

    finding = Finding(
        "c.x" + title, TestName.precision, Severity.fail, title, message, title,
        (Evidence(quote, quote, 3, quote), Evidence("text.en", quote, 4)), (SourceRef(title, title, title, title), SourceRef("d", "p", "u")),
        Recommendation.repeal if empty_rationale else None,
    )  # fmt: skip
    result = AuditResult(
        title, title, title, title, title, title, (title, "expression"), Verdict.incompatible, Recommendation.amend, 40,
        {t: TestResult(TestStatus.fail, 0) for t in TestName}, (finding, finding._replace(evidence=())),
        (AimResult(interest, None, "unclassified", False, "protected_interests[0]", 2), AimResult(interest, interest, "ok", True, "conduct", 1, "e")),
        () if empty_rationale else (message, title),
    )  # fmt: skip
    expected = json.dumps(result.as_dict(), ensure_ascii=False, indent=2).replace("\n", "\n    ")
    written = _result_utf8(result, 2)
    try:
        expected.encode("utf-8")
    except UnicodeEncodeError:  # not written directly (a lone surrogate): the general encoders decide
        assert written is None
    else:
        assert written is not None and written.decode("utf-8") == expected


def test_reviewed_results_and_unexpected_types_go_through_as_dict(tmp_path: Path) -> None:
    from lawaudit.render.json_report import _result_utf8

    result = _results_of_every_kind(tmp_path)[0]
    assert _result_utf8(result, 2) is not None  # type: ignore[arg-type]
    assert _result_utf8(result._replace(score=True), 2) is None  # type: ignore[attr-defined]
    assert _result_utf8(result._replace(reviewed=result.findings or (None,)), 2) is None  # type: ignore[attr-defined]
    assert _result_utf8(result._replace(title="half a pair: \ud800"), 2) is None  # type: ignore[attr-defined]


def test_write_utf8_passes_encoded_items_through_and_encodes_the_rest() -> None:
    from lawaudit.jsonout import write_utf8

    items = [{"a": "ё"}, {"b": "\udcff"}, {"c": [1, None]}]

    def encode(item: dict[str, object], level: int) -> bytes | None:
        return None if "b" in item else dumps(item).replace("\n", "\n" + "  " * level).encode()

    doc = {"head": 1, "results": Lazy(items, dict, plain=True, encode=encode), "tail": Lazy([], dict, encode=encode)}
    pieces: list[bytes] = []
    write_utf8(doc, pieces.append, "surrogateescape")
    assert b"".join(pieces) == _reference({"head": 1, "results": items, "tail": []}).encode("utf-8", "surrogateescape")
    assert dumps(doc) == _reference({"head": 1, "results": items, "tail": []})


def test_standard_output_gets_the_same_bytes_as_a_report_file(tmp_path: Path) -> None:
    """The JSON report on standard output is written as bytes; a report file as text: the same bytes."""
    import os
    import subprocess
    import sys

    from conftest import STATUTES

    report = tmp_path / "report.json"
    base = [sys.executable, "-m", "lawaudit", "check", str(STATUTES), str(REPO_CONTROLS), "--format", "json", "--fail-on", "never"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    stdout = subprocess.run(base, capture_output=True, check=True, env=env).stdout
    subprocess.run([*base, "--output", str(report)], capture_output=True, check=True, env=env)
    assert stdout == report.read_bytes()
    assert json.loads(stdout)["results"]

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

"""``lawaudit.jsonout`` writes exactly what ``json.dumps(..., ensure_ascii=False, indent=2)`` writes."""

from __future__ import annotations

import json
import math
from enum import Enum

from hypothesis import given, settings
from hypothesis import strategies as st

from lawaudit.jsonout import Lazy, Raw, dumps, encode_at, write


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


def test_raw_text_encoded_at_its_depth_gives_the_same_bytes() -> None:
    part = {"document": "CCPR/C/GC/34", "paragraph": "25", "list": [1, {"a": "ё"}], "empty": []}
    doc = {"results": [{"findings": [{"sources": [part, part]}]}]}
    raw = Raw(encode_at([part, part], 5))
    assert dumps({"results": [{"findings": [{"sources": raw}]}]}) == _reference(doc)

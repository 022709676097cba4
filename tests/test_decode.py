"""``decode`` looks for forbidden characters in the raw UTF-8 bytes; it must find exactly what a search of the text finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawaudit.errors import InputErrors
from lawaudit.yamlread import _CONTROL, decode

#: the edges of every forbidden range, their allowed neighbours, and characters whose UTF-8 shares bytes with them
EDGES = "\x00\x08\x09\x0a\x0b\x0c\x0d\x0e\x1f\x20\x7e\x7f\x80\x84\x85\x86\x9f\xa0«»§\u0100\u0442\ufeff\ufffd\ufffe\uffff\U00010000\U0010fffe"


def _refused(text: str) -> str | None:
    """The message ``decode`` gives for ``text``'s UTF-8 bytes, None when it accepts them."""
    try:
        assert decode(text.encode("utf-8"), "f.yaml") == text.removeprefix("\ufeff")  # a leading BOM is dropped
    except InputErrors as exc:
        (error,) = exc.errors
        return f"{error.line}:{error.column} {error.message}"
    return None


@pytest.mark.parametrize("char", list(EDGES))
def test_each_edge_character(char: str) -> None:
    text = f"title: a{char}b\n"
    bad = _CONTROL.search(text)
    message = _refused(text)
    assert (message is None) == (bad is None), repr(char)
    if bad is not None:
        assert message == f"1:9 {'non-character' if ord(char) >= 0xFFFE else 'control character'} U+{ord(char):04X} is not allowed in a YAML file"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(EDGES) | st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_the_byte_scan_agrees_with_the_text_scan(text: str) -> None:
    assert (_refused(text) is None) == (_CONTROL.search(text.removeprefix("\ufeff")) is None)

"""``read_utf8`` reads a file's bytes without decoding them first; it must give what ``read_document(decode(...))`` gives.

libyaml checks the encoding and the forbidden characters itself, and the
text is decoded only when a file is refused or holds a line break only YAML
counts (U+0085, U+2028, U+2029), so these tests put every kind of character
and broken byte in the places where it matters: values, keys, comments,
quoted and block scalars, after the document, and after an earlier error.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawaudit.errors import InputErrors
from lawaudit.yamlread import Document, decode, read_document, read_utf8

#: forbidden characters, the edges of their ranges, the line breaks only YAML counts, and neighbours
CHARS = (
    "\x00\x01\x08\x09\x0a\x0b\x0c\x0d\x0e\x1f\x20\x7e\x7f\x80\x84\x85\x86\x9f\xa0«»§"
    "\u0100\u0442\u2013\u2027\u2028\u2029\u202a\ufeff\ufffd\ufffe\uffff\U00010000\U0010fffe"
)

#: UTF-8 that the codec refuses: bad leading bytes, overlong forms, surrogates, beyond U+10FFFF, cut short
BROKEN = [b"\xff", b"\x80", b"\xc3", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xe2\x80"]

PLACES = [
    "a: x{c}y\nb: 1\n",
    "# {c}\na: [1,\n 2]\nb: c\n",
    "a: |\n  x{c}\n  y\nb: 1\n",
    "a: \"q{c}\"\nb: 'r{c}'\n",
    "a: 1\n...\n{c}\n",
    "{c}: 1\nb: 2\n",
    "a:\n  - 1{c}\n  - 2\nb: &x z\nc: *x\n",
    "a: !custom 1\nb: {c}\n",  # an error before the character
    "a: 1\na: 2\nb: {c}\n",  # a duplicate key before it
    "a: [\nb: {c}\n",  # a syntax error before it
]


def _outcome(read: Any) -> Any:
    try:
        doc: Document = read()
    except InputErrors as exc:
        return ("refused", exc.errors)
    return (
        "read",
        repr(doc.data),
        sorted(doc.positions.items(), key=repr),
        sorted(doc.key_positions.items(), key=repr),
        sorted(doc.block_styles.items(), key=repr),
        doc.extensions,
        [doc.position(path + (x,)) for path in sorted(doc.positions, key=repr) for x in ((), ("a",), (0,), (9,))],
    )


def _same(raw: bytes) -> None:
    expected = _outcome(lambda: read_document(decode(raw, "f.yaml"), "f.yaml"))
    assert _outcome(lambda: read_utf8(raw, "f.yaml")) == expected, raw


@pytest.mark.parametrize("char", list(CHARS))
def test_each_character_in_each_place(char: str) -> None:
    for place in PLACES:
        _same(place.replace("{c}", char).encode("utf-8"))
        _same(b"\xef\xbb\xbf" + place.replace("{c}", char).encode("utf-8"))  # after a byte-order mark


@pytest.mark.parametrize("bad", BROKEN)
def test_broken_utf8_in_each_place(bad: bytes) -> None:
    for place in PLACES:
        _same(place.encode("utf-8").replace(b"{c}", bad))


def test_broken_utf8_far_after_an_error() -> None:
    """libyaml checks the bytes as it reads, a buffer at a time: an error met before it reads
    a bad byte far down the file must not hide the encoding problem, reported first as before."""
    for first in (b"a: [\n", b"a: !custom 1\n", b"<<: {}\n", b"a: 1\na: 2\n"):
        for bad in (b"\xff", b"\xc3", b"\x01", b"\xef\xbf\xbf"):
            _same(first + "b: Пр\n".encode() * 20_000 + bad)


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"])
def test_wide_byte_order_marks(bom: bytes) -> None:
    _same(bom + "a: 1\n".encode("utf-16-le"))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a: 1\n", "a: 2\n", "x-e: [1]\n", "b:\n  - &y |\n    t\n  - *y\n", "c: {p: [1, 2]}\n", "\r\n", "\r", "- 1\n", ": \n", "  "])
        | st.sampled_from(list(CHARS)).map(lambda c: f"d: v{c}\n")
        | st.sampled_from(list(CHARS)),
        max_size=8,
    ),
    st.sampled_from([b""] + BROKEN),
)
def test_generated_documents(pieces: list[str], tail: bytes) -> None:
    _same("".join(pieces).encode("utf-8"))
    _same("".join(pieces).encode("utf-8") + tail)

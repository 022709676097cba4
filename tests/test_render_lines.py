"""Reports rendered from templates are tidied line by line as Jinja writes them: the same text as tidying it whole.

Markdown (``check --format markdown``) and HTML are never held whole; their
whitespace is tidied by a :class:`~lawaudit.render.templating.LineWriter`
fed in pieces. Whatever the cuts between pieces, the result must be what
the whole-text rule gives.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from lawaudit.render.html_report import _Trimmed
from lawaudit.render.markdown_report import _end, _Tidy
from lawaudit.render.templating import LineWriter, write_lines

TEXT = st.lists(st.sampled_from(["a", "b", " ", "\t", "\n", "\n", "\n", "\u2028", "\xa0", "x  "]), max_size=40).map("".join)
CUTS = st.lists(st.integers(min_value=0, max_value=60), max_size=8)


def _fed(writer_class: type[LineWriter], text: str, cuts: list[int]) -> str:
    out: list[str] = []
    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    pieces = iter([text[a:b] for a, b in zip(bounds, bounds[1:])])
    write_lines(pieces, writer_class(out.append))
    return "".join(out)


@settings(max_examples=500, deadline=None)
@given(TEXT, CUTS)
@example("", [])
@example("\n\n", [1])
@example("  \n\na\n\n \n", [3])
@example("a \n\n\nb\n", [2, 4])
def test_markdown_tidied_in_pieces_equals_tidied_whole(text: str, cuts: list[int]) -> None:
    assert _fed(_Tidy, text, cuts) == _end(text)


@settings(max_examples=500, deadline=None)
@given(TEXT, CUTS)
@example("", [])
@example("\n\n", [1])
@example("a\n  \n\n", [2])
@example(" ", [])
def test_html_trimmed_in_pieces_equals_trimmed_whole(text: str, cuts: list[int]) -> None:
    whole = "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n")) + "\n"
    assert _fed(_Trimmed, text, cuts) == whole

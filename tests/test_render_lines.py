"""Reports written piece by piece give the text they gave when they were built whole.

Markdown (``check --format markdown``) and HTML are never held whole; their
whitespace is tidied by a :class:`~lawaudit.render.templating.LineWriter`
fed in pieces. Whatever the cuts between pieces, the result must be what
the whole-text rule gives. JUnit XML is written a suite at a time: the same
text as the whole tree, indented and serialised at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lawaudit.render.html_report import _Trimmed
from lawaudit.render.junit import JunitReporter
from lawaudit.render.markdown_report import _end, _Tidy
from lawaudit.render.templating import LineWriter, write_lines
from lawaudit.runner import Run, audit_paths

REPO = Path(__file__).resolve().parent.parent

TEXT = st.lists(st.sampled_from(["a", "b", " ", "\t", "\n", "\n", "\n", "\u2028", "\xa0", "x  "]), max_size=40).map("".join)
CUTS = st.lists(st.integers(min_value=0, max_value=60), max_size=8)


def _end_whole(text: str) -> str:
    """The Markdown rule as it was applied to the whole text before it was written in pieces."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


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
    assert _fed(_Tidy, text, cuts) == _end_whole(text) == _end(text)


@settings(max_examples=500, deadline=None)
@given(TEXT, CUTS)
@example("", [])
@example("\n\n", [1])
@example("a\n  \n\n", [2])
@example(" ", [])
def test_html_trimmed_in_pieces_equals_trimmed_whole(text: str, cuts: list[int]) -> None:
    whole = "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n")) + "\n"
    assert _fed(_Trimmed, text, cuts) == whole


def _junit_whole(run: Run) -> str:
    """The JUnit document as it was built before it was written a suite at a time: one tree, indented whole."""
    import xml.etree.ElementTree as ET

    from lawaudit.render.junit import _error_suite, _suite

    root = ET.Element("testsuites", {"name": "lawaudit"})
    suites = [_suite(r) for r in run.results]
    if run.errors:
        suites.append(_error_suite(run.errors))
    root.extend(suites)
    for attr in ("tests", "failures", "errors", "skipped"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in suites)))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@pytest.mark.parametrize(
    "paths",
    [["statutes"], ["statutes", "tests/bad_inputs"], ["tests/bad_inputs/bad_duration.yaml"], ["statutes/kz_cc_274.yaml"], []],
    ids=["results", "results-and-errors", "errors-only", "one-statute", "nothing"],
)
def test_junit_written_a_suite_at_a_time_equals_the_whole_tree(paths: list[str], catalogue) -> None:  # type: ignore[no-untyped-def]
    run = audit_paths([REPO / p for p in paths], catalogue)
    assert JunitReporter().render(run) == _junit_whole(run)

"""Property: whatever is done to a valid statute file, the loader loads it or
reports positioned errors — it never raises.

Seeds are the real files in ``statutes/`` and a minimal statute; mutations
work on characters, lines, indentation, values, YAML syntax (duplicate keys,
tags, anchors and aliases) and raw bytes (encodings, byte-order marks).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lawaudit.errors import InputError
from lawaudit.loader import display_path, load_file
from lawaudit.model import Statute

#: characters that mean something to YAML, plus whitespace, controls and non-ASCII
SPECIAL = list(":-[]{}&*!|>#\"'%@`,?~ \t\n\r\x00\x07\x1b\x85\u2028\ufeff\ufffeжé😀")

#: replacement values: YAML 1.1 hazards, syntax fragments, tags, aliases
SCALARS = [
    "", "~", "null", "no", "yes", "on", "010", "0x1F", "1e3", "274.10", ".inf", "-1", "2017-01-20",
    "2017-02-30", "'2017-01-20'", "ten years", "[a", "{}", "[]", "{a: 1}", "[1, [2, [3]]]", "&x value",
    "*x", "*undefined", "!!python/object/apply:os.system ['ls']", "!!binary aGVsbG8=", "!!set {a}",
    "!local x", "!!str 5", "!!int abc", "\"unclosed", "'unclosed", "|", ">-\n  folded", "- item",
    "key: value", "? complex", "<<: {a: 1}", "---", "...", "%YAML 1.1", "\"\\x00\"", "\"\\u2028\"",
]  # fmt: skip


def _line_breaks(text: str) -> int:
    return sum(text.count(c) for c in "\n\r\x85\u2028\u2029")


@st.composite
def mutated_text(draw: st.DrawFn, seeds: list[str]) -> str:
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        op = draw(st.integers(0, 9))
        pos = draw(st.integers(0, max(len(text) - 1, 0)))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        j = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == 0:  # delete characters
            text = text[:pos] + text[pos + draw(st.integers(1, 40)) :]
        elif op == 1:  # insert characters
            chunk = draw(st.text(st.one_of(st.sampled_from(SPECIAL), st.characters()), min_size=1, max_size=8))
            text = text[:pos] + chunk + text[pos:]
        elif op == 2:  # replace a character
            text = text[:pos] + draw(st.sampled_from(SPECIAL)) + text[pos + 1 :]
        elif op == 3:  # swap two lines
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == 4:  # change indentation
            stripped = lines[i].lstrip(" ")
            lines[i] = draw(st.sampled_from(["", " ", "   ", "\t", "  \t", " " * 40])) + stripped
            text = "\n".join(lines)
        elif op == 5:  # replace a value with a random scalar
            if ":" in lines[i]:
                key = lines[i].split(":", 1)[0]
                lines[i] = f"{key}: {draw(st.sampled_from(SCALARS))}"
                text = "\n".join(lines)
        elif op == 6:  # duplicate a line (duplicate key or list entry)
            lines.insert(j, lines[i])
            text = "\n".join(lines)
        elif op == 7:  # put a tag on a value
            if ": " in lines[i]:
                key, value = lines[i].split(": ", 1)
                tag = draw(st.sampled_from(["!!python/object:os.system", "!!map", "!!seq", "!!str", "!!float", "!x"]))
                lines[i] = f"{key}: {tag} {value}"
                text = "\n".join(lines)
        elif op == 8:  # an anchor on one value, an alias in another
            if ": " in lines[i] and ": " in lines[j]:
                key, value = lines[i].split(": ", 1)
                lines[i] = f"{key}: &a {value}"
                lines[j] = lines[j].split(": ", 1)[0] + ": *a"
                text = "\n".join(lines)
        else:  # insert a whole line of random YAML
            lines.insert(i, draw(st.sampled_from(SCALARS + ["x-extra: 1", "id: again", "  - kind: fine"])))
            text = "\n".join(lines)
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn, seeds: list[str]) -> bytes:
    raw = draw(st.sampled_from(seeds)).encode("utf-8")
    op = draw(st.integers(0, 3))
    pos = draw(st.integers(0, len(raw)))
    if op == 0:  # random bytes somewhere (often invalid UTF-8)
        raw = raw[:pos] + draw(st.binary(min_size=1, max_size=6)) + raw[pos:]
    elif op == 1:  # cut in the middle of a multi-byte character, or anywhere
        raw = raw[:pos]
    elif op == 2:  # a byte-order mark, or the whole file in another encoding
        bom = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\xef\xbb\xbf\xef\xbb\xbf"]))
        raw = bom + raw
    else:
        encoding = draw(st.sampled_from(["utf-16-le", "utf-16", "utf-32", "cp1251", "latin-1"]))
        raw = raw.decode("utf-8").encode(encoding, errors="replace")
    return raw


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutants")


@pytest.fixture(scope="module")
def seeds(minimal_statute: str, statute_files: list[Path]) -> list[str]:
    """The files mutations start from: a minimal statute and the real corpus."""
    return [minimal_statute] + [p.read_text(encoding="utf-8") for p in statute_files]


def _check(path: Path, raw: bytes) -> None:
    path.write_bytes(raw)
    outcome = load_file(path)  # must not raise
    file = display_path(path)
    assert outcome.file == file
    event("loaded" if outcome.loaded is not None else "refused")
    if outcome.loaded is not None:
        assert outcome.errors == ()
        assert isinstance(outcome.loaded.statute, Statute)
        return
    assert outcome.errors, "neither a statute nor an error"
    text = raw.decode("utf-8", errors="replace")
    for e in outcome.errors:
        assert isinstance(e, InputError)
        assert e.file == file
        assert isinstance(e.line, int) and e.line >= 0
        assert isinstance(e.column, int) and e.column >= 0
        assert e.line <= _line_breaks(text) + 2, e
        assert isinstance(e.message, str) and e.message.strip(), e
        assert isinstance(e.field, str) and "\0" not in e.field, e
        assert "Traceback" not in e.message
        assert e.render().startswith(f"{file}:{e.line}:{e.column}: ")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_text_loads_or_reports_positioned_errors(workdir: Path, seeds: list[str], data: st.DataObject) -> None:
    text = data.draw(mutated_text(seeds), label="mutant")
    _check(workdir / "mutant.yaml", text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_bytes_load_or_report_positioned_errors(workdir: Path, seeds: list[str], data: st.DataObject) -> None:
    raw = data.draw(mutated_bytes(seeds), label="mutant")
    _check(workdir / "mutant.yaml", raw)


def test_seeds_are_valid(workdir: Path, seeds: list[str]) -> None:
    """Every seed loads unmutated, so the mutations above start from valid files."""
    assert len(seeds) > 1
    for n, text in enumerate(seeds):
        path = workdir / f"seed{n}.yaml"
        path.write_text(text, encoding="utf-8")
        assert load_file(path).loaded is not None, n

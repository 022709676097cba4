"""Table-driven corpus of bad statute files (``tests/bad_inputs/``).

Each row names a real file and the exact errors it must produce —
``(line, column, field, message)`` — through the library
(:func:`lawaudit.loader.load_file`) and through ``lawaudit validate FILE``
(exit status 2, one ``file:line:col: field: message`` line per error on
standard output, no traceback). Where a message embeds text from the YAML
parser, the row gives a precise substring (:class:`Contains`) instead.

The alias bomb and the 5 MiB file are generated at test time, not committed.
Files under ``bad_inputs/valid/`` hold YAML hazards that must load unchanged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from lawaudit.cli import app
from lawaudit.errors import InputError
from lawaudit.loader import check_unique_ids, discover, load_file
from lawaudit.model import Statute

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad_inputs"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Contains:
    """An expected message given as a substring (a third-party message is embedded)."""

    text: str


def _matches(expected: str | Contains, actual: str) -> bool:
    return expected.text in actual if isinstance(expected, Contains) else expected == actual


Row = tuple[int, int, str, "str | Contains"]

#: file in tests/bad_inputs -> every error it must produce, in order
CASES: dict[str, list[Row]] = {
    "missing_required.yaml": [(2, 1, "title", "required field is missing")],
    "wrong_type.yaml": [(6, 8, "title", "expected text, got a list")],
    "bad_enum.yaml": [
        (
            7,
            9,
            "status",
            "expected one of in_force, amended, repealed, struck_down, draft; got 'in_forse' (did you mean 'in_force'?)",
        )
    ],
    "misspelt_field.yaml": [
        (2, 1, "conduct", "required field is missing"),
        (11, 1, "condcut", "unknown field 'condcut' (did you mean 'conduct'?); extension fields must start with 'x-'"),
    ],
    "misspelt_nested_field.yaml": [
        (16, 5, "sanctions[0].kind", "required field is missing"),
        (16, 5, "sanctions[0].knd", "unknown field 'knd' (did you mean 'kind'?); extension fields must start with 'x-'"),
        (
            20,
            3,
            "measure.decided_bye",
            "unknown field 'decided_bye' (did you mean 'decided_by'?); extension fields must start with 'x-'",
        ),
    ],
    "duplicate_key.yaml": [(15, 1, "title", "duplicate key 'title' (first defined at line 6)")],
    # lines and columns as an editor counts them, not as libyaml does (it breaks lines at U+2028 and U+0085)
    "unicode_line_separator.yaml": [
        (7, 9, "status", "expected one of in_force, amended, repealed, struck_down, draft; got 'in_forse' (did you mean 'in_force'?)"),
    ],
    "unicode_line_separator_duplicate.yaml": [(12, 1, "conduct", "duplicate key 'conduct' (first defined at line 11)")],
    "duplicate_key_nested.yaml": [
        (17, 3, "x-notes.a", "duplicate key 'a' (first defined at line 16)"),
        (20, 1, "measure", "duplicate key 'measure' (first defined at line 18)"),
        (22, 3, "measure.kind", "duplicate key 'kind' (first defined at line 21)"),
    ],
    "python_object.yaml": [
        (
            6,
            8,
            "title",
            "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: statute files hold plain data only",
        )
    ],
    "local_tag.yaml": [(11, 10, "conduct", "YAML tag '!secret' is not allowed: statute files hold plain data only")],
    "set_tag.yaml": [
        (15, 10, "x-notes", "YAML tag 'tag:yaml.org,2002:set' is not allowed: statute files hold plain data only")
    ],
    "invalid_utf8.yaml": [(4, 19, "", "invalid UTF-8 (byte 0xe9); save the file as UTF-8")],
    "utf16_bom.yaml": [(1, 1, "", "file is UTF-16 encoded (byte-order mark found); save it as UTF-8")],
    "utf32_bom.yaml": [(1, 1, "", "file is UTF-32 encoded (byte-order mark found); save it as UTF-8")],
    "tab_indentation.yaml": [(10, 1, "", "tab character used for indentation; YAML indents with spaces only")],
    "empty.yaml": [(1, 1, "", "the file is empty; a statute file is a mapping of fields")],
    "comment_only.yaml": [(1, 1, "", "the file is empty; a statute file is a mapping of fields")],
    "top_level_list.yaml": [(2, 1, "", "the top level must be a mapping of statute fields, found a list")],
    "top_level_scalar.yaml": [(2, 1, "", "the top level must be a mapping of statute fields, found text")],
    # 10 000 '[': libyaml's own limit (1000 flow levels) is met before lawaudit's
    # (50) because its scanner reads ahead; the message is lawaudit's either way
    "deep_nesting.yaml": [(15, 1008, "", "nesting deeper than 50 levels")],
    # block nesting reaches lawaudit's limit: the 51st container, k49's mapping
    "deep_nesting_block.yaml": [
        (65, 101, "x-deep." + ".".join(f"k{i}" for i in range(49)), "nesting deeper than 50 levels")
    ],
    "multiple_documents.yaml": [(16, 1, "", "the file holds more than one YAML document; a file holds exactly one")],
    "control_character.yaml": [(4, 17, "", "control character U+0007 is not allowed in a YAML file")],
    "c1_control_character.yaml": [(4, 17, "", "control character U+0080 is not allowed in a YAML file")],
    "bad_duration.yaml": [
        (
            19,
            10,
            "sanctions[1].max",
            "expected a duration such as '10 years', '6 months' or '15 days' for sanction kind imprisonment, got 'ten years'",
        )
    ],
    "bad_language.yaml": [
        (10, 3, "text.english", "'english' is not an ISO 639-1 language code (such as 'en', 'ru', 'kk')")
    ],
    "lowercase_country.yaml": [
        (
            3,
            15,
            "jurisdiction",
            "expected an ISO 3166-1 alpha-2 country code such as 'KZ', or 'EU'/'XX' (country codes are upper case); got 'kz'",
        )
    ],
    "unknown_country.yaml": [
        (3, 15, "jurisdiction", "expected an ISO 3166-1 alpha-2 country code such as 'KZ', or 'EU'/'XX'; got 'QQ'")
    ],
    "non_http_url.yaml": [(14, 10, "sources[0].url", "expected an http(s) URL, got 'ftp://example.org/statute.pdf'")],
    "invalid_date.yaml": [(15, 8, "as_of", "expected a date written YYYY-MM-DD, got '2017-02-30'")],
    "date_wrong_format.yaml": [(15, 10, "adopted", "expected a date written YYYY-MM-DD, got '20/01/2017'")],
    "date_as_number.yaml": [(15, 10, "adopted", "expected a date written YYYY-MM-DD, got '0'")],
    "merge_key.yaml": [(16, 3, "measure", "YAML merge keys (<<) are not supported; write the fields out")],
    "undefined_alias.yaml": [
        (11, 10, "conduct", "alias *nowhere refers to an anchor that is not defined before it")
    ],
    "empty_text.yaml": [(10, 7, "text.en", "must not be empty")],
    "empty_rights.yaml": [(8, 9, "rights", "needs at least one entry")],
    "bad_id.yaml": [
        (
            2,
            5,
            "id",
            "expected an id of lower-case letters, digits and hyphens, starting with a letter or digit "
            "(such as 'kz-cc-274'); got 'Bad_Input'",
        )
    ],
    "negative_notice.yaml": [
        (17, 16, "measure.notice_days", "input should be greater than or equal to 0; got '-1'"),
        (20, 11, "application[0].year", "expected a whole number, got 'last year'"),
    ],
    "unclosed_quote.yaml": [(15, 1, "", Contains("YAML syntax error: found unexpected end of stream"))],
}


def _check_errors(errors: tuple[InputError, ...] | list[InputError], file: str, expected: list[Row]) -> None:
    got = [(e.line, e.column, e.field, e.message) for e in errors]
    assert len(got) == len(expected), got
    for e, (line, col, field, message) in zip(errors, expected):
        assert e.file == file
        assert (e.line, e.column, e.field) == (line, col, field), got
        assert _matches(message, e.message), (message, e.message)


def _expected_line(file: str, line: int, col: int, field: str, message: str | Contains) -> str | Contains:
    where = f"{file}:{line}:{col}: " + (f"{field}: " if field else "")
    return Contains(message.text) if isinstance(message, Contains) else where + message


def _validate(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["validate", *args])
    # a clean exit is a SystemExit; anything else is an uncaught exception (a traceback for the user)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result


def _check_cli(path: Path, expected: list[Row], *options: str) -> None:
    file = str(path)
    result = _validate(*options, file)
    assert result.exit_code == 2, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected), lines
    for line, (ln, col, field, message) in zip(lines, expected):
        want = _expected_line(file, ln, col, field, message)
        if isinstance(want, Contains):
            assert line.startswith(f"{file}:{ln}:{col}: ") and want.text in line, line
        else:
            assert line == want
    assert result.stderr.endswith("0 valid, 1 with errors\n")


def test_every_bad_input_file_is_in_the_table() -> None:
    on_disk = {p.name for p in BAD.glob("*.yaml")}
    assert on_disk == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_through_the_library(name: str) -> None:
    path = BAD / name
    outcome = load_file(path)
    assert outcome.loaded is None
    _check_errors(outcome.errors, str(path), CASES[name])


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_through_the_cli(name: str) -> None:
    _check_cli(BAD / name, CASES[name])


#: where the pure-Python parser (used when PyYAML has no libyaml) differs: it has
#: no flow-depth limit of its own, so lawaudit's check fires at the 51st '['
PURE_PYTHON = {
    "deep_nesting.yaml": [(15, 58, "x-deep" + "[0]" * 49, "nesting deeper than 50 levels")],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_with_the_pure_python_parser(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import lawaudit.yamlread

    monkeypatch.setattr(lawaudit.yamlread, "_Loader", yaml.SafeLoader)
    path = BAD / name
    _check_errors(load_file(path).errors, str(path), PURE_PYTHON.get(name, CASES[name]))


# --------------------------------------------------------- generated at test time


def _billion_laughs() -> tuple[str, int, int]:
    """The classic alias bomb (9 levels of 9 aliases); returns text and the line and
    column of the first ``*e`` in ``f``, where the expansion first passes 100 000 values."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "# billion laughs\n" + "\n".join(lines) + "\n"
    # a=10 values, b=91, c=820, d=7381, e=66430: the first *e in f passes 100 000
    return text, 7, len("f: &f [") + 1


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    text, line, col = _billion_laughs()
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    outcome = load_file(path)
    assert time.perf_counter() - start < 2.0
    expected: list[Row] = [
        (line, col, "f[0]", "aliases expand the document beyond 100000 values (an alias-expansion bomb?)")
    ]
    _check_errors(outcome.errors, str(path), expected)
    _check_cli(path, expected)


def test_alias_bomb_under_an_extension_key(tmp_path: Path, minimal_statute: str) -> None:
    bomb, line, col = _billion_laughs()
    body = "".join(f"  {ln}\n" for ln in bomb.splitlines()[1:])
    path = tmp_path / "bomb.yaml"
    path.write_text(minimal_statute + "x-bomb:\n" + body, encoding="utf-8")
    outcome = load_file(path)
    n = minimal_statute.count("\n")
    expected: list[Row] = [
        (n + 7, col + 2, "x-bomb.f[0]", "aliases expand the document beyond 100000 values (an alias-expansion bomb?)")
    ]
    _check_errors(outcome.errors, str(path), expected)


def _big_statute(tmp_path: Path, minimal_statute: str, size: int) -> Path:
    path = tmp_path / "big.yaml"
    head = minimal_statute + "x-padding: "
    path.write_text(head + "a" * (size - len(head) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == size
    return path


def test_five_mib_file_is_refused_by_default(tmp_path: Path, minimal_statute: str) -> None:
    path = _big_statute(tmp_path, minimal_statute, 5 * MIB)
    expected: list[Row] = [(1, 1, "", f"file is {5 * MIB} bytes, over the {MIB}-byte limit (--max-file-size)")]
    _check_errors(load_file(path).errors, str(path), expected)
    _check_cli(path, expected)


def test_max_file_size_is_configurable(tmp_path: Path, minimal_statute: str) -> None:
    path = _big_statute(tmp_path, minimal_statute, 5 * MIB)
    assert load_file(path, max_bytes=6 * MIB).loaded is not None
    result = _validate("--max-file-size", str(6 * MIB), str(path))
    assert result.exit_code == 0
    assert result.stdout == f"{path}: ok (minimal)\n"
    # and a limit below a small file's size refuses it
    small = tmp_path / "small.yaml"
    small.write_text(minimal_statute, encoding="utf-8")
    size = small.stat().st_size
    expected: list[Row] = [(1, 1, "", f"file is {size} bytes, over the 100-byte limit (--max-file-size)")]
    _check_cli(small, expected, "--max-file-size", "100")


# ------------------------------------------------------------------ duplicate ids


def test_duplicate_id_across_two_files_names_both() -> None:
    first, second = BAD / "duplicate_id" / "first.yaml", BAD / "duplicate_id" / "second.yaml"
    # each file is fine on its own
    assert load_file(first).loaded is not None and load_file(second).loaded is not None
    files, errors = discover([BAD / "duplicate_id"])
    assert errors == [] and files == [first, second]
    outcomes = list(check_unique_ids(load_file(p) for p in files))
    assert outcomes[0].loaded is not None
    expected: list[Row] = [(2, 5, "id", f"id 'shared-id' is already used by {first}")]
    _check_errors(outcomes[1].errors, str(second), expected)
    result = _validate(str(BAD / "duplicate_id"))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{first}: ok (shared-id)",
        f"{second}:2:5: id: id 'shared-id' is already used by {first}",
    ]


# -------------------------------------------------- hazards that must load unchanged


def _load_ok(path: Path) -> Statute:
    outcome = load_file(path)
    assert outcome.errors == (), [e.render() for e in outcome.errors]
    assert outcome.loaded is not None
    return outcome.loaded.statute


def test_utf8_bom_loads_like_the_same_file_without_it(tmp_path: Path) -> None:
    path = BAD / "valid" / "utf8_bom.yaml"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    plain = tmp_path / "plain.yaml"
    plain.write_bytes(path.read_bytes()[3:])
    with_bom = _load_ok(path)
    assert with_bom == _load_ok(plain)
    assert with_bom.id == "utf8-bom"  # the BOM did not stick to the first key
    assert _validate(str(path)).exit_code == 0


def test_windows_line_endings_load(tmp_path: Path) -> None:
    path = BAD / "valid" / "crlf.yaml"
    assert b"\r\n" in path.read_bytes()
    statute = _load_ok(path)
    assert statute.title == "Test provision" and statute.text["en"] == "Whoever does something is punished."
    assert load_file(path).loaded.document.position(("title",)) == (6, 8)  # type: ignore[union-attr]


def test_yaml_1_1_hazards_keep_what_the_author_wrote() -> None:
    path = BAD / "valid" / "yaml11_hazards.yaml"
    naive = yaml.safe_load(path.read_text(encoding="utf-8"))
    # the hazards are real: a plain YAML 1.1 loader changes every one of these
    assert naive["jurisdiction"] is False  # the Norway problem
    assert naive["provision"] == 274.1
    assert naive["title"] is False
    assert False in naive["text"]  # Norwegian text keyed by a boolean
    assert naive["text"]["ru"] is True and naive["conduct"] is True
    assert naive["measure"]["notice_days"] == 8  # octal
    assert naive["application"][0]["case"] == "1e3"  # PyYAML needs a dot; other loaders read 1000.0

    s = _load_ok(path)
    assert s.jurisdiction == "NO"
    assert s.provision == "274.10"
    assert s.title == "no"
    assert s.as_of == date(2017, 1, 20) and isinstance(s.as_of, date)
    assert s.text == {"en": "2017-01-20", "ru": "yes", "no": "Nei"}  # a quoted date in a string field stays a string
    assert s.conduct == "on"
    assert s.sources[0].title == "2017-01-20"
    assert s.sources[0].accessed == date(2024, 3, 1)
    assert s.measure is not None
    assert s.measure.notice_days == 10
    assert s.measure.criteria_in_law is True and s.measure.spontaneous_allowed is False
    assert s.application[0].case == "1e3" and s.application[0].year == 2016


def test_benign_tags_and_aliases_load(tmp_path: Path, minimal_statute: str) -> None:
    text = minimal_statute.replace("title: Test provision", "title: !!str 2016").replace(
        "conduct: doing something", "conduct: &c doing something\naggravating: [*c]"
    )
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    s = _load_ok(path)
    assert s.title == "2016" and s.aggravating == ["doing something"]


# ------------------------------------------------------------------------- timing


def test_loader_wall_time_over_the_corpus(statute_files: list[Path], record_property, capsys) -> None:  # type: ignore[no-untyped-def]
    """Measures (does not assert) how long loading ``statutes/`` takes."""
    assert statute_files
    start = time.perf_counter()
    outcomes = [load_file(p) for p in statute_files]
    elapsed = time.perf_counter() - start
    assert all(o.loaded is not None for o in outcomes), [e.render() for o in outcomes for e in o.errors]
    size = sum(p.stat().st_size for p in statute_files)
    record_property("loader_seconds", round(elapsed, 4))
    with capsys.disabled():
        print(
            f"\n[loader wall time] {len(statute_files)} files, {size} bytes in {elapsed * 1000:.1f} ms "
            f"({elapsed * 1000 / len(statute_files):.2f} ms/file)"
        )


def test_positions_after_a_unicode_line_separator_are_the_editors(tmp_path: Path) -> None:
    """Evidence lines come from the same positions: after U+2028 they must still be the lines an editor shows."""
    text = (BAD / "unicode_line_separator.yaml").read_text(encoding="utf-8").replace("status: in_forse", "status: in_force")
    path = tmp_path / "ok.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_file(path).loaded
    assert loaded is not None
    lines = text.split("\n")
    for field in ("status", "conduct", "sources"):
        line, col = loaded.document.position((field,))
        assert lines[line - 1][col - 1 :].startswith(("in_force", "doing", "- title")), (field, line, col)

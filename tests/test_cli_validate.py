"""``lawaudit validate``: folders, a broken file among good ones, JSON errors, exit statuses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from lawaudit.cli import app

BAD = Path(__file__).resolve().parent / "bad_inputs"


def _validate(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _ids(files: list[Path]) -> list[str]:
    import yaml

    return [yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in files]


def test_every_corpus_file_validates(statutes_dir: Path, statute_files: list[Path]) -> None:
    result = _validate(str(statutes_dir))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines() == [f"{p}: ok ({i})" for p, i in zip(statute_files, _ids(statute_files))]
    assert result.stderr == f"lawaudit: {len(statute_files)} valid, 0 with errors\n"


def test_one_broken_file_in_a_folder(tmp_path: Path, statute_files: list[Path]) -> None:
    folder = tmp_path / "corpus"
    nested = folder / "more"
    nested.mkdir(parents=True)
    for p in statute_files:
        shutil.copy(p, (nested if p.name.startswith("kz_cc") else folder) / p.name)
    broken_source = next(
        text for text in (p.read_text(encoding="utf-8") for p in statute_files) if "\nstatus: in_force\n" in text
    )
    broken = folder / "broken.yaml"
    broken.write_text(broken_source.replace("\nstatus: in_force\n", "\nstatus: in force\n", 1), encoding="utf-8")
    line = broken_source[: broken_source.index("\nstatus: in_force\n") + 1].count("\n") + 1

    result = _validate(str(folder))
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    ok = [ln for ln in lines if ln.endswith(")") and ": ok (" in ln]
    assert len(ok) == len(statute_files)  # the others were still validated
    assert any(ln.startswith(f"{nested}/kz_cc_") for ln in ok)  # recursively
    assert lines[len(ok) :] == [
        f"{broken}:{line}:9: status: expected one of in_force, amended, repealed, struck_down, draft; "
        "got 'in force' (did you mean 'in_force'?)"
    ]
    assert result.stderr == f"lawaudit: {len(statute_files)} valid, 1 with errors\n"

    # the same in JSON, with the contract's error fields
    result = _validate("--format", "json", str(folder))
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert len(doc["results"]) == len(statute_files)
    assert doc["errors"] == [
        {
            "file": str(broken),
            "line": line,
            "column": 9,
            "field": "status",
            "message": "expected one of in_force, amended, repealed, struck_down, draft; "
            "got 'in force' (did you mean 'in_force'?)",
        }
    ]


def test_missing_path_is_an_error_and_others_still_validate(tmp_path: Path, minimal_statute: str) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(minimal_statute, encoding="utf-8")
    missing = tmp_path / "nope.yaml"
    result = _validate(str(missing), str(good))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [f"{good}: ok (minimal)", f"{missing}:0:0: no such file or directory"]


def test_explicit_file_with_any_extension_is_validated(tmp_path: Path, minimal_statute: str) -> None:
    odd = tmp_path / "statute.txt"
    odd.write_text(minimal_statute, encoding="utf-8")
    assert _validate(str(odd)).stdout == f"{odd}: ok (minimal)\n"
    # but a folder only contributes *.yaml / *.yml
    result = _validate(str(tmp_path))
    assert result.exit_code == 0 and result.stdout == ""


def test_unsupported_format_is_a_usage_error(statutes_dir: Path) -> None:
    result = _validate("--format", "sarif", str(statutes_dir))
    assert result.exit_code == 2
    assert "not supported" in result.stderr


def test_whole_bad_corpus_through_the_real_command_has_no_traceback() -> None:
    """The installed entry point (a real process), over every bad file at once."""
    proc = subprocess.run(
        [sys.executable, "-m", "lawaudit", "validate", str(BAD)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    bad_files = sorted(p for p in BAD.glob("*.yaml"))
    for p in bad_files:
        assert f"{p}:" in proc.stdout, p
    valid = sorted((BAD / "valid").glob("*.yaml")) + [BAD / "duplicate_id" / "first.yaml"]
    for p in valid:
        assert f"{p}: ok (" in proc.stdout, p
    # every error line has the file:line:col: form
    for line in proc.stdout.splitlines():
        if ": ok (" in line:
            continue
        file, ln, col, rest = line.split(":", 3)
        assert Path(file).is_file() and int(ln) >= 1 and int(col) >= 1 and rest.startswith(" "), line
    assert proc.stderr.endswith(f"lawaudit: {len(valid)} valid, {len(bad_files) + 1} with errors\n")

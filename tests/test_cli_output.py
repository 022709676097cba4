"""``--output`` files: complete, atomic, with ordinary permissions, never left half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lawaudit.atomic import write_atomic

ROOT = Path(__file__).resolve().parent.parent


def test_output_file_is_complete_and_readable(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "folder" / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "lawaudit", "check", "statutes/kz_cc_274.yaml", "-f", "json", "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""  # the report went to the file, not to standard output
    assert out.read_text(encoding="utf-8").startswith("{")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]  # no temporary file left


def test_existing_permissions_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text("old", encoding="utf-8")

    def broken(stream) -> None:  # type: ignore[no-untyped-def]
        stream.write("half")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]

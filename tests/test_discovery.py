"""Which files a run audits: only regular files, each real file once, no folder skipped silently.

Every case runs the real command on real files in ``tmp_path``. The ones
that could hang before the fix (opening a FIFO waits for a writer) run in a
subprocess whose ``timeout`` is only a safety net, so a regression fails the
test instead of stalling the suite; nothing is timed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lawaudit.cli import app
from lawaudit.loader import discover, load_file

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")


def _cli(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _run(*args: str, prefix: tuple[str, ...] = (), cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in its own process (a hang is cut short by the timeout, then the test fails)."""
    env = dict(os.environ, LAWAUDIT_NO_CACHE="1")
    return subprocess.run(
        [*prefix, sys.executable, "-m", "lawaudit", *args], capture_output=True, text=True, timeout=60, env=env, cwd=cwd
    )


def _statute(folder: Path, name: str, text: str, sid: str = "minimal") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("id: minimal", f"id: {sid}"), encoding="utf-8")
    return path


# ------------------------------------------------------------------- file size


@pytest.mark.parametrize("limit", ["100000000000", "9223372036854775806", str(10**30)])
def test_large_max_file_size_reads_only_the_file(tmp_path: Path, minimal_statute: str, limit: str) -> None:
    """The read is sized by the file, never by the limit (it used to allocate the limit: MemoryError, OverflowError)."""
    path = _statute(tmp_path, "base.yaml", minimal_statute)
    result = _cli("validate", str(path), "--max-file-size", limit)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: ok (minimal)\n"
    assert load_file(path, max_bytes=int(limit)).loaded is not None
    result = _cli("check", str(path), "--max-file-size", limit, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0 and [r["file"] for r in json.loads(result.stdout)["results"]] == [str(path)]


def test_file_exactly_at_the_limit_loads_one_byte_over_does_not(tmp_path: Path, minimal_statute: str) -> None:
    path = _statute(tmp_path, "base.yaml", minimal_statute)
    size = path.stat().st_size
    assert load_file(path, max_bytes=size).loaded is not None
    assert [e.message for e in load_file(path, max_bytes=size - 1).errors] == [
        f"file is {size} bytes, over the {size - 1}-byte limit (--max-file-size)"
    ]

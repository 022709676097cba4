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


# ------------------------------------------------------------- not regular files


@needs_fifo
def test_fifo_in_a_folder_is_reported_not_waited_for(tmp_path: Path, minimal_statute: str) -> None:
    folder = tmp_path / "h"
    good = _statute(folder, "base.yaml", minimal_statute)
    fifo = folder / "p.yaml"
    os.mkfifo(fifo)
    (folder / "ignored").mkdir()
    os.mkfifo(folder / "ignored" / "notes.txt")  # not a statute name: not looked at

    proc = _run("validate", str(folder))
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout.splitlines() == [f"{good}: ok (minimal)", f"{fifo}:0:0: not a regular file"]
    assert proc.stderr == "lawaudit: 1 valid, 1 with errors\n"

    proc = _run("check", str(folder), "--format", "json", "--fail-on", "never")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert [r["file"] for r in doc["results"]] == [str(good)]  # the other file is still audited
    assert doc["errors"] == [{"file": str(fifo), "line": 0, "column": 0, "field": "", "message": "not a regular file"}]


@needs_fifo
def test_fifo_named_explicitly_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    proc = _run("validate", str(fifo))
    assert proc.returncode == 2
    assert proc.stdout == f"{fifo}:0:0: not a regular file\n"  # not "no such file or directory"


@needs_fifo
@needs_symlinks
def test_symlink_to_a_fifo_is_not_opened_for_reading(tmp_path: Path, minimal_statute: str) -> None:
    """A link with a statute name passes discovery; opening what it points to must still not block."""
    folder = tmp_path / "h"
    good = _statute(folder, "a.yaml", minimal_statute)
    os.mkfifo(tmp_path / "pipe")
    link = folder / "link.yaml"
    link.symlink_to(tmp_path / "pipe")
    proc = _run("validate", str(folder))
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [f"{good}: ok (minimal)", f"{link}:0:0: not a regular file"]
    # the library too: load_file never waits for a writer
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; from lawaudit.loader import load_file; "
         "print(load_file(Path(sys.argv[1])).errors[0].render())", str(link)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.stdout == f"{link}:0:0: not a regular file\n", proc.stderr


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


# --------------------------------------------------------------- unreadable folders


def _without_read_permission() -> tuple[str, ...] | None:
    """A command prefix under which a mode-000 folder cannot be read, or None.

    An unprivileged user needs none. root reads anything while it holds
    CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH: ``setpriv`` drops them from the
    bounding set, so the command runs as root (it can still reach
    ``tmp_path``) but is refused like any owner of a mode-000 folder.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        return None
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search")


def test_unreadable_subfolder_is_an_error_and_the_rest_is_audited(tmp_path: Path, minimal_statute: str) -> None:
    prefix = _without_read_permission()
    if prefix is None:
        pytest.skip("running as root without setpriv: a mode-000 folder stays readable")
    folder = tmp_path / "perm2"
    good = _statute(folder, "a.yaml", minimal_statute)
    locked = folder / "locked"
    _statute(locked, "b.yaml", minimal_statute, sid="other")
    locked.chmod(0)
    try:
        probe = subprocess.run([*prefix, sys.executable, "-c", "import os, sys; os.listdir(sys.argv[1])", str(locked)], capture_output=True)
        if probe.returncode == 0:
            pytest.skip("a mode-000 folder is still readable here (privileges could not be dropped)")
        proc = _run("validate", str(folder), prefix=prefix)
        assert proc.returncode == 2, proc.stderr
        assert proc.stdout.splitlines() == [f"{good}: ok (minimal)", f"{locked}:0:0: cannot read folder: Permission denied"]
        assert proc.stderr == "lawaudit: 1 valid, 1 with errors\n"

        proc = _run("check", str(folder), "--format", "json", "--fail-on", "never", prefix=prefix)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        doc = json.loads(proc.stdout)
        assert [r["file"] for r in doc["results"]] == [str(good)]
        assert [(e["file"], e["message"]) for e in doc["errors"]] == [(str(locked), "cannot read folder: Permission denied")]
    finally:
        locked.chmod(0o755)


# ------------------------------------------------------------ the same file twice


def test_same_folder_spelt_twice_is_audited_once(tmp_path: Path, minimal_statute: str) -> None:
    repo = tmp_path / "repo"
    a = _statute(repo / "statutes", "a.yaml", minimal_statute, sid="first")
    _statute(repo / "statutes" / "sub", "b.yaml", minimal_statute, sid="second")
    absolute = str(repo / "statutes")

    proc = _run("check", "statutes", absolute, "statutes/sub", "./statutes/a.yaml", "--format", "json", "--fail-on", "never", cwd=repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["errors"] == []
    # once each, under the first spelling
    assert [(r["statute"], r["file"]) for r in doc["results"]] == [("first", "statutes/a.yaml"), ("second", "statutes/sub/b.yaml")]

    proc = _run("validate", "statutes/a.yaml", "../repo/statutes/a.yaml", str(a), cwd=repo)
    assert proc.returncode == 0
    assert proc.stdout == "statutes/a.yaml: ok (first)\n"
    # the first spelling given is the one shown
    proc = _run("validate", str(a), "statutes", cwd=repo)
    assert proc.stdout.splitlines() == [f"{a}: ok (first)", "statutes/sub/b.yaml: ok (second)"]

    # and --jobs N gives the same bytes as --jobs 1
    env = dict(os.environ, LAWAUDIT_NO_CACHE="1", LAWAUDIT_MIN_FILES_PER_JOB="1")
    outs = {
        subprocess.run(
            [sys.executable, "-m", "lawaudit", "check", "statutes", absolute, "--format", "json", "--fail-on", "never", "--jobs", j],
            capture_output=True, timeout=60, env=env, cwd=repo,
        ).stdout
        for j in ("1", "2")
    }
    assert len(outs) == 1


@needs_symlinks
def test_symlinks_to_a_file_already_found_are_the_same_file(tmp_path: Path, minimal_statute: str) -> None:
    folder = tmp_path / "statutes"
    real = _statute(folder, "b_real.yaml", minimal_statute)
    (folder / "a_link.yaml").symlink_to("b_real.yaml")  # sorts first: the first spelling met in the folder
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "c.yaml").symlink_to(real)

    files, errors = discover([folder, other, real])
    assert errors == [] and files == [folder / "a_link.yaml"]
    result = _cli("validate", str(real), str(folder), str(other))
    assert result.exit_code == 0 and result.stdout == f"{real}: ok (minimal)\n"


def test_two_different_files_with_one_id_are_still_an_error(tmp_path: Path, minimal_statute: str) -> None:
    first = _statute(tmp_path / "s", "a.yaml", minimal_statute)
    second = _statute(tmp_path / "s", "b.yaml", minimal_statute)
    result = _cli("validate", str(tmp_path / "s"), str(tmp_path / "s" / "."), str(second))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [f"{first}: ok (minimal)", f"{second}:1:5: id: id 'minimal' is already used by {first}"]


def test_reviews_file_reached_twice_is_read_once(tmp_path: Path, statutes_dir: Path) -> None:
    """Its entries used to be "a second review" of themselves (exit 2) when the folder was spelt twice."""
    repo = tmp_path / "repo"
    (repo / "statutes").mkdir(parents=True)
    shutil.copy(statutes_dir / "kz_cc_174.yaml", repo / "statutes" / "kz_cc_174.yaml")
    (repo / "statutes" / "reviews.yaml").write_text(
        "reviews:\n"
        "  - statute: kz-cc-174\n"
        "    criterion: precision.undefined-vague-term\n"
        "    reason: a binding ruling defines the term narrowly\n"
        "    by: A. Analyst\n"
        "    date: 2024-01-01\n",
        encoding="utf-8",
    )
    outs = []
    for args in (["statutes"], ["statutes", str(repo / "statutes")], ["statutes/kz_cc_174.yaml", "./statutes"]):
        proc = _run("check", *args, "--format", "json", "--fail-on", "never", cwd=repo)
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)
        assert doc["errors"] == []
        [result] = doc["results"]
        assert [f["criterion"] for f in result["reviewed"]] == ["precision.undefined-vague-term"]
        outs.append(proc.stdout)
    assert len(set(outs)) == 1


def test_a_fifo_reached_by_several_spellings_is_reported_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "d"
    folder.mkdir()
    os.mkfifo(folder / "p.yaml")
    files, errors = discover(["d", "d/p.yaml", "./d", str(folder)])
    assert files == []
    assert [(e.file, e.message) for e in errors] == [("d/p.yaml", "not a regular file")]

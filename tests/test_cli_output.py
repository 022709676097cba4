"""``--output`` files: complete, atomic, with ordinary permissions, never left half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import read_to_end
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


# ------------------------------------------------ where the report may not go

STATUTE = ROOT / "statutes" / "kz_cc_274.yaml"


def lawaudit(*args: str, cwd: Path = ROOT, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a user would (``python -m lawaudit``), capturing both streams."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "lawaudit", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300, **kwargs
    )


def assert_cannot_write(proc: subprocess.CompletedProcess[str], path: str) -> None:
    """Exit 2, one ``lawaudit: cannot write <path>: <reason>`` line, no traceback."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"lawaudit: cannot write {path}: "), proc.stderr


def no_temporary_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*.tmp")]


def test_fifo_is_fed_not_replaced(tmp_path: Path) -> None:
    """``-o FIFO`` writes into the pipe; a renamed temporary file would replace it and the reader would get nothing.

    The read end is opened (non-blocking) before lawaudit runs, so its open
    for writing does not wait; the report of one statute fits in the pipe's
    buffer, so it is read after lawaudit ends, with no thread and no timing.
    """
    import stat

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        proc = lawaudit("check", str(STATUTE), "-f", "json", "-o", str(fifo))
        report = read_to_end(fd).decode("utf-8")
    finally:
        os.close(fd)
    assert proc.returncode == 1, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not a regular file
    assert report.startswith("{") and report.rstrip().endswith("}")
    assert [p.name for p in tmp_path.iterdir()] == ["fifo"]


def test_character_device_is_written_not_replaced(tmp_path: Path) -> None:
    """``-o /dev/null`` writes into the device. As root, a copy of /dev/null in tmp_path stands in for it.

    (Root could replace the real /dev/null if this regressed; a user cannot,
    so for a user the real one is safe to use.)
    """
    import stat

    device = Path("/dev/null")
    if os.geteuid() == 0:
        device = tmp_path / "null"
        try:
            os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
            with open(device, "w") as fh:  # a filesystem mounted nodev refuses to open it
                fh.write("")
        except OSError as exc:
            pytest.skip(f"cannot make a character device in {tmp_path}: {exc}")
    elif not device.exists() or not stat.S_ISCHR(device.stat().st_mode):
        pytest.skip("/dev/null is not a character device here")
    proc = lawaudit("check", str(STATUTE), "-f", "json", "-o", str(device))
    assert proc.returncode == 1, proc.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert no_temporary_files(tmp_path)


def test_dev_stdout_is_standard_output(tmp_path: Path) -> None:
    """``-o /dev/stdout`` with standard output a pipe: the report goes down the pipe (no temporary file under /proc)."""
    if not Path("/dev/stdout").exists():
        pytest.skip("no /dev/stdout here")
    proc = lawaudit("check", str(STATUTE), "-f", "json", "-o", "/dev/stdout")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.startswith("{") and proc.stdout.rstrip().endswith("}")
    # standard output a file: the report is added after what is there, the file is not replaced
    captured = tmp_path / "stdout.txt"
    with open(captured, "w", encoding="utf-8") as fh:
        fh.write("before\n")
        fh.flush()
        proc = subprocess.run(
            [sys.executable, "-m", "lawaudit", "check", str(STATUTE), "-f", "json", "-o", "/dev/stdout"],
            cwd=ROOT, stdout=fh, stderr=subprocess.PIPE, text=True, check=False, timeout=300,
        )
    assert proc.returncode == 1, proc.stderr
    text = captured.read_text(encoding="utf-8")
    assert text.startswith("before\n{") and text.rstrip().endswith("}")
    assert [p.name for p in tmp_path.iterdir()] == ["stdout.txt"]


def test_output_may_not_be_an_input_file(tmp_path: Path) -> None:
    """The report never replaces a statute or reviews file of the run: by name, through a link, or found in a folder."""
    src = tmp_path / "src"
    src.mkdir()
    victim = src / "victim.yaml"
    victim.write_bytes(STATUTE.read_bytes())
    reviews = src / "reviews.yaml"
    reviews.write_text("reviews: []\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(victim)
    os.link(victim, tmp_path / "hard.yaml")
    for args, output in (
        (["check", str(victim)], victim),
        (["check", str(src)], victim),
        (["check", str(src)], tmp_path / "link.yaml"),
        (["check", str(victim)], tmp_path / "hard.yaml"),
        (["check", str(src)], reviews),
        (["check", str(victim)], reviews),
    ):
        proc = lawaudit(*args, "-f", "json", "-o", str(output))
        assert_cannot_write(proc, str(output))
        assert "input file" in proc.stderr
    assert victim.read_bytes() == STATUTE.read_bytes()
    assert reviews.read_text(encoding="utf-8") == "reviews: []\n"
    assert no_temporary_files(tmp_path)
    # a file that is not an input is still replaced, atomically
    other = tmp_path / "report.json"
    other.write_text("old", encoding="utf-8")
    assert lawaudit("check", str(victim), "-f", "json", "-o", str(other)).returncode == 1
    assert other.read_text(encoding="utf-8").startswith("{")


def test_output_may_not_be_a_criteria_or_template_file(tmp_path: Path) -> None:
    """``--criteria`` and ``--templates`` files are read by the run too: never replaced by its report."""
    import shutil

    from lawaudit.criteria import default_directory

    crit = tmp_path / "crit"
    shutil.copytree(default_directory(), crit)
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "check.md.j2").write_text("{{ run.results|length }} result(s)\n", encoding="utf-8")
    scoring = (crit / "scoring.yaml").read_bytes()
    for args, output in (
        (["--criteria", str(crit)], crit / "scoring.yaml"),
        (["-f", "markdown", "--templates", str(tpl)], tpl / "check.md.j2"),
    ):
        proc = lawaudit("check", str(STATUTE), *args, "-o", str(output))
        assert_cannot_write(proc, str(output))
        assert "input file" in proc.stderr
    assert (crit / "scoring.yaml").read_bytes() == scoring
    assert (tpl / "check.md.j2").read_text(encoding="utf-8") == "{{ run.results|length }} result(s)\n"


def test_a_long_file_name_that_fits_is_written(tmp_path: Path) -> None:
    """The temporary file's name is longer than the target's: it is cut to fit, so any name the system allows works."""
    out = tmp_path / ("r" * 250)
    proc = lawaudit("check", str(STATUTE), "-f", "json", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("{")
    assert no_temporary_files(tmp_path)


def test_a_path_through_proc_cwd_is_replaced_not_appended(tmp_path: Path) -> None:
    """Only ``/proc/<pid>/fd/N`` names an open descriptor; ``/proc/self/cwd/x`` is an ordinary file."""
    via_proc = "/proc/self/cwd/out.json"
    for _ in range(2):
        proc = lawaudit("check", str(STATUTE), "-f", "json", "-o", via_proc, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
    json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))  # one document, not two


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["check", "base.yaml", "-o", "out"], id="check-folder"),
        pytest.param(["check", "base.yaml", "-o", ""], id="check-empty"),
        pytest.param(["check", "base.yaml", "-o", "base.yaml/x.txt"], id="check-under-a-file"),
        pytest.param(["check", "base.yaml", "-o", "base.yaml/deeper/x.txt"], id="check-deep-under-a-file"),
        pytest.param(["report", "base.yaml", "-o", "base.yaml/sub"], id="report-under-a-file"),
    ],
)
def test_unwritable_output_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    """A bad ``--output`` path: exit 2 and one line naming it, never a traceback or exit 1, nothing left behind."""
    (tmp_path / "base.yaml").write_bytes(STATUTE.read_bytes())
    (tmp_path / "out").mkdir()
    proc = lawaudit(*command, cwd=tmp_path)
    target = command[-1] or "."  # typer reads '' as the current folder
    assert_cannot_write(proc, target)
    assert (tmp_path / "base.yaml").read_bytes() == STATUTE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.yaml", "out"]
    assert not list((tmp_path / "out").iterdir())


def _without_write_permission() -> tuple[str, ...] | None:
    """A command prefix under which a read-only folder refuses writes (root drops CAP_DAC_OVERRIDE), or None."""
    import shutil

    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        return None
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search")


@pytest.mark.parametrize("command", ["check", "report"])
def test_read_only_folder_is_a_usage_error(tmp_path: Path, command: str) -> None:
    """The report goes to a new file beside the old one, so a read-only folder refuses it: the message names the folder."""
    prefix = _without_write_permission()
    if prefix is None:
        pytest.skip("running as root without setpriv: root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        probe = subprocess.run([*prefix, sys.executable, "-c", "import sys; open(sys.argv[1], 'w')", str(folder / "probe")], capture_output=True)
        if probe.returncode == 0:
            pytest.skip("a read-only folder is still writable here (privileges could not be dropped)")
        target = folder / ("r.json" if command == "check" else "sub")
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "lawaudit", command, str(STATUTE), "-o", str(target)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        assert_cannot_write(proc, str(target))
        assert f"the folder {folder} is not writable" in proc.stderr
        assert not list(folder.iterdir())
    finally:
        folder.chmod(0o755)


def test_full_device_is_a_usage_error_not_a_crash(tmp_path: Path) -> None:
    """A write that fails half-way (a full disk) is reported, exit 2. A copy of /dev/full in tmp_path, made as root only."""
    import stat

    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    device = tmp_path / "full"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        with open(device, "w"):
            pass
    except OSError as exc:
        pytest.skip(f"cannot make a character device in {tmp_path}: {exc}")
    proc = lawaudit("check", str(STATUTE), "-f", "json", "-o", str(device))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"lawaudit: cannot write {device}: " in proc.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_sigterm_removes_the_temporary_file(tmp_path: Path) -> None:
    """SIGTERM while a streamed report is being written: exit 143, no temporary file left, no half report.

    The report is streamed as statutes are audited, so its temporary file
    exists for as long as the audit of the generated folder lasts; the signal
    is sent once that file is seen, and the test then waits for lawaudit to end.
    """
    import signal
    import time

    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(corpus), "-n", "3000", "--seed", "7"], check=True, capture_output=True)
    outd = tmp_path / "outd"
    proc = subprocess.Popen(
        [sys.executable, "-m", "lawaudit", "check", str(corpus), "-f", "json", "-o", str(outd / "r.json"), "-j", "1"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        while not (outd.is_dir() and list(outd.glob(".r.json.*.tmp"))):
            if proc.poll() is not None:
                pytest.fail(f"lawaudit ended (status {proc.returncode}) before its report was being written: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.02)  # polling, not a timed assertion
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    assert list(outd.iterdir()) == []  # neither a temporary file nor a half report


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--help"],
        ["check", "--format", "nope", "x.yaml"],
        ["check"],
        ["validate", "--help"],
        ["schema", "--help"],
        ["report", "--help"],
        ["diff", "--help"],
        ["check", "--bogus"],
    ],
    ids=lambda a: " ".join(a),
)
def test_the_app_main_builds_for_one_command_behaves_as_the_whole_app(argv: list[str]) -> None:
    """``main`` hands typer only the command named first (start-up); its help and usage errors must not change."""
    from typer.testing import CliRunner

    from lawaudit import cli

    only = cli._app_for(["lawaudit", *argv])
    assert only is not cli.app and [c.callback for c in only.registered_commands] != [c.callback for c in cli.app.registered_commands]
    runner = CliRunner()
    whole = runner.invoke(cli.app, argv, prog_name="lawaudit")
    alone = runner.invoke(only, argv, prog_name="lawaudit")
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["criteria", "list"], ["chek"], []], ids=lambda a: " ".join(a) or "none")
def test_anything_but_a_command_name_gets_the_whole_app(argv: list[str]) -> None:
    from lawaudit import cli

    assert cli._app_for(["lawaudit", *argv]) is cli.app

"""The benchmark scripts run end to end, so the README's reproduce commands do not rot.

No timing is asserted (the suite never judges speed: seconds on a shared
machine drift); what is checked is that ``benchmarks/run.py`` measures every
command it promises and prints every table, and that the issue's yardstick,
``benchmarks/reference_app.py``, does the work it stands for: it loads and
validates the file with the same libraries and never touches lawaudit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"


def test_reference_app_loads_and_validates_with_the_libraries_only() -> None:
    statute = REPO / "statutes" / "kz_cc_274.yaml"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", str(BENCH / "reference_app.py"), "check", str(statute), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(proc.stdout)["id"] == "kz-cc-274"
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert {"yaml", "pydantic.main", "typer"} <= imported
    assert not any(name.split(".")[0] == "lawaudit" for name in imported)


def test_reference_app_refuses_a_file_that_is_not_a_statute(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: no id here\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(BENCH / "reference_app.py"), "check", str(bad)], capture_output=True, text=True)
    assert proc.returncode != 0  # it validates, so it pays for validation as lawaudit does


def _bench(script: str, tmp_path: Path, *args: str) -> tuple[str, dict[str, Any]]:
    """Run a benchmark script on a tiny corpus in ``tmp_path``: what it printed, and the raw numbers it wrote."""
    raw = tmp_path / "raw.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), *args, "--workdir", str(tmp_path / "work"), "--json", str(raw)],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout, json.loads(raw.read_text(encoding="utf-8"))


def test_run_py_measures_every_command_and_prints_every_table(tmp_path: Path) -> None:
    stdout, out = _bench("run.py", tmp_path, "--sizes", "12", "--repeat", "1", "--yamllint-repeat", "0", "--latency-repeat", "1")
    assert set(out["sizes"]["12"]) == {"check_j1", "check_jN", "floor", "floor_jN"}
    latency = set(out["latency"])
    assert any(name.startswith("reference app check") for name in latency)
    assert "reference app --help" in latency and "lawaudit --help" in latency
    for table in ("| -j1 / floor |", "share of the best", "rounds meeting the target", "× `import yaml`", "× the reference app's (same rounds)"):
        assert table in stdout
    assert "| `lawaudit check` one file |" in stdout


def test_run_py_refuses_a_bad_count_without_a_traceback() -> None:
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--repeat", "0"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "must be at least 1" in proc.stderr and "Traceback" not in proc.stderr


def test_formats_py_times_every_format_against_json(tmp_path: Path) -> None:
    stdout, out = _bench("formats.py", tmp_path, "--files", "12", "--repeat", "1", "--jobs", "1")
    assert list(out["formats"]) == ["json", "text", "markdown", "html", "sarif", "junit", "github"]
    assert out["formats"]["json"]["times_json"] == 1.0
    assert all(f["peak_mb"] > 0 and f["median_s"] > 0 for f in out["formats"].values())
    for fmt in out["formats"]:
        assert f"| {fmt} |" in stdout


def test_formats_py_refuses_an_unknown_format_without_a_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "formats.py"), "--formats", "markdown,pdf", "--workdir", str(tmp_path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2 and "unknown formats: pdf" in proc.stderr and "Traceback" not in proc.stderr

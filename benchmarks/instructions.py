"""Count instructions, not seconds: the same comparisons as ``run.py``, repeatable on a noisy machine.

    python benchmarks/instructions.py                 # 300 generated files
    python benchmarks/instructions.py --files 1000

Wall time on a shared VM drifts by up to 2× within an hour, so small
changes cannot be judged by it. ``valgrind --tool=callgrind`` counts the
instructions a process executes, which is repeatable to a few parts per
thousand whatever else the machine is doing. This script runs, under
callgrind (slow: a few minutes for 300 files):

* ``python -c pass`` and ``python -c "import pydantic.main, typer, yaml"``
  (the libraries lawaudit is built on);
* ``lawaudit --help`` and ``lawaudit check ONE.yaml --format json`` (after a
  warm-up run, so the compiled catalogue comes from the cache), and the
  issue's yardstick for the latter, a plain typer app with lazy imports
  (``reference_app.py check ONE.yaml --format json``);
* ``lawaudit check DIR --format json --jobs 1`` on the generated corpus and
  on its first file alone: the difference, divided by the other files, is
  what one more file costs;
* the floor (``yaml.load(..., CSafeLoader)`` of every file in one process,
  as in ``run.py``) on the corpus and on no file: the same per-file
  difference.

It prints the counts and the per-file ratio to the floor. The counts are for
comparing one change with another on the same machine and Python; they
are not a prediction of seconds (the floor's C code runs more instructions
per nanosecond than the interpreter does: see docs/performance.md).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import make_corpus  # noqa: E402
from run import FLOOR, REFERENCE_APP, _tool, warm_bytecode, warm_commands  # noqa: E402

_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def count(cmd: list[str], cwd: Path) -> int:
    """Instructions executed by ``cmd`` and its children (callgrind's ``Collected`` total)."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--trace-children=yes", "--callgrind-out-file=/dev/null", *cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    totals = [int(m) for m in _COLLECTED.findall(proc.stderr)]
    if not totals:
        raise SystemExit(f"valgrind gave no count for {' '.join(cmd)}:\n{proc.stderr[-2000:]}")
    return sum(totals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=300, help="generated statutes in the corpus (default 300)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "lawaudit-bench")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    lawaudit = _tool("lawaudit")
    if lawaudit is None:
        raise SystemExit("lawaudit is not installed in this environment")
    corpus = args.workdir / f"corpus-{args.files}-seed{args.seed}"
    if not corpus.is_dir():
        make_corpus(corpus, args.files, seed=args.seed)
    files = sorted(corpus.rglob("*.yaml"))
    one, empty = files[0], args.workdir / "empty"
    empty.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    cwd = args.workdir
    # warm the catalogue cache and write any missing bytecode (see run.warm_bytecode)
    warm_bytecode(warm_commands(lawaudit, one), cwd)

    rows: list[tuple[str, int]] = []

    def measure(label: str, cmd: list[str]) -> int:
        n = count(cmd, cwd)
        rows.append((label, n))
        print(f"{n / 1e6:10.1f} M  {label}", file=sys.stderr)
        return n

    measure("python -c pass", [py, "-c", "pass"])
    libs = measure('python -c "import pydantic.main, typer, yaml"', [py, "-c", "import pydantic.main, typer, yaml"])
    measure("lawaudit --help", [*lawaudit, "--help"])
    single = measure("lawaudit check ONE.yaml --format json", [*lawaudit, "check", str(one), "--format", "json"])
    app = measure("reference app check ONE.yaml --format json", [py, str(REFERENCE_APP), "check", str(one), "--format", "json"])
    whole = measure(f"lawaudit check DIR --format json --jobs 1 ({len(files)} files)", [*lawaudit, "check", str(corpus), "--format", "json", "--jobs", "1"])
    floor_none = measure("floor, no file", [py, "-c", FLOOR, str(empty)])
    floor_all = measure(f"floor, {len(files)} files", [py, "-c", FLOOR, str(corpus)])

    per_file = (whole - single) / (len(files) - 1)
    floor_per_file = (floor_all - floor_none) / len(files)
    print()
    print("| command | instructions |")
    print("|---|---:|")
    for label, n in rows:
        print(f"| `{label}` | {n / 1e6:,.1f} M |")
    print()
    print(f"one file: {single / libs:.2f}× the library imports, {single / app:.2f}× the reference typer app")
    print(f"per file: lawaudit {per_file / 1e6:.2f} M, floor {floor_per_file / 1e6:.2f} M: {per_file / floor_per_file:.2f}× the floor")


if __name__ == "__main__":
    main()

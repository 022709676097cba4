"""Wall time against the floor, measured in one process, pass by pass.

    python benchmarks/paired.py                  # 1,000 generated files, 5 pairs of passes
    python benchmarks/paired.py --files 2000 --pairs 9

On a shared VM whose speed moves by tens of per cent from one second to the
next, ``run.py``'s rounds of 5-15 s commands give ratios that wander (the
same command varied by 40% within a minute). Here one Python process
alternates two passes over the same files, a few seconds each:

* the floor: read each file and ``yaml.load(text, Loader=yaml.CSafeLoader)``,
  as in ``run.py``;
* lawaudit: what ``check --format json --jobs 1`` does after start-up, through
  the library (``start_run``, the JSON reporter writing every result to a
  sink that drops the text).

It prints the median of the same-pair ratios and each side's median time per
file. Interpreter and library start-up, and the report's trip to standard
output, are left out on both sides; ``run.py`` measures the commands whole.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO, cast

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import corpus  # noqa: E402  (generates the seeded corpus once, as run.py does)


class _Drop:
    """A text sink that keeps nothing (the report's text is made, then dropped)."""

    def write(self, text: str) -> int:
        return len(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="lawaudit against the CSafeLoader floor, pass by pass in one process.")
    parser.add_argument("--files", type=int, default=1000, help="generated statutes (default 1000)")
    parser.add_argument("--pairs", type=int, default=5, help="pairs of passes; medians are reported (default 5)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "lawaudit-bench")
    args = parser.parse_args(argv)

    import yaml

    from lawaudit.criteria import load_catalogue
    from lawaudit.loader import discover
    from lawaudit.render.json_report import JsonReporter
    from lawaudit.runner import start_run

    args.workdir.mkdir(parents=True, exist_ok=True)
    files, errors = discover([corpus(args.workdir, args.files, args.seed)])
    if errors:
        raise SystemExit(f"the generated corpus has errors: {errors[0]}")
    catalogue = load_catalogue()
    reporter = JsonReporter()

    def floor() -> None:
        for path in files:
            with open(path, encoding="utf-8") as fh:
                yaml.load(fh.read(), Loader=yaml.CSafeLoader)

    def lawaudit() -> None:
        reporter.write(start_run(files, catalogue, keep=False), cast(TextIO, _Drop()))  # (the reporter only writes)

    gc.freeze()  # as the command does once it has started
    floor()  # warm both: file cache, lexicon memos
    lawaudit()
    walls: dict[str, list[float]] = {"floor": [], "lawaudit": []}
    for _ in range(args.pairs):
        for name, run in (("floor", floor), ("lawaudit", lawaudit)):
            t0 = time.perf_counter()
            run()
            walls[name].append(time.perf_counter() - t0)
    ratio = statistics.median(a / b for a, b in zip(walls["lawaudit"], walls["floor"]))
    per_file = {name: 1000 * statistics.median(w) / len(files) for name, w in walls.items()}
    print(f"# {len(files)} files, {args.pairs} pairs of passes in one process (median)")
    print(f"floor     {per_file['floor']:.3f} ms per file")
    print(f"lawaudit  {per_file['lawaudit']:.3f} ms per file")
    print(f"lawaudit / floor: {ratio:.2f}x (same-pair ratios: {', '.join(f'{a / b:.2f}' for a, b in zip(walls['lawaudit'], walls['floor']))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

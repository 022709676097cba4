"""Every report format of ``lawaudit check`` on the same corpus: time and peak memory, against JSON.

    python benchmarks/formats.py                          # 10,000 files, 3 rounds
    python benchmarks/formats.py --files 2000 --repeat 1 --jobs 1

``run.py`` measures the issue's corpus targets on ``--format json``; a
research team auditing a whole code also asks for the other formats (the
Markdown document is what CI publishes). Each format is a fresh
``lawaudit check DIR --format F`` process with the report going to
/dev/null, the formats run round-robin (one of each per round), and the table
shows medians, each format's time as a multiple of JSON's in the same round,
and the largest resident set of the run (GNU time's ``%M``; with ``--jobs``
above 1, of its largest process). The issue's memory target, 300 MB for
10,000 files, is shown beside them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import _count, _tool, corpus, interleaved, round_ratios  # noqa: E402

#: every format ``check`` writes, JSON (the baseline) first
FORMATS = ("json", "text", "markdown", "html", "sarif", "junit", "github")
#: the issue's target for the peak memory of a 10,000-file run
MEMORY_TARGET_MB = 300


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time and peak memory of every report format (see the module docstring).")
    ap.add_argument("--files", type=_count(1), default=10_000, help="corpus size (default 10000)")
    ap.add_argument("--repeat", type=_count(1), default=3, help="rounds; medians are reported (default 3)")
    ap.add_argument("--jobs", type=_count(1), default=None, help="--jobs for every run (default: lawaudit's own)")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats (default: all)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/lawaudit-bench"))
    ap.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = ap.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        ap.error(f"unknown formats: {', '.join(unknown)} (choose from {', '.join(FORMATS)})" if unknown else "no formats")
    if "json" not in formats:
        formats.insert(0, "json")  # the baseline

    lawaudit = _tool("lawaudit") or [sys.executable, "-m", "lawaudit"]
    folder = corpus(args.workdir, args.files, args.seed)
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    cmds: dict[str, tuple[list[str], tuple[int, ...]]] = {f: ([*lawaudit, "check", str(folder), "--format", f, "--fail-on", "never", *jobs], (0,)) for f in formats}
    # one unmeasured run first: the catalogue cache and bytecode are in place before any timing
    interleaved({"json": cmds["json"]}, 1)
    results = interleaved(cmds, args.repeat)

    jobs_text = f"--jobs {args.jobs}" if args.jobs is not None else "default jobs"
    print(f"# lawaudit check, every format: {args.files:,} files, {jobs_text}, {args.repeat} round(s) (median wall seconds)")
    print()
    print("| format | seconds | × json (same rounds) | ms per file | peak MB | memory target |")
    print("|---|---:|---:|---:|---:|---:|")
    base = results["json"]
    out: dict[str, Any] = {"files": args.files, "jobs": args.jobs, "repeat": args.repeat, "formats": {}}
    for f in formats:
        r = results[f]
        times = statistics.median(round_ratios(r, base))
        target = f"{MEMORY_TARGET_MB} MB" if args.files <= 10_000 else "—"
        print(
            f"| {f} | {r['median_s']:.2f} | {times:.2f}× | {1000 * r['median_s'] / args.files:.3f} "
            f"| {r['peak_mb']:.0f} | {target} |"
        )
        out["formats"][f] = {**r, "times_json": times}
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

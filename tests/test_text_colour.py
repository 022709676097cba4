"""Colour on a terminal, plain text everywhere else (pipes, files, CI logs, NO_COLOR)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from conftest import read_to_end
from lawaudit.render.text import TextReporter
from lawaudit.runner import audit_paths

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_colour_changes_nothing_but_colour(catalogue) -> None:  # type: ignore[no-untyped-def]
    run = audit_paths([ROOT / "statutes" / "kz_cc_274.yaml", ROOT / "tests" / "controls"], catalogue)
    plain = TextReporter().render(run)
    coloured = TextReporter(color=True).render(run)
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert ANSI.sub("", coloured) == plain


def _run_on_terminal(env: dict[str, str]) -> str:
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lawaudit", "check", "statutes/kz_cc_274.yaml"],
        cwd=ROOT, stdout=follower, stderr=subprocess.DEVNULL, env=env,
    )
    os.close(follower)
    output = read_to_end(leader)
    proc.wait()
    os.close(leader)
    return output.decode("utf-8", "replace")


def test_terminal_gets_colour_unless_no_color() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm"
    assert "\x1b[" in _run_on_terminal(env)
    assert "\x1b[" not in _run_on_terminal({**env, "NO_COLOR": "1"})


def test_pipe_gets_plain_text() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "lawaudit", "check", "statutes/kz_cc_274.yaml"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert proc.stdout and "\x1b[" not in proc.stdout

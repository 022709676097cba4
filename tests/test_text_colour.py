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


def test_colour_piece_by_piece_equals_colour_of_the_whole(catalogue, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The report is coloured as it streams, a statute at a time: the same as colouring it whole, line by line.

    Titles holding U+2028 and U+2029 (which ``str.splitlines`` breaks at, as
    it does at a newline), two statutes and a file that does not load.
    """

    for name, title in (("kz_cc_274.yaml", '"Ends with a line separator\\u2028"'), ("kz_cc_174.yaml", '"Para\\u2029graph"')):
        text = (ROOT / "statutes" / name).read_text(encoding="utf-8")
        head, _, rest = text.partition("\ntitle: ")
        (tmp_path / name).write_text(head + "\ntitle: " + title + "\n" + rest.partition("\n")[2], encoding="utf-8")
    (tmp_path / "zz_broken.yaml").write_text("id: [\n", encoding="utf-8")
    run = audit_paths([tmp_path], catalogue)
    assert len(run.results) == 2 and run.errors
    plain = TextReporter().render(run)
    assert "\u2028" in plain and "\u2029" in plain
    assert TextReporter(color=True).render(run) == _coloured_whole(plain)


def test_colour_of_pieces_ending_in_a_line_separator() -> None:
    """A piece may end with U+2028 just before its newline: whole, that line break and the newline make two lines."""
    from lawaudit.render.text import _Colourer

    pieces = ["a FAIL\u2028\n", "\n", "b\u2029pass\n\u2028\n", "\n", "errors:\n  x\u0085y\n"]
    colour = _Colourer()
    assert "".join(colour(p) for p in pieces) == _coloured_whole("".join(pieces))


def _coloured_whole(plain: str) -> str:
    """How the report was coloured when it was rendered whole: each line of ``plain.splitlines()``."""
    from rich.console import Console
    from rich.text import Text

    from lawaudit.render.text import _STYLES

    console = Console(force_terminal=True, color_system="standard", highlight=False, soft_wrap=True, width=10_000)
    with console.capture() as whole:
        for line in plain.splitlines():
            styled = Text(line)
            for pattern, style in _STYLES:
                styled.highlight_regex(pattern, style)
            console.print(styled)
    return whole.get()

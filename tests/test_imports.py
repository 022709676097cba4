"""Start-up guard: commands import only what they need (conventions §4.5).

``-X importtime`` lists every module a run imports; asserting on the names,
not on timings, keeps the test robust on noisy machines. jinja2 belongs to the
markdown/html reporters and rich to coloured terminal output: neither may be
loaded by ``--help`` or by ``check --format json``, nor by a text report
written to a pipe. ``--help`` does not need pydantic either.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STATUTE = REPO / "statutes" / "kz_cc_274.yaml"


def imported_modules(*args: str) -> set[str]:
    """The names of the modules ``python -X importtime -m lawaudit ARGS`` imports."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "GITHUB_STEP_SUMMARY")}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "lawaudit", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the header line
                names.add(name)
    assert "lawaudit.cli" in names, "no importtime output was parsed"
    return names


def _loaded(names: set[str], package: str) -> list[str]:
    return sorted(n for n in names if n == package or n.startswith(package + "."))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("check", str(STATUTE), "--format", "json"),
        ("check", str(STATUTE), "--format", "text"),  # stdout is a pipe here: no colours, no rich
    ],
    ids=["help", "check-json", "check-text-piped"],
)
def test_no_jinja_or_rich(args: tuple[str, ...]) -> None:
    names = imported_modules(*args)
    assert _loaded(names, "jinja2") == []
    assert _loaded(names, "rich") == []


def test_help_does_not_load_pydantic_or_yaml() -> None:
    names = imported_modules("--help")
    assert _loaded(names, "pydantic") == []
    assert _loaded(names, "yaml") == []


def test_check_skips_pydantic_plugin_scan() -> None:
    """All plugins are disabled, so pydantic's loader (and the importlib.metadata it imports) is not loaded."""
    names = imported_modules("check", str(STATUTE), "--format", "json")
    assert "pydantic.main" in names
    assert "pydantic.plugin._loader" not in names
    assert "importlib.metadata" not in names


def _python(code: str, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**base, **env}, check=True)
    return proc.stdout.strip()


def test_plugin_stand_in_behaves_as_pydantic_loader() -> None:
    code = (
        "import os, sys\n"
        "from lawaudit import cli\n"
        "os.environ.setdefault('PYDANTIC_DISABLE_PLUGINS', '__all__')\n"
        "cli._skip_plugin_module()\n"
        "import pydantic\n"
        "class M(pydantic.BaseModel):\n"
        "    x: int\n"
        "assert M.model_validate({'x': '3'}).x == 3\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "print(list(get_plugins()), 'importlib.metadata' in sys.modules, end=' ')\n"
        "from pydantic.plugin import _loader\n"
        "print(_loader.PYDANTIC_ENTRY_POINT_GROUP, 'importlib.metadata' in sys.modules)\n"
    )
    # models work and no plugins are found, without importing importlib.metadata;
    # a name only the real loader has is taken from it (imported then)
    assert _python(code) == "[] False pydantic True"
    # a user who disables only some plugins gets pydantic's own loader
    code_some = "import sys\nfrom lawaudit import cli\ncli._skip_plugin_module()\nprint('pydantic.plugin._loader' in sys.modules)\n"
    assert _python(code_some, PYDANTIC_DISABLE_PLUGINS="logfire") == "False"
    assert _python(code_some, PYDANTIC_DISABLE_PLUGINS="__all__") == "True"


@pytest.mark.parametrize("command", ["check", "validate"])
def test_collector_is_on_when_statutes_are_read(command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``main`` starts with the cyclic collector off, but statutes are never read with it off, and it is on afterwards."""
    import gc

    from lawaudit import cli, loader

    seen: list[bool] = []
    real = loader.load_file

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "load_file", spy)
    monkeypatch.setattr("lawaudit.runner.load_file", spy)
    monkeypatch.setattr(sys, "argv", ["lawaudit", command, str(STATUTE), "--format", "json", "--jobs", "1"][: 5 if command == "validate" else 7])
    was_enabled = gc.isenabled()
    try:
        with pytest.raises(SystemExit):
            cli.main()
        assert seen and all(seen), seen
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        if not was_enabled:  # pragma: no cover
            gc.disable()
    capsys.readouterr()

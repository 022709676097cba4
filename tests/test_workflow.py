"""The GitHub workflow and the pre-commit hooks: valid YAML, and every ``lawaudit`` command they name exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from lawaudit.cli import app

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "lawaudit.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"


def _workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _commands(script: str) -> list[list[str]]:
    """Every ``lawaudit ...`` invocation in a shell script, as argument lists (line continuations joined)."""
    out = []
    for line in script.replace("\\\n", " ").splitlines():
        for m in re.finditer(r"(?:^|[;&|]\s*|\s)lawaudit\s+([^;&|#]*)", line):
            out.append(shlex.split(m.group(1)))
    return out


def _workflow_commands() -> list[list[str]]:
    steps = [s for job in _workflow()["jobs"].values() for s in job["steps"]]
    return [cmd for s in steps if "run" in s for cmd in _commands(s["run"])]


def _subcommand(argv: list[str]) -> list[str]:
    """The command path (``check``, ``criteria test``) without its arguments."""
    return argv[:2] if argv[:1] == ["criteria"] else argv[:1]


def test_workflow_structure() -> None:
    wf = _workflow()
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    for event in ("push", "pull_request"):
        assert {"statutes/**", "criteria/**"} <= set(on[event]["paths"])
    (job,) = wf["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    uses = [s.get("uses", "") for s in job["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # diff needs the base revision
    names = {c[0] for c in _workflow_commands()}
    assert {"check", "diff", "report"} <= names
    runs = "\n".join(s.get("run", "") for s in job["steps"])
    assert "--format sarif" in runs and "GITHUB_STEP_SUMMARY" in runs and "-o out/" in runs


@pytest.mark.parametrize("argv", _workflow_commands(), ids=lambda a: " ".join(a[:3]))
def test_workflow_commands_exist_and_parse(argv: list[str]) -> None:
    result = CliRunner().invoke(app, [*_subcommand(argv), "--help"])
    assert result.exit_code == 0, result.output
    # every option the workflow passes is one the command declares
    for opt in (a.split("=")[0] for a in argv if a.startswith("-")):
        assert re.search(rf"(^|[\s,]){re.escape(opt)}[\s,]", result.stdout), f"{opt} is not an option of lawaudit {argv[0]}"


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"lawaudit-validate", "lawaudit-check"}
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        assert hook["files"] == r"^statutes/.*\.ya?ml$"
        files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
        assert files.search("statutes/kz_cc_174.yaml") and files.search("statutes/sub/x.yml")
        assert not files.search("criteria/scoring.yaml")
        assert exclude.search("statutes/reviews.yaml") and not exclude.search("statutes/kz_cc_174.yaml")
        argv = shlex.split(hook["entry"])
        assert argv[0] == "lawaudit"
        assert CliRunner().invoke(app, [*argv[1:], "--help"]).exit_code == 0
    assert by_id["lawaudit-validate"]["entry"] == "lawaudit validate"
    assert by_id["lawaudit-check"]["entry"] == "lawaudit check"


def test_pre_commit_hook_runs_on_the_corpus(statute_files: list[Path]) -> None:
    """What pre-commit does: the entry plus the matching file names."""
    argv = shlex.split(next(h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8")) if h["id"] == "lawaudit-validate")["entry"])
    result = CliRunner().invoke(app, [*argv[1:], *map(str, statute_files)])
    assert result.exit_code == 0, result.output


def test_workflow_check_and_report_steps_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check and report steps exactly as written (outputs redirected), from the repository root."""
    import json

    monkeypatch.chdir(REPO)
    for argv in _workflow_commands():
        if argv[0] not in ("check", "report"):
            continue
        argv = list(argv)
        for flag in ("--output", "-o"):
            if flag in argv:
                i = argv.index(flag) + 1
                argv[i] = str(tmp_path / argv[0] / argv[i])
        result = CliRunner().invoke(app, argv)
        assert result.exit_code == 0, (argv, result.stderr)
        if argv[0] == "check":
            sarif = json.loads((tmp_path / "check" / "lawaudit.sarif").read_text(encoding="utf-8"))
            assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
        else:
            assert any((tmp_path / "report").rglob("*"))

"""``lawaudit check --changed-since REV``: exactly the statute files changed since REV, or all after a catalogue change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lawaudit.cli import app
from lawaudit.criteria import default_directory
from lawaudit.gitchanges import GitError, changed_statute_paths

from test_diff import NARROW, OTHER, VAGUE, commit, git, repo, status_snapshot  # noqa: F401  (fixture)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def check_files(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(app, ["check", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    doc = json.loads(result.stdout)
    return result.exit_code, [r["file"] for r in doc["results"]], result.stderr


def _three(repo: Path) -> str:
    return commit(
        repo,
        {
            "statutes/a.yaml": NARROW.replace("demo-discord", "demo-a"),
            "statutes/b.yaml": NARROW.replace("demo-discord", "demo-b"),
            "statutes/c.yaml": NARROW.replace("demo-discord", "demo-c"),
            "statutes/README.md": "corpus\n",
        },
        "base",
    )


def test_committed_staged_unstaged_and_untracked_changes(repo: Path) -> None:
    base = _three(repo)
    commit(repo, {"statutes/a.yaml": VAGUE.replace("demo-discord", "demo-a")}, "change a")
    (repo / "statutes" / "b.yaml").write_text(VAGUE.replace("demo-discord", "demo-b"), encoding="utf-8")
    git(repo, "add", "statutes/b.yaml")  # staged
    (repo / "statutes" / "d.yaml").write_text(OTHER, encoding="utf-8")  # untracked
    (repo / "statutes" / "README.md").write_text("changed, but not a statute\n", encoding="utf-8")
    snapshot = status_snapshot(repo)

    code, files, err = check_files("statutes/", "--changed-since", base)
    assert files == ["statutes/a.yaml", "statutes/b.yaml", "statutes/d.yaml"]
    assert code == 1  # a, b and d have an undefined vague term
    assert "3 statute file(s) changed since" in err
    assert status_snapshot(repo) == snapshot

    code, files, _ = check_files("statutes/", "--changed-since", "HEAD")
    assert files == ["statutes/b.yaml", "statutes/d.yaml"]


def test_deleted_files_are_left_out_and_nothing_changed_means_nothing_audited(repo: Path) -> None:
    base = _three(repo)
    code, files, _ = check_files("statutes/", "--changed-since", base)
    assert (code, files) == (0, [])
    commit(repo, {"statutes/c.yaml": None}, "remove c")
    code, files, _ = check_files("statutes/", "--changed-since", base)
    assert (code, files) == (0, [])


def test_only_the_paths_given(repo: Path) -> None:
    base = commit(repo, {"statutes/a.yaml": NARROW, "drafts/x.yaml": NARROW.replace("demo-discord", "draft")}, "base")
    (repo / "statutes" / "a.yaml").write_text(VAGUE, encoding="utf-8")
    (repo / "drafts" / "x.yaml").write_text(VAGUE.replace("demo-discord", "draft"), encoding="utf-8")
    _, files, _ = check_files("drafts", "--changed-since", base)
    assert files == ["drafts/x.yaml"]
    _, files, _ = check_files("statutes/a.yaml", "--changed-since", base)
    assert files == ["statutes/a.yaml"]


def test_a_catalogue_change_audits_everything(repo: Path) -> None:
    shutil.copytree(default_directory(), repo / "criteria")
    git(repo, "add", "criteria")
    base = _three(repo)
    commit(repo, {"statutes/a.yaml": VAGUE.replace("demo-discord", "demo-a")}, "change a")
    _, files, _ = check_files("statutes/", "--criteria", "criteria", "--changed-since", base)
    assert files == ["statutes/a.yaml"]
    scoring = repo / "criteria" / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8").replace("  concern: 20\n", "  concern: 25\n"), encoding="utf-8")
    _, files, _ = check_files("statutes/", "--criteria", "criteria", "--changed-since", base)
    assert files == ["statutes/a.yaml", "statutes/b.yaml", "statutes/c.yaml"]


def test_git_problems_are_usage_errors(repo: Path, tmp_path: Path) -> None:
    _three(repo)
    result = CliRunner().invoke(app, ["check", "statutes/", "--changed-since", "nope"])
    assert result.exit_code == 2
    assert "unknown revision 'nope'" in result.stderr
    with pytest.raises(GitError, match="outside the git repository"):
        changed_statute_paths([str(tmp_path)], "HEAD")

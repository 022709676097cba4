"""``lawaudit diff``: real temporary git repositories, driven through the CLI and the library."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lawaudit.cli import app
from lawaudit.criteria import default_directory
from lawaudit.diffing import diff_revisions, render_markdown
from lawaudit.gitchanges import GitError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

#: one statute with one undefined term on the vague-terms list: precision fails, all else passes
VAGUE = """\
id: demo-discord
jurisdiction: KZ
instrument: Test Code
provision: Article 1
title: Inciting discord
status: in_force
rights: [expression]
text:
  en: Intentional acts aimed at inciting discord are punishable by a fine.
conduct: intentional acts aimed at inciting discord
terms:
  - term: discord
    definition: null
protected_interests: [rights of others]
mental_element: intent
harm: likely
sanctions:
  - kind: fine
sources:
  - title: A source
    url: https://example.org/
"""
NARROW = VAGUE.replace(
    "    definition: null\n",
    "    definition: advocacy of national, racial or religious hatred that intentionally incites violence against members of a group\n",
)
OTHER = VAGUE.replace("id: demo-discord", "id: demo-other").replace("Article 1", "Article 2")


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, files: dict[str, str | None], message: str) -> str:
    for name, text in files.items():
        path = repo / name
        if text is None:
            git(repo, "rm", "-q", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    monkeypatch.chdir(root)
    return root


def run_diff(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["diff", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def diff_json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = run_diff(*args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def status_snapshot(repo: Path) -> tuple[str, bytes]:
    return git(repo, "status", "--porcelain", "--untracked-files=all"), (repo / ".git" / "index").read_bytes()


def test_narrow_definition_resolves_the_precision_finding(repo: Path) -> None:
    base = commit(repo, {"statutes/demo.yaml": VAGUE, "statutes/other.yaml": OTHER}, "base")
    head = commit(repo, {"statutes/demo.yaml": NARROW}, "define discord narrowly")

    code, doc = diff_json(base, head)
    assert code == 0
    assert doc["regression"] is False
    assert [s["statute"] for s in doc["statutes"]] == ["demo-discord"]  # other.yaml did not change
    s = doc["statutes"][0]
    assert s["status"] == "modified" and s["file"] == "statutes/demo.yaml"
    assert s["tests"]["precision"] == {"before": {"status": "fail", "score": 50}, "after": {"status": "pass", "score": 100}}
    assert s["verdict"] == {"before": "incompatible", "after": "compatible"}
    assert s["recommendation"] == {"before": "substantially_amend", "after": "retain"}
    assert [f["criterion"] for f in s["resolved"]] == ["precision.undefined-vague-term"]
    assert s["introduced"] == []
    assert s["trend"] == "better"

    text = run_diff(base, head)
    assert text.exit_code == 0
    assert "  tests:\n" in text.stdout
    assert "    precision       FAIL (50) → pass (100)   improved" in text.stdout
    assert "resolved:\n    - [FAIL] precision: precision.undefined-vague-term" in text.stdout


def test_regression_exits_1_and_is_marked(repo: Path) -> None:
    base = commit(repo, {"statutes/demo.yaml": NARROW}, "base")
    worse = NARROW.replace("mental_element: intent", "mental_element: recklessness")
    head = commit(repo, {"statutes/demo.yaml": worse}, "drop the intent requirement")

    code, doc = diff_json(base, head)
    assert code == 1
    s = doc["statutes"][0]
    assert s["regression"] is True and s["trend"] == "worse"
    assert s["verdict"]["before"] == "compatible" and s["verdict"]["after"] == "incompatible"
    assert "necessity.incitement-without-intent" in [f["criterion"] for f in s["introduced"]]
    assert all(f["severity"] in ("fail", "concern") for f in s["introduced"])

    md = run_diff(base, head, "--format", "markdown")
    assert md.exit_code == 1
    assert md.stdout.startswith("## lawaudit diff\n")
    assert "**1 regression(s):**" in md.stdout
    assert "| `demo-discord`<br>statutes/demo.yaml | modified ⚠️ regression | compatible → incompatible |" in md.stdout
    # a later fix of the regression is not a regression
    assert run_diff(head, base).exit_code == 0


def test_working_tree_is_the_default_head_and_is_left_untouched(repo: Path) -> None:
    base = commit(repo, {"statutes/demo.yaml": VAGUE}, "base")
    (repo / "statutes" / "demo.yaml").write_text(NARROW, encoding="utf-8")  # modified, not staged
    (repo / "statutes" / "new.yaml").write_text(OTHER, encoding="utf-8")  # untracked
    before = status_snapshot(repo)

    code, doc = diff_json(base)
    assert status_snapshot(repo) == before
    assert doc["head"]["rev"] == "working tree" and doc["head"]["commit"] is None
    by_id = {s["statute"]: s for s in doc["statutes"]}
    assert by_id["demo-discord"]["status"] == "modified"
    assert by_id["demo-other"]["status"] == "added"
    # the added statute's undefined vague term is a new fail-level finding
    assert [f["criterion"] for f in by_id["demo-other"]["introduced"]] == ["precision.undefined-vague-term"]
    assert code == 1


def test_removed_and_renamed_statutes(repo: Path) -> None:
    base = commit(repo, {"statutes/demo.yaml": VAGUE, "statutes/other.yaml": OTHER}, "base")
    git(repo, "mv", "statutes/demo.yaml", "statutes/renamed.yaml")
    head = commit(repo, {"statutes/other.yaml": None}, "rename one, remove the other")
    code, doc = diff_json(base, head)
    assert code == 0
    by_id = {s["statute"]: s for s in doc["statutes"]}
    assert by_id["demo-discord"]["status"] == "renamed"
    assert by_id["demo-discord"]["file"] == "statutes/renamed.yaml"
    assert by_id["demo-discord"]["before_file"] == "statutes/demo.yaml"
    assert by_id["demo-discord"]["changed"] is False
    assert by_id["demo-other"]["status"] == "removed"
    assert by_id["demo-other"]["verdict"] == {"before": "incompatible", "after": None}


def test_a_changed_criterion_reaudits_every_statute_with_each_sides_catalogue(repo: Path) -> None:
    shutil.copytree(default_directory(), repo / "criteria")
    git(repo, "add", "criteria")
    base = commit(repo, {"statutes/demo.yaml": VAGUE, "statutes/other.yaml": OTHER, "statutes/fine.yaml": NARROW.replace("demo-discord", "demo-fine")}, "base")
    rule = repo / "criteria" / "rules" / "precision" / "undefined-vague-term.yaml"
    text = rule.read_text(encoding="utf-8")
    assert "\nseverity: fail\n" in text
    head = commit(repo, {"criteria/rules/precision/undefined-vague-term.yaml": text.replace("\nseverity: fail\n", "\nseverity: concern\n")}, "soften")

    code, doc = diff_json(base, head, "--criteria", "criteria")
    assert code == 0
    assert doc["criteria_changed"] is True
    assert doc["base"]["criteria"]["version"] != doc["head"]["criteria"]["version"]
    assert sorted(s["statute"] for s in doc["statutes"]) == ["demo-discord", "demo-fine", "demo-other"]
    assert {s["status"] for s in doc["statutes"]} == {"unchanged"}
    by_id = {s["statute"]: s for s in doc["statutes"]}
    for sid in ("demo-discord", "demo-other"):
        assert by_id[sid]["tests"]["precision"] == {"before": {"status": "fail", "score": 50}, "after": {"status": "concern", "score": 80}}
        assert by_id[sid]["severity_changed"] == [{"criterion": "precision.undefined-vague-term", "before": "fail", "after": "concern"}]
        assert by_id[sid]["verdict"] == {"before": "incompatible", "after": "partially_compatible"}
    assert by_id["demo-fine"]["changed"] is False

    # the reverse change escalates the criterion back to fail: a regression
    assert run_diff(head, base, "--criteria", "criteria").exit_code == 1
    # the same comparison without the catalogue folder in the path looks only at statutes: nothing changed
    outside = run_diff(base, head)  # the shipped catalogue, not the repository's
    assert outside.exit_code == 0
    assert "0 statute(s) compared" in outside.stdout


def test_errors_unknown_revision_and_broken_head_file(repo: Path) -> None:
    base = commit(repo, {"statutes/demo.yaml": VAGUE}, "base")
    bad = run_diff("no-such-rev")
    assert bad.exit_code == 2
    assert "unknown revision 'no-such-rev'" in bad.stderr
    head = commit(repo, {"statutes/demo.yaml": VAGUE.replace("status: in_force", "status: in force")}, "break it")
    code, doc = diff_json(base, head)
    assert code == 2
    assert doc["errors"] and doc["errors"][0]["file"] == "statutes/demo.yaml" and doc["errors"][0]["side"] == "head"
    assert doc["errors"][0]["field"] == "status" and doc["errors"][0]["line"] == 6
    # the fix is not held against the change: BASE-side problems are reported only
    code, doc = diff_json(head, base)
    assert code == 1  # the base file did not load, so every finding of the fixed file is new
    assert [e["side"] for e in doc["errors"]] == ["base"]


def test_not_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_diff("HEAD")
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr


def test_output_is_deterministic_and_library_matches_cli(repo: Path) -> None:
    base = commit(repo, {"statutes/b.yaml": VAGUE, "statutes/a.yaml": OTHER}, "base")
    head = commit(repo, {"statutes/b.yaml": NARROW, "statutes/a.yaml": NARROW.replace("demo-discord", "demo-other")}, "fix both")
    outs = {run_diff(base, head, "--format", fmt).stdout for fmt in ["markdown"] * 3}
    assert len(outs) == 1
    report = diff_revisions(base, head, ["statutes"])
    assert render_markdown(report) == outs.pop()
    assert [s.file for s in report.statutes] == ["statutes/a.yaml", "statutes/b.yaml"]
    assert not report.regression and report.counts()["better"] == 2


def test_path_filter(repo: Path) -> None:
    base = commit(repo, {"statutes/demo.yaml": VAGUE, "drafts/demo.yaml": VAGUE.replace("demo-discord", "draft")}, "base")
    head = commit(repo, {"statutes/demo.yaml": NARROW, "drafts/demo.yaml": NARROW.replace("demo-discord", "draft")}, "both")
    _, default = diff_json(base, head)
    assert [s["statute"] for s in default["statutes"]] == ["demo-discord"]
    _, drafts = diff_json(base, head, "--path", "drafts")
    assert [s["statute"] for s in drafts["statutes"]] == ["draft"]
    assert drafts["paths"] == ["drafts"]


def test_output_problems_are_usage_errors(repo: Path) -> None:
    """``diff -o`` into a folder, or onto a statute of the working tree: exit 2, one line, nothing replaced."""
    commit(repo, {"statutes/demo.yaml": VAGUE}, "add demo")
    (repo / "out").mkdir()
    result = run_diff("HEAD", "HEAD", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.startswith("lawaudit: cannot write out: ")
    assert not list((repo / "out").iterdir())
    result = run_diff("HEAD", "-o", "statutes/demo.yaml")
    assert result.exit_code == 2
    assert "lawaudit: cannot write statutes/demo.yaml: it is the input file" in result.stderr
    assert (repo / "statutes" / "demo.yaml").read_text(encoding="utf-8") == VAGUE


def test_path_that_exists_nowhere_is_a_usage_error(repo: Path) -> None:
    """A typo in --path used to compare nothing and report "no regression", exit 0."""
    base = commit(repo, {"statutes/demo.yaml": VAGUE}, "base")
    head = commit(repo, {"statutes/demo.yaml": NARROW}, "fix")

    result = run_diff(base, "--path", "statutez")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"lawaudit: statutez: no such file or directory in the working tree or in {base}\n"
    result = run_diff(base, head, "--path", "statutes", "--path", "statutez/x.yaml")
    assert result.exit_code == 2
    assert result.stderr == f"lawaudit: statutez/x.yaml: no such file or directory in the working tree or in {base} or {head}\n"
    with pytest.raises(GitError, match="statutez: no such file or directory"):
        diff_revisions(base, head, ["statutez"])

    # a path that exists on one side only is a real comparison: a folder added, or removed
    drafts = commit(repo, {"drafts/demo.yaml": VAGUE.replace("demo-discord", "draft")}, "add drafts")
    code, doc = diff_json(head, drafts, "--path", "drafts")
    assert code == 1 and [s["status"] for s in doc["statutes"]] == ["added"]
    gone = commit(repo, {"drafts/demo.yaml": None}, "drop drafts")
    assert not (repo / "drafts").exists()
    code, doc = diff_json(drafts, gone, "--path", "drafts")
    assert code == 0 and [s["status"] for s in doc["statutes"]] == ["removed"]
    code, doc = diff_json(drafts, "--path", "drafts")  # against the working tree, where it is gone too
    assert code == 0 and [s["status"] for s in doc["statutes"]] == ["removed"]
    # and one that exists only in the working tree (untracked)
    (repo / "new").mkdir()
    (repo / "new" / "n.yaml").write_text(OTHER, encoding="utf-8")
    code, doc = diff_json(gone, "--path", "new")
    assert [s["status"] for s in doc["statutes"]] == ["added"]

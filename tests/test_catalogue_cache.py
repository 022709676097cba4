"""The compiled-catalogue cache: same results with and without it, invalidated by edits, never in the way.

Every test points ``XDG_CACHE_HOME`` at its own temporary folder, so the
user's real cache is never read or written.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lawaudit import catalogue_cache, criteria_spec
from lawaudit.choices import Format
from lawaudit.criteria import Catalogue, default_directory, load_catalogue
from lawaudit.examples import run_examples
from lawaudit.render import reporter_for
from lawaudit.runner import audit_paths

REPO = Path(__file__).resolve().parent.parent
STATUTES = REPO / "statutes"
CONTROLS = REPO / "tests" / "controls"


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("LAWAUDIT_NO_CACHE", raising=False)
    return home


def cache_files(home: Path) -> list[Path]:
    folder = home / "lawaudit"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a cache miss fail loudly: the catalogue must come from the cache."""

    def refuse(folder: Path) -> Catalogue:
        raise AssertionError(f"compiled {folder} although it was cached")

    monkeypatch.setattr(criteria_spec, "compile_catalogue", refuse)


def report(catalogue: Catalogue, *paths: Path) -> str:
    run = audit_paths([str(p) for p in paths], catalogue, jobs=1)
    out = io.StringIO()
    reporter_for(Format.json).write(run, out)
    return out.getvalue()


def copy_catalogue(tmp_path: Path) -> Path:
    target = tmp_path / "criteria"
    shutil.copytree(default_directory(), target)
    return target


def test_cached_and_uncached_catalogues_give_identical_results(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAWAUDIT_NO_CACHE", "1")
    fresh = load_catalogue()
    monkeypatch.delenv("LAWAUDIT_NO_CACHE")
    first = load_catalogue()  # compiles and writes the cache
    assert len(cache_files(cache_home)) == 1
    no_compiling(monkeypatch)
    cached = load_catalogue()  # read back
    assert cached is not first
    for cat in (first, cached):
        assert cat.version == fresh.version
        assert cat.directory == fresh.directory
        assert [c.id for c in cat.criteria] == [c.id for c in fresh.criteria]
        assert [c.examples for c in cat.criteria] == [c.examples for c in fresh.criteria]
        assert report(cat, STATUTES, CONTROLS) == report(fresh, STATUTES, CONTROLS)
        assert run_examples(cat) == run_examples(fresh)
    assert all(o.ok for o in run_examples(cached))


def test_editing_a_criterion_invalidates_the_cache(tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_catalogue(tmp_path)
    before = load_catalogue(folder)
    assert load_catalogue(folder).version == before.version  # a cache hit
    # a criterion alone in its file, with a top-level title line
    crit = next(c for c in before.criteria if re.search(r"^title: ", Path(c.file).read_text(encoding="utf-8"), re.M))
    rule = Path(crit.file)
    assert rule.is_relative_to(folder)
    text = rule.read_text(encoding="utf-8")
    rule.write_text(re.sub(r"^title: .*$", "title: An edited title", text, count=1, flags=re.M), encoding="utf-8")
    after = load_catalogue(folder)
    assert after.version != before.version
    assert after.by_id()[crit.id].title == "An edited title"
    assert len(cache_files(cache_home)) == 1  # one file per catalogue folder, replaced
    # and the edit is what a cache hit now returns
    no_compiling(monkeypatch)
    assert load_catalogue(folder).by_id()[crit.id].title == "An edited title"
    assert not any(p.name.startswith("catalogue-") for p in folder.rglob("*"))  # nothing written into the catalogue


def test_a_new_rule_file_invalidates_the_cache(tmp_path: Path) -> None:
    folder = copy_catalogue(tmp_path)
    before = load_catalogue(folder)
    crit = next(c for c in before.criteria if re.search(r"^id: ", Path(c.file).read_text(encoding="utf-8"), re.M))
    body = re.sub(r"^id: .*$", f"id: {crit.test.value}.cache-test-copy", Path(crit.file).read_text(encoding="utf-8"), count=1, flags=re.M)
    (folder / "rules" / "zz_cache_test.yaml").write_text(body, encoding="utf-8")
    after = load_catalogue(folder)
    assert f"{crit.test.value}.cache-test-copy" in after.by_id()
    assert len(after.criteria) == len(before.criteria) + 1


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "wrong object"])
def test_a_corrupt_cache_file_is_ignored(cache_home: Path, damage: str) -> None:
    good = load_catalogue()
    (path,) = cache_files(cache_home)
    raw = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x80\x05not a pickle at all" * 10)
    elif damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a valid header and key, but not a catalogue
        import pickle

        head = raw[: len(catalogue_cache._MAGIC) + 32]
        path.write_bytes(head + pickle.dumps({"not": "a catalogue"}))
    again = load_catalogue()
    assert again.version == good.version
    assert report(again, STATUTES) == report(good, STATUTES)
    # the bad file was replaced by a good one
    assert path.read_bytes()[: len(catalogue_cache._MAGIC) + 32] == raw[: len(catalogue_cache._MAGIC) + 32]
    hit = catalogue_cache.open_slot(default_directory())
    assert hit is not None and hit.load() is not None


def test_an_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_catalogue().criteria


def test_no_cache_writes_nothing(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAWAUDIT_NO_CACHE", "1")
    load_catalogue()
    load_catalogue()
    assert not cache_home.exists()


def test_catalogue_errors_are_not_cached(tmp_path: Path, cache_home: Path) -> None:
    from lawaudit.errors import InputErrors

    folder = copy_catalogue(tmp_path)
    (folder / "scoring.yaml").unlink()
    for _ in range(2):
        with pytest.raises(InputErrors):
            load_catalogue(folder)
    assert cache_files(cache_home) == []


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "lawaudit", *args], cwd=REPO, capture_output=True, env=env, check=False)


def test_cli_output_is_the_same_with_a_cold_cache_a_warm_cache_and_none(cache_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "GITHUB_STEP_SUMMARY", "LAWAUDIT_NO_CACHE")}
    env["XDG_CACHE_HOME"] = str(cache_home)
    args = ["check", "statutes", "tests/controls", "-f", "json", "--jobs", "1"]
    uncached = _cli(args, {**env, "LAWAUDIT_NO_CACHE": "1"})
    assert not cache_home.exists()
    cold = _cli(args, env)
    assert len(cache_files(cache_home)) == 1
    warm = _cli(args, env)
    for run in (cold, warm):
        assert (run.returncode, run.stdout, run.stderr) == (uncached.returncode, uncached.stdout, uncached.stderr)


def test_a_cache_hit_does_not_define_the_catalogue_specs(cache_home: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("LAWAUDIT_NO_CACHE", None)
    code = (
        "import sys; from lawaudit.criteria import load_catalogue; load_catalogue(); "
        "print('lawaudit.criteria_spec' in sys.modules, 'lawaudit.review_spec' in sys.modules)"
    )
    outs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.split() for _ in range(2)]
    assert outs == [["True", "False"], ["False", "False"]]


def test_old_cache_files_are_pruned(tmp_path: Path, cache_home: Path) -> None:
    folder = cache_home / "lawaudit"
    folder.mkdir(parents=True)
    for i in range(catalogue_cache.MAX_FILES + 5):
        stale = folder / f"catalogue-old{i:02d}.pickle"
        stale.write_bytes(b"old")
        os.utime(stale, ns=(i * 10**9, i * 10**9))
    load_catalogue()
    left = cache_files(cache_home)
    assert len(left) == catalogue_cache.MAX_FILES
    assert folder / "catalogue-old00.pickle" not in left  # the oldest went first
    assert folder / f"catalogue-old{catalogue_cache.MAX_FILES + 4:02d}.pickle" in left

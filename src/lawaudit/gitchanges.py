"""Read-only git plumbing for ``check --changed-since`` and ``diff``.

Everything here only *reads* the repository: file lists come from
``git diff``/``git ls-files``/``git ls-tree``, contents from ``git cat-file``
and ``git archive``. Nothing touches the user's working tree or index, and
``GIT_OPTIONAL_LOCKS=0`` stops git from refreshing the index opportunistically
while we look. Failures (no git, not a repository, unknown revision) raise
:class:`GitError` with a message the CLI prints as is.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .loader import NOT_STATUTES, display_path


class GitError(Exception):
    """A git command failed or the repository/revision is unusable."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_OPTIONAL_LOCKS"] = "0"  # never let a read refresh (write) the index
    env["GIT_LITERAL_PATHSPECS"] = "1"  # a path is a path, never a glob
    env.setdefault("LC_ALL", "C")
    return env


def git(args: Sequence[str], cwd: str | Path, *, input: bytes | None = None) -> bytes:
    """Run ``git ARGS`` in ``cwd`` and return its standard output; raise :class:`GitError` on failure."""
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, input=input, capture_output=True, env=_env(), check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])} failed: {message[-1] if message else f'exit {proc.returncode}'}")
    return proc.stdout


def repo_root(cwd: str | Path = ".") -> Path:
    """The top folder of the work tree containing ``cwd``."""
    try:
        out = git(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        raise GitError(f"{display_path(Path(cwd).resolve())} is not inside a git repository") from None
    return Path(out.decode("utf-8").strip()).resolve()


def resolve_commit(root: Path, rev: str) -> str:
    """The commit id ``rev`` names; a clear error when it names nothing."""
    if rev.startswith("-"):
        raise GitError(f"'{rev}' is not a revision")
    try:
        out = git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root)
    except GitError:
        raise GitError(f"unknown revision '{rev}' (not a commit in {display_path(root)})") from None
    return out.decode().strip()


def repo_relative(root: Path, path: str | Path) -> str | None:
    """``path`` (relative to the current folder) as a path inside the repository, or None if outside."""
    resolved = Path(path).resolve()
    try:
        rel = resolved.relative_to(root).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel


def _z(out: bytes) -> list[str]:
    return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]


def is_statute_name(rel: str) -> bool:
    """Whether discovery would treat this repository path as a statute file (see ``loader.discover``)."""
    parts = rel.split("/")
    if any(p.startswith(".") for p in parts):
        return False
    return parts[-1].endswith((".yaml", ".yml")) and parts[-1] not in NOT_STATUTES


def is_reviews_name(rel: str) -> bool:
    """Whether this repository path is an analyst reviews file."""
    parts = rel.split("/")
    return parts[-1] in NOT_STATUTES and not any(p.startswith(".") for p in parts)


def under(rel: str, prefixes: Iterable[str]) -> bool:
    """Whether ``rel`` is one of ``prefixes`` or inside one of them ('' is the whole repository)."""
    for p in prefixes:
        if p in ("", ".") or rel == p or rel.startswith(p.rstrip("/") + "/"):
            return True
    return False


def parent(rel: str) -> str:
    """The folder of a repository path ('.' at the top)."""
    return rel.rsplit("/", 1)[0] if "/" in rel else "."


@dataclass(frozen=True)
class Change:
    """One path changed between two sides: ``A`` added, ``M`` modified, ``D`` deleted."""

    status: str
    path: str


def changes(root: Path, base: str, head: str | None, pathspecs: Sequence[str]) -> list[Change]:
    """Paths changed from ``base`` to ``head`` (None: the working tree, untracked files included).

    Renames are reported as a deletion plus an addition: statutes are paired
    by their id afterwards, which survives a rename.
    """
    specs = ["--", *(pathspecs or ["."])]
    args = ["diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", base]
    if head is not None:
        args.append(head)
    fields = _z(git(args + specs, root))
    out: dict[str, str] = {}
    for i in range(0, len(fields) - 1, 2):
        code, path = fields[i][:1], fields[i + 1]
        out[path] = {"A": "A", "D": "D"}.get(code, "M")
    if head is None:
        for path in _z(git(["ls-files", "-z", "--others", "--exclude-standard", *specs], root)):
            out.setdefault(path, "A")
    return [Change(out[p], p) for p in sorted(out)]


def list_files(root: Path, rev: str | None, pathspecs: Sequence[str]) -> list[str]:
    """Files under ``pathspecs`` at ``rev`` (None: tracked and untracked, non-ignored working-tree files)."""
    specs = ["--", *(pathspecs or ["."])]
    if rev is None:
        files = _z(git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", *specs], root))
        return sorted(f for f in set(files) if (root / f).is_file())
    return sorted(_z(git(["ls-tree", "-r", "-z", "--name-only", "--full-tree", rev, *specs], root)))


def exists_at(root: Path, rev: str, rel: str) -> bool:
    """Whether the file or folder ``rel`` (a repository path) exists at ``rev``."""
    if rel in ("", "."):
        return True
    return bool(git(["ls-tree", "-z", "--name-only", rev, "--", rel], root))


def read_blobs(root: Path, rev: str, paths: Sequence[str]) -> dict[str, bytes]:
    """The contents of ``paths`` at ``rev`` in one ``git cat-file --batch`` call (missing paths left out)."""
    if not paths:
        return {}
    request = b"".join(f"{rev}:{p}\n".encode("utf-8", "surrogateescape") for p in paths)
    out = git(["cat-file", "--batch"], root, input=request)
    blobs: dict[str, bytes] = {}
    pos = 0
    for p in paths:
        end = out.index(b"\n", pos)
        header = out[pos:end].split(b" ")
        pos = end + 1
        if len(header) == 2 and header[1] == b"missing":
            continue
        size = int(header[2])
        if header[1] == b"blob":
            blobs[p] = out[pos : pos + size]
        pos += size + 1
    return blobs


def extract_tree(root: Path, rev: str, rel: str, dest: Path) -> Path:
    """Write the folder ``rel`` as it is at ``rev`` under ``dest``; return its copy.

    Read blob by blob (``ls-tree`` + ``cat-file``) rather than with ``git
    archive``, which would drop files marked ``export-ignore``.
    """
    files = list_files(root, rev, [rel or "."])
    for name, data in read_blobs(root, rev, files).items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return dest / rel


def changed_statute_paths(paths: Sequence[str], rev: str, catalogue_dir: str | Path | None = None) -> list[str]:
    """The statute files under ``paths`` added or modified since ``rev`` (committed or not).

    Deleted files cannot be audited and are left out. When the criteria
    catalogue (if it lives in the repository) or an analyst reviews file under
    ``paths`` changed, any verdict may move, so ``paths`` come back whole.
    Paths are returned as the current folder sees them, sorted.
    """
    root = repo_root(".")
    base = resolve_commit(root, rev)
    specs: list[str] = []
    explicit: set[str] = set()  # files named on the command line count whatever their extension
    for p in paths:
        rel = repo_relative(root, p)
        if rel is None:
            raise GitError(f"{p} is outside the git repository {display_path(root)}")
        if not Path(p).exists():
            raise GitError(f"{p}: no such file or directory")
        specs.append(rel or ".")
        if Path(p).is_file():
            explicit.add(rel)
    if catalogue_dir is not None:
        cat_rel = repo_relative(root, catalogue_dir)
        if cat_rel is not None and changes(root, base, None, [cat_rel or "."]):
            return list(paths)
    parents = sorted({parent(e) for e in explicit})
    changed = changes(root, base, None, sorted(set(specs) | set(parents)))
    # a reviews file under the folders given, or beside a file given, can move any verdict it names
    if any(is_reviews_name(c.path) and (under(c.path, specs) or parent(c.path) in parents) for c in changed):
        return list(paths)
    changed = [c for c in changed if under(c.path, specs)]
    cwd = Path.cwd()
    out = {
        display_path(Path(os.path.relpath(root / c.path, cwd)))
        for c in changed
        if c.status != "D" and (is_statute_name(c.path) or c.path in explicit) and (root / c.path).is_file()
    }
    return sorted(out)


__all__ = [
    "Change",
    "GitError",
    "changed_statute_paths",
    "changes",
    "exists_at",
    "extract_tree",
    "list_files",
    "read_blobs",
    "repo_root",
    "resolve_commit",
]

"""``lawaudit report PATH... -o DIR``: write the audit reports into a folder.

Markdown (default): one report per statute, ``index.md`` over all of them and
``recommendations.md``. HTML: one self-contained ``index.html``. Every file is
written atomically (temporary file, then one rename). A run records the files
it wrote in ``DIR/.lawaudit-report-<format>``; the next run of the same
format removes those it no longer writes (a statute that was deleted or
renamed) and never touches any other file in ``DIR``: when a file it did not
write stands where a report is to go (a statute with ``id: notes`` beside the
user's ``notes.md``), the run stops with status 2 before writing anything.

Exit statuses are those of ``check``: 2 when a file could not be loaded, 1
when a finding reaches ``--fail-on``, 0 otherwise.
"""

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Optional

import typer

from .choices import DEFAULT_MAX_BYTES, FailOn, Format

#: formats ``report`` writes, and the reporter module that knows how
REPORT_FORMATS = (Format.markdown, Format.html)
_MANIFEST = ".lawaudit-report-{fmt}"
_MANIFEST_HEAD = "# Files written by `lawaudit report`; the next run replaces them or removes those it no longer writes.\n"
#: the names ``report`` writes (a pattern string: ``lawaudit.cli`` imports this module, ``check`` never uses it)
_OWN_NAME = r"^[a-z0-9][a-z0-9-]*\.(md|html)$"


def write_atomic(target: Path, content: str) -> None:
    """:func:`lawaudit.atomic.write_atomic`, imported on first use: ``lawaudit.cli`` imports this
    module to register ``report``, and ``check`` to standard output never needs tempfile."""
    from .atomic import write_atomic as write

    write(target, content)


def _previous(manifest: Path) -> list[str]:
    try:
        if not stat.S_ISREG(os.lstat(manifest).st_mode):  # a FIFO there would block the read: not ours
            return []
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [line for line in lines if line and not line.startswith("#")]


class ForeignFiles(Exception):
    """Files in the output folder that ``report`` would overwrite but did not write: nothing was written."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = paths


def foreign_files(names: "Iterable[str]", out_dir: Path, manifest: Path, ours: "Iterable[str]") -> list[Path]:
    """The files among ``out_dir/<name>`` that are there and were not written by ``report`` (sorted).

    A file is lawaudit's when the manifest (whose names are ``ours``) lists it
    and it is still a regular file (not a link, not a folder): anything else at
    one of those names is the user's, such as a ``notes.md`` beside the reports
    when a statute's id is ``notes``, and must not be replaced.
    """
    if not out_dir.is_dir():
        return []
    ours = set(ours)
    clashes = []
    if os.path.lexists(manifest) and not stat.S_ISREG(os.lstat(manifest).st_mode):
        clashes.append(manifest)  # lawaudit writes its manifest as a plain file; anything else is the user's
    for name in sorted(names):
        path = out_dir / name
        if not os.path.lexists(path):
            continue
        if name not in ours or path.is_symlink() or not path.is_file():
            clashes.append(path)
    return clashes


def write_report_files(files: dict[str, str], out_dir: Path, fmt: Format) -> list[str]:
    """Write ``files`` (name -> text) into ``out_dir`` atomically; prune what an earlier run of this format wrote.

    Returns the names of the files removed. Only plain file names that this
    command could have written (``<slug>.md`` / ``.html``) and that the
    previous manifest lists are ever removed, and only such files are
    replaced: when any other file stands at a name to be written, raises
    :class:`ForeignFiles` before anything is written.

    The manifest lists every name about to be written before the first
    report is written, so a run that fails half-way (a full disk) still
    leaves a record of what is lawaudit's: the next run replaces or prunes
    those files instead of taking them for the user's.
    """
    manifest = out_dir / _MANIFEST.format(fmt=fmt.value)
    old = _previous(manifest)
    clashes = foreign_files(files, out_dir, manifest, old)
    if clashes:
        raise ForeignFiles(clashes)
    out_dir.mkdir(parents=True, exist_ok=True)
    pending = sorted(set(files) | {n for n in old if re.match(_OWN_NAME, n)})
    if old != pending:  # (a repeated run already has them all listed)
        write_atomic(manifest, _MANIFEST_HEAD + "".join(f"{n}\n" for n in pending))
    for name in sorted(files):
        write_atomic(out_dir / name, files[name])
    removed = []
    for name in old:
        if name in files or not re.match(_OWN_NAME, name):
            continue
        path = out_dir / name
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(name)
    write_atomic(manifest, _MANIFEST_HEAD + "".join(f"{n}\n" for n in sorted(files)))
    return removed


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""

    @app.command()
    def report(
        paths: list[str] = typer.Argument(..., metavar="PATH...", help="Statute files or folders (searched recursively for *.yaml, *.yml)."),
        output: Path = typer.Option(..., "--output", "-o", help="Folder to write the reports into (created if missing)."),
        format: Format = typer.Option(Format.markdown, "--format", "-f", help="markdown (a file per statute, index.md, recommendations.md) or html (one index.html)."),
        fail_on: FailOn = typer.Option(FailOn.fail, "--fail-on", help="Exit 1 when a finding of this severity (or worse) is found."),
        criteria: Optional[Path] = typer.Option(None, "--criteria", help="Criteria catalogue folder (default: the one shipped with lawaudit)."),
        templates: Optional[Path] = typer.Option(None, "--templates", help="Folder of Jinja templates overriding the shipped ones, by file name."),
        jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: the number of CPUs)."),
        max_file_size: int = typer.Option(DEFAULT_MAX_BYTES, "--max-file-size", min=1, help="Refuse input files larger than this many bytes."),
        no_reviews: bool = typer.Option(False, "--no-reviews", help="Ignore analyst reviews (reviews.yaml)."),
    ) -> None:
        """Write audit reports into a folder: Markdown per statute, index.md and recommendations.md (or one HTML file)."""
        from .atomic import check_folders
        from .cli import _catalogue, _err, _print_errors, _summary, cannot_write, exit_status
        from .exitcodes import ExitCode
        from .render import reporter_for
        from .runner import audit_paths, default_jobs

        if format not in REPORT_FORMATS:
            _err(f"lawaudit report: --format {format.value} is not supported here (use markdown or html)")
            raise typer.Exit(ExitCode.INPUT_ERROR)
        if templates is not None and not templates.is_dir():
            _err(f"lawaudit report: --templates {templates} is not a folder")
            raise typer.Exit(ExitCode.INPUT_ERROR)
        if output.exists() and not output.is_dir():
            _err(f"lawaudit report: --output {output} exists and is not a folder")
            raise typer.Exit(ExitCode.INPUT_ERROR)
        try:
            check_folders(output)
        except OSError as exc:  # report -o base.yaml/sub: said now, before the audit
            cannot_write(output, exc)
        catalogue = _catalogue(criteria)
        reviews = None
        if not no_reviews:
            from .reviews import find_reviews

            reviews = find_reviews(paths)
        run = audit_paths(paths, catalogue, jobs=jobs or default_jobs(), max_bytes=max_file_size, reviews=reviews)
        from .errors import InputErrors

        reporter = reporter_for(format, **({"templates": templates} if templates is not None else {}))
        try:
            files = reporter.report_files(run)  # type: ignore[attr-defined]
        except InputErrors as exc:  # a broken --templates file: nothing is written
            _print_errors(exc.errors)
            raise typer.Exit(ExitCode.INPUT_ERROR) from None
        try:
            removed = write_report_files(files, output, format)
        except ForeignFiles as exc:
            for path in exc.paths:
                _err(f"lawaudit: cannot write {path}: a file lawaudit did not write is there (nothing was written; move it, or choose another --output folder)")
            raise typer.Exit(ExitCode.INPUT_ERROR) from None
        except OSError as exc:
            cannot_write(output, exc)
        _print_errors(run.errors)
        _err(f"lawaudit: wrote {len(files)} file(s) to {output}" + (f"; removed {len(removed)} stale report(s)" if removed else ""))
        tally = run.tally()
        _err(_summary(tally, run.errors))
        raise typer.Exit(exit_status(tally, run.errors, fail_on))

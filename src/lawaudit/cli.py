"""The ``lawaudit`` command line: parse arguments, call the library, map results to exit statuses.

Kept thin on purpose: every decision lives in the library, which never prints
or exits. Heavy modules (pydantic models, Jinja, rich) are imported inside the
commands that need them, so ``lawaudit --help`` starts fast and
``check --format json`` never loads Jinja or rich. Reports go to standard
output (or ``--output``, written atomically once complete); progress, errors
and summaries go to standard error.

No ``from __future__ import annotations`` here (nor in ``cli_report`` and
``cli_diff``): typer reads the annotations of every command's parameters
at each start, and string annotations it must evaluate three times each
(``get_type_hints``, ``inspect.signature``), compiling every string: 1.2% of
a one-file ``check`` and 3.5% of ``--help``. Annotations naming what is only
imported for type checking are quoted instead.
"""

import gc
import os
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from . import __version__
from .choices import DEFAULT_MAX_BYTES, FailOn, Format
from .exitcodes import ExitCode

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import NoReturn, TextIO

    from .errors import InputError
    from .runner import Tally

app = typer.Typer(
    name="lawaudit",
    help="Audit statutes against ICCPR Articles 19(3), 20(2) and 21.\n\n"
    "Exit status: 0 no finding at the --fail-on level; 1 findings at that level; "
    "2 usage error or a file that could not be loaded.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
criteria_app = typer.Typer(help="Inspect and test the criteria catalogue.", rich_markup_mode=None, no_args_is_help=True)
app.add_typer(criteria_app, name="criteria")


def _version(value: bool) -> None:
    if value:
        print(f"lawaudit {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _main(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Audit statutes against ICCPR Articles 19(3), 20(2) and 21."""
    if ctx.invoked_subcommand != "check":
        _start_up_done()  # only ``check`` defers the collector (see main)


def _start_up_done() -> None:
    """Turn the cyclic garbage collector back on (:func:`main` starts with it off).

    Everything allocated so far is moved out of the collector's generations
    first: it is long-lived, and left in the youngest generation it would
    all be scanned by the very next collection. When the collector is
    already on (the app run by a test or embedded elsewhere, not through
    :func:`main`), nothing is touched.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


# ----------------------------------------------------------------- helpers


def _err(message: str) -> None:
    sys.stderr.write(message + "\n")


def _print_errors(errors: "list[InputError] | tuple[InputError, ...]") -> None:
    for e in errors:
        _err(e.render())


def write_output(text: "str | Callable[[TextIO], None]", output: Path | None) -> None:
    """Write the finished report to ``output`` atomically, or to standard output.

    The report is complete before anything is written, and a file is replaced
    in one rename, so an interrupted run never leaves half a report behind.
    ``text`` may instead be a function that writes the report to a stream (a
    streaming reporter: a large JSON report is never held whole in memory);
    a file is then still replaced in one rename once the function returns,
    while standard output receives the report as it is written.
    """
    if output is None:
        if callable(text):
            text(sys.stdout)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .atomic import write_atomic

    try:
        write_atomic(output, text, follow_symlinks=True)
    except OSError as exc:  # a folder, a file in the way, no permission, a full disk: a usage error, not a crash
        cannot_write(output, exc)


def cannot_write(output: Path, exc: OSError) -> "NoReturn":
    """Say on one line why ``output`` cannot be written, and end with status 2.

    The reason is the error's own words (``strerror``), never the name of a
    temporary file the user did not ask for. A file is replaced by creating a
    new one beside it, so "permission denied" often concerns the folder, not
    the file: then the folder is named, since ``> FILE`` would still work.
    """
    reason = exc.strerror or str(exc)
    folder = output.parent if str(output.parent) else Path(".")
    if isinstance(exc, PermissionError) and folder.is_dir() and not os.access(folder, os.W_OK):
        reason = f"the folder {folder} is not writable ({reason})"
    _err(f"lawaudit: cannot write {output}: {reason}")
    raise typer.Exit(ExitCode.INPUT_ERROR)


def check_output(output: Path | None, paths: "Sequence[str]", folders: "Sequence[Path | None]" = ()) -> None:
    """Refuse a bad ``--output`` before any work is done (exit 2, one line on stderr).

    It may not be a folder or lie under a file, and it may not be one of the
    files the run reads (a statute named in ``paths`` or found under them, a
    reviews file beside them, or any file in ``folders``: the criteria
    catalogue and the ``--templates`` folder): the report would replace what
    the user wrote. Files are compared by device and inode, so a symbolic or hard link
    to an input is caught too. A FIFO or device is fine: it is written to,
    not replaced.
    """
    if output is None:
        return
    import stat

    from .atomic import check_folders

    try:
        st = os.stat(output)
    except OSError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        _err(f"lawaudit: cannot write {output}: it is a folder")
        raise typer.Exit(ExitCode.INPUT_ERROR)
    if st is None:
        try:
            check_folders(output.parent)
        except OSError as exc:
            cannot_write(output, exc)
        return
    if not stat.S_ISREG(st.st_mode):
        return
    from .loader import discover, display_path
    from .reviews import review_files

    read = [*discover(paths)[0], *review_files(paths).values()]
    for folder in folders:
        if folder is not None:
            read += [Path(d) / n for d, _dirs, names in os.walk(folder) for n in names]
    for source in read:
        try:
            other = os.stat(source)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            _err(f"lawaudit: cannot write {output}: it is the input file {display_path(source)}; the report would replace it")
            raise typer.Exit(ExitCode.INPUT_ERROR)


def _catalogue(criteria: Optional[Path]):  # type: ignore[no-untyped-def]
    from .criteria import load_catalogue
    from .errors import InputErrors

    try:
        return load_catalogue(criteria)
    except InputErrors as exc:
        _err("lawaudit: the criteria catalogue has errors; no audit was run")
        _print_errors(exc.errors)
        raise typer.Exit(ExitCode.INPUT_ERROR) from None


def _summary(tally: "Tally", errors: "tuple[InputError, ...]") -> str:
    parts = ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in sorted(tally.verdicts.items()))
    files_with_errors = len({e.file for e in errors})
    text = f"lawaudit: {tally.results} statute(s) audited" + (f" ({parts})" if parts else "")
    if files_with_errors:
        text += f"; {files_with_errors} file(s) with errors"
    return text


def exit_status(tally: "Tally", errors: "tuple[InputError, ...]", fail_on: FailOn) -> ExitCode:
    """Map a run onto the contract's exit statuses."""
    if errors:
        return ExitCode.INPUT_ERROR
    if any(fail_on.reached_by(severity) for severity in tally.severities):
        return ExitCode.FINDINGS
    return ExitCode.OK


def _use_color(output: Optional[Path]) -> bool:
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


# ---------------------------------------------------------------- commands

PATHS = typer.Argument(..., metavar="PATH...", help="Statute files or folders (searched recursively for *.yaml, *.yml).")
MAX_SIZE = typer.Option(DEFAULT_MAX_BYTES, "--max-file-size", min=1, help="Refuse input files larger than this many bytes.")


@app.command()
def check(
    paths: list[str] = PATHS,
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file instead of standard output."),
    fail_on: FailOn = typer.Option(FailOn.fail, "--fail-on", help="Exit 1 when a finding of this severity (or worse) is found."),
    criteria: Optional[Path] = typer.Option(None, "--criteria", help="Criteria catalogue folder (default: the one shipped with lawaudit)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: the number of CPUs)."),
    max_file_size: int = MAX_SIZE,
    templates: Optional[Path] = typer.Option(None, "--templates", help="Folder of Jinja templates overriding the shipped ones (markdown, html)."),
    changed_since: Optional[str] = typer.Option(None, "--changed-since", metavar="REV", help="Audit only statute files changed since this git revision (all of them if criteria changed)."),
    no_reviews: bool = typer.Option(False, "--no-reviews", help="Ignore analyst reviews (reviews.yaml): show the audit as the engine sees it."),
) -> None:
    """Audit statute files and report verdicts, findings and recommendations."""
    from .errors import InputErrors
    from .render import reporter_for
    from .criteria import default_directory
    from .runner import apply_reviews, default_jobs, start_run

    check_output(output, paths, (criteria or default_directory(), templates))
    catalogue = _catalogue(criteria)
    if changed_since is not None:
        from .gitchanges import GitError, changed_statute_paths

        try:
            paths = changed_statute_paths(paths, changed_since, catalogue.directory)
        except GitError as exc:
            _err(f"lawaudit: {exc}")
            raise typer.Exit(ExitCode.INPUT_ERROR) from None
        _err(f"lawaudit: {len(paths)} statute file(s) changed since {changed_since}")
    reviews = None
    if not no_reviews:
        from .reviews import find_reviews

        reviews = find_reviews(paths)
    options: dict[str, object] = {}
    if format is Format.text:
        options["color"] = _use_color(output)
    if templates is not None:
        if not templates.is_dir():  # as ``report`` does: a mistyped folder must not silently mean the shipped templates
            _err(f"lawaudit check: --templates {templates} is not a folder")
            raise typer.Exit(ExitCode.INPUT_ERROR)
        options["templates"] = templates
    try:
        reporter = reporter_for(format, **options)
    except InputErrors as exc:  # a broken --templates file
        _print_errors(exc.errors)
        raise typer.Exit(ExitCode.INPUT_ERROR) from None
    _start_up_done()  # imports, models and catalogue are in place: from here on objects can become garbage
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    streamed = reporter.streams and reviews is None
    # a streamed report keeps no results unless the job summary needs them
    live = start_run(
        paths,
        catalogue,
        jobs=jobs or default_jobs(),
        max_bytes=max_file_size,
        keep=not streamed or bool(summary_file),
        encode=reporter.encode_result,  # workers send back report text, not results (when none are kept)
    )
    if streamed:
        # each result is written as soon as it is audited (reviews need every result first)
        write_output(partial(reporter.write, live), output)
        run = live.finish()
        tally = live.tally()
    else:
        run = live.finish()
        if reviews is not None:
            run = apply_reviews(run, reviews, catalogue)
        try:
            # (Markdown, HTML, SARIF and JUnit write the finished run as they render it: a
            # template that breaks part way may leave standard output holding the part before)
            write_output(partial(reporter.write, run), output)
        except InputErrors as exc:  # a broken --templates file
            _print_errors(exc.errors)
            raise typer.Exit(ExitCode.INPUT_ERROR) from None
        tally = run.tally()
    if format is Format.github:
        # annotations are capped per step, so the readable report follows them
        reporter_for(Format.text).write(run, sys.stdout)
    if summary_file:
        from .render.summary import append_step_summary

        append_step_summary(run, Path(summary_file))
    _print_errors(run.errors)
    if reviews is not None:  # stale and expired reviews: reported, the exit status is the findings'
        for notice in reviews.notices:
            _err(f"note: {notice.render()}")
    _err(_summary(tally, run.errors))
    raise typer.Exit(exit_status(tally, run.errors, fail_on))


@app.command()
def validate(
    paths: list[str] = PATHS,
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    max_file_size: int = MAX_SIZE,
) -> None:
    """Check statute files against the format only (no scoring)."""
    import json

    from .loader import check_unique_ids, discover, load_file

    files, errors = discover(paths)
    outcomes = list(check_unique_ids(load_file(p, max_file_size) for p in files))
    all_errors = sorted(errors + [e for o in outcomes for e in o.errors])
    valid = [o for o in outcomes if o.loaded is not None]
    if format is Format.json:
        doc = {
            "tool": {"name": "lawaudit", "version": __version__},
            "results": [{"file": o.file, "statute": o.loaded.statute.id} for o in valid if o.loaded],
            "errors": [e.as_dict() for e in all_errors],
        }
        write_output(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", None)
    elif format is Format.text:
        lines = [f"{o.file}: ok ({o.loaded.statute.id})" for o in valid if o.loaded]
        lines += [e.render() for e in all_errors]
        write_output("".join(line + "\n" for line in lines), None)
    else:
        _err(f"lawaudit validate: --format {format.value} is not supported here (use text or json)")
        raise typer.Exit(ExitCode.INPUT_ERROR)
    bad = len({e.file for e in all_errors})
    _err(f"lawaudit: {len(valid)} valid, {bad} with errors")
    raise typer.Exit(ExitCode.INPUT_ERROR if all_errors else ExitCode.OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the statute format (for editors' YAML language server)."""
    import json

    from .model import json_schema

    write_output(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", None)


@criteria_app.command("test")
def criteria_test(
    criteria: Optional[Path] = typer.Option(None, "--criteria", help="Criteria catalogue folder."),
    only: Optional[list[str]] = typer.Option(None, "--only", help="Test only this criterion id (repeatable)."),
) -> None:
    """Run every criterion's trigger and pass examples through the engine."""
    from .examples import run_examples

    catalogue = _catalogue(criteria)
    outcomes = run_examples(catalogue, set(only) if only else None)
    lines = []
    for o in outcomes:
        mark = "ok  " if o.ok else "FAIL"
        lines.append(f"{mark} {o.criterion} [{o.kind}] {o.name}" + (f": {o.detail}" if o.detail else ""))
    write_output("".join(line + "\n" for line in lines), None)
    failed = sum(not o.ok for o in outcomes)
    _err(f"lawaudit: {len(outcomes) - failed} passed, {failed} failed")
    raise typer.Exit(ExitCode.FINDINGS if failed else ExitCode.OK)


@criteria_app.command("list")
def criteria_list(
    criteria: Optional[Path] = typer.Option(None, "--criteria", help="Criteria catalogue folder."),
) -> None:
    """List the criteria: id, test, severity, rights, title and sources."""
    catalogue = _catalogue(criteria)
    lines = []
    for c in catalogue.criteria:
        cites = "; ".join(s.cite() for s in c.sources)
        lines.append(f"{c.id}\t{c.test.value}\t{c.severity.value}\t{','.join(sorted(c.rights))}\t{c.title}\t{cites}")
    write_output("".join(line + "\n" for line in lines), None)
    _err(f"lawaudit: {len(catalogue.criteria)} criteria in {catalogue.directory} (version {catalogue.version})")


# Further commands live in their own modules; each registers itself on ``app``.
from . import cli_report as _cli_report  # noqa: E402  (lawaudit report)
from . import cli_diff as _cli_diff  # noqa: E402  (lawaudit diff)

_cli_report.register(app)
_cli_diff.register(app)


def main() -> None:
    """Console-script entry point.

    The command loads no pydantic plugins: looking them up scans the metadata
    of every installed distribution (about 20 ms, a tenth of a one-file run)
    and the statute and criteria models need none. typer does the same for
    its own option adapters. A ``PYDANTIC_DISABLE_PLUGINS`` set by the user
    is left as it is.

    The cyclic garbage collector is off while ``check`` starts up: importing
    pydantic and typer's option adapters, building the statute models and
    reading the catalogue only create objects that live as long as the
    process, and the collections they trigger (several full ones, over
    hundreds of thousands of objects) cost about 4% of a one-file run. It is
    back on before the first statute is audited, and from the start in every
    other command. At the end everything is frozen out of the collector's
    reach, so the exiting interpreter does not scan it all once more.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _skip_plugin_module()
    _exit_cleanly_on_sigterm()
    gc.disable()
    try:
        _app_for(sys.argv)()
    finally:
        # the process ends here: nothing needs collecting, and the interpreter's
        # final collection would otherwise scan every object of the run (5% of
        # a one-file check); output files are already closed, stdout is flushed
        # at exit as always
        gc.freeze()
        gc.enable()  # (for a caller that goes on: only what is allocated from now on is scanned)


def _app_for(argv: "Sequence[str]") -> typer.Typer:
    """``app``, or a copy of it holding only the command that ``argv`` names first.

    typer turns every command into a click command at each start, reading each
    parameter's annotation and building its option: 0.9% of a one-file
    ``check`` went on the commands it does not run. A command's help and
    errors do not depend on its siblings; anything else (``--help``,
    ``--version``, the ``criteria`` group, a misspelt name) gets the whole app.
    """
    name = argv[1] if len(argv) > 1 else None
    for command in app.registered_commands:
        if command.callback is not None and (command.name or typer.main.get_command_name(command.callback.__name__)) == name:
            import copy

            only = copy.copy(app)
            only.registered_commands = [command]
            only.registered_groups = []
            return only
    return app


def _exit_cleanly_on_sigterm() -> None:
    """Make SIGTERM end the run the way Ctrl-C does: cleaning up, then exit status 143 (128 + 15).

    By default SIGTERM kills the interpreter on the spot, so the temporary
    file of an ``--output`` being written stays behind, half full. Raised as
    :class:`SystemExit` instead, it unwinds through the ``finally`` and
    ``except BaseException`` blocks that remove the temporary file and stop
    the worker pool. A second SIGTERM kills at once, as usual. Pool workers
    restore the default as they start (``runner._init_worker``); one signalled
    before that dies of it here, as it always did.
    """
    import signal

    owner = os.getpid()

    def terminate(signum: int, frame: object) -> None:
        signal.signal(signum, signal.SIG_DFL)
        if os.getpid() != owner:  # a forked worker: die of the signal, as it always did
            os.kill(os.getpid(), signum)
            return
        raise SystemExit(ExitCode.TERMINATED)

    signal.signal(signal.SIGTERM, terminate)


_PLUGIN_LOADER = "pydantic.plugin._loader"


def _skip_plugin_module() -> None:
    """With every pydantic plugin disabled, do not import pydantic's plugin loader either.

    pydantic reads ``PYDANTIC_DISABLE_PLUGINS`` only inside ``get_plugins()``,
    after its loader module has imported ``importlib.metadata`` (with email,
    zipfile and csv): 5% of the instructions of a one-file ``check``, for
    nothing. When all plugins are disabled this puts a module in its place
    whose ``get_plugins()`` returns no plugins, which is what pydantic's own
    returns in that case; any other name is taken from the real module,
    imported then, so a pydantic that changes its loader still works.
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true") or _PLUGIN_LOADER in sys.modules:
        return
    import types

    stand_in = types.ModuleType(_PLUGIN_LOADER, "No plugins: every pydantic plugin is disabled (lawaudit.cli).")

    def get_plugins() -> tuple[()]:
        return ()

    def real_attribute(name: str) -> object:
        if name.startswith("__"):  # the import system asks for __path__ and the like: a plain module has none
            raise AttributeError(name)
        import importlib

        if sys.modules.get(_PLUGIN_LOADER) is stand_in:
            del sys.modules[_PLUGIN_LOADER]
        return getattr(importlib.import_module(_PLUGIN_LOADER), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = real_attribute  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = stand_in

"""``lawaudit diff``: compare the audits of the statutes a change touches (library side: ``diffing``)."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Optional

import typer

from .choices import DEFAULT_MAX_BYTES
from .exitcodes import ExitCode


class DiffFormat(StrEnum):
    """Output formats of ``diff``."""

    text = "text"
    json = "json"
    markdown = "markdown"


def register(app: typer.Typer) -> None:
    """Add the ``diff`` command to ``app``."""

    @app.command()
    def diff(
        base: str = typer.Argument(..., metavar="BASE", help="The git revision before the change (a branch, tag or commit)."),
        head: Optional[str] = typer.Argument(None, metavar="[HEAD]", help="The git revision after the change (default: the working tree)."),
        paths: Optional[list[str]] = typer.Option(None, "--path", "-p", help="Statute folder or file to compare (repeatable; default: statutes/)."),
        format: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help="Output format (markdown suits a pull-request comment)."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file instead of standard output."),
        criteria: Optional[Path] = typer.Option(None, "--criteria", help="Criteria catalogue folder (default: the one shipped with lawaudit). Inside the repository, each side uses its own version."),
        no_reviews: bool = typer.Option(False, "--no-reviews", help="Ignore analyst reviews (reviews.yaml) on both sides."),
        max_file_size: int = typer.Option(DEFAULT_MAX_BYTES, "--max-file-size", min=1, help="Refuse input files larger than this many bytes."),
    ) -> None:
        """Audit the statute files changed between BASE and HEAD and show what got better or worse.

        Exit status: 0 no regression; 1 the change introduces a fail-level
        finding or worsens a verdict; 2 a git or usage error, a broken
        catalogue, or a changed file (or reviews entry) that does not load.
        """
        from .cli import check_output, write_output
        from .diffing import RENDERERS, diff_revisions
        from .errors import InputErrors
        from .gitchanges import GitError

        def err(message: str) -> None:
            sys.stderr.write(message + "\n")

        from .criteria import default_directory

        check_output(output, paths or ["statutes"], (criteria or default_directory(),))
        try:
            report = diff_revisions(
                base,
                head,
                paths or ["statutes"],
                criteria_dir=criteria,
                reviews=not no_reviews,
                max_bytes=max_file_size,
            )
        except GitError as exc:
            err(f"lawaudit: {exc}")
            raise typer.Exit(ExitCode.INPUT_ERROR) from None
        except InputErrors as exc:
            err("lawaudit: the criteria catalogue has errors; no audit was run")
            for e in exc.errors:
                err(e.render())
            raise typer.Exit(ExitCode.INPUT_ERROR) from None
        write_output(RENDERERS[format.value](report), output)
        for e in report.errors:
            err(e.render())
        for e in report.base_errors:
            err(f"(base) {e.render()}")
        for e in report.notices:
            err(f"note: {e.render()}")
        c = report.counts()
        err(
            f"lawaudit: {c['statutes']} statute(s) compared between {report.base.label} and {report.head.label}"
            + (f"; {c['regressions']} regression(s)" if c["regressions"] else "; no regression")
        )
        if report.errors:
            raise typer.Exit(ExitCode.INPUT_ERROR)
        raise typer.Exit(ExitCode.FINDINGS if report.regression else ExitCode.OK)

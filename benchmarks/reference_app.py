"""The issue's yardstick for single-run latency: a plain typer app with lazy imports.

Issue #7 sets "one file under 0.25 s" beside a reference: "a typer app with
lazy imports measures about 0.155 s [...] on this machine". Seconds on a
shared VM drift by tens of per cent from hour to hour, so ``run.py`` times
this app in the same rounds as lawaudit (and ``instructions.py`` counts it)
and reports lawaudit's one-file run as a multiple of it: the target allows
0.25 / 0.155 = 1.61×. The app's ``--help`` is timed too but not scaled to
the issue's 0.065 s (see below).

The app is what a small tool built the usual way on the same libraries
does, and nothing lawaudit-specific: a default ``typer.Typer`` with one
command and the options ``check`` has, which imports PyYAML and pydantic
only when it runs, loads the file with ``CSafeLoader``, validates it with a
small pydantic model and prints it as JSON. (Its ``--help`` is typer's own,
which imports rich where rich is installed, as it is beside lawaudit.)

    python benchmarks/reference_app.py check statutes/kz_cc_274.yaml
"""

from pathlib import Path

import typer

app = typer.Typer(help="A reference typer app with lazy imports (see the module docstring).")


@app.callback()
def main() -> None:
    """Keep ``check`` a subcommand, as in lawaudit."""


@app.command()
def check(
    path: Path,
    format: str = typer.Option("text", "--format", "-f", help="text or json"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="parallel jobs (ignored)"),
) -> None:
    """Load one YAML file, validate it and print it."""
    import yaml
    from pydantic import BaseModel, ConfigDict

    class Document(BaseModel):
        model_config = ConfigDict(extra="allow")
        id: str
        jurisdiction: str | None = None
        title: str | None = None

    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    doc = Document.model_validate(data)
    print(doc.model_dump_json() if format == "json" else f"{doc.id}: {len(data)} fields")


if __name__ == "__main__":
    app()

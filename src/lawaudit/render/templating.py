"""Jinja environments for the Markdown and HTML reporters (the only modules that import Jinja).

Templates are files in ``lawaudit/templates`` (shipped in the wheel); a
``--templates DIR`` folder overrides any of them by file name.

Markdown has no autoescaping of its own, so the Markdown environment provides
one: every ``{{ ... }}`` output is passed through :func:`mdtext.inline` unless a
filter already produced Markdown (``code``, ``link``, ``md_raw``). The HTML
environment uses Jinja's HTML autoescaping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2

from .. import results
from . import mdtext, views


class Md(str):
    """A string that is already Markdown: the finalizer leaves it alone."""


def _finalize_md(value: Any) -> str:
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    return mdtext.inline(value)


def _loader(templates: Path | None) -> jinja2.BaseLoader:
    shipped = jinja2.PackageLoader("lawaudit", "templates")
    if templates is None:
        return shipped
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(templates)), shipped])


def _common(env: jinja2.Environment) -> jinja2.Environment:
    env.globals.update(
        TEST_LABEL={t.value: label for t, label in views.TEST_LABEL.items()},
        STATUS_LABEL={s.value: label for s, label in views.STATUS_LABEL.items()},
        VERDICT_LABEL={v.value: label for v, label in views.VERDICT_LABEL.items()},
        RECOMMENDATION_LABEL={r.value: label for r, label in views.RECOMMENDATION_LABEL.items()},
        VERDICTS=[v.value for v in results.Verdict][::-1],
        TESTS=[t.value for t in results.TestName],
    )
    return env


def _environment(templates: Path | None, **options: Any) -> jinja2.Environment:
    """The settings every report template relies on (whitespace, strict undefined names)."""
    return jinja2.Environment(
        loader=_loader(templates),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        **options,
    )


def markdown_env(templates: Path | None = None) -> jinja2.Environment:
    env = _environment(templates, autoescape=False, finalize=_finalize_md)
    env.filters["code"] = lambda v: Md(mdtext.code(v))
    env.filters["md_raw"] = lambda v: Md(str(v))
    env.globals["link"] = lambda text, target: Md(mdtext.link(text, target))
    env.globals["h"] = lambda level: Md("#" * max(1, min(6, int(level))))
    return _common(env)


def html_env(templates: Path | None = None) -> jinja2.Environment:
    env = _environment(templates, autoescape=True)
    env.filters["safe_url"] = lambda v: mdtext.url(v) or ""
    return _common(env)


def render(env: jinja2.Environment, name: str, context: dict[str, Any], **extra: Any) -> str:
    """Render template ``name``; a broken (user) template becomes a positioned :class:`InputErrors`.

    A ``--templates`` folder is user input like a statute file, so a syntax
    error or an unknown variable in it is reported as ``file:line:col: message``
    (exit status 2), never as a traceback.
    """
    return "".join(generate(env, name, context, **extra))


def generate(env: jinja2.Environment, name: str, context: dict[str, Any], **extra: Any) -> Iterator[str]:
    """Template ``name`` rendered piece by piece, as Jinja produces it; errors as in :func:`render`.

    For a document that grows with the corpus: its pieces can be written as
    they come instead of being joined into one string first. A template that
    breaks part way raises after the pieces before the break were given.
    """
    import traceback

    from ..errors import InputError, InputErrors

    try:
        yield from env.get_template(name).generate(context, **extra)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise InputErrors([InputError(str(where), exc.lineno or 1, 1, "", f"template syntax error: {exc.message}")]) from None
    except Exception as exc:  # noqa: BLE001 - an expression in a template can raise anything ({{ 1/0 }})
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        where, line = (frames[-1].filename, frames[-1].lineno or 1) if frames else (_source_of(env, name), 1)
        what = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else f"{type(exc).__name__}: {exc}"
        raise InputErrors([InputError(where, line, 1, "", f"template error: {what}")]) from None


class LineWriter:
    """Tidies a document line by line as it arrives in pieces, and writes it on.

    For the reports rendered from templates, whose whole text would
    otherwise be held, split into lines and joined again only to tidy
    whitespace. A subclass says what becomes of the complete lines
    (:meth:`lines`) and of the text after the last line break (:meth:`end`).
    """

    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write
        self._partial = ""  # the start of a line not yet ended

    def feed(self, piece: str) -> None:
        lines = (self._partial + piece).split("\n")
        self._partial = lines.pop()
        self.lines(lines)

    def lines(self, lines: list[str]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """The document has ended: what follows its last line break goes to :meth:`end`."""
        self.end(self._partial)

    def end(self, last: str) -> None:
        """The document's last line, empty when it ended with a line break."""
        raise NotImplementedError


def write_lines(pieces: Iterator[str], writer: LineWriter) -> None:
    """Feed ``pieces`` (a template's, from :func:`generate`) to ``writer``, then close it.

    Jinja yields a piece per expression: they are joined a few thousand at a
    time, so that the per-line work costs a call per batch, not per piece.
    """
    while batch := list(islice(pieces, 4096)):
        writer.feed("".join(batch))
    writer.close()


def _source_of(env: jinja2.Environment, name: str) -> str:
    """The file template ``name`` is read from, for an error raised before Jinja ran it (not UTF-8, unreadable)."""
    loaders = env.loader.loaders if isinstance(env.loader, jinja2.ChoiceLoader) else [env.loader]
    for loader in loaders:
        for folder in getattr(loader, "searchpath", ()):
            path = Path(folder) / name
            if path.is_file():
                return str(path)
    return name

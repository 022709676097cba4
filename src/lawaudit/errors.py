"""Positioned input problems.

Every problem lawaudit reports about a file the user wrote (a statute, a
criterion, a lexicon, a reviews file) is an :class:`InputError`: the file, the
1-based line and column, the field path (``sanctions[1].max``) and a message.
Editors and CI annotators link the ``file:line:col: field: message`` form, so
it is the one rendering used everywhere.
"""

from typing import Any, NamedTuple


class InputError(NamedTuple):
    """One problem in one input file, located as precisely as the input allows."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def render(self) -> str:
        """``file:line:col: field: message`` — the form editors and CI annotators link."""
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The contract's ``errors[]`` entry."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class InputErrors(Exception):
    """Raised inside the library when a file cannot be used; carries every problem found.

    The library never prints; callers (the CLI, tests) decide how to show them.
    """

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("; ".join(e.render() for e in errors))
        self.errors = errors


def format_path(path: tuple[Any, ...]) -> str:
    """Render a data path tuple as ``sanctions[1].max``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out

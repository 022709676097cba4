"""Finding and loading statute files.

Loading never lets bad input through silently and never stops at the first bad
file: each file yields either a :class:`LoadedStatute` or a list of positioned
:class:`~lawaudit.errors.InputError`. Pydantic's error locations are mapped
back onto the YAML positions recorded by :mod:`lawaudit.yamlread`, so every
message points at a line and column.
"""

import difflib
import os
import re
import stat
import typing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from .choices import DEFAULT_MAX_BYTES
from .errors import InputError, InputErrors, format_path
from .model import Statute
from .yamlread import Document, read_utf8

#: files in a statutes folder that are not statutes (see ``lawaudit.reviews``)
NOT_STATUTES = frozenset({"reviews.yaml", "reviews.yml"})


class LoadedStatute(NamedTuple):
    """A statute that passed the format, with the file it came from and its positions."""

    statute: Statute
    file: str
    document: Document


class LoadOutcome(NamedTuple):
    """What loading one file produced: a statute, or the reasons it could not be used."""

    file: str
    loaded: LoadedStatute | None
    errors: tuple[InputError, ...] = ()


def display_path(path: Path) -> str:
    """The path as reports show it: relative when possible, always with ``/``."""
    text = os.path.normpath(str(path))
    return text.replace(os.sep, "/")


def _is_statute_name(name: str) -> bool:
    """Whether a name found in a folder walk is a statute file's (see ``gitchanges.is_statute_name``)."""
    return name.endswith((".yaml", ".yml")) and not name.startswith(".") and name not in NOT_STATUTES


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Expand files and folders into a sorted, de-duplicated list of statute files.

    Folders are searched recursively for ``*.yaml``/``*.yml`` (hidden entries
    and ``reviews.yaml`` skipped, symbolic links to folders not followed); a
    file named explicitly is taken whatever its extension. A path that does
    not exist is a usage error.

    Only regular files (or symbolic links to them) are statutes: a FIFO,
    socket or device, named explicitly or found in a folder under a statute
    name, is reported as ``not a regular file`` and never opened (opening a
    FIFO would wait for a writer forever). A folder that cannot be read is
    reported too, and the rest of the walk goes on: statutes that were never
    looked at must not pass as checked.

    The same file reached twice (``statutes`` and ``$PWD/statutes``, a
    folder and a file inside it, a symbolic link to a file already found) is
    listed once, under the spelling met first: the paths in the order given,
    each folder's entries in sorted order. Two files are the same when their
    real paths (:func:`os.path.realpath`) are; that costs no system call per
    file in a folder, only one resolution per path given and per symbolic
    link met. (Hard links, and two spellings that differ only in case on a
    case-insensitive file system, are different paths, hence different files.)
    """
    found: dict[str, tuple[str, Path]] = {}  # real path -> (display path, path as first spelt)
    errors: list[InputError] = []

    def add(real: str, path: Path) -> None:
        if real not in found:
            found[real] = (display_path(path), path)

    real_parents: dict[Path, str] = {}  # a folder's real path, resolved once for all the files named in it
    for raw in paths:
        path = Path(raw)
        try:
            mode = os.lstat(path).st_mode
            link = stat.S_ISLNK(mode)
            if link:
                mode = os.stat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            errors.append(InputError(display_path(path), 0, 0, "", "no such file or directory"))
            continue
        except OSError as exc:  # a parent folder that cannot be searched, a symbolic-link loop
            errors.append(InputError(display_path(path), 0, 0, "", f"cannot read: {exc.strerror or exc}"))
            continue
        except ValueError:  # an embedded NUL byte
            errors.append(InputError(display_path(path), 0, 0, "", "no such file or directory"))
            continue
        if stat.S_ISDIR(mode):
            _walk(path, add, errors)
        elif stat.S_ISREG(mode):
            if link:
                add(os.path.realpath(path), path)
            else:
                real_parent = real_parents.get(path.parent)
                if real_parent is None:
                    real_parent = real_parents[path.parent] = os.path.realpath(path.parent)
                add(os.path.join(real_parent, path.name), path)
        else:
            errors.append(InputError(display_path(path), 0, 0, "", "not a regular file"))
    # a FIFO or an unreadable folder reached by several spellings is one problem, said once
    said: set[tuple[str, str]] = set()
    unique: list[InputError] = []
    for e in errors:
        key = (os.path.realpath(e.file), e.message)
        if key not in said:
            said.add(key)
            unique.append(e)
    return [p for _, _, p in sorted((d, real, p) for real, (d, p) in found.items())], unique


def _walk(root: Path, add: Callable[[str, Path], None], errors: list[InputError]) -> None:
    """Find the statute files under ``root`` (see :func:`discover`); errors are appended, never raised.

    :func:`os.walk` hides each entry's type, and reports an unreadable folder
    only through ``onerror``; :func:`os.scandir` gives the type the directory
    listing already holds (no system call per file, except for symbolic
    links), so a FIFO is recognised without being opened or stat'ed.
    """
    stack: list[tuple[Path, str]] = [(root, os.path.realpath(root))]
    while stack:
        folder, real_folder = stack.pop()
        files: list[tuple[str, bool]] = []  # (name, is a symbolic link)
        folders: list[str] = []
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    name = entry.name
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if is_dir:
                        # a symbolic link to a folder is not followed (as os.walk's default)
                        if not name.startswith(".") and not entry.is_symlink():
                            folders.append(name)
                    elif _is_statute_name(name):
                        if entry.is_symlink():
                            files.append((name, True))  # resolved below; opening it checks what it points to
                        elif entry.is_file():
                            files.append((name, False))
                        else:
                            errors.append(InputError(display_path(folder / name), 0, 0, "", "not a regular file"))
        except OSError as exc:
            errors.append(InputError(display_path(folder), 0, 0, "", f"cannot read folder: {exc.strerror or exc}"))
        for name, link in sorted(files):
            path = folder / name
            add(os.path.realpath(path) if link else os.path.join(real_folder, name), path)
        # the stack pops the last pushed first: push in reverse so folders are visited in sorted order
        for name in sorted(folders, reverse=True):
            stack.append((folder / name, os.path.join(real_folder, name)))


# ------------------------------------------------------------ error messages

_TYPE_NAMES = {dict: "a mapping", list: "a list", str: "text", type(None): "nothing (null)", bool: "true/false"}


def _describe(value: Any) -> str:
    for typ, name in _TYPE_NAMES.items():
        if isinstance(value, typ):  # type: ignore[arg-type]  # the keys are classes
            return name
    return type(value).__name__


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the mapping at ``loc`` (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/list/Annotated down to the item type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is None:
            return annotation
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if not args:
            return annotation
        annotation = args[0]


def _suggest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _message(err: dict[str, Any], model: type[BaseModel]) -> str:
    kind = err["type"]
    loc = err["loc"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        owner = _model_at(model, tuple(loc[:-1]))
        names = owner.model_fields if owner else {}
        return f"unknown field '{loc[-1]}'{_suggest(str(loc[-1]), names)}; extension fields must start with 'x-'"
    if kind == "enum":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"expected one of {', '.join(choices)}; got '{value}'{_suggest(str(value), choices)}"
    if kind == "string_type":
        return f"expected text, got {_describe(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {_describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got '{value}'"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got '{value}'"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"expected a date written YYYY-MM-DD, got '{value}'"
    if kind == "string_pattern_mismatch":
        return (
            "expected an id of lower-case letters, digits and hyphens, "
            f"starting with a letter or digit (such as 'kz-cc-274'); got '{value}'"
        )
    if kind in ("too_short", "string_too_short"):
        return "must not be empty" if isinstance(value, str) else "needs at least one entry"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{err['msg'].lower()}; got {value!r}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return str(err["msg"])


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's ``[key]`` markers and function names from a location."""
    return tuple(p for p in loc if p != "[key]" and not (isinstance(p, str) and p.startswith("function-")))


def validation_errors(
    exc: ValidationError, doc: Document, file: str, model: type[BaseModel] = Statute, prefix: tuple[Any, ...] = ()
) -> list[InputError]:
    """Map pydantic errors onto the YAML positions of the values they concern."""
    out: list[InputError] = []
    for err in exc.errors(include_url=False):
        raw_loc = tuple(err["loc"])
        loc = prefix + _clean_loc(raw_loc)
        if err["type"] == "missing":
            line, col = doc.position(loc[:-1])
        elif err["type"] == "extra_forbidden" or "[key]" in raw_loc:
            line, col = doc.key_positions.get(loc) or doc.position(loc)
        else:
            line, col = doc.position(loc)
        out.append(InputError(file, line, col, format_path(loc), _message(dict(err), model)))
    return sorted(set(out))


# ------------------------------------------------------------------ loading


#: how a statute file is opened: never waiting (a FIFO's open waits for a writer unless
#: O_NONBLOCK), never becoming the controlling terminal, bytes as they are (Windows)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)

#: how much more is read at a time from a file that grew after ``fstat``
_GROWTH_CHUNK = 64 * 1024


def read_file(path: Path, file: str, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "statute") -> Document:
    """Read one YAML file into a :class:`Document`, enforcing the size limit first.

    One ``open``, one ``fstat``, then reads sized by what ``fstat`` said (the
    common file: one read of its size plus one byte, and one that finds the
    end), never by ``max_bytes``: a buffered ``read(max_bytes + 1)`` allocates
    that much up front, so a generous ``--max-file-size`` ran out of memory
    on a one-kilobyte file. The open does not block and ``fstat`` must show a
    regular file, so a FIFO or device put where a statute was found is an
    error, not a hang. ``what`` (``statute``, ``criteria``, ``reviews``) is
    what an empty file is said to be missing.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise InputErrors([InputError(file, 0, 0, "", f"cannot read file: {exc.strerror or exc}")]) from None
    except ValueError:  # an embedded NUL byte
        raise InputErrors([InputError(file, 0, 0, "", "no such file or directory")]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputErrors([InputError(file, 0, 0, "", "not a regular file")])
        size = info.st_size
        if size > max_bytes:
            raise InputErrors(
                [InputError(file, 1, 1, "", f"file is {size} bytes, over the {max_bytes}-byte limit (--max-file-size)")]
            )
        raw = _read_to_end(fd, size, max_bytes)
    except OSError as exc:
        raise InputErrors([InputError(file, 0, 0, "", f"cannot read file: {exc.strerror or exc}")]) from None
    finally:
        os.close(fd)
    if raw is None:  # the file grew between fstat and read
        raise InputErrors([InputError(file, 1, 1, "", f"file is over the {max_bytes}-byte limit (--max-file-size)")])
    return read_utf8(raw, file, what=what)


def _read_to_end(fd: int, size: int, max_bytes: int) -> bytes | None:
    """The rest of ``fd``, whose ``fstat`` gave ``size``; None once it is over ``max_bytes``.

    The first read asks for one byte more than ``size``, so a short answer
    usually means the whole file; reading on until an empty read (as a
    buffered ``read`` does) catches a file that grew, a short read, or one
    that shrank. Only a file found larger than ``size`` is read in chunks,
    never more than one byte past the limit.
    """
    parts: list[bytes] = []
    total = 0
    want = size + 1
    while True:
        chunk = os.read(fd, want)
        if not chunk:
            return parts[0] if len(parts) == 1 else b"".join(parts)
        parts.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            return None
        want = size + 1 - total if total <= size else min(_GROWTH_CHUNK, max_bytes + 1 - total)


_validate = Statute.__pydantic_validator__.validate_python


def load_document(doc: Document, file: str) -> LoadedStatute:
    """Validate parsed YAML as a statute; raises :class:`InputErrors`."""
    if not isinstance(doc.data, dict):
        found = _describe(doc.data)
        raise InputErrors(
            [InputError(file, *doc.position(()), "", f"the top level must be a mapping of statute fields, found {found}")]
        )
    try:
        # (pydantic-core's validator itself: model_validate is a Python wrapper passing six keywords)
        statute = _validate(doc.data)
    except ValidationError as exc:
        raise InputErrors(validation_errors(exc, doc, file)) from None
    return LoadedStatute(statute, file, doc)


def load_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadOutcome:
    """Load one statute file; never raises for bad input."""
    file = display_path(path)
    try:
        return LoadOutcome(file, load_document(read_file(path, file, max_bytes), file))
    except InputErrors as exc:
        return LoadOutcome(file, None, tuple(exc.errors))


def check_unique_ids(outcomes: Iterable[LoadOutcome]) -> Iterator[LoadOutcome]:
    """Reject a statute whose ``id`` an earlier file in the run already used, naming both files."""
    seen: dict[str, str] = {}
    for outcome in outcomes:
        loaded = outcome.loaded
        if loaded is not None:
            sid = loaded.statute.id
            if sid in seen:
                line, col = loaded.document.position(("id",))
                err = InputError(outcome.file, line, col, "id", f"id '{sid}' is already used by {seen[sid]}")
                yield LoadOutcome(outcome.file, None, (err,))
                continue
            seen[sid] = outcome.file
        yield outcome

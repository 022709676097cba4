"""Safe, position-keeping YAML reading for files people write by hand.

Why not ``yaml.safe_load``: it silently accepts duplicate keys, turns
``274.10`` into ``274.1`` and ``no`` into ``False``, expands alias bombs into
gigabytes and forgets where every value came from. lawaudit must refuse the
first, keep what the author wrote for the second, stay in bounded memory for
the third and point every error and every piece of evidence at a line.

So this module builds plain data straight from libyaml's *event* stream (the
C parser when available) in one iterative pass — no recursion, so nesting
depth is checked before it can hurt — and records the line and column of every
value. Scalars stay the strings the author wrote (only ``null``/``~``/empty
become ``None``); typing is left to the pydantic models, which coerce a string
to the declared type of the field or report a positioned error.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import yaml

from .errors import InputError, InputErrors

try:  # libyaml is 10-15x faster; the pure-Python parser is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_CORE = "tag:yaml.org,2002:"
# Explicit tags that only restate a plain type: harmless, the model types the value.
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "timestamp"))
_CONTAINER_TAGS = {
    "mapping": frozenset((None, "!", _CORE + "map")),
    "sequence": frozenset((None, "!", _CORE + "seq")),
}
# Characters YAML refuses (C0/C1 controls other than tab and line breaks, and the
# non-characters U+FFFE/U+FFFF); checked on the decoded text so the position is exact.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# The same characters looked for in the UTF-8 bytes, which is several times
# faster than searching the decoded text (Cyrillic makes it two bytes a
# character): every byte that is not a C0 control or DEL, to delete; and the
# encodings of the C1 controls (C2 80-84, C2 86-9F). In valid UTF-8 these
# bytes can only be those characters, and U+FFFE/U+FFFF only EF BF BE/BF.
_NOT_C0 = bytes(sorted(set(range(256)) - {*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F}))
_C1 = re.compile(rb"\xc2[\x80-\x84\x86-\x9f]")

#: first element of the path of a container that is not kept (a duplicate key's
#: value, an ``x-`` extension): its children are still checked, but their
#: positions must not overwrite those of kept values. Never shown to users.
_DISCARDED = "\0discarded"

_NULL_TAG = _CORE + "null"
# event classes as module constants: one global lookup per event instead of two
_ScalarEvent = yaml.ScalarEvent
_MappingStartEvent, _MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStartEvent, _SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_AliasEvent, _DocumentStartEvent = yaml.AliasEvent, yaml.DocumentStartEvent

DEFAULT_MAX_DEPTH = 50
DEFAULT_MAX_NODES = 100_000


Path = tuple[Any, ...]


class Document:
    """The data of one YAML document plus where each value was written.

    A plain class rather than a dataclass: one is made per file read, and a
    dataclass would cost its definition at every start of the command.
    """

    __slots__ = ("data", "positions", "key_positions", "block_styles", "extensions")

    def __init__(self, data: Any) -> None:
        self.data = data
        #: path -> (line, column) of the value, 1-based
        self.positions: dict[Path, tuple[int, int]] = {}
        #: path -> (line, column) of the mapping key that introduced the value
        self.key_positions: dict[Path, tuple[int, int]] = {}
        #: path -> scalar style for block scalars ("|" or ">"), to place evidence lines
        self.block_styles: dict[Path, str] = {}
        #: ``x-`` extension keys, by dotted path; kept, never interpreted
        self.extensions: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Document(data={self.data!r})"

    def position(self, path: Path) -> tuple[int, int]:
        """The closest recorded position for ``path`` (falls back to its parents)."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


class _Frame:
    __slots__ = ("obj", "path", "is_map", "key", "anchor", "start", "discard", "first_line")

    def __init__(self, obj: Any, path: Path, is_map: bool, anchor: str | None, start: int) -> None:
        self.obj = obj
        self.path = path
        self.is_map = is_map
        self.key: Any = None  # pending key for a mapping; None: expecting a key
        self.anchor = anchor
        self.start = start
        self.discard = False
        self.first_line: dict[str, int] = {}


def decode(raw: bytes, file: str) -> str:
    """Bytes -> text, refusing anything but UTF-8 with a positioned message.

    A UTF-8 byte-order mark is accepted (Windows editors write one) and
    dropped; UTF-16/32 are refused because the format is UTF-8.
    """
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputErrors([InputError(file, 1, 1, "", "file is UTF-32 encoded (byte-order mark found); save it as UTF-8")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputErrors([InputError(file, 1, 1, "", "file is UTF-16 encoded (byte-order mark found); save it as UTF-8")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        raise InputErrors(
            [InputError(file, line, col, "", f"invalid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8")]
        ) from None
    if not (
        raw.translate(None, _NOT_C0)
        or (b"\xc2" in raw and _C1.search(raw))
        or b"\xef\xbf\xbe" in raw
        or b"\xef\xbf\xbf" in raw
    ):
        return text
    bad = _CONTROL.search(text)  # where the character is, and which
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        code = ord(bad.group())
        what = "non-character" if code >= 0xFFFE else "control character"
        raise InputErrors([InputError(file, line, col, "", f"{what} U+{code:04X} is not allowed in a YAML file")])
    return text


def _syntax_error(
    exc: yaml.YAMLError, file: str, text: str, max_depth: int, editor: "_EditorLines | None" = None
) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        # decode() refuses these characters first; this is the safety net. The
        # C reader reports a byte offset, the Python one a character index, so
        # locate the character itself.
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1 if at >= 0 else 1
        code = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return InputError(file, line, col, "", f"character {code} is not allowed in a YAML file")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if editor is not None and mark is not None:
        line, col = editor(line, col)
    problem = getattr(exc, "problem", None) or str(exc)
    at_mark = ""
    if mark is not None:
        lines = text.split("\n", line)
        if line - 1 < len(lines) and col - 1 < len(lines[line - 1]):
            at_mark = lines[line - 1][col - 1]
    if at_mark == "\t" or "tab character" in problem or "'\\t'" in problem:
        return InputError(file, line, col, "", "tab character used for indentation; YAML indents with spaces only")
    if "maximum nesting depth" in problem:  # libyaml's own limit, met before ours in flow collections
        return InputError(file, line, col, "", f"nesting deeper than {max_depth} levels")
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return InputError(file, line, col, "", message)


# Line breaks for libyaml (YAML 1.1 counts NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR)
# and for editors, ``grep -n`` and CI annotations (which do not).
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_EDITOR_BREAK = re.compile("\r\n|[\r\n]")


class _EditorLines:
    """Maps libyaml's (line, column) to the line and column an editor shows.

    libyaml starts a new line at U+0085, U+2028 and U+2029, which text pasted
    from word processors and PDFs carries; every position after one would be
    a line or more off from what the author sees. Made only for a text that
    holds such a character, so the usual file pays nothing.
    """

    def __init__(self, text: str) -> None:
        self._yaml = [0] + [m.end() for m in _YAML_BREAK.finditer(text)]
        self._editor = [0] + [m.end() for m in _EDITOR_BREAK.finditer(text)]

    @staticmethod
    def make(text: str) -> "_EditorLines | None":
        if "\u2028" in text or "\x85" in text or "\u2029" in text:
            return _EditorLines(text)
        return None

    def __call__(self, line: int, column: int) -> tuple[int, int]:
        if not 1 <= line <= len(self._yaml):
            return line, column
        index = self._yaml[line - 1] + column - 1
        eline = bisect_right(self._editor, index)
        return eline, index - self._editor[eline - 1] + 1

    def error(self, err: InputError) -> InputError:
        if err.line < 1:  # a file-level error has no position to move
            return err
        line, column = self(err.line, err.column)
        return err._replace(line=line, column=column)


def read_document(
    text: str,
    file: str,
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
    what: str = "statute",
) -> Document:
    """Parse one YAML document from ``text`` into a :class:`Document`.

    Raises :class:`InputErrors` with every problem found when the file cannot
    be used (syntax, duplicate keys, tags, alias bombs, depth, several
    documents, empty file).
    """
    doc = Document(data=None)
    errors: list[InputError] = []
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    nodes = 0
    documents = 0
    have_root = False
    positions = doc.positions

    editor = _EditorLines.make(text)  # None unless libyaml and editors count lines differently here

    def fail(mark: Any, message: str, path: Path = ()) -> InputErrors:
        err = InputError(file, mark.line + 1, mark.column + 1, _fmt(path), message)
        return InputErrors(errors + [editor.error(err) if editor else err])

    def here() -> Path:
        """The path of the value about to be read (its parent's path when it is a key)."""
        if not stack:
            return ()
        top = stack[-1]
        if top.is_map:
            return top.path + (top.key,) if top.key is not None else top.path
        return top.path + (len(top.obj),)

    parser = _Loader(text)
    # the parser's own get_event, not yaml.parse(): that generator wraps each
    # of the ~100 events of a statute in two more Python calls
    next_event = parser.get_event
    key_positions = doc.key_positions
    top: _Frame | None = None  # stack[-1], kept in a local: read at every event
    frame: _Frame | None
    path: Path
    try:
        while (event := next_event()) is not None:
            kind = type(event)
            # Each branch that reads a value (a scalar, a container's start, an
            # alias) leaves it in ``value`` with its ``mark``, and the end of
            # the loop places it in its parent: inline, because a function
            # call per value cost more than the placing itself.
            if kind is _ScalarEvent:
                nodes += 1
                tag = event.tag
                style = event.style  # libyaml reports plain scalars as ''
                value: Any = event.value
                mark = event.start_mark
                if tag is not None:
                    if tag == _NULL_TAG:
                        value = None
                    elif tag != "!" and tag not in _SCALAR_TAGS:
                        raise fail(mark, f"YAML tag '{tag}' is not allowed: statute files hold plain data only", here())
                elif not style and value in _NULLS:
                    value = None
                if top is not None and top.is_map and top.key is None:  # this scalar is a mapping key
                    if value is None:
                        raise fail(mark, "empty mapping key", top.path)
                    line = mark.line + 1
                    first_line = top.first_line
                    if value in first_line:
                        dup = InputError(
                            file,
                            line,
                            mark.column + 1,
                            _fmt(top.path + (value,)),
                            f"duplicate key '{value}' (first defined at line "
                            f"{editor(first_line[value], 1)[0] if editor else first_line[value]})",
                        )
                        errors.append(editor.error(dup) if editor else dup)
                        top.discard = True
                    else:
                        first_line[value] = line
                        if value == "<<":
                            raise fail(mark, "YAML merge keys (<<) are not supported; write the fields out", top.path)
                    top.key = value
                    key_positions[top.path + (value,)] = (line, mark.column + 1)
                    continue
                frame = None
            elif kind is _MappingStartEvent or kind is _SequenceStartEvent:
                is_map = kind is _MappingStartEvent
                mark = event.start_mark
                if event.tag not in _CONTAINER_TAGS["mapping" if is_map else "sequence"]:
                    raise fail(mark, f"YAML tag '{event.tag}' is not allowed: statute files hold plain data only", here())
                if top is not None and top.is_map and top.key is None:
                    raise fail(mark, "a mapping key must be a plain value, not a list or mapping", top.path)
                nodes += 1
                if len(stack) >= max_depth:
                    raise fail(mark, f"nesting deeper than {max_depth} levels", here())
                value = {} if is_map else []
                frame = _Frame(value, (), is_map, event.anchor, nodes)  # its path is known once it is placed
            elif kind is _MappingEndEvent or kind is _SequenceEndEvent:
                frame = stack.pop()
                top = stack[-1] if stack else None
                if top is None:
                    doc.data = frame.obj
                    have_root = True
                if frame.anchor:
                    anchors[frame.anchor] = (frame.obj, nodes - frame.start + 1)
                continue
            elif kind is _AliasEvent:
                mark = event.start_mark
                if event.anchor not in anchors:
                    raise fail(mark, f"alias *{event.anchor} refers to an anchor that is not defined before it", here())
                value, size = anchors[event.anchor]
                nodes += size
                if nodes > max_nodes:
                    raise fail(
                        mark, f"aliases expand the document beyond {max_nodes} values (an alias-expansion bomb?)", here()
                    )
                if top is not None and top.is_map and top.key is None:
                    raise fail(mark, "an alias cannot be used as a mapping key", top.path)
                frame = None
            else:
                if kind is _DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise fail(event.start_mark, "the file holds more than one YAML document; a file holds exactly one")
                continue
            # Place ``value`` in its parent and record its position; ``path``
            # is where it stands, ``kept`` False when it is not kept (a
            # duplicate key's value, an ``x-`` extension).
            kept = True
            if top is None:  # the document's root
                path = ()
                if frame is None:  # a container becomes the root when it ends
                    doc.data = value
                    have_root = True
                positions[path] = (mark.line + 1, mark.column + 1)
            elif top.is_map:
                key = top.key
                top.key = None
                path = top.path + (key,)
                if top.discard:
                    top.discard = False
                    kept = False
                elif key.startswith("x-"):  # (a key is always a string: the others are refused above)
                    doc.extensions[".".join(str(p) for p in path)] = value
                    kept = False
                else:
                    top.obj[key] = value
                    positions[path] = (mark.line + 1, mark.column + 1)
            else:
                path = top.path + (len(top.obj),)
                top.obj.append(value)
                positions[path] = (mark.line + 1, mark.column + 1)
            if frame is not None:  # a container: its values come next
                # the children of a value not kept are still checked, but
                # their positions must not overwrite those of kept values
                frame.path = path if kept or path[:1] == (_DISCARDED,) else (_DISCARDED,) + path
                top = frame
                stack.append(frame)
            elif kind is _ScalarEvent:
                if kept and style in ("|", ">"):
                    doc.block_styles[path] = style
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
            # counted here, after a value: a key is counted with the value that
            # always follows it, and the events that skip this add no value
            if nodes > max_nodes:
                raise fail(mark, f"the document has more than {max_nodes} values")
    except InputErrors:
        raise
    except yaml.YAMLError as exc:
        raise InputErrors(errors + [_syntax_error(exc, file, text, max_depth, editor)]) from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise InputErrors(errors + [InputError(file, 1, 1, "", "nesting too deep")]) from None
    finally:
        parser.dispose()
    if not have_root or (doc.data is None and not errors):
        raise InputErrors(errors + [InputError(file, 1, 1, "", f"the file is empty; a {what} file is a mapping of fields")])
    if errors:
        raise InputErrors(errors)
    if editor is not None:
        for table in (positions, key_positions):
            for path, (line, col) in table.items():
                table[path] = editor(line, col)
    return doc


def _fmt(path: Path) -> str:
    from .errors import format_path

    return format_path(path[1:] if path[:1] == (_DISCARDED,) else path)

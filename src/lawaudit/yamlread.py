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
from collections.abc import Callable
from typing import Any

import yaml

from .errors import InputError, InputErrors

try:  # libyaml is 10-15x faster; the pure-Python parser is the fallback
    from yaml import CSafeLoader as _Loader
    from yaml.cyaml import CParser as _CParser  # CSafeLoader's parser alone: it reads UTF-8 bytes as they are
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _CParser = None
_CLoader = _Loader  # (tests put the pure-Python loader in _Loader's place)

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_CORE = "tag:yaml.org,2002:"
# Explicit tags that only restate a plain type: harmless, the model types the value.
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "timestamp"))
_MAPPING_TAGS = frozenset((None, "!", _CORE + "map"))
_SEQUENCE_TAGS = frozenset((None, "!", _CORE + "seq"))
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

    Positions are kept as the reader met them: per container, the libyaml
    start mark of each value (and of each mapping key), under the
    container's path. Recording a value is then one store in a small dict or
    list; building its whole path and a ``(line, column)`` tuple for a table
    keyed by paths cost more than a third of the reader's own work, for the
    ten or so positions an audit asks for. :meth:`position` looks a path up
    in its parent's marks; :attr:`positions` and :attr:`key_positions` give
    the tables keyed by whole paths, made on first use.
    """

    __slots__ = (
        "data", "block_styles", "extensions", "_values", "_keys", "_root", "_editor", "_positions", "_key_positions"
    )  # fmt: skip

    def __init__(self, data: Any) -> None:
        self.data = data
        #: path -> scalar style for block scalars ("|" or ">"), to place evidence lines
        self.block_styles: dict[Path, str] = {}
        #: ``x-`` extension keys, by dotted path; kept, never interpreted
        self.extensions: dict[str, Any] = {}
        #: container path -> the start marks of its values: by key (a mapping) or by index (a sequence)
        self._values: dict[Path, dict[str, Any] | list[Any]] = {}
        #: mapping path -> the start marks of its keys, by key
        self._keys: dict[Path, dict[str, Any]] = {}
        #: the start mark of the root value (None: no root)
        self._root: Any = None
        #: maps libyaml's lines to an editor's (see :class:`_EditorLines`); None when they agree
        self._editor: _EditorLines | None = None
        self._positions: dict[Path, tuple[int, int]] | None = None
        self._key_positions: dict[Path, tuple[int, int]] | None = None

    def __repr__(self) -> str:
        return f"Document(data={self.data!r})"

    def _at(self, mark: Any) -> tuple[int, int]:
        """A mark's 1-based (line, column), as an editor counts lines."""
        if self._editor is None:
            return mark.line + 1, mark.column + 1
        return self._editor(mark.line + 1, mark.column + 1)

    @property
    def positions(self) -> dict[Path, tuple[int, int]]:
        """path -> (line, column) of the value, 1-based."""
        if self._positions is None:
            table: dict[Path, tuple[int, int]] = {}
            if self._root is not None:
                table[()] = self._at(self._root)
            for path, marks in self._values.items():
                for part, mark in marks.items() if isinstance(marks, dict) else enumerate(marks):
                    table[path + (part,)] = self._at(mark)
            self._positions = table
        return self._positions

    @property
    def key_positions(self) -> dict[Path, tuple[int, int]]:
        """path -> (line, column) of the mapping key that introduced the value, 1-based."""
        if self._key_positions is None:
            self._key_positions = {
                path + (key,): self._at(mark) for path, marks in self._keys.items() for key, mark in marks.items()
            }
        return self._key_positions

    def position(self, path: Path) -> tuple[int, int]:
        """The closest recorded position for ``path`` (falls back to its parents)."""
        values = self._values
        while path:
            parent = path[:-1]
            marks = values.get(parent)
            if marks is not None:
                last = path[-1]
                if isinstance(marks, dict):
                    mark = marks.get(last)
                else:
                    mark = marks[last] if isinstance(last, int) and 0 <= last < len(marks) else None
                if mark is not None:
                    return self._at(mark)
            path = parent
        return self._at(self._root) if self._root is not None else (1, 1)


_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = _UTF32_BOMS + _UTF16_BOMS


def _may_hold_forbidden(raw: bytes) -> bool:
    """Whether UTF-8 ``raw`` holds a character YAML refuses (exactly so when ``raw`` is valid UTF-8)."""
    return bool(
        raw.translate(None, _NOT_C0)
        or (b"\xc2" in raw and _C1.search(raw))
        or b"\xef\xbf\xbe" in raw
        or b"\xef\xbf\xbf" in raw
    )


def decode(raw: bytes, file: str) -> str:
    """Bytes -> text, refusing anything but UTF-8 with a positioned message.

    A UTF-8 byte-order mark is accepted (Windows editors write one) and
    dropped; UTF-16/32 are refused because the format is UTF-8.
    """
    if raw.startswith(_UTF32_BOMS):
        raise InputErrors([InputError(file, 1, 1, "", "file is UTF-32 encoded (byte-order mark found); save it as UTF-8")])
    if raw.startswith(_UTF16_BOMS):
        raise InputErrors([InputError(file, 1, 1, "", "file is UTF-16 encoded (byte-order mark found); save it as UTF-8")])
    if raw.startswith(_UTF8_BOM):
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
    if not _may_hold_forbidden(raw):
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
#: the last two bytes of U+2028 and U+2029 in UTF-8 (E2 80 A8, E2 80 A9)
_LS_PS_TAILS = (b"\x80\xa8", b"\x80\xa9")
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

    @staticmethod
    def needed(utf8: bytes) -> bool:
        """Whether the text whose UTF-8 is ``utf8`` holds a line break only libyaml counts (exact for valid UTF-8).

        Their encodings are C2 85 and E2 80 A8/A9. Searching the bytes for
        them cost ~15 K instructions each in a statute with Russian text,
        whose many continuation bytes keep ``bytes.find`` from skipping;
        their lead bytes are found by ``memchr``, and C2 is rare, E2 (dashes,
        quotation marks) a few times a file.
        """
        if b"\xc2" in utf8 and b"\xc2\x85" in utf8:
            return True
        at = utf8.find(b"\xe2")
        while at >= 0:
            if utf8[at + 1 : at + 3] in _LS_PS_TAILS:
                return True
            at = utf8.find(b"\xe2", at + 3)  # (the next two bytes are continuation bytes)
        return False

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
    return _read(_Loader(text), lambda: text, _EditorLines.make(text), file, max_depth, max_nodes, what)


def read_utf8(
    raw: bytes,
    file: str,
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
    what: str = "statute",
) -> Document:
    """``read_document(decode(raw, file), file)``, without decoding ``raw`` when it reads well.

    :func:`decode` checks the bytes for characters YAML refuses (~75 K
    instructions for a statute with Russian text) and makes the text (~30 K);
    the C parser, given text, encodes it back to the UTF-8 the file held
    (~45 K). libyaml takes the UTF-8 bytes as they are and checks them
    itself: it refuses exactly what the UTF-8 codec refuses and exactly the
    characters :func:`decode` refuses (C0 controls but tab and line breaks,
    DEL, C1 controls but NEL, U+FFFE, U+FFFF), and a document it parses to
    the end has had every character through that check. So :func:`decode`
    runs only for a file that cannot be used, before its error is given: its
    encoding problem, if it has one, is the error, as when the text was
    decoded before reading (and a syntax error quotes the text), or for one
    whose positions need the editor's line count (U+0085, U+2028, U+2029).
    A UTF-16/32 byte-order mark (libyaml would read the file as such) and the
    pure-Python parser take the text way.
    """
    if _Loader is not _CLoader or raw.startswith(_WIDE_BOMS):
        return read_document(decode(raw, file), file, max_depth=max_depth, max_nodes=max_nodes, what=what)
    body = raw[3:] if raw.startswith(_UTF8_BOM) else raw

    def text() -> str:
        return decode(raw, file)  # raises the encoding problem, if there is one

    editor = _EditorLines(text()) if _EditorLines.needed(body) else None
    try:
        return _read(_CParser(body), text, editor, file, max_depth, max_nodes, what)
    except InputErrors:
        text()
        raise


def _read(
    parser: Any,
    text_of: Callable[[], str],
    editor: "_EditorLines | None",
    file: str,
    max_depth: int,
    max_nodes: int,
    what: str,
) -> Document:
    """What :func:`read_document` does, from a parser of the text; ``text_of()`` gives the text, for messages."""
    doc = Document(data=None)
    errors: list[InputError] = []
    anchors: dict[str, tuple[Any, int]] = {}
    nodes = 0
    documents = 0
    have_root = False
    doc._editor = editor  # None unless libyaml and editors count lines differently here
    values = doc._values
    block_styles = doc.block_styles
    extensions = doc.extensions

    # The open container lives in these locals, read at nearly every event
    # (a local costs less than an object's attribute); ``stack`` holds those
    # of the containers around it, innermost last. Outside any container
    # ``obj`` is None and the next value is the root.
    obj: Any = None
    is_map = False
    cpath: Path = ()  # its path (prefixed with _DISCARDED when it is not kept)
    key: Any = None  # a mapping's pending key; None while a key is expected
    keys: dict[str, Any] = {}  # a mapping's keys' marks, by key: the first of each (a later one is a duplicate)
    marks: Any = None  # its values' marks: by key for a mapping, in order for a sequence
    discard = False  # the pending key was a duplicate: its value is checked but not kept
    anchor: str | None = None  # its anchor, registered when it ends ...
    start = 0  # ... with the number of values it holds (nodes - start + 1)
    stack: list[tuple[Any, bool, Path, dict[str, Any], Any, str | None, int]] = []

    # the parser's own get_event, not yaml.parse(): that generator wraps each
    # of the ~100 events of a statute in two more Python calls
    next_event = parser.get_event
    path: Path
    try:
        while (event := next_event()) is not None:
            kind = type(event)
            if kind is _ScalarEvent:
                # Scalars are ~70% of the events: each is read and placed in
                # this branch alone (a function call per value cost more
                # than placing it).
                nodes += 1
                value: Any = event.value
                mark = event.start_mark
                tag = event.tag
                if tag is not None:
                    if tag == _NULL_TAG:
                        value = None
                    elif tag != "!" and tag not in _SCALAR_TAGS:
                        raise _fail(
                            errors, editor, file, mark,
                            f"YAML tag '{tag}' is not allowed: statute files hold plain data only",
                            _here(obj, is_map, cpath, key),
                        )  # fmt: skip
                elif value in _NULLS and not event.style:  # (libyaml reports plain scalars' style as '')
                    value = None
                if is_map:
                    if key is None:  # this scalar is a mapping key
                        if value is None:
                            raise _fail(errors, editor, file, mark, "empty mapping key", cpath)
                        first = keys.setdefault(value, mark)  # (the first key's mark stays)
                        if first is not mark:
                            line = first.line + 1
                            dup = InputError(
                                file,
                                mark.line + 1,
                                mark.column + 1,
                                _fmt(cpath + (value,)),
                                f"duplicate key '{value}' (first defined at line {editor(line, 1)[0] if editor else line})",
                            )
                            errors.append(editor.error(dup) if editor else dup)
                            discard = True
                        elif value == "<<":
                            raise _fail(
                                errors, editor, file, mark,
                                "YAML merge keys (<<) are not supported; write the fields out", cpath,
                            )  # fmt: skip
                        key = value
                        continue
                    if discard:  # a duplicate key's value
                        discard = False
                    elif key.startswith("x-"):  # (a key is always a string: the others are refused above)
                        extensions[".".join(str(p) for p in cpath + (key,))] = value
                    else:
                        obj[key] = value
                        marks[key] = mark
                        style = event.style
                        if style == "|" or style == ">":
                            block_styles[cpath + (key,)] = style
                    key = None
                elif obj is not None:  # an item of a sequence
                    style = event.style
                    if style == "|" or style == ">":
                        block_styles[cpath + (len(obj),)] = style
                    obj.append(value)
                    marks.append(mark)
                else:  # the document's root
                    doc.data = value
                    have_root = True
                    doc._root = mark
                    style = event.style
                    if style == "|" or style == ">":
                        block_styles[()] = style
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                # counted here, after a value: a key is counted with the value that always follows it
                if nodes > max_nodes:
                    raise _fail(errors, editor, file, mark, f"the document has more than {max_nodes} values")
                continue
            if kind is _MappingStartEvent or kind is _SequenceStartEvent:
                new_map = kind is _MappingStartEvent
                mark = event.start_mark
                if event.tag not in (_MAPPING_TAGS if new_map else _SEQUENCE_TAGS):
                    raise _fail(
                        errors, editor, file, mark,
                        f"YAML tag '{event.tag}' is not allowed: statute files hold plain data only",
                        _here(obj, is_map, cpath, key),
                    )  # fmt: skip
                if is_map and key is None:
                    raise _fail(
                        errors, editor, file, mark, "a mapping key must be a plain value, not a list or mapping", cpath
                    )
                nodes += 1
                if len(stack) >= max_depth:
                    raise _fail(
                        errors, editor, file, mark, f"nesting deeper than {max_depth} levels", _here(obj, is_map, cpath, key)
                    )
                value = {} if new_map else []
            elif kind is _AliasEvent:
                mark = event.start_mark
                if event.anchor not in anchors:
                    raise _fail(
                        errors, editor, file, mark,
                        f"alias *{event.anchor} refers to an anchor that is not defined before it",
                        _here(obj, is_map, cpath, key),
                    )  # fmt: skip
                value, size = anchors[event.anchor]
                nodes += size
                if nodes > max_nodes:
                    raise _fail(
                        errors, editor, file, mark,
                        f"aliases expand the document beyond {max_nodes} values (an alias-expansion bomb?)",
                        _here(obj, is_map, cpath, key),
                    )  # fmt: skip
                if is_map and key is None:
                    raise _fail(errors, editor, file, mark, "an alias cannot be used as a mapping key", cpath)
                new_map = None
            elif kind is _MappingEndEvent or kind is _SequenceEndEvent:
                if anchor:
                    anchors[anchor] = (obj, nodes - start + 1)
                value = obj
                obj, is_map, cpath, keys, marks, anchor, start = stack.pop()
                key = None  # (the enclosing mapping's key was taken when this container was placed)
                if obj is None:  # the root ended
                    doc.data = value
                    have_root = True
                continue
            else:
                if kind is _DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise _fail(
                            errors, editor, file, event.start_mark,
                            "the file holds more than one YAML document; a file holds exactly one",
                        )  # fmt: skip
                continue
            # A container's start or an alias: place ``value`` in its parent;
            # ``path`` is where it stands, ``kept`` False when it is not kept
            # (a duplicate key's value, an ``x-`` extension).
            kept = True
            if is_map:
                path = cpath + (key,)
                if discard:
                    discard = False
                    kept = False
                elif key.startswith("x-"):
                    extensions[".".join(str(p) for p in path)] = value
                    kept = False
                else:
                    obj[key] = value
                    marks[key] = mark
                key = None
            elif obj is not None:
                path = cpath + (len(obj),)
                obj.append(value)
                marks.append(mark)
            else:  # the document's root
                path = ()
                doc._root = mark
                if new_map is None:  # (a container becomes the root when it ends)
                    doc.data = value
                    have_root = True
            if new_map is not None:  # a container: its values come next
                stack.append((obj, is_map, cpath, keys, marks, anchor, start))
                # the children of a value not kept are still checked, but
                # their positions must not be found as those of kept values
                cpath = path if kept or path[:1] == (_DISCARDED,) else (_DISCARDED,) + path
                obj = value
                is_map = new_map
                if new_map:
                    keys = doc._keys[cpath] = {}
                    marks = values[cpath] = {}
                else:
                    marks = values[cpath] = []
                anchor = event.anchor
                start = nodes
            if nodes > max_nodes:
                raise _fail(errors, editor, file, mark, f"the document has more than {max_nodes} values")
    except InputErrors:
        raise
    except yaml.YAMLError as exc:
        raise InputErrors(errors + [_syntax_error(exc, file, text_of(), max_depth, editor)]) from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise InputErrors(errors + [InputError(file, 1, 1, "", "nesting too deep")]) from None
    finally:
        parser.dispose()
    if not have_root or (doc.data is None and not errors):
        raise InputErrors(errors + [InputError(file, 1, 1, "", f"the file is empty; a {what} file is a mapping of fields")])
    if errors:
        raise InputErrors(errors)
    return doc


def _here(obj: Any, is_map: bool, cpath: Path, key: Any) -> Path:
    """The path of the value about to be read (its container's path when it is a key), for an error."""
    if obj is None:
        return ()
    if is_map:
        return cpath + (key,) if key is not None else cpath
    return cpath + (len(obj),)


def _fail(
    errors: list[InputError], editor: "_EditorLines | None", file: str, mark: Any, message: str, path: Path = ()
) -> InputErrors:
    """The errors found so far and this one, at ``mark``: what the reader raises when it cannot go on."""
    err = InputError(file, mark.line + 1, mark.column + 1, _fmt(path), message)
    return InputErrors(errors + [editor.error(err) if editor else err])


def _fmt(path: Path) -> str:
    from .errors import format_path

    return format_path(path[1:] if path[:1] == (_DISCARDED,) else path)

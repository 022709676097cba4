"""Fast indented JSON: the bytes of ``json.dumps(obj, ensure_ascii=False, indent=2)``, sooner.

The standard library uses its C encoder only without ``indent``; with it, the
pure-Python generator encoder costs as much as auditing a statute. This
module writes the same text in two ways:

* the items of a :class:`Lazy` list marked ``plain`` (a report's results and
  errors) go through pydantic-core's compiled encoder (``to_json``, already
  loaded with the statute models), about 4x faster than a Python walk, and
  are indented to their depth by one ``str.replace``: a JSON text has no raw
  line breaks inside its strings. ``plain`` promises only what both encoders
  write alike: ``str`` (dict keys too), ``int``, ``bool``, ``None``, lists,
  tuples and dicts; no floats (the two format some floats differently).
  What it cannot encode (a lone surrogate) falls back to the walk;
* everything else goes through a plain recursive walk (strings still through
  the C ``encode_basestring``), 2-3x faster than the standard library.

A :class:`Lazy` list is encoded one item at a time, so a report on 50,000
statutes never holds every result as a dict, or as millions of small string
pieces, at once. ``tests/test_jsonout.py`` checks both ways against
``json.dumps``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

try:  # json.encoder's own C function: importing the json package compiles its
    # decoder's and encoder's regular expressions (0.8% of a one-file check), and
    # json.dumps is only the fallback for unusual values (imported where used)
    from _json import encode_basestring
except ImportError:  # pragma: no cover - Pythons without the C accelerator
    from json.encoder import encode_basestring  # type: ignore[attr-defined]

_INDENT = 2
_PADS = ["\n" + " " * (_INDENT * i) for i in range(200)]
_int_repr = int.__repr__
_float_repr = float.__repr__


class Lazy:
    """A list written as ``[convert(item) for item in items]``, converting one item at a time.

    ``plain=True``: ``convert`` returns only ``str``, ``int``, ``bool``,
    ``None``, lists, tuples and dicts with ``str`` keys (no floats, no
    subclasses), which the compiled encoder writes exactly as ``json.dumps``.

    ``encode``: writes an item's JSON text itself, as UTF-8 already indented
    for the depth it is given (the item's, as :func:`pad` counts it), or
    returns ``None`` for an item it does not write, which is then converted
    as usual. Its bytes must be the UTF-8 of what the converted item gives;
    :func:`write_utf8` passes them on as they are.
    """

    __slots__ = ("items", "convert", "plain", "encode")

    def __init__(
        self,
        items: Iterable[Any],
        convert: Callable[[Any], Any],
        *,
        plain: bool = False,
        encode: Callable[[Any, int], bytes | None] | None = None,
    ) -> None:
        self.items = items
        self.convert = convert
        self.plain = plain
        self.encode = encode


def pad(level: int) -> str:
    """A line break and the indentation of depth ``level``, as ``json.dumps(..., indent=2)`` writes them."""
    if level >= len(_PADS):
        _PADS.extend("\n" + " " * (_INDENT * i) for i in range(len(_PADS), level + 1))
    return _PADS[level]


_to_json: Callable[..., bytes] | None = None


def _compiled(obj: Any, level: int) -> str | None:
    """Plain data encoded by pydantic-core for depth ``level``; None when it cannot (then walk it)."""
    global _to_json
    if _to_json is None:
        # imported on first use: pydantic is loaded anyway when statutes are, not for --help
        from pydantic_core import to_json

        _to_json = to_json
    try:
        text = _to_json(obj, indent=_INDENT).decode()
    except ValueError:  # PydanticSerializationError: a lone surrogate, an unknown type
        return None
    return text.replace("\n", _PADS[level]) if level else text


def dumps(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, byte for byte."""
    out: list[str] = []
    _walk(obj, 0, out, None, None)
    return "".join(out)


def write(obj: Any, sink: Callable[[str], Any]) -> None:
    """Pass the text of :func:`dumps` to ``sink`` in pieces: one per :class:`Lazy` item, plus the rest.

    A large report is never held whole; the pieces concatenate to ``dumps(obj)``.
    """
    out: list[str] = []
    _walk(obj, 0, out, sink, None)
    sink("".join(out))


def write_utf8(obj: Any, sink: Callable[[bytes], Any], errors: str = "strict") -> None:
    """:func:`write` for a binary sink: the text of :func:`dumps`, encoded to UTF-8 with ``errors``, in pieces.

    The bytes a :class:`Lazy` list's ``encode`` writes go to ``sink`` as they
    are, without becoming text first; everything else is encoded as a text
    stream with that encoding and error handler would encode it.
    """
    out: list[str] = []
    _walk(obj, 0, out, sink, errors)
    sink("".join(out).encode("utf-8", errors))


def _scalar(o: Any) -> str | None:
    t = type(o)
    if t is str:
        return encode_basestring(o)  # type: ignore[no-any-return]
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if t is int:
        return _int_repr(o)
    if t is float:
        if o != o:
            return "NaN"
        if o == float("inf"):
            return "Infinity"
        if o == -float("inf"):
            return "-Infinity"
        return _float_repr(o)
    return None


def _walk(o: Any, level: int, out: list[str], sink: Callable[[Any], Any] | None, errors: str | None) -> None:
    """Append the text of ``o`` at depth ``level`` to ``out``.

    With a ``sink``, each item of a :class:`Lazy` list is handed to it with
    what precedes it: as text, or with ``errors`` (``write_utf8``) as UTF-8.
    """
    append = out.append
    if level + 2 >= len(_PADS):  # deeper than any report goes; grow the table
        pad(level + 2)
    t = type(o)
    if t is str:
        append(encode_basestring(o))
        return
    if t is dict:
        if not o:
            append("{}")
            return
        inner = _PADS[level + 1]
        sep = "{" + inner
        for k, v in o.items():
            key = encode_basestring(k) if type(k) is str else _other(k, level)
            tv = type(v)
            if tv is str:
                append(sep + key + ": " + encode_basestring(v))
            else:
                s = _scalar(v)
                if s is not None:
                    append(sep + key + ": " + s)
                else:
                    append(sep + key + ": ")
                    _walk(v, level + 1, out, sink, errors)
            sep = "," + inner
        append(_PADS[level] + "}")
        return
    if t is list or t is tuple:
        if not o:
            append("[]")
            return
        inner = _PADS[level + 1]
        sep = "[" + inner
        for v in o:
            s = encode_basestring(v) if type(v) is str else _scalar(v)
            if s is not None:
                append(sep + s)
            else:
                append(sep)
                _walk(v, level + 1, out, sink, errors)
            sep = "," + inner
        append(_PADS[level] + "]")
        return
    if t is Lazy:
        inner = _PADS[level + 1]
        sep = "[" + inner
        plain = o.plain
        encode = o.encode
        binary = sink is not None and errors is not None
        for item in o.items:
            raw = encode(item, level + 1) if encode is not None else None
            if raw is not None:
                if binary:  # what is written so far, then the item's bytes as they are
                    assert sink is not None and errors is not None
                    sink(("".join(out) + sep if out else sep).encode("utf-8", errors))
                    sink(raw)
                    out.clear()
                    sep = "," + inner
                    continue
                text = sep + raw.decode()
            else:
                data = o.convert(item)
                text = _compiled(data, level + 1) if plain else None
                if text is None:
                    part: list[str] = [sep]
                    _walk(data, level + 1, part, None, None)
                    text = "".join(part)  # one string per item, not one per token
                else:
                    text = sep + text
            if sink is not None:  # hand over what is written so far, this item included
                append(text)
                joined = "".join(out)
                sink(joined.encode("utf-8", errors) if errors is not None else joined)
                out.clear()
            else:
                append(text)
            sep = "," + inner
        append("[]" if sep[0] == "[" else _PADS[level] + "]")
        return
    s = _scalar(o)
    if s is None:
        # anything else (subclasses of str/int/dict, enums, ...): the standard library decides
        import json

        s = json.dumps(o, ensure_ascii=False, indent=_INDENT).replace("\n", _PADS[level])
    append(s)


def _other(key: Any, level: int) -> str:
    """A non-str dict key, written as ``json.dumps`` writes it (or raising as it does)."""
    import json

    text = json.dumps({key: None}, ensure_ascii=False, indent=_INDENT)
    return text[len("{\n  ") : -len(": null\n}")]

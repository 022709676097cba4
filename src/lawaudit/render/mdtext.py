"""Escaping for Markdown (GitHub-flavoured) without any heavy import.

Everything that comes from a statute or criteria file is untrusted text: a
title may contain ``|`` (which would split a table cell), backticks, ``#``,
``*`` or raw HTML. These helpers turn such text into Markdown that renders as
exactly that text, on one line. The Markdown reporter, the report command and
the GitHub job summary all use them.
"""

from __future__ import annotations

import re
from urllib.parse import quote

#: characters with inline meaning in CommonMark / GFM, escaped with a backslash
_BACKSLASHED = set("\\`*_[]|#~!$")
#: characters replaced by entities so that no HTML tag or entity can form
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: control characters other than tab and newline never belong in a report
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_CODE = re.compile(r"^[][A-Za-z0-9_.:/@+-]+$")
#: the two tables above as one ``str.translate`` table: one C call per text, not a Python step per character
_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in _BACKSLASHED}, **_ENTITIES})
#: any character of the table: most texts have none, and searching is cheaper than translating
_ESCAPED = re.compile("[" + re.escape("".join(sorted(_BACKSLASHED | set(_ENTITIES)))) + "]")
#: a line-leading list marker, or an ordered-list number, would start a block
_LIST_MARKER = re.compile(r"^[-+=](\s|$)")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def one_line(text: object) -> str:
    """Collapse all whitespace (newlines included) to single spaces and drop control characters."""
    # (str.split() splits at exactly what the pattern \s matches, and drops it at both ends)
    return " ".join(_CONTROL.sub("", str(text)).split())


def inline(text: object) -> str:
    """Untrusted text as inline Markdown that renders literally, on one line.

    Safe inside table cells too: ``|`` is always escaped.
    """
    res = one_line(text)
    if _ESCAPED.search(res):
        res = res.translate(_ESCAPES)
    if not res:
        return res
    first = res[0]
    if first in "-+=" and _LIST_MARKER.match(res):
        return "\\" + res
    if first.isdigit():  # (every character \d matches is a digit)
        return _ORDERED.sub(r"\1\\\2", res)
    return res


def code(text: object) -> str:
    """An identifier (criterion id, field path) as a code span; anything unusual falls back to :func:`inline`."""
    s = one_line(text)
    if s and _SAFE_CODE.match(s):
        return f"`{s}`"
    return inline(s)


def url(value: object) -> str | None:
    """A link target safe to put inside ``(...)`` and table cells, or None for anything but http(s)."""
    s = one_line(value)
    if not re.match(r"^https?://", s, re.IGNORECASE):
        return None
    # keep the URL's own structure, percent-encode what could end the link or a cell
    return quote(s, safe="/:?#@!$&*+,;=%-._~")


def link(text: object, target: object) -> str:
    """``[text](url)`` when the target is an http(s) URL, otherwise just the escaped text."""
    u = url(target)
    label = inline(text)
    return f"[{label}]({u})" if u else label

"""Atomic file output: a report file is either the old one or the complete new one.

Every file lawaudit writes (``--output``, ``report -o DIR``) goes through
here: the content goes to a temporary file in the same folder, which then
replaces the target in one rename, so an interrupted or failed run never
leaves half a report behind and never damages what was there.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def write_atomic(target: Path, content: "str | Callable[[TextIO], None]") -> None:
    """Write ``content`` (text, or a function writing to a stream) to ``target`` atomically.

    The new file gets ordinary permissions (those of an existing target, or
    0666 less the umask) rather than the private 0600 of a temporary file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            if callable(content):
                content(fh)
            else:
                fh.write(content)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

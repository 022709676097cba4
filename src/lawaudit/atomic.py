"""Atomic file output: a report file is either the old one or the complete new one.

Every file lawaudit writes (``--output``, ``report -o DIR``) goes through
here: the content goes to a temporary file in the same folder, which then
replaces the target in one rename, so an interrupted or failed run never
leaves half a report behind and never damages what was there.

A target that exists and is not a regular file (a FIFO, a terminal,
``/dev/null``, ``/dev/stdout``) is written to directly instead: renaming a
file over it would destroy the device or pipe rather than feed it, and a
reader waiting on a FIFO would never see the report.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

#: names of open descriptors (``/dev/stdout`` -> ``/proc/self/fd/1``), even when what
#: they lead to is a regular file; ``/dev/shm`` and the like hold ordinary files
_DESCRIPTOR_NAMES = ("/dev/stdout", "/dev/stderr")
_DESCRIPTOR_PATH = re.compile(r"^/dev/fd/|^/proc/(?:self|thread-self|\d+)/fd/")


def write_atomic(target: Path, content: "str | Callable[[TextIO], None]", *, follow_symlinks: bool = False) -> None:
    """Write ``content`` (text, or a function writing to a stream) to ``target`` atomically.

    The new file gets ordinary permissions (those of an existing target, or
    0666 less the umask) rather than the private 0600 of a temporary file.
    With ``follow_symlinks`` a symbolic link is replaced at the file it
    points to (``--output`` names where the report should end up) rather
    than replaced itself.

    Raises :class:`OSError` (``strerror`` says why, in words a user can act
    on) when the target cannot be written: it is a folder, a folder on its
    way is a file, permission is denied. No temporary file is left behind.
    """
    existing = _stat(target)
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(target))
    if existing is not None and (not stat.S_ISREG(existing.st_mode) or _names_a_descriptor(target)):
        _write_direct(target, content)
        return
    if follow_symlinks:
        target = target.resolve()
    check_folders(target.parent)
    target.parent.mkdir(parents=True, exist_ok=True)
    if existing is not None:
        mode = existing.st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    # the temporary name adds 14 characters to the target's: cut so it stays within NAME_MAX
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            _fill(fh, content)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fill(fh: TextIO, content: "str | Callable[[TextIO], None]") -> None:
    if callable(content):
        content(fh)
    else:
        fh.write(content)


def _write_direct(target: Path, content: "str | Callable[[TextIO], None]") -> None:
    """Write into an existing FIFO, device or descriptor alias as it is: there is no file to replace.

    Opened for appending, not truncated: ``-o /dev/stdout`` with standard
    output redirected to a file then adds to what is there, as writing to
    standard output would, instead of wiping it (a pipe or device has
    nothing to truncate either way).
    """
    with open(target, "a", encoding="utf-8", newline="\n") as fh:
        _fill(fh, content)


def _stat(path: Path) -> "os.stat_result | None":
    """``os.stat`` following links, or None when nothing is there.

    A path running through a regular file (``base.yaml/x.txt``) counts as
    absent here; :func:`check_folders` then says what is wrong with it.
    """
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _names_a_descriptor(path: Path) -> bool:
    """True for ``/dev/stdout``, ``/dev/fd/3``, ``/proc/self/fd/1`` and the like.

    Such a name may lead to a regular file (the shell's ``> out.json``), but
    a temporary file cannot be renamed over it, and the file the descriptor
    holds open, perhaps deleted, is what the caller means.
    """
    text = os.path.abspath(path)
    return text in _DESCRIPTOR_NAMES or _DESCRIPTOR_PATH.match(text) is not None


def check_folders(folder: Path) -> None:
    """Raise :class:`NotADirectoryError` when ``folder`` or the nearest existing folder above it is a file.

    Callers check before any work is done, so a bad output path costs
    nothing; :func:`write_atomic` checks again. ``mkdir`` would say "File
    exists" about the file, which does not tell the user that
    ``base.yaml/x.txt`` cannot be written because ``base.yaml`` is not a
    folder.
    """
    for candidate in (folder, *folder.parents):
        try:
            st = os.stat(candidate)
        except (FileNotFoundError, NotADirectoryError):
            continue  # missing: created below (unless a file further up is in the way)
        except OSError:
            return  # unreadable: let mkdir or mkstemp report it
        if not stat.S_ISDIR(st.st_mode):
            raise NotADirectoryError(errno.ENOTDIR, f"{candidate} is not a folder", str(candidate))
        return

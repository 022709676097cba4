"""A per-user cache of compiled catalogues, so an unchanged catalogue is not compiled on every run.

Compiling the catalogue (reading ~40 YAML files, validating them with pydantic,
compiling conditions and putting ~2,900 patterns into tries) costs more than
auditing one statute. The compiled :class:`~lawaudit.criteria.Catalogue` is
therefore pickled to ``$XDG_CACHE_HOME/lawaudit/`` (``~/.cache/lawaudit/`` by
default) and read back while nothing it was built from has changed.

The key is a SHA-256 over:

* the lawaudit version, the Python version and implementation;
* the size and modification time of lawaudit's own modules (an edited
  compiler, or an upgrade that kept the version number, gives a new key);
* the catalogue folder as given (reports show paths relative to it);
* the relative path and the bytes of every file the compiler reads
  (``catalogue.yaml``, ``references*.yaml``, ``lexicons/**``, ``rules/**``,
  ``scoring.yaml``).

Computing it costs a stat and a read of each of those small files. There is
one cache file per catalogue folder, holding its key; a changed catalogue
replaces it, and only the :data:`MAX_FILES` most recently written files are
kept (``lawaudit diff`` compiles catalogues extracted to temporary folders). Files are written atomically (temporary file, then one rename),
never inside the catalogue folder, and every cache problem (unreadable,
corrupt, stale, unwritable) is ignored: the catalogue is then compiled as if
there were no cache. ``LAWAUDIT_NO_CACHE=1`` turns the cache off (nothing is
read or written). A catalogue with errors is never cached.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

try:  # the C unpickler alone: a cache hit need not import pickle.py
    from _pickle import loads as _loads
except ImportError:  # pragma: no cover - Pythons without the C accelerator
    from pickle import loads as _loads

if TYPE_CHECKING:
    from .criteria import Catalogue

#: first bytes of a cache file; change it when the file layout changes
_MAGIC = b"lawaudit-catalogue-cache\x001\n"
_PACKAGE = Path(__file__).resolve().parent
#: cache files kept (one per catalogue folder); the least recently written go first
MAX_FILES = 16


def cache_directory() -> Path | None:
    """``$XDG_CACHE_HOME/lawaudit`` (a relative ``XDG_CACHE_HOME`` is ignored, as the spec says), else ``~/.cache/lawaudit``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):
        try:
            base = os.path.join(Path.home(), ".cache")
        except (RuntimeError, KeyError, OSError):
            return None
    return Path(base) / "lawaudit"


def _catalogue_files(folder: Path) -> list[Path]:
    """Every file the compiler reads, in the compiler's order (missing ones included: their absence counts)."""
    from .criteria import _yaml_files

    return [
        folder / "catalogue.yaml",
        *sorted(folder.glob("references*.yaml")),
        *_yaml_files(folder / "lexicons"),
        *_yaml_files(folder / "rules"),
        folder / "scoring.yaml",
    ]


def catalogue_key(folder: Path) -> bytes:
    """The cache key of the catalogue in ``folder`` (a SHA-256 digest)."""
    h = hashlib.sha256()
    impl = sys.implementation
    h.update(f"lawaudit {__version__}\0{impl.name} {sys.version}\0{impl.cache_tag}\0".encode())
    with os.scandir(_PACKAGE) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.endswith(".py"):
                st = entry.stat()
                h.update(f"{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    h.update(b"\1" + os.path.normpath(str(folder)).encode("utf-8", "surrogateescape") + b"\0")
    # each file by its path under the folder just hashed, as a string (pathlib's
    # relative_to and read_bytes cost a third of the key's Python time)
    for path in map(str, _catalogue_files(folder)):
        name = path.encode("utf-8", "surrogateescape")
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            h.update(b"\2" + name + b"\0")
            continue
        h.update(b"\3" + name + b"\0" + len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


class Slot:
    """The cache file of one catalogue folder, and the key the catalogue has now."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.key = key

    def load(self) -> "Catalogue | None":
        """The cached catalogue if the file holds this key; ``None`` on any problem."""
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(len(_MAGIC) + len(self.key))
                if head != _MAGIC + self.key:
                    return None
                data = fh.read()
            import gc

            enabled = gc.isenabled()
            gc.disable()  # tens of thousands of new objects and no cycles to find
            try:
                catalogue = _loads(data)
            finally:
                if enabled:
                    gc.enable()
            from .criteria import Catalogue

            return catalogue if type(catalogue) is Catalogue else None
        except Exception:  # a corrupt, truncated or incompatible cache file: compile instead
            return None

    def store(self, catalogue: "Catalogue") -> None:
        """Write the catalogue atomically; any failure is ignored."""
        import pickle
        import tempfile

        tmp = None
        try:
            data = pickle.dumps(catalogue, protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + self.key + data)
            os.replace(tmp, self.path)
            tmp = None
            _prune(self.path.parent, keep=self.path)
        except Exception:
            pass
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def _prune(directory: Path, keep: Path) -> None:
    """Keep the :data:`MAX_FILES` most recently written cache files (``lawaudit diff`` compiles catalogues in temporary folders)."""
    found = []
    for entry in os.scandir(directory):
        if entry.name.startswith("catalogue-") and entry.name.endswith(".pickle") and entry.path != str(keep):
            try:
                found.append((entry.stat().st_mtime_ns, entry.path))
            except OSError:
                continue
    for _mtime, path in sorted(found, reverse=True)[MAX_FILES - 1 :]:
        try:
            os.unlink(path)
        except OSError:
            pass


def open_slot(folder: Path) -> Slot | None:
    """The cache slot of the catalogue in ``folder``, or ``None`` when caching is off or impossible."""
    if os.environ.get("LAWAUDIT_NO_CACHE", "") not in ("", "0"):
        return None
    try:
        directory = cache_directory()
        if directory is None:
            return None
        where = folder.resolve()
        if directory.resolve().is_relative_to(where):
            return None  # never write inside the catalogue folder
        # one file per folder as given (reports show paths as given, so "criteria" and its absolute path differ)
        name = hashlib.sha256(os.fsencode(where) + b"\0" + os.fsencode(os.path.normpath(str(folder)))).hexdigest()[:32]
        return Slot(directory / f"catalogue-{name}.pickle", catalogue_key(folder))
    except Exception:
        return None

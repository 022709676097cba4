"""Shared fixtures: the repository's folders, a minimal valid statute, the shipped catalogue."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests replay the same examples on every run, so a build
# is red or green because of the change, not because of the draw. Locally
# they explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Keep the compiled-catalogue cache of the whole run, subprocesses included,
# out of the user's home: set before any test module copies the environment.
_CACHE_DIR = tempfile.mkdtemp(prefix="lawaudit-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_DIR
atexit.register(shutil.rmtree, _CACHE_DIR, ignore_errors=True)

from lawaudit.criteria import Catalogue, load_catalogue

REPO = Path(__file__).resolve().parent.parent
STATUTES = REPO / "statutes"

#: the smallest statute the format accepts: every required field, nothing else
MINIMAL_STATUTE = """\
id: minimal
jurisdiction: KZ
instrument: Test Code
provision: Article 1
title: Test provision
status: in_force
rights: [expression]
text:
  en: Whoever does something is punished.
conduct: doing something
sources:
  - title: A source
    url: https://example.org/
"""


@pytest.fixture(scope="session")
def statutes_dir() -> Path:
    """The corpus shipped in ``statutes/``."""
    return STATUTES


@pytest.fixture(scope="session")
def statute_files() -> list[Path]:
    """Every statute file of the corpus, sorted."""
    return sorted(STATUTES.glob("*.yaml"))


@pytest.fixture(scope="session")
def minimal_statute() -> str:
    """Text of a minimal valid statute file (id ``minimal``)."""
    return MINIMAL_STATUTE


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


def read_to_end(fd: int) -> bytes:
    """Everything readable from ``fd`` now: until end of file, or until a read would wait or fails.

    A non-blocking FIFO says "would block" (``BlockingIOError``) once it is
    drained; a pseudo-terminal's leader says EIO once its follower is closed.
    """
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)

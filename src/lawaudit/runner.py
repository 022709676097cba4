"""The library entry point: discover, load, audit — in one process or several.

``audit_paths`` is what the CLI, the tests and other programs call. It never
prints and never exits; it returns a :class:`Run`, with results ordered by
file so that the same input always gives byte-identical output whatever the
number of worker processes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .criteria import Catalogue, load_catalogue
from .errors import InputError
from .loader import DEFAULT_MAX_BYTES, LoadOutcome, check_unique_ids, discover, load_file
from .results import AuditResult

if TYPE_CHECKING:
    from .reviews import ReviewSet

#: below this many files per worker a pool costs more than it saves
_MIN_FILES_PER_JOB = 24


@dataclass(frozen=True)
class Run:
    """Everything one ``check`` produced: results, input errors, and what produced them."""

    tool_version: str
    catalogue_name: str
    catalogue_version: str
    criteria_count: int
    results: tuple[AuditResult, ...]
    errors: tuple[InputError, ...]


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# ------------------------------------------------------------ worker side

_ENGINE = None


def _init_worker(catalogue: Catalogue | None, directory: str | None) -> None:
    global _ENGINE
    from .engine import Engine

    _ENGINE = Engine(catalogue if catalogue is not None else load_catalogue(directory))


# ------------------------------------------------------------------- API


def audit_outcomes(
    outcomes: Iterable[LoadOutcome], catalogue: Catalogue
) -> Iterator[tuple[LoadOutcome, AuditResult | None]]:
    """Audit already-loaded statutes (serially), passing load errors through."""
    from .engine import Engine

    engine = Engine(catalogue)
    for outcome in outcomes:
        yield outcome, (engine.audit(outcome.loaded) if outcome.loaded is not None else None)


def _audit_batch(batch: list[str], max_bytes: int) -> list[tuple[LoadOutcome, AuditResult | None]]:
    assert _ENGINE is not None
    out: list[tuple[LoadOutcome, AuditResult | None]] = []
    for path in batch:
        outcome = load_file(Path(path), max_bytes)
        out.append((outcome, _ENGINE.audit(outcome.loaded) if outcome.loaded is not None else None))
    return out


def _parallel(paths: list[Path], catalogue: Catalogue, max_bytes: int, jobs: int) -> Iterator[tuple[LoadOutcome, AuditResult | None]]:
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
        init_args: tuple[Catalogue | None, str | None] = (catalogue, None)
    except ValueError:  # pragma: no cover - platforms without fork
        ctx = multiprocessing.get_context("spawn")
        init_args = (None, catalogue.directory)
    size = max(8, min(256, len(paths) // (jobs * 8) or 8))
    batches = [[str(p) for p in paths[i : i + size]] for i in range(0, len(paths), size)]
    with ctx.Pool(jobs, initializer=_init_worker, initargs=init_args) as pool:
        from functools import partial

        for chunk in pool.imap(partial(_audit_batch, max_bytes=max_bytes), batches):
            yield from chunk


def audit_paths(
    paths: Iterable[str | Path],
    catalogue: Catalogue | None = None,
    *,
    criteria_dir: str | Path | None = None,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    reviews: "ReviewSet | None" = None,
) -> Run:
    """Discover, load and audit statute files; one bad file never stops the others.

    Raises :class:`~lawaudit.errors.InputErrors` only when the criteria
    catalogue itself is broken (then no audit can be trusted).
    """
    cat = catalogue if catalogue is not None else load_catalogue(criteria_dir)
    files, errors = discover(paths)
    pairs: Iterable[tuple[LoadOutcome, AuditResult | None]]
    if jobs > 1 and len(files) >= _MIN_FILES_PER_JOB * jobs:
        pairs = _parallel(files, cat, max_bytes, jobs)
    else:
        pairs = audit_outcomes((load_file(p, max_bytes) for p in files), cat)
    results, all_errors = collect(pairs, cat, errors)
    if reviews is not None:
        results, review_errors = reviews.apply(results, cat)
        all_errors = tuple(sorted(all_errors + tuple(review_errors)))
    return Run(__version__, cat.name, cat.version, len(cat.criteria), results, all_errors)


def collect(
    pairs: Iterable[tuple[LoadOutcome, AuditResult | None]], catalogue: Catalogue, errors: Iterable[InputError] = ()
) -> tuple[tuple[AuditResult, ...], tuple[InputError, ...]]:
    """Apply the run-wide id check and order everything by file."""
    all_errors = list(errors)
    results: list[AuditResult] = []
    pairs = list(pairs)
    by_file = {o.file: r for o, r in pairs}
    for outcome in check_unique_ids(o for o, _ in pairs):
        if outcome.loaded is None:
            all_errors.extend(outcome.errors)
        else:
            result = by_file[outcome.file]
            if result is not None:
                results.append(result)
    results.sort(key=lambda r: r.file)
    return tuple(results), tuple(sorted(all_errors))

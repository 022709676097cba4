"""The library entry point: discover, load, audit — in one process or several.

``audit_paths`` is what the CLI, the tests and other programs call. It never
prints and never exits; it returns a :class:`Run`, with results ordered by
file so that the same input always gives byte-identical output whatever the
number of worker processes.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import __version__
from .criteria import Catalogue, load_catalogue
from .errors import InputError
from .loader import DEFAULT_MAX_BYTES, LoadOutcome, discover, load_file
from .results import AuditResult

if TYPE_CHECKING:
    from .engine import Engine
    from .reviews import ReviewSet

#: below this many files per worker a pool costs more than it saves (starting a
#: forked worker costs about as much as auditing 20-40 files); the environment
#: variable LAWAUDIT_MIN_FILES_PER_JOB overrides it (the tests use a small value)
_MIN_FILES_PER_JOB = 24


def min_files_per_job() -> int:
    """The pool threshold: ``LAWAUDIT_MIN_FILES_PER_JOB`` when set to a positive integer, else the default."""
    raw = os.environ.get("LAWAUDIT_MIN_FILES_PER_JOB", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else _MIN_FILES_PER_JOB


@dataclass(frozen=True)
class Run:
    """Everything one ``check`` produced: results, input errors, and what produced them."""

    tool_version: str
    catalogue_name: str
    catalogue_version: str
    criteria_count: int
    results: tuple[AuditResult, ...]
    errors: tuple[InputError, ...]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the audit with the cyclic garbage collector mostly out of the way.

    Auditing makes many short-lived containers and almost no reference
    cycles, while the catalogue and the growing results are long-lived; with
    the default thresholds the collector re-scans them often enough to cost
    about a tenth of a large run. The catalogue (and everything imported) is
    frozen out of the scans, young objects are collected less often, and the
    previous settings come back afterwards.
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(old[0], 20_000), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class Audited(NamedTuple):
    """What a run keeps of one file: its result or its errors, never the statute itself.

    Holding every loaded statute (model, parsed document, positions) until the
    end of a run would make memory grow with the corpus; only what the
    run-wide id check needs survives the audit.
    """

    file: str
    statute_id: str | None
    id_position: tuple[int, int]
    errors: tuple[InputError, ...]
    result: AuditResult | None


def audit_outcome(outcome: LoadOutcome, engine: "Engine") -> Audited:
    """Audit one load outcome (when it loaded) and drop the statute."""
    loaded = outcome.loaded
    if loaded is None:
        return Audited(outcome.file, None, (0, 0), outcome.errors, None)
    return Audited(outcome.file, loaded.statute.id, loaded.document.position(("id",)), (), engine.audit(loaded))


# ------------------------------------------------------------ worker side

_ENGINE: "Engine | None" = None


def _init_worker(catalogue: Catalogue | None, directory: str | None) -> None:
    global _ENGINE
    from .engine import Engine

    _ENGINE = Engine(catalogue if catalogue is not None else load_catalogue(directory))


# ------------------------------------------------------------------- API


def audit_outcomes(outcomes: Iterable[LoadOutcome], catalogue: Catalogue) -> Iterator[Audited]:
    """Audit already-loaded statutes (serially), passing load errors through."""
    from .engine import Engine

    engine = Engine(catalogue)
    for outcome in outcomes:
        yield audit_outcome(outcome, engine)


def _audit_batch(batch: list[str], max_bytes: int) -> list[Audited]:
    assert _ENGINE is not None
    return [audit_outcome(load_file(Path(path), max_bytes), _ENGINE) for path in batch]


def _parallel(paths: list[Path], catalogue: Catalogue, max_bytes: int, jobs: int) -> Iterator[Audited]:
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
    audited: Iterable[Audited]
    with _fewer_collections():
        if jobs > 1 and len(files) >= min_files_per_job() * jobs:
            audited = _parallel(files, cat, max_bytes, jobs)
        else:
            audited = audit_outcomes((load_file(p, max_bytes) for p in files), cat)
        results, all_errors = collect(audited, cat, errors)
    if reviews is not None:
        results, review_errors = reviews.apply(results, cat)
        all_errors = tuple(sorted(all_errors + tuple(review_errors)))
    return Run(__version__, cat.name, cat.version, len(cat.criteria), results, all_errors)


def collect(
    audited: Iterable[Audited], catalogue: Catalogue, errors: Iterable[InputError] = ()
) -> tuple[tuple[AuditResult, ...], tuple[InputError, ...]]:
    """Apply the run-wide id check (as :func:`~lawaudit.loader.check_unique_ids`) and order everything by file."""
    all_errors = list(errors)
    results: list[AuditResult] = []
    seen: dict[str, str] = {}
    for item in audited:
        sid = item.statute_id
        if sid is None:
            all_errors.extend(item.errors)
            continue
        if sid in seen:
            line, col = item.id_position
            all_errors.append(InputError(item.file, line, col, "id", f"id '{sid}' is already used by {seen[sid]}"))
            continue
        seen[sid] = item.file
        if item.result is not None:
            results.append(item.result)
    results.sort(key=lambda r: r.file)
    return tuple(results), tuple(sorted(all_errors))

"""The library entry point: discover, load, audit — in one process or several.

``audit_paths`` is what the CLI, the tests and other programs call. It never
prints and never exits; it returns a :class:`Run`, with results ordered by
file so that the same input always gives byte-identical output whatever the
number of worker processes.
"""

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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


class Tally(NamedTuple):
    """What the end of a run reports on: how many results, their verdicts, the severities found.

    The summary line and the exit status need only this, so a streamed run
    can report them without keeping every result.
    """

    results: int
    #: verdict value -> number of results
    verdicts: dict[str, int]
    #: the severity value of every finding (reviewed ones excluded)
    severities: frozenset[str]


class Encoded(NamedTuple):
    """A result as a streaming reporter writes it, made where it was audited, and what the tally needs of it.

    Sent back from a worker process, a whole :class:`AuditResult` is pickled
    there and unpickled in the parent, every finding and piece of evidence
    (about 0.2 ms a statute, a seventh of a parallel run's CPU time), and the
    parent then encodes it for the report, on a core the workers need. A run
    that keeps no results needs of each only its report text and its tally,
    so the workers write the text (``start_run``'s ``encode``) and send bytes,
    which cross between processes for almost nothing.
    """

    #: the result's verdict value
    verdict: str
    #: the severity value of each of its findings
    severities: tuple[str, ...]
    #: the result as the reporter writes it
    text: bytes


#: what encodes a result for a streaming report, or None where it does not write this one itself
ResultEncoder = Callable[[AuditResult], "bytes | None"]


def _tallied(result: AuditResult) -> tuple[str, tuple[str, ...]]:
    """What a :class:`Tally` counts of a result: its verdict value and its findings' severity values."""
    # ``_value_``, not ``.value``: see lawaudit.results
    return result.verdict._value_, tuple([f.severity._value_ for f in result.findings])


class _Counter:
    """Builds a :class:`Tally` one result at a time."""

    __slots__ = ("count", "verdicts", "severities")

    def __init__(self) -> None:
        self.count = 0
        self.verdicts: dict[str, int] = {}
        self.severities: set[str] = set()

    def add(self, result: "AuditResult | Encoded") -> None:
        self.count += 1
        verdict, severities = (result.verdict, result.severities) if isinstance(result, Encoded) else _tallied(result)
        self.verdicts[verdict] = self.verdicts.get(verdict, 0) + 1
        self.severities.update(severities)

    def tally(self) -> Tally:
        return Tally(self.count, dict(sorted(self.verdicts.items())), frozenset(self.severities))


class Run(NamedTuple):
    """Everything one ``check`` produced: results, input errors, and what produced them."""

    tool_version: str
    catalogue_name: str
    catalogue_version: str
    criteria_count: int
    results: tuple[AuditResult, ...]
    errors: tuple[InputError, ...]

    def tally(self) -> Tally:
        counter = _Counter()
        for r in self.results:
            counter.add(r)
        return counter.tally()


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
    result: "AuditResult | Encoded | None"


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
    import signal

    # A worker dies of SIGTERM at once, as the pool expects when it stops it:
    # the command's own SIGTERM handler (which tidies up the parent's output
    # file) is not for workers. SIGTERM was blocked while the pool forked (see
    # _parallel), so one sent this early is still pending, not lost.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    from .engine import Engine

    _ENGINE = Engine(catalogue if catalogue is not None else load_catalogue(directory))


# ------------------------------------------------------------------- API


def audit_outcomes(outcomes: Iterable[LoadOutcome], catalogue: Catalogue) -> Iterator[Audited]:
    """Audit already-loaded statutes (serially), passing load errors through."""
    from .engine import Engine

    engine = Engine(catalogue)
    for outcome in outcomes:
        yield audit_outcome(outcome, engine)


def _audit_batch(batch: list[str], max_bytes: int, encode: ResultEncoder | None = None) -> list[Audited]:
    assert _ENGINE is not None
    done = [audit_outcome(load_file(Path(path), max_bytes), _ENGINE) for path in batch]
    return done if encode is None else [_encoded(item, encode) for item in done]


def _encoded(item: Audited, encode: ResultEncoder) -> Audited:
    """``item`` with its result written by ``encode`` (unchanged when it has none, or ``encode`` declines it)."""
    result = item.result
    if result is None or isinstance(result, Encoded):  # (never Encoded yet; the test narrows the type)
        return item
    text = encode(result)
    if text is None:
        return item
    return item._replace(result=Encoded(*_tallied(result), text))


def _batch_bounds(count: int, jobs: int) -> list[tuple[int, int]]:
    """Where the batches handed to the workers start and end: large at first, smaller towards the end.

    A batch is a unit of work for one worker; the run ends when the last
    worker finishes its last batch. With equal batches (256 files each on
    10,000 files) the two workers of a ``-j2`` run finished 0.05-0.24 s
    apart, one of them idle all that time, in runs of 5.5-7.5 s. With each
    batch at most a ``2 * jobs``-th of what remains, the last ones take a
    few files each (they now finish within 0.01 s of each other), while the
    run as a whole still sends few, large batches: fewer round trips
    between the processes.
    """
    largest = max(8, min(256, count // (jobs * 8)))
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < count:
        size = max(8, min(largest, (count - start) // (jobs * 2)))
        bounds.append((start, min(count, start + size)))
        start += size
    return bounds


def _parallel(
    paths: list[Path], catalogue: Catalogue, max_bytes: int, jobs: int, encode: ResultEncoder | None = None
) -> Iterator[Audited]:
    import multiprocessing

    ctx: multiprocessing.context.BaseContext
    try:
        ctx = multiprocessing.get_context("fork")
        init_args: tuple[Catalogue | None, str | None] = (catalogue, None)
    except ValueError:  # pragma: no cover - platforms without fork
        ctx = multiprocessing.get_context("spawn")
        init_args = (None, catalogue.directory)
    batches = [[str(p) for p in paths[i:j]] for i, j in _batch_bounds(len(paths), jobs)]
    import signal

    # SIGTERM stays blocked while the workers are forked: a child handles a
    # signal only once its interpreter is ready, and one that arrives in
    # between (the pool stopping a worker that has only just started) would
    # be lost, leaving the worker, and the pool's join, waiting for ever.
    # Blocked, it waits in the kernel until _init_worker restores the default.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pool = ctx.Pool(jobs, initializer=_init_worker, initargs=init_args)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    with pool:
        from functools import partial

        for chunk in pool.imap(partial(_audit_batch, max_bytes=max_bytes, encode=encode), batches):
            yield from chunk


class LiveRun:
    """A run whose results are audited while a reporter writes them.

    A report that streams (JSON) can encode each result as soon as it is
    audited instead of waiting for the last one: with worker processes the
    encoding then overlaps the auditing, rather than following it on one
    core. :attr:`results` is a single pass; :meth:`finish` consumes whatever
    is left and returns the same :class:`Run` that :func:`audit_paths` gives.

    Results come in file order because :func:`~lawaudit.loader.discover`
    sorts by the path a result carries, and the pool returns them in
    submission order; the run-wide id check keeps the first file of an id,
    as :func:`~lawaudit.loader.check_unique_ids` does.
    """

    def __init__(
        self, audited: Iterable[Audited], catalogue: Catalogue, errors: Iterable[InputError], *, keep: bool = True
    ) -> None:
        self.tool_version = __version__
        self.catalogue_name = catalogue.name
        self.catalogue_version = catalogue.version
        self.criteria_count = len(catalogue.criteria)
        self._audited = audited
        self._errors = list(errors)
        self._results: list[AuditResult] = []
        self._keep = keep
        self._counter = _Counter()
        self._done = False
        #: the results in file order; with ``start_run``'s ``encode``, some may come as :class:`Encoded`
        self.results: Iterator[AuditResult | Encoded] = self._produce()

    def _produce(self) -> Iterator[AuditResult | Encoded]:
        seen: dict[str, str] = {}
        # (an Encoded is never kept: start_run asks for them only when results are not)
        keep: Callable[[AuditResult | Encoded], None] = self._results.append if self._keep else _drop  # type: ignore[assignment]
        count = self._counter.add
        with _fewer_collections():
            for item in self._audited:
                sid = item.statute_id
                if sid is None:
                    self._errors.extend(item.errors)
                    continue
                if sid in seen:
                    line, col = item.id_position
                    self._errors.append(InputError(item.file, line, col, "id", f"id '{sid}' is already used by {seen[sid]}"))
                    continue
                seen[sid] = item.file
                if item.result is not None:
                    keep(item.result)
                    count(item.result)
                    yield item.result
        self._done = True

    def tally(self) -> Tally:
        """The results so far, counted (all of them once :attr:`results` is exhausted)."""
        return self._counter.tally()

    @property
    def errors(self) -> tuple[InputError, ...]:
        """Every input error, sorted; complete only once :attr:`results` is exhausted."""
        return tuple(sorted(self._errors))

    def finish(self) -> Run:
        """Audit whatever is left and return the finished run.

        A run started with ``keep=False`` holds no results: its ``results``
        are empty, and :meth:`tally` is what remains of them.
        """
        for _ in self.results:
            pass
        if not self._done:  # pragma: no cover - a consumer abandoned the stream half-way
            raise RuntimeError("the run's results were not consumed to the end")
        return Run(self.tool_version, self.catalogue_name, self.catalogue_version, self.criteria_count, tuple(self._results), self.errors)


def start_run(
    paths: Iterable[str | Path],
    catalogue: Catalogue | None = None,
    *,
    criteria_dir: str | Path | None = None,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep: bool = True,
    encode: ResultEncoder | None = None,
) -> LiveRun:
    """Discover the files and set up their audit; nothing is audited until the results are read.

    ``keep=False``: results are not kept once read (memory stays flat however
    many files), for a caller that writes each as it comes and needs only
    the :class:`Tally` at the end.

    ``encode`` (with ``keep=False``): how the caller's streaming reporter
    writes a result. When worker processes audit, they call it and send back
    an :class:`Encoded` (its text and what the tally needs) in place of each
    result it writes, so :attr:`LiveRun.results` may yield both kinds; the
    reporter must write an :class:`Encoded` as its text. Ignored when results
    are kept, or audited in this process (there it would save nothing).

    Raises :class:`~lawaudit.errors.InputErrors` only when the criteria
    catalogue itself is broken (then no audit can be trusted).
    """
    cat = catalogue if catalogue is not None else load_catalogue(criteria_dir)
    files, errors = discover(paths)
    audited: Iterable[Audited]
    if jobs > 1 and len(files) >= min_files_per_job() * jobs:
        audited = _parallel(files, cat, max_bytes, jobs, None if keep else encode)
    else:
        audited = audit_outcomes((load_file(p, max_bytes) for p in files), cat)
    return LiveRun(audited, cat, errors, keep=keep)


def _drop(result: "AuditResult | Encoded") -> None:
    """Keep nothing (a streamed run that holds no results)."""


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
    run = start_run(paths, cat, jobs=jobs, max_bytes=max_bytes).finish()
    return apply_reviews(run, reviews, cat) if reviews is not None else run


def apply_reviews(run: Run, reviews: "ReviewSet", catalogue: Catalogue) -> Run:
    """``run`` with the analysts' reviews applied (reviewed findings moved aside, results recombined)."""
    results, review_errors = reviews.apply(run.results, catalogue)
    errors = tuple(sorted(run.errors + tuple(review_errors)))
    return Run(run.tool_version, run.catalogue_name, run.catalogue_version, run.criteria_count, results, errors)

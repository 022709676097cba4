"""Analyst reviews (``reviews.yaml``): findings an analyst has examined and accepted, with a reason.

A reviews file sits beside the statutes (``statutes/reviews.yaml``; the
format is in ``docs/reviews.md``). Each entry names a statute id and a
criterion id and says why the finding is accepted (``reason``, required), who
decided (``by``) and when (``date``), and optionally until when (``expires``).

Applying reviews never hides anything. A reviewed finding moves from
``AuditResult.findings`` to ``AuditResult.reviewed``, carrying the review
(``Finding.review``), and the statute's tests, score, verdict and
recommendation are recombined *without* it by the engine's own
:meth:`~lawaudit.engine.Engine.combine`, so it no longer counts toward
``--fail-on``. What can go wrong is split in two:

* **errors** (:class:`~lawaudit.errors.InputError`, exit status 2): the file is
  not valid YAML or not the format, an entry lacks its reason, names a
  criterion the catalogue does not have or a statute no file under the
  reviews file's folder has, or repeats another entry. These are mistakes in
  a file someone wrote, like a misspelt field in a statute; the bad entry is
  not applied.
* **notices** (:attr:`ReviewSet.notices`, reported, exit status unchanged): an
  entry that no longer matches any finding (*stale*: the statute was fixed
  or the criterion no longer fires; delete the entry), and an entry whose
  ``expires`` date has passed (*expired*: the review no longer applies, the
  finding counts again and, if it is fail-level, the run fails again).

The library never prints: the CLI prints notices on standard error.
"""

import datetime as _dt
import difflib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import InputError, InputErrors, format_path
from .loader import NOT_STATUTES, discover, display_path, load_file, read_file, validation_errors
from .results import AuditResult, Finding, TestName, TestStatus
from .yamlread import Document, decode, read_document

if TYPE_CHECKING:
    from .criteria import Catalogue
    from .loader import LoadedStatute

#: the file names a reviews file may have (the loader's discovery skips them)
REVIEW_FILE_NAMES = tuple(sorted(NOT_STATUTES))

class Review(NamedTuple):
    """A validated review entry and where it was written."""

    statute: str
    criterion: str
    reason: str
    by: str
    date: _dt.date
    expires: _dt.date | None
    file: str
    #: the entry's number in the file's ``reviews`` list (0-based)
    entry: int
    #: positions of the entry, its statute and its criterion value
    line: int
    column: int
    statute_pos: tuple[int, int]
    criterion_pos: tuple[int, int]

    @property
    def field(self) -> str:
        return f"reviews[{self.entry}]"

    def expired(self, today: _dt.date) -> bool:
        """A review applies up to and including its ``expires`` day."""
        return self.expires is not None and self.expires < today

    def as_dict(self) -> dict[str, Any]:
        """What ``Finding.review`` carries (dates as ISO text, so every format can show it)."""
        return {
            "reason": self.reason,
            "by": self.by,
            "date": self.date.isoformat(),
            "expires": self.expires.isoformat() if self.expires else None,
        }

    def problem(self, message: str, at: str = "") -> InputError:
        line, col = {"statute": self.statute_pos, "criterion": self.criterion_pos}.get(at, (self.line, self.column))
        return InputError(self.file, line, col, f"{self.field}.{at}" if at else self.field, message)


def parse_reviews(doc: Document, file: str) -> tuple[list[Review], list[InputError]]:
    """Validate one parsed reviews file entry by entry: good entries, and positioned errors for bad ones."""
    from pydantic import ValidationError

    from .review_spec import ReviewsFileSpec, ReviewSpec

    errors: list[InputError] = []
    data = doc.data
    if data is None:
        return [], []
    if not isinstance(data, dict):
        return [], [InputError(file, *doc.position(()), "", "the top level must be a mapping with a 'reviews:' list")]
    try:  # unknown top-level keys (entries are validated one by one below)
        ReviewsFileSpec.model_validate({k: v for k, v in data.items() if k != "reviews"})
    except ValidationError as exc:
        errors.extend(validation_errors(exc, doc, file, ReviewsFileSpec))
    entries = data.get("reviews")
    if entries is None:
        return [], errors
    if not isinstance(entries, list):
        return [], errors + [InputError(file, *doc.position(("reviews",)), "reviews", "expected a list of review entries")]
    out: list[Review] = []
    seen: dict[tuple[str, str], Review] = {}
    for i, body in enumerate(entries):
        prefix = ("reviews", i)
        if not isinstance(body, dict):
            errors.append(InputError(file, *doc.position(prefix), format_path(prefix), "expected a mapping with statute, criterion, reason, by and date"))
            continue
        try:
            spec = ReviewSpec.model_validate(body)
        except ValidationError as exc:
            errors.extend(validation_errors(exc, doc, file, ReviewSpec, prefix))
            continue
        line, col = doc.position(prefix)
        review = Review(
            spec.statute, spec.criterion, spec.reason, spec.by, spec.date, spec.expires, file, i, line, col,
            doc.position(prefix + ("statute",)), doc.position(prefix + ("criterion",)),
        )
        key = (review.statute, review.criterion)
        if key in seen:
            first = seen[key]
            errors.append(review.problem(f"a second review of {key[1]} for {key[0]} (the first is {first.file}:{first.line})"))
            continue
        seen[key] = review
        out.append(review)
    return out, errors


def load_reviews_text(text: str, file: str) -> tuple[list[Review], list[InputError]]:
    """Parse reviews from text (``diff`` reads them from a git revision)."""
    try:
        return parse_reviews(read_document(text, file, what="reviews"), file)
    except InputErrors as exc:
        return [], list(exc.errors)


def load_reviews_bytes(raw: bytes, file: str) -> tuple[list[Review], list[InputError]]:
    """Parse reviews from raw bytes (UTF-8 checked with positions)."""
    try:
        return load_reviews_text(decode(raw, file), file)
    except InputErrors as exc:
        return [], list(exc.errors)


def load_reviews_file(path: Path) -> tuple[list[Review], list[InputError]]:
    """Read and parse one reviews file from disk."""
    file = display_path(path)
    try:
        return parse_reviews(read_file(path, file, what="reviews"), file)
    except InputErrors as exc:
        return [], list(exc.errors)


def _scan_ids(folders: Iterable[Path]) -> set[str]:
    """Every statute id written in the statute files under ``folders`` (parsed, not validated)."""
    files, _ = discover(folders)
    ids: set[str] = set()
    for path in files:
        try:
            data = read_file(path, display_path(path)).data
        except InputErrors:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.add(data["id"])
    return ids


def _suggest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


class ReviewSet:
    """The reviews of one run, ready to apply to its results.

    ``known_statutes`` answers "does any statute file have this id?" for
    entries naming a statute that was not audited in this run; by default the
    folders holding the reviews files are scanned. ``None`` as the answer
    means "cannot tell" (``diff`` audits only some files), and such entries
    are then neither applied nor reported.
    """

    def __init__(
        self,
        reviews: Iterable[Review],
        errors: Iterable[InputError] = (),
        *,
        folders: Iterable[Path] = (),
        known_statutes: Callable[[], set[str] | None] | None = None,
        today: _dt.date | None = None,
    ) -> None:
        self.reviews = tuple(sorted(reviews, key=lambda r: (r.file, r.entry)))
        self.errors = tuple(sorted(set(errors)))
        self.folders = tuple(folders)
        self._known = known_statutes
        self.today = today
        #: stale and expired entries found by the last :meth:`apply` (reported, not errors)
        self.notices: tuple[InputError, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(sorted({r.file for r in self.reviews} | {e.file for e in self.errors}))

    def _known_ids(self) -> set[str] | None:
        if self._known is not None:
            return self._known()
        return _scan_ids(self.folders) if self.folders else None

    def apply(
        self,
        results: Iterable[AuditResult],
        catalogue: "Catalogue",
        loaded: Mapping[str, "LoadedStatute"] | None = None,
    ) -> tuple[tuple[AuditResult, ...], list[InputError]]:
        """Move reviewed findings aside and recombine the affected results.

        ``loaded`` maps a result's ``file`` to its loaded statute (the engine
        needs the statute's facts to recombine); files missing from it are
        loaded again from disk. Returns the results and the review errors;
        :attr:`notices` holds the stale and expired entries.
        """
        today = self.today or _dt.date.today()
        results = tuple(results)
        errors = list(self.errors)
        notices: list[InputError] = []
        criteria = catalogue.by_id()
        by_statute = {r.statute: r for r in results}
        known: set[str] | None = None
        known_loaded = False
        wanted: dict[str, dict[str, Review]] = {}
        for rv in self.reviews:
            if rv.criterion not in criteria:
                errors.append(rv.problem(f"unknown criterion '{rv.criterion}'{_suggest(rv.criterion, criteria)}", "criterion"))
                continue
            result = by_statute.get(rv.statute)
            if result is None:
                if not known_loaded:
                    known, known_loaded = self._known_ids(), True
                if known is not None and rv.statute not in known:
                    errors.append(rv.problem(f"unknown statute '{rv.statute}' (no statute file has this id){_suggest(rv.statute, known)}", "statute"))
                continue  # not audited in this run: nothing to apply
            fires = any(f.criterion == rv.criterion for f in result.findings)
            if rv.expired(today):
                state = "the finding counts again" if fires else f"and {rv.criterion} no longer fires for {rv.statute}, so delete the entry"
                notices.append(rv.problem(f"expired review (expires {rv.expires.isoformat() if rv.expires else ''}): {state}"))
                continue
            if not fires:
                notices.append(rv.problem(f"stale review: {rv.criterion} no longer fires for {rv.statute}; delete the entry"))
                continue
            wanted.setdefault(rv.statute, {})[rv.criterion] = rv
        out: list[AuditResult] = []
        engine = None
        for result in results:
            mine = wanted.get(result.statute)
            if not mine:
                out.append(result)
                continue
            statute = (loaded or {}).get(result.file)
            if statute is None:
                outcome = load_file(Path(result.file))
                if outcome.loaded is None or outcome.loaded.statute.id != result.statute:
                    errors.append(InputError(result.file, 0, 0, "", "the file changed during the run; reviews not applied"))
                    out.append(result)
                    continue
                statute = outcome.loaded
            if engine is None:
                from .engine import Engine

                engine = Engine(catalogue)
            out.append(recombine(engine, statute, result, mine))
        self.notices = tuple(sorted(set(notices)))
        return tuple(out), sorted(set(errors))


def recombine(engine: Any, loaded: "LoadedStatute", result: AuditResult, reviews: Mapping[str, Review]) -> AuditResult:
    """``result`` with the findings named in ``reviews`` moved to ``reviewed`` and everything recombined.

    The engine's :meth:`~lawaudit.engine.Engine.combine` does the scoring,
    so reviewed and unreviewed audits follow the same catalogue rules. Which
    tests applied is read off the original result: a test is
    ``not_applicable`` exactly when no criterion of it applied.
    """
    kept: list[Finding] = []
    moved: list[Finding] = list(result.reviewed)
    for f in result.findings:
        rv = reviews.get(f.criterion)
        if rv is None:
            kept.append(f)
        else:
            moved.append(f._replace(review=rv.as_dict()))
    facts, _sources, _aims = engine.facts(loaded)
    applicable = {t: (0 if result.tests[t].status is TestStatus.not_applicable else 1) for t in TestName}
    order = list(TestName)
    moved.sort(key=lambda f: (order.index(f.test), f.criterion))
    combined: AuditResult = engine.combine(loaded, facts, kept, applicable, list(result.aims), moved)
    return combined._replace(file=result.file)


def review_files(paths: Iterable[str | Path]) -> dict[str, Path]:
    """The reviews files a run over ``paths`` reads, by real path, each under the spelling met first.

    In each folder given (recursively, hidden folders skipped) and beside each
    file given. ``check --output`` uses the same list to refuse replacing one.
    """
    found: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in REVIEW_FILE_NAMES:
                    if name in filenames:
                        p = Path(dirpath) / name
                        found.setdefault(os.path.realpath(p), p)
        elif path.is_file():
            for name in REVIEW_FILE_NAMES:
                p = path.parent / name
                if p.is_file():
                    found.setdefault(os.path.realpath(p), p)
    return found


def find_reviews(paths: Iterable[str | Path], today: _dt.date | None = None) -> ReviewSet | None:
    """The reviews files for a run over ``paths``: in each folder given (recursively) and beside each file given.

    ``None`` when there is none, so runs without reviews pay nothing. A
    reviews file reached twice (``statutes`` and ``$PWD/statutes``, a folder
    and a file in it) is read once, under the spelling met first, as
    :func:`~lawaudit.loader.discover` does for statutes: otherwise each of its
    entries would be "a second review" of itself.
    """
    found = review_files(paths)
    folders: dict[str, Path] = {}
    if not found:
        return None
    reviews: list[Review] = []
    errors: list[InputError] = []
    seen: dict[tuple[str, str], Review] = {}
    for _, _, path in sorted((display_path(p), real, p) for real, p in found.items()):
        got, errs = load_reviews_file(path)
        errors.extend(errs)
        folders.setdefault(display_path(path.parent), path.parent)
        for rv in got:
            first = seen.get((rv.statute, rv.criterion))
            if first is not None:
                errors.append(rv.problem(f"a second review of {rv.criterion} for {rv.statute} (the first is {first.file}:{first.line})"))
                continue
            seen[(rv.statute, rv.criterion)] = rv
            reviews.append(rv)
    return ReviewSet(reviews, errors, folders=[folders[k] for k in sorted(folders)], today=today)


def __getattr__(name: str) -> Any:
    """``ReviewSpec`` and ``ReviewsFileSpec``, still importable from here (defined in :mod:`lawaudit.review_spec`)."""
    if name in ("ReviewSpec", "ReviewsFileSpec"):
        from . import review_spec

        return getattr(review_spec, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Review",
    "ReviewSet",
    "find_reviews",
    "load_reviews_bytes",
    "load_reviews_file",
    "load_reviews_text",
    "parse_reviews",
    "recombine",
]

"""The criteria catalogue: criteria, lexicons, references and scoring, loaded as data.

A catalogue is a folder a lawyer can read and edit without Python::

    catalogue.yaml        name, version, the neutral statute examples start from
    scoring.yaml          how findings become test statuses, scores, verdict, recommendation
    references.yaml       verified sources criteria may cite by id (optional)
    lexicons/*.yaml       word lists (vague terms, interests -> aims, ...)
    rules/**/*.yaml       one criterion per file (or ``criteria: [...]`` for a small family)

Loading compiles everything once (:mod:`lawaudit.criteria_spec`): conditions
into node trees, every lexicon pattern into one matcher per language. A
malformed file gets the same ``file:line:col: field: message`` errors as a
malformed statute. The compiled catalogue is cached per user
(:mod:`lawaudit.catalogue_cache`), keyed by the bytes of every catalogue file,
so a later run with an unchanged catalogue reads it back instead of compiling.
"""

import os
from pathlib import Path
from typing import Any, NamedTuple

# imported for the records' annotations, which are not postponed: typing.NamedTuple
# compiles every string annotation (0.1 ms each); a catalogue read back from the
# cache needs these modules anyway
from .conditions import Node
from .errors import InputError, InputErrors
from .lexicon import LexiconSet
from .loader import display_path
from .results import Recommendation, Severity, SourceRef, TestName


class Example(NamedTuple):
    """One example of a criterion: a statute fragment over the catalogue's ``example_base``.

    A plain named tuple (not the pydantic spec it was validated with), so a
    catalogue read back from the cache needs no pydantic model of its own.
    """

    name: str
    statute: dict[str, Any]
    note: str | None = None


class Examples(NamedTuple):
    """A criterion's examples: fragments that must trigger it, and fragments that must not."""

    trigger: tuple[Example, ...]
    pass_: tuple[Example, ...]


class Criterion(NamedTuple):
    """A compiled criterion: its head (what, where from) and its condition tree."""

    id: str
    test: TestName
    rights: frozenset[str]
    title: str
    description: str
    severity: Severity
    remedy: Recommendation | None
    applies_if: Node | None
    condition: Node
    message: str
    recommendation: str
    sources: tuple[SourceRef, ...]
    examples: Examples
    file: str
    line: int


class Rule(NamedTuple):
    when: Node | None
    value: str
    because: str


class AimMap(NamedTuple):
    """The closed lists of permissible aims per right, from the aims lexicon."""

    lexicon: str
    by_right: dict[str, frozenset[str]]
    inference_lexicon: str
    #: (rights being audited, aim, counts as aim, entries excepted)
    equivalents: tuple[tuple[frozenset[str], str, str, frozenset[str]], ...] = ()

    def status(self, aim: str | None, entry: str, rights: list[str]) -> str:
        """``permissible`` / ``outside_article`` / ``impermissible`` for an aim under the rights audited.

        An aim on the list of another article (``public safety`` under
        Art. 19(3)) is ``outside_article``; the lexicon's ``aim_equivalents``
        let the two "others" aims stand in for each other where they overlap.
        """
        if aim is None:
            return "impermissible"
        allowed = set().union(*(self.by_right.get(r, frozenset()) for r in rights))
        if aim in allowed:
            return "permissible"
        for auditing, src, counts_as, excepted in self.equivalents:
            if src == aim and entry not in excepted and auditing & set(rights) and counts_as in allowed:
                return "permissible"
        everywhere = set().union(*self.by_right.values())
        return "outside_article" if aim in everywhere else "impermissible"


class Catalogue(NamedTuple):
    """Everything the engine applies, compiled once per run.

    A typed named tuple like the records it holds: as immutable as a frozen
    dataclass, and defined at every start of the command for a tenth of the cost.
    """

    name: str
    version: str
    directory: str
    criteria: tuple[Criterion, ...]
    lexicons: LexiconSet
    aims: AimMap
    deduct: dict[Severity, int]
    statute_score: str
    verdict_rules: tuple[Rule, ...]
    recommendation_rules: tuple[Rule, ...]
    example_base: dict[str, Any]
    #: severity overrides from scoring.yaml (criterion id -> severity)
    severity: dict[str, Severity]

    def by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}


def default_directory() -> Path:
    """The catalogue shipped with the package (``criteria/`` in the repository)."""
    here = Path(__file__).resolve().parent
    shipped = here / "catalogue"
    if (shipped / "catalogue.yaml").is_file():
        return shipped
    return here.parent.parent / "criteria"


def _yaml_files(folder: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(Path(dirpath) / f for f in filenames if f.endswith((".yaml", ".yml")) and not f.startswith("."))
    return sorted(out, key=lambda p: display_path(p))


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    """Load and compile a catalogue folder; raises :class:`InputErrors` listing every problem.

    An unchanged catalogue is read back from the user's cache instead of being
    compiled again (``LAWAUDIT_NO_CACHE=1`` turns the cache off). A catalogue
    with errors is never cached, so its errors are reported on every run.
    """
    folder = Path(directory) if directory is not None else default_directory()
    if not (folder / "catalogue.yaml").is_file():
        raise InputErrors([InputError(display_path(folder), 0, 0, "", "not a criteria catalogue (no catalogue.yaml)")])
    from . import catalogue_cache

    slot = catalogue_cache.open_slot(folder)
    if slot is not None:
        cached = slot.load()
        if cached is not None:
            return cached
    from .criteria_spec import compile_catalogue

    catalogue = compile_catalogue(folder)
    if slot is not None:
        slot.store(catalogue)
    return catalogue


_SPEC_NAMES = frozenset({
    "CatalogueSpec", "CriterionSpec", "EquivalenceSpec", "ExampleSpec", "ExamplesSpec", "InferenceSpec",
    "LexiconEntrySpec", "LexiconSpec", "RecommendationRule", "ReferenceSpec", "RuleSpec", "ScoringSpec",
    "SourceSpec", "VerdictRule",
})


def __getattr__(name: str) -> Any:
    """The catalogue's pydantic specs, still importable from here (defined in :mod:`lawaudit.criteria_spec`)."""
    if name in _SPEC_NAMES:
        from . import criteria_spec

        return getattr(criteria_spec, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

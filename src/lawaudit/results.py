"""Typed, frozen result objects: what an audit produces.

Every reporter (JSON, text, Markdown, SARIF, ...) renders these and nothing
else, so a finding looks the same in every format. They are frozen because a
result, once computed, is evidence: nothing downstream may alter it.

They are typed named tuples rather than frozen dataclasses: just as
immutable, but a frozen dataclass costs about a millisecond to define
(Python 3.11 compiles each generated method separately) and assigns every
field through ``object.__setattr__`` on each instance, while a named tuple is
defined in a tenth of that and built by ``tuple.__new__``. Across the
modules a one-file ``check`` imports, that was 4-5% of its instructions, and
results are built, pickled between processes and encoded for every statute.

Their annotations are not postponed (no ``from __future__ import
annotations``, here nor in the other modules that define records on the
``check`` path): ``typing.NamedTuple`` turns every string annotation into a
``ForwardRef``, which compiles it, about 0.1 ms a field at every start.
"""

from enum import StrEnum
from typing import Any, NamedTuple


class TestName(StrEnum):
    """The four tests, in the order reports show them."""

    __test__ = False  # not a pytest test class

    legality = "legality"
    legitimate_aim = "legitimate_aim"
    necessity = "necessity"
    precision = "precision"


class TestStatus(StrEnum):
    __test__ = False

    passed = "pass"
    concern = "concern"
    fail = "fail"
    not_applicable = "not_applicable"


class Severity(StrEnum):
    concern = "concern"
    fail = "fail"


class Verdict(StrEnum):
    compatible = "compatible"
    partially_compatible = "partially_compatible"
    incompatible = "incompatible"


class Recommendation(StrEnum):
    """What a careful lawyer would ask of the legislature, mildest first."""

    retain = "retain"
    amend = "amend"
    substantially_amend = "substantially_amend"
    repeal = "repeal"


#: the four tests in report order, as a tuple: iterating the enum class runs Python code each time
TESTS: tuple[TestName, ...] = tuple(TestName)
TEST_ORDER = {t: i for i, t in enumerate(TESTS)}
RECOMMENDATION_ORDER = {r: i for i, r in enumerate(Recommendation)}

# Records below read a member's value as ``member._value_`` (the attribute the
# enum stores it in) rather than ``member.value``: on Python 3.11 that property
# runs Python code at every read, and results are encoded for every statute.


class Evidence(NamedTuple):
    """What in the statute file made a criterion fire: the field, a quote and its line."""

    field: str
    quote: str
    line: int
    match: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "quote": self.quote, "line": self.line}
        if self.match:
            out["match"] = self.match
        return out


class SourceRef(NamedTuple):
    """The standard a criterion rests on: document symbol, paragraph and link."""

    document: str
    paragraph: str
    url: str
    title: str = ""

    def as_dict(self) -> dict[str, Any]:
        out = {"document": self.document, "paragraph": self.paragraph, "url": self.url}
        if self.title:
            out["title"] = self.title
        return out

    def cite(self) -> str:
        """``CCPR/C/GC/34 para 25`` — how reports name the standard."""
        para = self.paragraph
        if para[:1].isdigit():
            return f"{self.document} para {para}"
        return f"{self.document}, {para}"


class Finding(NamedTuple):
    """One criterion that fired on one statute, with its evidence and its standard."""

    criterion: str
    test: TestName
    severity: Severity
    title: str
    message: str
    recommendation: str
    evidence: tuple[Evidence, ...]
    sources: tuple[SourceRef, ...]
    remedy: Recommendation | None = None
    #: set when an analyst review (reviews.yaml) accepted this finding
    review: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "criterion": self.criterion,
            "test": self.test._value_,
            "severity": self.severity._value_,
            "title": self.title,
            "message": self.message,
            "recommendation": self.recommendation,
            "evidence": [e.as_dict() for e in self.evidence],
            "sources": [s.as_dict() for s in self.sources],
        }
        if self.remedy is not None:
            out["remedy"] = self.remedy._value_
        if self.review is not None:
            out["review"] = self.review
        return out


class TestResult(NamedTuple):
    """Status and 0-100 score of one of the four tests."""

    status: TestStatus
    score: int

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status._value_, "score": self.score}


TestResult.__test__ = False  # type: ignore[attr-defined]  # not a pytest test class, whatever its name


class AimResult(NamedTuple):
    """How one protected interest (named, or inferred from the conduct) maps to a Covenant aim."""

    interest: str
    aim: str | None
    status: str
    inferred: bool
    field: str
    line: int
    entry: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "interest": self.interest,
            "entry": self.entry,
            "aim": self.aim,
            "status": self.status,
            "inferred": self.inferred,
            "field": self.field,
            "line": self.line,
        }


class AuditResult(NamedTuple):
    """The audit of one statute file."""

    statute: str
    file: str
    jurisdiction: str
    instrument: str
    provision: str
    title: str
    rights: tuple[str, ...]
    verdict: Verdict
    recommendation: Recommendation
    score: int
    tests: dict[TestName, TestResult]
    findings: tuple[Finding, ...]
    aims: tuple[AimResult, ...] = ()
    rationale: tuple[str, ...] = ()
    reviewed: tuple[Finding, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The contract's ``results[]`` entry (plus additive fields)."""
        return {
            "statute": self.statute,
            "file": self.file,
            "jurisdiction": self.jurisdiction,
            "instrument": self.instrument,
            "provision": self.provision,
            "title": self.title,
            "rights": list(self.rights),
            "verdict": self.verdict._value_,
            "recommendation": self.recommendation._value_,
            "rationale": list(self.rationale),
            "score": self.score,
            "tests": {t._value_: self.tests[t].as_dict() for t in TESTS},
            "findings": [f.as_dict() for f in self.findings],
            "reviewed": [f.as_dict() for f in self.reviewed],
            "aims": [a.as_dict() for a in self.aims],
        }

"""What every human-readable report says, computed once from the results.

Labels, the imperative recommendation sentence, the ordering of the
recommendations list and file names for per-statute reports live here, free of
Jinja, so that Markdown, HTML, the GitHub job summary and the report command
phrase things identically. Nothing here is specific to a statute: every
sentence is built from the :class:`~lawaudit.results.AuditResult`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..results import RECOMMENDATION_ORDER, AuditResult, Finding, Recommendation, Severity, TestName, TestStatus, Verdict

TEST_LABEL = {
    TestName.legality: "Legality",
    TestName.legitimate_aim: "Legitimate aim",
    TestName.necessity: "Necessity and proportionality",
    TestName.precision: "Precision",
}

STATUS_LABEL = {
    TestStatus.passed: "pass",
    TestStatus.concern: "concern",
    TestStatus.fail: "fail",
    TestStatus.not_applicable: "not applicable",
}

VERDICT_LABEL = {
    Verdict.compatible: "compatible",
    Verdict.partially_compatible: "partially compatible",
    Verdict.incompatible: "incompatible",
}

RECOMMENDATION_LABEL = {
    Recommendation.retain: "retain",
    Recommendation.amend: "amend",
    Recommendation.substantially_amend: "substantially amend",
    Recommendation.repeal: "repeal",
}

#: the imperative verb that opens a recommendation
RECOMMENDATION_VERB = {
    Recommendation.retain: "Retain",
    Recommendation.amend: "Amend",
    Recommendation.substantially_amend: "Substantially amend",
    Recommendation.repeal: "Repeal",
}

#: order of the recommendations list: strongest first, retain last
LIST_ORDER = sorted(Recommendation, key=lambda r: -RECOMMENDATION_ORDER[r])

_SLUG = re.compile(r"[^a-z0-9-]+")


def _lower_first(text: str) -> str:
    """Lower-case the first letter of a sentence taken into another one (not an acronym)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _strip_stop(text: str) -> str:
    return text.strip().rstrip(".").strip()


def slug(statute_id: str) -> str:
    """A file-name and anchor-safe form of a statute id."""
    s = _SLUG.sub("-", statute_id.lower()).strip("-")
    return s or "statute"


def report_names(results: Iterable[AuditResult]) -> dict[str, str]:
    """statute file -> per-statute report file name (``<slug>.md``), unique within a run.

    A statute keeps its own slug whenever it can: only a second statute with
    the same slug, or one whose slug is a name the report itself uses
    (``index``, ``recommendations``), gets a number, and that number skips
    every slug another statute has of its own. So ids ``index`` and
    ``index-2`` give ``index-3.md`` and ``index-2.md``, not ``index-2.md``
    and ``index-2-2.md``, and a statute's report keeps its name when another
    is added beside it.
    """
    listed = list(results)
    bases = [slug(r.statute) for r in listed]
    taken: set[str] = set(bases) | set(_RESERVED)
    names: dict[str, str] = {}
    first: set[str] = set()
    for r, base in zip(listed, bases):
        if base not in first and base not in _RESERVED:
            first.add(base)
            names[r.file] = base
            continue
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        name = f"{base}-{n}"
        taken.add(name)
        names[r.file] = name
    return names


#: names the Markdown report writes for itself, never given to a statute's report
_RESERVED = ("index", "recommendations")


def subject(r: AuditResult) -> str:
    """``Article 274 of the Criminal Code of ...`` — how a recommendation names the provision."""
    instrument = r.instrument.strip()
    article = "" if instrument.lower().startswith("the ") else "the "
    return f"{r.provision.strip()} of {article}{instrument}"


def reason(r: AuditResult) -> str:
    """The sentence(s) of the scoring rule that decided the recommendation (from ``rationale``)."""
    ids = {f.criterion for f in r.findings}
    return " ".join(x for x in r.rationale if x not in ids)


def driving_findings(r: AuditResult) -> tuple[Finding, ...]:
    """The findings that drove the recommendation.

    Those named in ``rationale``; failing that, the fail-level findings; failing
    that, every finding.
    """
    named = set(r.rationale)
    drivers = tuple(f for f in r.findings if f.criterion in named)
    if drivers:
        return drivers
    fails = tuple(f for f in r.findings if f.severity is Severity.fail)
    return fails or r.findings


def recommendation_sentence(r: AuditResult) -> str:
    """One imperative sentence: verb, provision, title and the reason, e.g.

    ``Repeal Article 274 of the Criminal Code ..., “Dissemination of ...”, because
    no permissible aim can justify the provision ... (decisive finding: a general
    prohibition of false information).``
    """
    head = f"{RECOMMENDATION_VERB[r.recommendation]} {subject(r)}, “{r.title.strip()}”"
    why = _strip_stop(reason(r))
    drivers = driving_findings(r)
    titles = "; ".join(_lower_first(_strip_stop(f.title)) for f in drivers)
    if why and titles:
        label = "decisive finding" if len(drivers) == 1 else "decisive findings"
        return f"{head}, because {_lower_first(why)} ({label}: {titles})."
    if why:
        return f"{head}, because {_lower_first(why)}."
    if titles:
        return f"{head}, because of {'this finding' if len(drivers) == 1 else 'these findings'}: {titles}."
    return f"{head}."


@dataclass(frozen=True)
class JurisdictionGroup:
    """The recommendations for one jurisdiction, in list order."""

    jurisdiction: str
    items: tuple[AuditResult, ...]
    retained: tuple[AuditResult, ...]


def recommendation_groups(results: Iterable[AuditResult]) -> list[JurisdictionGroup]:
    """Results grouped by jurisdiction (alphabetical): repeal, substantially amend, amend; retain apart."""
    by_j: dict[str, list[AuditResult]] = {}
    for r in results:
        by_j.setdefault(r.jurisdiction, []).append(r)
    groups = []
    for j in sorted(by_j):
        ordered = sorted(by_j[j], key=lambda r: (-RECOMMENDATION_ORDER[r.recommendation], r.file))
        act = tuple(r for r in ordered if r.recommendation is not Recommendation.retain)
        keep = tuple(r for r in ordered if r.recommendation is Recommendation.retain)
        groups.append(JurisdictionGroup(j, act, keep))
    return groups


def verdict_counts(results: Iterable[AuditResult]) -> list[tuple[str, dict[Verdict, int], int]]:
    """Per jurisdiction (alphabetical): how many statutes got each verdict, and the total."""
    table: dict[str, dict[Verdict, int]] = {}
    for r in results:
        row = table.setdefault(r.jurisdiction, {v: 0 for v in Verdict})
        row[r.verdict] += 1
    return [(j, table[j], sum(table[j].values())) for j in sorted(table)]


def finding_anchor(r: AuditResult, f: Finding) -> str:
    """An anchor id for one finding of one statute."""
    return f"{slug(r.statute)}--{_SLUG.sub('-', f.criterion.lower()).strip('-')}"


def test_rows(r: AuditResult) -> list[dict[str, object]]:
    """The four tests of one statute, in report order: label, status, score, number of findings."""
    rows = []
    for t in TestName:
        res = r.tests[t]
        rows.append(
            {
                "test": t.value,
                "label": TEST_LABEL[t],
                "status": res.status.value,
                "status_label": STATUS_LABEL[res.status],
                "score": res.score,
                "findings": sum(1 for f in r.findings if f.test is t),
            }
        )
    return rows


def finding_steps(r: AuditResult) -> list[str]:
    """Each finding's own recommendation, once each, in finding order."""
    seen: list[str] = []
    for f in r.findings:
        text = f.recommendation.strip()
        if text and text not in seen:
            seen.append(text)
    return seen


def statute_view(r: AuditResult, name: str = "") -> dict[str, object]:
    """Everything a template needs about one statute, precomputed."""
    return {
        "r": r,
        "name": name,
        "anchor": slug(r.statute),
        "verdict_label": VERDICT_LABEL[r.verdict],
        "recommendation_label": RECOMMENDATION_LABEL[r.recommendation],
        "sentence": recommendation_sentence(r),
        "reason": reason(r),
        "drivers": driving_findings(r),
        "tests": test_rows(r),
        "steps": finding_steps(r),
    }

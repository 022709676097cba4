"""Evaluation: apply a compiled catalogue to one statute and explain the result.

The engine knows no country, statute or case. It turns a statute into facts
(the file's fields, durations in days, and the aims its protected interests
map to), asks every applicable criterion whether its condition holds, and
combines the findings into test results, a verdict and a recommendation by the
rules in the catalogue's ``scoring.yaml``. Everything it concludes carries the
evidence and the standard behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .conditions import Context, Node, Test, render_template
from .criteria import Catalogue, Criterion, Rule
from .errors import format_path
from .loader import LoadedStatute
from .model import Statute, parse_duration
from .results import (
    RECOMMENDATION_ORDER,
    TEST_ORDER,
    TESTS,
    AimResult,
    AuditResult,
    Evidence,
    Finding,
    Recommendation,
    Severity,
    TestName,
    TestResult,
    TestStatus,
    Verdict,
)

Path = tuple[Any, ...]

#: the members by value: ``Verdict(value)`` runs the enum machinery's Python code at every call
_VERDICTS: dict[str, Verdict] = {v._value_: v for v in Verdict}
_RECOMMENDATIONS: dict[str, Recommendation] = {r._value_: r for r in Recommendation}
#: a test no finding lowered: passed when criteria of it applied, else not applicable
#: each sanction's durations and the keys their days are written under (``derived`` facts)
_DAYS = (("max", "max_days"), ("min", "min_days"))
_new = tuple.__new__
_PASSED = TestResult(TestStatus.passed, 100)
_NOT_APPLICABLE = TestResult(TestStatus.not_applicable, 100)
#: how many outcomes :meth:`Engine.combine` remembers before it starts again
_OUTCOMES_KEPT = 10_000
#: ``Statute.model_dump`` without its Python wrapper, which passes fifteen keywords
#: to pydantic-core for every statute (the statute is always a ``Statute``)
_dump_json = Statute.__pydantic_serializer__.to_python


class Engine:
    """Applies one catalogue to many statutes; build it once per run."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        #: what :meth:`evaluate` reads of each criterion, made on first use (:meth:`_decisions`)
        self._plan: tuple[tuple[Criterion, frozenset[str], TestName, Test | None, Test], ...] | None = None
        #: aim statuses by (aim, entry, rights audited): see :meth:`_aims`
        self._statuses: dict[tuple[str | None, str, tuple[str, ...]], str] = {}
        #: :meth:`_decide`'s answers by outcome (see :meth:`combine`); None when a rule reads the statute
        rules = [r.when for r in catalogue.verdict_rules + catalogue.recommendation_rules if r.when is not None]
        self._outcomes: dict[tuple[Any, ...], tuple[str, str, tuple[str, ...]]] | None = (
            None if any(not node.roots().isdisjoint(("statute", "*")) for node in rules) else {}
        )

    # ------------------------------------------------------------- facts

    def facts(self, loaded: LoadedStatute) -> tuple[dict[str, Any], dict[Path, Path], list[AimResult]]:
        """The statute as plain data plus what the engine derives from it."""
        ctx, aims = self.context(loaded)
        return ctx.facts, ctx.sources, aims

    def context(self, loaded: LoadedStatute) -> tuple[Context, list[AimResult]]:
        """What conditions look at: the statute as plain data, durations in days and ``derived.aims``.

        The lexicon hits found while classifying the aims stay cached in the
        context, so the criteria read them instead of scanning again.
        """
        facts: dict[str, Any] = _dump_json(loaded.statute, mode="json")
        for sanction in facts["sanctions"]:
            for key, days in _DAYS:  # (the keys spelled out: an f-string built them per sanction)
                parsed = parse_duration(sanction[key]) if sanction.get(key) else None
                sanction[days] = parsed[1] if parsed else None
        ctx = Context(facts, loaded.document, self.catalogue.lexicons, {})
        aims = self._aims(ctx)
        facts["derived"] = {
            "aims": [
                {"interest": a.interest, "entry": a.entry, "aim": a.aim, "status": a.status, "inferred": a.inferred}
                for a in aims
            ]
        }
        return ctx, aims

    def _aims(self, ctx: Context) -> list[AimResult]:
        """Map each protected interest to a Covenant aim; infer from the conduct when none is named.

        An interest the aims lexicon cannot classify is reported as
        ``unclassified`` — never silently dropped.
        """
        cat = self.catalogue
        lex = cat.lexicons
        facts, doc, sources = ctx.facts, ctx.document, ctx.sources
        rights = facts["rights"]
        out: list[AimResult] = []
        # an aim's status depends on the rights audited, which few statutes vary:
        # remembered per (aim, entry, rights) instead of two set unions per interest
        statuses = self._statuses
        rights_key = tuple(rights)

        def status(aim: str | None, entry: str) -> str:
            key = (aim, entry, rights_key)
            found = statuses.get(key)
            if found is None:
                found = statuses[key] = cat.aims.status(aim, entry, rights)
            return found

        def line(path: Path) -> int:
            return doc.position(path)[0] if doc is not None else 0

        in_aims = lex.entries_of(frozenset((cat.aims.lexicon,)))
        for i, interest in enumerate(facts.get("protected_interests") or []):
            path: Path = ("protected_interests", i)
            field = format_path(path)
            # the aims lexicon's hits, by entry number (LexiconSet.entries_of: one set lookup per hit)
            found = [h[0] for h in ctx.hits(path, interest) if h[0] in in_aims]
            if not found:
                sources[("derived", "aims", len(out))] = path
                out.append(AimResult(interest, None, "unclassified", False, field, line(path)))
                continue
            # The lexicon is ordered from specific to general: the first entry
            # (in lexicon order) that occurs in the interest names its aim, so
            # "honour and dignity of the President" is the head of state's.
            entry = lex.entries[min(found)]
            aim = entry.attrs.get("aim")
            sources[("derived", "aims", len(out))] = path
            out.append(AimResult(interest, aim, status(aim, entry.id), False, field, line(path), entry.id))
        if out:
            return out
        # no interest named: infer from what the provision forbids, and say so
        candidates: list[tuple[Path, Any]] = [(("conduct",), facts.get("conduct")), (("title",), facts.get("title"))]
        candidates += [(("text", lang), body) for lang, body in sorted((facts.get("text") or {}).items())]
        for fpath, value in candidates:
            field = format_path(fpath)
            if not isinstance(value, str):
                continue
            # the same hits the criteria will read (text.<lang> with that language's words)
            hits = [h for h in ctx.hits(fpath, value) if lex.entries[h.entry].lexicon == cat.aims.inference_lexicon]
            seen_aims: set[str] = set()
            for h in _non_overlapping(hits):
                inferred_entry = lex.entries[h.entry]
                aim = inferred_entry.attrs.get("aim")
                if aim in seen_aims:
                    continue
                seen_aims.add(aim)
                sources[("derived", "aims", len(out))] = fpath
                out.append(
                    AimResult(
                        f"inferred from the {field}: “{value[h.start:h.end]}”",
                        aim,
                        status(aim, inferred_entry.id),
                        True,
                        field,
                        line(fpath),
                        inferred_entry.id,
                    )
                )
            if out:
                return out
        sources[("derived", "aims", 0)] = ("conduct",)
        return [AimResult("none named, and none could be inferred from the conduct, title or text", None, "unclassified", True, "conduct", line(("conduct",)))]

    # ------------------------------------------------------------- audit

    def audit(self, loaded: LoadedStatute) -> AuditResult:
        """Audit one loaded statute."""
        ctx, aims = self.context(loaded)
        findings, applicable = self.evaluate(ctx, ctx.facts)
        return self.combine(loaded, ctx.facts, findings, applicable, aims)

    def evaluate(self, ctx: Context, facts: dict[str, Any]) -> tuple[list[Finding], dict[TestName, int]]:
        """Every applicable criterion's finding (if it fires), and how many criteria applied per test."""
        rights = set(facts["rights"])
        applicable = dict.fromkeys(TESTS, 0)
        findings: list[Finding] = []
        root = ctx.root
        base, data = root
        plan = self._plan
        if plan is None:
            plan = self._plan = self._decisions()
        for crit, crit_rights, test, applies, fires in plan:
            if rights.isdisjoint(crit_rights):
                continue
            if applies is not None and not applies(ctx, base, data):
                continue
            applicable[test] += 1
            # most criteria do not fire: decide first, gather evidence only when it does
            if fires(ctx, base, data):
                _ok, evidence = crit.condition.evaluate(ctx, root)
                findings.append(self._finding(crit, evidence, facts))
        return findings, applicable

    def _decisions(self) -> tuple[tuple[Criterion, frozenset[str], TestName, Test | None, Test], ...]:
        """Per criterion, what :meth:`evaluate` reads for every statute, looked up once per run.

        Each condition decides through its specialised closure (:meth:`Node.test`);
        reading it, the rights and the test from the criterion for every statute
        cost two method calls and five attribute reads per criterion.
        """
        return tuple(
            (
                crit,
                crit.rights,
                crit.test,
                None if crit.applies_if is None else crit.applies_if.test(),
                crit.condition.test(),
            )
            for crit in self.catalogue.criteria
        )

    def _finding(self, crit: Criterion, evidence: list[Evidence], facts: dict[str, Any]) -> Finding:
        if len(evidence) < 2:  # (most findings quote one place)
            unique = tuple(evidence)
        else:
            seen: dict[tuple[Any, ...], Evidence] = {}
            for e in evidence:  # one quote per place (field, quote, line), even when several patterns matched it
                seen.setdefault(e[:3], e)  # a slice of the named tuple: cheaper than reading three attributes
            unique = tuple(seen.values())
        # by tuple.__new__, in Finding's field order: the named tuple's own __new__ is
        # Python code, a frame for each finding
        return _new(
            Finding,
            (
                crit.id,
                crit.test,
                self.catalogue.severity.get(crit.id, crit.severity),
                crit.title,
                render_template(crit.message, unique, facts),
                crit.recommendation,
                unique,
                crit.sources,
                crit.remedy,
                None,
            ),
        )

    def combine(
        self,
        loaded: LoadedStatute,
        facts: dict[str, Any],
        findings: Iterable[Finding],
        applicable: dict[TestName, int],
        aims: list[AimResult],
        reviewed: Iterable[Finding] = (),
    ) -> AuditResult:
        """Findings -> test statuses and scores -> verdict and recommendation (rules from scoring.yaml)."""
        cat = self.catalogue
        ordered = sorted(findings, key=lambda f: (TEST_ORDER[f.test], f.criterion))
        # one pass over the findings (a test's lost points, and its worst severity so far), not four
        deduct = cat.deduct
        lost: dict[TestName, int] = {}
        worst: dict[TestName, TestStatus] = {}
        for f in ordered:
            test = f.test
            lost[test] = lost.get(test, 0) + deduct.get(f.severity, 0)
            if f.severity is Severity.fail:
                worst[test] = TestStatus.fail
            elif test not in worst:
                worst[test] = TestStatus.concern
        tests: dict[TestName, TestResult] = {}
        for test in TESTS:
            status = worst.get(test)
            if status is None:
                # no finding: the same two results for every statute (named tuples are immutable)
                tests[test] = _PASSED if applicable.get(test, 0) else _NOT_APPLICABLE
                continue
            tests[test] = TestResult(status, max(0, min(100, 100 - lost[test])))
        scored = [r.score for t, r in tests.items() if r.status is not TestStatus.not_applicable]
        if not scored:
            total = 100
        elif cat.statute_score == "min":
            total = min(scored)
        else:
            total = int(sum(scored) / len(scored) + 0.5)

        # The rules read only the outcome (unless they name the statute), and it repeats
        # from statute to statute: the same tests and findings are decided once per run.
        # Explaining the recommendation (its rule evaluated again, with evidence, only to
        # name the findings behind it) cost more than all the rest of combining.
        key = (tuple(tests.values()), tuple([(f.criterion, f.test, f.severity, f.remedy) for f in ordered]))
        outcomes = self._outcomes
        decided = outcomes.get(key) if outcomes is not None else None
        if decided is None:
            decided = self._decide(tests, ordered, facts, total)
            if outcomes is not None:
                if len(outcomes) >= _OUTCOMES_KEPT:
                    outcomes.clear()
                outcomes[key] = decided
        verdict_value, rec_value, rationale = decided
        s = loaded.statute
        return AuditResult(
            statute=s.id,
            file=loaded.file,
            jurisdiction=s.jurisdiction,
            instrument=s.instrument,
            provision=s.provision,
            title=s.title,
            rights=tuple([r._value_ for r in s.rights]),  # ``_value_``: see lawaudit.results
            verdict=_VERDICTS.get(verdict_value) or Verdict(verdict_value),  # (an unknown value raises as before)
            recommendation=_RECOMMENDATIONS.get(rec_value) or Recommendation(rec_value),
            score=total,
            tests=tests,
            findings=tuple(ordered),
            aims=tuple(aims),
            rationale=rationale,
            reviewed=tuple(reviewed),
        )

    def _decide(
        self, tests: dict[TestName, TestResult], ordered: list[Finding], facts: dict[str, Any], total: int
    ) -> tuple[str, str, tuple[str, ...]]:
        """The verdict, the recommendation and its rationale, by the rules of ``scoring.yaml``."""
        cat = self.catalogue
        octx = outcome_context(tests, ordered, facts, total, cat)
        verdict_value, _why = _first(cat.verdict_rules, octx)
        rec_value, rec_rule = _first(cat.recommendation_rules, octx)
        rationale: list[str] = []
        if rec_rule is not None:
            if rec_rule.because:
                rationale.append(rec_rule.because)
            if rec_rule.when is not None:
                _ok, ev = rec_rule.when.evaluate(octx, octx.root)
                for e in ev:
                    idx = _finding_index(e.field)
                    if idx is not None and ordered[idx].criterion not in rationale:
                        rationale.append(ordered[idx].criterion)
        return verdict_value, rec_value, tuple(rationale)


def outcome_context(
    tests: dict[TestName, TestResult], findings: Iterable[Finding], facts: dict[str, Any], score: int, catalogue: Catalogue
) -> Context:
    """What the scoring rules of ``scoring.yaml`` look at: ``tests``, ``findings``, ``statute`` and ``score``."""
    outcome = {
        # ``_value_``, not ``.value``: see lawaudit.results
        "tests": {t._value_: {"status": r.status._value_, "score": r.score} for t, r in tests.items()},
        "findings": [
            {
                "criterion": f.criterion,
                "test": f.test._value_,
                "severity": f.severity._value_,
                "remedy": f.remedy._value_ if f.remedy else None,
            }
            for f in findings
        ],
        "statute": facts,
        "score": score,
    }
    return Context(outcome, None, catalogue.lexicons)


def _first(rules: tuple[Rule, ...], ctx: Context) -> tuple[str, Rule | None]:
    for rule in rules:
        if rule.when is None or rule.when.test()(ctx, *ctx.root):
            return rule.value, rule
    raise ValueError("no scoring rule matched; the last rule of each list must have no 'when'")


def _finding_index(field: str) -> int | None:
    if field.startswith("findings["):
        try:
            return int(field[len("findings[") : field.index("]")])
        except ValueError:
            return None
    return None


def _non_overlapping(hits: list[Any]) -> list[Any]:
    """Longest hits first wins, so a specific phrase beats a general word inside it."""
    chosen: list[Any] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), h.start, h.entry)):
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: (h.start, h.entry))


def strongest(recs: Iterable[Recommendation]) -> Recommendation:
    """The most demanding of several recommendations."""
    return max(recs, key=lambda r: RECOMMENDATION_ORDER[r], default=Recommendation.retain)


__all__ = ["Engine", "Node", "strongest"]

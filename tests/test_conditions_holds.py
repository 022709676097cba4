"""``Node.holds`` (decide only) and ``Node.evaluate`` (decide and gather evidence) always agree.

The engine asks ``holds`` first and gathers evidence only for criteria that
fire, so a disagreement would silently drop or invent findings. Every
criterion, ``applies_if`` and scoring rule is checked on every statute we
have: the criteria's own examples, the Kazakhstan corpus, the negative
controls and a seeded slice of the benchmark corpus (on which every criterion
fires somewhere), both at the top level and for every node inside.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from lawaudit.conditions import (
    All,
    AnyOf,
    Context,
    FieldPath,
    FieldTest,
    LexiconTest,
    Node,
    Not,
    Quantified,
)
from lawaudit.criteria import load_catalogue
from lawaudit.engine import Engine, outcome_context
from lawaudit.examples import example_statute
from lawaudit.loader import LoadedStatute, load_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_corpus import make_corpus  # noqa: E402

CATALOGUE = load_catalogue()
ENGINE = Engine(CATALOGUE)


def _statutes(tmp: Path) -> list[LoadedStatute]:
    out: list[LoadedStatute] = []
    for crit in CATALOGUE.criteria:
        for kind, examples in (("trigger", crit.examples.trigger), ("pass", crit.examples.pass_)):
            for i, ex in enumerate(examples):
                out.append(example_statute(CATALOGUE, crit, kind, i, ex.statute))
    files = sorted((ROOT / "statutes").glob("*.yaml")) + sorted((ROOT / "tests" / "controls").glob("*.yaml"))
    files += make_corpus(tmp, 150, seed=11)
    for f in files:
        loaded = load_file(Path(f)).loaded
        assert loaded is not None, f
        out.append(loaded)
    return out


def _check(node: Node, ctx: Context, scope: tuple[Any, Any], where: str) -> int:
    """Compare both methods on ``node`` at ``scope`` and on every node inside it; returns how many were compared."""
    decided = node.holds(ctx, scope)
    evaluated, evidence = node.evaluate(ctx, scope)
    assert decided == evaluated, (where, node)
    if not evaluated:
        assert evidence == [], (where, node)
    count = 1
    if isinstance(node, (All, AnyOf)):
        for part in node.parts:
            count += _check(part, ctx, scope, where)
    elif isinstance(node, Not):
        count += _check(node.part, ctx, scope, where)
    elif isinstance(node, Quantified) and node.where is not None:
        for item in node.path.resolve(scope, ctx.root):
            if item[1] is not None:
                count += _check(node.where, ctx, item, where)
    return count


@pytest.fixture(scope="module")
def statutes(tmp_path_factory: pytest.TempPathFactory) -> list[LoadedStatute]:
    return _statutes(tmp_path_factory.mktemp("bench"))


def test_holds_agrees_with_evaluate_on_every_criterion(statutes: list[LoadedStatute]) -> None:
    checked = fired = 0
    for loaded in statutes:
        ctx, _aims = ENGINE.context(loaded)
        for crit in CATALOGUE.criteria:
            where = f"{loaded.file}: {crit.id}"
            if crit.applies_if is not None:
                checked += _check(crit.applies_if, ctx, ctx.root, where)
            checked += _check(crit.condition, ctx, ctx.root, where)
            fired += crit.condition.holds(ctx, ctx.root)
    assert checked > 10_000 and fired > 500  # the check is not vacuous


def test_holds_agrees_with_evaluate_on_scoring_rules(statutes: list[LoadedStatute]) -> None:
    seen: set[str] = set()
    for loaded in statutes[-200:]:
        result = ENGINE.audit(loaded)
        seen.add(result.recommendation.value)
        octx = outcome_context(result.tests, result.findings, {}, result.score, CATALOGUE)
        for rule in CATALOGUE.verdict_rules + CATALOGUE.recommendation_rules:
            if rule.when is not None:
                assert rule.when.holds(octx, octx.root) == rule.when.evaluate(octx, octx.root)[0]
    assert len(seen) >= 3


def test_remembered_outcomes_are_decided_as_afresh(statutes: list[LoadedStatute]) -> None:
    """The engine remembers verdict, recommendation and rationale per outcome: each must be what deciding anew gives."""
    engine = Engine(CATALOGUE)
    for loaded in statutes:
        result = engine.audit(loaded)
        fresh = Engine(CATALOGUE)._decide(result.tests, list(result.findings), {}, result.score)
        assert fresh == (result.verdict.value, result.recommendation.value, result.rationale)
    assert engine._outcomes and len(engine._outcomes) < len(statutes)  # remembered, and reused


def _paths(node: Node | None) -> list[FieldPath]:
    """Every path a condition reads, with the ``where`` nodes it reads them for."""
    if isinstance(node, (All, AnyOf)):
        return [p for part in node.parts for p in _paths(part)]
    if isinstance(node, Not):
        return _paths(node.part)
    if isinstance(node, FieldTest):
        return [node.path]
    if isinstance(node, Quantified):
        return [node.path, *_paths(node.where)]
    if isinstance(node, LexiconTest):
        return list(node.paths)
    return []


def _general(fp: FieldPath) -> FieldPath:
    """The same path without its direct walks (``plain``, ``listed``): resolved step by step."""
    slow = FieldPath(fp.text, fp.steps, fp.absolute)
    object.__setattr__(slow, "plain", None)
    object.__setattr__(slow, "listed", None)
    return slow


def test_direct_path_walks_reach_what_the_step_by_step_walk_reaches(statutes: list[LoadedStatute]) -> None:
    paths = {p.text: p for crit in CATALOGUE.criteria for n in (crit.applies_if, crit.condition) for p in _paths(n)}
    direct = [p for p in paths.values() if p.plain is not None or p.listed is not None]
    assert sum(p.listed is not None for p in direct) >= 3 and sum(p.plain is not None for p in direct) >= 10
    compared = 0
    for loaded in statutes:
        ctx, _aims = ENGINE.context(loaded)
        scopes = [ctx.root] + [item for p in direct if p.listed is not None for item in p.resolve(ctx.root, ctx.root)]
        for scope in scopes:
            for fp in direct:
                slow = _general(fp)
                assert fp.resolve(scope, ctx.root) == slow.resolve(scope, ctx.root), (loaded.file, fp.text)
                assert fp.values(scope, ctx.root) == slow.values(scope, ctx.root), (loaded.file, fp.text)
                compared += 1
    assert compared > 10_000


def test_clause_boundaries_match_as_the_character_class_did() -> None:
    """``_BOUNDARY`` spells ``[.;!?]\\s`` as four branches (for speed): the same matches, window by window."""
    import random
    import re

    from lawaudit.conditions import _BOUNDARY

    plain = re.compile(r"[.;!?]\s|\n\s*\n|\n\s*\d+[.)]\s")
    alphabet = ".;!?\n \t\r\u00a0\u2028\x0b\x0c12)(.aя_"
    rnd = random.Random(7)
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        lo = rnd.randint(0, len(text))
        hi = rnd.randint(lo, len(text))
        assert [m.span() for m in _BOUNDARY.finditer(text, lo, hi)] == [m.span() for m in plain.finditer(text, lo, hi)]

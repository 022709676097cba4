"""The catalogue as written: pydantic specs of its files, and the compiler that turns them into a :class:`~lawaudit.criteria.Catalogue`.

Imported only when a catalogue is compiled, not when a compiled catalogue is
read back from the cache (:mod:`lawaudit.catalogue_cache`), so a cached run
does not pay for defining these models. Criteria's examples are kept in the
compiled catalogue as plain :class:`~lawaudit.criteria.Example` records.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .conditions import (
    Compiler,
    ConditionError,
    condition_error,
    template_problem,
)
from .criteria import AimMap, Catalogue, Criterion, Example, Examples, Rule, _yaml_files
from .errors import InputError, InputErrors, format_path
from .fieldshape import outcome_shape, statute_shape
from .lexicon import LexiconSet, PatternError
from .loader import display_path, read_file, validation_errors
from .model import Right
from .results import TEST_ORDER, Recommendation, Severity, SourceRef, TestName
from .yamlread import Document


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Spec):
    document: Annotated[str, Field(min_length=1)]
    paragraph: Annotated[str, Field(min_length=1)]
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    title: str | None = None
    note: str | None = None


class ExampleSpec(_Spec):
    name: Annotated[str, Field(min_length=1)]
    statute: dict[str, Any]
    note: str | None = None


class ExamplesSpec(_Spec):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    trigger: Annotated[list[ExampleSpec], Field(min_length=1)]
    pass_: Annotated[list[ExampleSpec], Field(min_length=1, alias="pass")]


class CriterionSpec(_Spec):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$")]
    test: TestName
    rights: Annotated[list[Right], Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    description: str | None = None
    severity: Severity
    remedy: Recommendation | None = None
    applies_if: Any = None
    condition: Any
    message: Annotated[str, Field(min_length=1)]
    recommendation: Annotated[str, Field(min_length=1)]
    sources: Annotated[list[str | SourceSpec], Field(min_length=1)]
    examples: ExamplesSpec
    tags: list[str] = []


class ReferenceSpec(_Spec):
    model_config = ConfigDict(extra="allow", frozen=True)
    document: Annotated[str, Field(min_length=1)]
    paragraph: Annotated[str, Field(min_length=1)]
    url: Annotated[str, Field(pattern=r"^https?://\S+$")]
    title: str | None = None
    status: str = "verified"


class LexiconEntrySpec(_Spec):
    model_config = ConfigDict(extra="allow", frozen=True)
    id: Annotated[str, Field(min_length=1)]
    label: str | None = None
    patterns: Annotated[dict[str, list[Annotated[str, Field(min_length=1)]]], Field(min_length=1)]
    sources: list[str | SourceSpec] = []
    note: str | None = None


class InferenceSpec(_Spec):
    model_config = ConfigDict(extra="allow", frozen=True)
    aim: str
    patterns: Annotated[dict[str, list[str]], Field(min_length=1)]
    note: str | None = None


class EquivalenceSpec(_Spec):
    auditing: Annotated[list[Right], Field(min_length=1)]
    aim: str
    counts_as: str
    except_entries: list[str] = []


class LexiconSpec(_Spec):
    model_config = ConfigDict(extra="allow", frozen=True)
    lexicon: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    title: str | None = None
    description: str | None = None
    entries: Annotated[list[LexiconEntrySpec], Field(min_length=1)]
    aims: dict[Right, list[str]] | None = None
    infer_from_conduct: list[InferenceSpec] = []
    aim_equivalents: list[EquivalenceSpec] = []


class RuleSpec(_Spec):
    when: Any = None
    because: str | None = None


class VerdictRule(RuleSpec):
    verdict: str


class RecommendationRule(RuleSpec):
    recommend: Recommendation


class ScoringSpec(_Spec):
    deduct: dict[Severity, Annotated[int, Field(ge=0, le=100)]]
    #: per-criterion severity set by configuration, overriding the criterion's own
    severity: dict[str, Severity] = {}
    statute_score: str = "mean"
    verdict: Annotated[list[VerdictRule], Field(min_length=1)]
    recommendation: Annotated[list[RecommendationRule], Field(min_length=1)]
    description: str | None = None


class CatalogueSpec(_Spec):
    name: str
    version: str
    description: str | None = None
    example_base: dict[str, Any]


class _Loader:
    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.errors: list[InputError] = []
        self.digest = hashlib.sha256()

    def read(self, path: Path) -> tuple[Document, str] | None:
        file = display_path(path)
        try:
            rel = path.relative_to(self.dir).as_posix() if path.is_relative_to(self.dir) else file
            self.digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
            return read_file(path, file, what="criteria"), file
        except InputErrors as exc:
            self.errors.extend(exc.errors)
        except OSError as exc:
            self.errors.append(InputError(file, 0, 0, "", f"cannot read: {exc}"))
        return None

    def model(self, cls: type[BaseModel], data: Any, doc: Document, file: str, prefix: tuple[Any, ...] = ()) -> Any:
        if not isinstance(data, dict):
            line, col = doc.position(prefix)
            self.errors.append(InputError(file, line, col, format_path(prefix), "expected a mapping of fields"))
            return None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            self.errors.extend(validation_errors(exc, doc, file, cls, prefix))
            return None


def _source(ref: str | SourceSpec, refs: dict[str, ReferenceSpec]) -> SourceRef | str:
    if isinstance(ref, SourceSpec):
        return SourceRef(ref.document, ref.paragraph, ref.url, ref.title or "")
    spec = refs.get(ref)
    if spec is None:
        return f"unknown reference '{ref}' (not in references.yaml)"
    if spec.status != "verified":
        return f"reference '{ref}' is not verified (status: {spec.status}); criteria cite verified sources only"
    return SourceRef(spec.document, spec.paragraph, spec.url, spec.title or "")


def _examples(spec: ExamplesSpec) -> Examples:
    def plain(items: list[ExampleSpec]) -> tuple[Example, ...]:
        return tuple(Example(e.name, dict(e.statute), e.note) for e in items)

    return Examples(plain(spec.trigger), plain(spec.pass_))


def compile_catalogue(folder: Path) -> Catalogue:
    """Load and compile the catalogue folder ``folder``; raises :class:`InputErrors` listing every problem."""
    ld = _Loader(folder)
    if not (folder / "catalogue.yaml").is_file():
        raise InputErrors([InputError(display_path(folder), 0, 0, "", "not a criteria catalogue (no catalogue.yaml)")])

    def spec_of(name: str, cls: type[BaseModel]) -> Any:
        got = ld.read(folder / name)
        return ld.model(cls, got[0].data, *got) if got else None

    head: CatalogueSpec | None = spec_of("catalogue.yaml", CatalogueSpec)

    # references
    refs: dict[str, ReferenceSpec] = {}
    for ref_path in sorted(folder.glob("references*.yaml")):
        got = ld.read(ref_path)
        if not got:
            continue
        doc, file = got
        raw = doc.data.get("references", {}) if isinstance(doc.data, dict) else None
        if not isinstance(raw, dict):
            ld.errors.append(InputError(file, 1, 1, "references", "expected a mapping of reference ids"))
            continue
        for rid, body in raw.items():
            if str(rid) in refs:
                line, col = doc.key_positions.get(("references", rid), (1, 1))
                ld.errors.append(InputError(file, line, col, f"references.{rid}", f"reference id '{rid}' is defined twice"))
                continue
            spec = ld.model(ReferenceSpec, body, doc, file, ("references", rid))
            if spec is not None:
                refs[str(rid)] = spec

    # lexicons
    lexset = LexiconSet()
    aims: AimMap | None = None
    for path in _yaml_files(folder / "lexicons"):
        got = ld.read(path)
        if not got:
            continue
        doc, file = got
        spec = ld.model(LexiconSpec, doc.data, doc, file)
        if spec is None:
            continue
        for i, entry in enumerate(spec.entries):
            attrs = dict(entry.model_extra or {})
            for j, s in enumerate(entry.sources):
                resolved = _source(s, refs)
                if isinstance(resolved, str):
                    line, col = doc.position(("entries", i, "sources", j))
                    ld.errors.append(InputError(file, line, col, f"entries[{i}].sources[{j}]", resolved))
            try:
                lexset.add_entry(spec.lexicon, entry.id, entry.label or entry.id, entry.patterns, attrs)
            except PatternError as exc:
                line, col = doc.position(("entries", i))
                ld.errors.append(InputError(file, line, col, f"entries[{i}]", str(exc)))
        if spec.aims is not None:
            if aims is not None:
                ld.errors.append(InputError(file, 1, 1, "aims", f"a second aims lexicon (the first is '{aims.lexicon}')"))
                continue
            inference = f"{spec.lexicon}.inference"
            for i, inf in enumerate(spec.infer_from_conduct):
                try:
                    lexset.add_entry(inference, f"{inf.aim}#{i}", inf.aim, inf.patterns, {"aim": inf.aim})
                except PatternError as exc:
                    line, col = doc.position(("infer_from_conduct", i))
                    ld.errors.append(InputError(file, line, col, f"infer_from_conduct[{i}]", str(exc)))
            equivalents = tuple(
                (frozenset(r.value for r in e.auditing), e.aim, e.counts_as, frozenset(e.except_entries))
                for e in spec.aim_equivalents
            )
            aims = AimMap(spec.lexicon, {r.value: frozenset(v) for r, v in spec.aims.items()}, inference, equivalents)
    if aims is None:
        ld.errors.append(InputError(display_path(folder / "lexicons"), 0, 0, "", "no aims lexicon (a lexicon with an 'aims:' mapping)"))

    # criteria
    criteria: list[Criterion] = []
    seen: dict[str, str] = {}
    # every path, comparison and compared value is checked against the format
    aim_entries = [e for e in lexset.entries if aims is not None and e.lexicon in (aims.lexicon, aims.inference_lexicon)]
    facts_shape = statute_shape((e.id for e in aim_entries), (str(e.attrs["aim"]) for e in aim_entries if e.attrs.get("aim")))
    for path in _yaml_files(folder / "rules"):
        got = ld.read(path)
        if not got:
            continue
        doc, file = got
        data = doc.data
        items: list[tuple[tuple[Any, ...], Any]]
        if isinstance(data, dict) and "criteria" in data and "id" not in data:
            family = data["criteria"]
            items = [(("criteria", i), c) for i, c in enumerate(family)] if isinstance(family, list) else []
        else:
            items = [((), data)]
        for prefix, body in items:
            spec = ld.model(CriterionSpec, body, doc, file, prefix)
            if spec is None:
                continue
            line = doc.position(prefix)[0]
            if spec.id in seen:
                ld.errors.append(InputError(file, line, 1, format_path(prefix + ("id",)), f"criterion id '{spec.id}' is already defined in {seen[spec.id]}"))
                continue
            seen[spec.id] = file
            compiler = Compiler(lexset, spec.id, facts_shape)
            try:
                applies = compiler.compile(spec.applies_if, prefix + ("applies_if",)) if spec.applies_if is not None else None
                cond = compiler.compile(spec.condition, prefix + ("condition",))
            except ConditionError as exc:
                ld.errors.append(condition_error(exc, doc, file))
                continue
            problem = template_problem(spec.message)
            if problem is not None:
                mline, mcol = doc.position(prefix + ("message",))
                ld.errors.append(InputError(file, mline, mcol, format_path(prefix + ("message",)), problem))
                continue
            sources: list[SourceRef] = []
            for j, s in enumerate(spec.sources):
                resolved = _source(s, refs)
                if isinstance(resolved, str):
                    sline, scol = doc.position(prefix + ("sources", j))
                    ld.errors.append(InputError(file, sline, scol, format_path(prefix + ("sources", j)), resolved))
                else:
                    sources.append(resolved)
            criteria.append(
                Criterion(
                    id=spec.id,
                    test=spec.test,
                    rights=frozenset(r.value for r in spec.rights),
                    title=spec.title,
                    description=(spec.description or "").strip(),
                    severity=spec.severity,
                    remedy=spec.remedy,
                    applies_if=applies,
                    condition=cond,
                    message=spec.message.strip(),
                    recommendation=spec.recommendation.strip(),
                    sources=tuple(sources),
                    examples=_examples(spec.examples),
                    file=file,
                    line=line,
                )
            )

    # scoring
    scoring_doc = ld.read(folder / "scoring.yaml")
    verdict_rules: list[Rule] = []
    rec_rules: list[Rule] = []
    scoring: ScoringSpec | None = None
    if scoring_doc:
        sdoc, sfile = scoring_doc
        scoring = ld.model(ScoringSpec, sdoc.data, sdoc, sfile)
        if scoring is not None:
            compiler = Compiler(lexset, "scoring", outcome_shape(facts_shape, (c.id for c in criteria)))
            for key, rules, out in (("verdict", scoring.verdict, verdict_rules), ("recommendation", scoring.recommendation, rec_rules)):
                for i, rule in enumerate(rules):
                    try:
                        node = compiler.compile(rule.when, (key, i, "when")) if rule.when is not None else None
                    except ConditionError as exc:
                        ld.errors.append(condition_error(exc, sdoc, sfile))
                        continue
                    value = rule.verdict if isinstance(rule, VerdictRule) else rule.recommend.value  # type: ignore[union-attr]
                    out.append(Rule(node, value, (rule.because or "").strip()))
            for key, rules in (("verdict", scoring.verdict), ("recommendation", scoring.recommendation)):
                if rules and rules[-1].when is not None:
                    line, col = sdoc.position((key, len(rules) - 1))
                    ld.errors.append(InputError(sfile, line, col, f"{key}[{len(rules) - 1}]", "the last rule must have no 'when', so that one rule always decides"))
            known_ids = {c.id for c in criteria}
            for cid in scoring.severity:
                if cid not in known_ids:
                    line, col = sdoc.key_positions.get(("severity", cid), (1, 1))
                    ld.errors.append(InputError(sfile, line, col, f"severity.{cid}", f"no criterion '{cid}' in the catalogue"))
            if scoring.statute_score not in ("mean", "min"):
                ld.errors.append(InputError(sfile, *sdoc.position(("statute_score",)), "statute_score", "expected 'mean' or 'min'"))

    if not criteria and not ld.errors:
        ld.errors.append(InputError(display_path(folder / "rules"), 0, 0, "", "the catalogue has no criteria (rules/**/*.yaml)"))
    if ld.errors or head is None or scoring is None or aims is None:
        raise InputErrors(sorted(set(ld.errors)) or [InputError(display_path(folder), 0, 0, "", "catalogue incomplete")])

    lexset.compile()
    criteria.sort(key=lambda c: (TEST_ORDER[c.test], c.id))
    return Catalogue(
        name=head.name,
        version=f"{head.version}+{ld.digest.hexdigest()[:12]}",
        directory=display_path(folder),
        criteria=tuple(criteria),
        lexicons=lexset,
        aims=aims,
        deduct={Severity(k): v for k, v in scoring.deduct.items()},
        statute_score=scoring.statute_score,
        verdict_rules=tuple(verdict_rules),
        recommendation_rules=tuple(rec_rules),
        example_base=dict(head.example_base),
        severity=dict(scoring.severity),
    )

"""``lawaudit diff``, the library side: audit the statutes a change touches, before and after.

:func:`diff_revisions` compares two sides of a git repository — BASE, a
revision, and HEAD, a revision or the working tree — and returns a
:class:`DiffReport`: per statute the verdict, recommendation, score and each
test before and after, and the findings the change resolved and introduced.
File contents come from ``git cat-file`` and are loaded from bytes by the
normal loader under their repository path, so nothing in the user's working
tree or index is touched and evidence points at the right file.

Which statutes are audited: those added, modified or removed under the path
filter. When the criteria catalogue lives in the repository and changed, or a
reviews file under the path filter changed, any verdict can move, so every
statute on both sides is audited, each side with its own catalogue (BASE's
is extracted with ``git archive`` into a temporary folder).

Statutes are paired by id (so a renamed file is one statute), findings by
criterion and severity. A change *regresses* when it introduces a fail-level
finding (including one whose review was lifted) or worsens a verdict; the CLI
exits 1 then. Problems on the HEAD side (a file that does not load, a bad
reviews entry) are errors (exit 2); problems on the BASE side are reported
but do not decide the exit status, since the change may be what fixes them.

The renderers at the end turn a report into text, JSON or Markdown (for a
pull-request comment or a job summary); the same report always gives the
same bytes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .choices import DEFAULT_MAX_BYTES
from .criteria import Catalogue, default_directory, load_catalogue
from .errors import InputError, InputErrors
from .gitchanges import (
    GitError,
    changes,
    exists_at,
    extract_tree,
    is_reviews_name,
    is_statute_name,
    list_files,
    parent,
    read_blobs,
    repo_relative,
    repo_root,
    resolve_commit,
    under,
)
from .loader import LoadedStatute, LoadOutcome, check_unique_ids, load_document, read_file
from .results import AuditResult, Finding, TestName, TestResult, Verdict
from .yamlread import decode, read_document

DIFF_SCHEMA_VERSION = 1
VERDICT_ORDER = {v: i for i, v in enumerate(Verdict)}
_TEST_INDEX = {t: i for i, t in enumerate(TestName)}


# ----------------------------------------------------------------- results


@dataclass(frozen=True)
class StatuteDiff:
    """One statute before and after the change."""

    statute: str
    #: ``added``, ``removed``, ``modified``, ``renamed`` or ``unchanged`` (re-audited for a catalogue or reviews change)
    status: str
    before: AuditResult | None
    after: AuditResult | None
    resolved: tuple[Finding, ...] = ()
    introduced: tuple[Finding, ...] = ()
    #: findings that were counted before and are reviewed (accepted) after
    reviewed: tuple[Finding, ...] = ()
    #: findings that were reviewed before and count again after (review removed or expired)
    unreviewed: tuple[Finding, ...] = ()
    #: (before, after) of a finding whose severity changed (the catalogue changed)
    severity_changed: tuple[tuple[Finding, Finding], ...] = ()

    @property
    def file(self) -> str:
        side = self.after or self.before
        assert side is not None
        return side.file

    @property
    def verdict_worsened(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and VERDICT_ORDER[self.after.verdict] > VERDICT_ORDER[self.before.verdict]
        )

    @property
    def regression(self) -> bool:
        """The change introduces a fail-level finding or worsens the verdict."""
        escalated = [a for _b, a in self.severity_changed]
        return self.verdict_worsened or any(f.severity.value == "fail" for f in self.introduced + self.unreviewed + tuple(escalated))

    @property
    def trend(self) -> str:
        """``better``, ``worse`` or ``same``: the verdict first, then the score."""
        if self.before is None or self.after is None:
            return "added" if self.before is None else "removed"
        b, a = self.before, self.after
        key_b, key_a = (VERDICT_ORDER[b.verdict], -b.score), (VERDICT_ORDER[a.verdict], -a.score)
        if key_a < key_b:
            return "better"
        if key_a > key_b:
            return "worse"
        return "same"

    @property
    def changed(self) -> bool:
        """Whether the audit differs at all between the two sides."""
        if self.before is None or self.after is None:
            return True
        if self.resolved or self.introduced or self.reviewed or self.unreviewed or self.severity_changed:
            return True
        b, a = self.before, self.after
        return (b.verdict, b.recommendation, b.score, b.tests) != (a.verdict, a.recommendation, a.score, a.tests)

    def as_dict(self) -> dict[str, Any]:
        b, a = self.before, self.after

        def pair(get: Any) -> dict[str, Any]:
            return {"before": get(b) if b else None, "after": get(a) if a else None}

        out: dict[str, Any] = {
            "statute": self.statute,
            "file": self.file,
            "status": self.status,
            "trend": self.trend,
            "regression": self.regression,
            "changed": self.changed,
        }
        if b is not None and a is not None and b.file != a.file:
            out["before_file"] = b.file
        out.update(
            {
                "verdict": pair(lambda r: r.verdict.value),
                "recommendation": pair(lambda r: r.recommendation.value),
                "score": pair(lambda r: r.score),
                "tests": {t.value: pair(lambda r, t=t: r.tests[t].as_dict()) for t in TestName},
                "resolved": [f.as_dict() for f in self.resolved],
                "introduced": [f.as_dict() for f in self.introduced],
                "reviewed": [f.as_dict() for f in self.reviewed],
                "unreviewed": [f.as_dict() for f in self.unreviewed],
                "severity_changed": [
                    {"criterion": a.criterion, "before": b.severity.value, "after": a.severity.value} for b, a in self.severity_changed
                ],
            }
        )
        return out


@dataclass(frozen=True)
class SideInfo:
    """What one side of the comparison was: the revision and the catalogue used."""

    label: str
    commit: str | None
    catalogue_name: str
    catalogue_version: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rev": self.label,
            "commit": self.commit,
            "criteria": {"name": self.catalogue_name, "version": self.catalogue_version},
        }


@dataclass(frozen=True)
class DiffReport:
    """Everything ``lawaudit diff`` found."""

    base: SideInfo
    head: SideInfo
    paths: tuple[str, ...]
    criteria_changed: bool
    reviews_changed: bool
    statutes: tuple[StatuteDiff, ...]
    #: HEAD-side problems: they make the diff exit 2
    errors: tuple[InputError, ...] = ()
    #: BASE-side problems: reported only
    base_errors: tuple[InputError, ...] = ()
    #: stale or expired reviews on the HEAD side, and other remarks
    notices: tuple[InputError, ...] = ()

    @property
    def regression(self) -> bool:
        return any(s.regression for s in self.statutes)

    @property
    def full(self) -> bool:
        """Whether every statute was re-audited."""
        return self.criteria_changed or self.reviews_changed

    def counts(self) -> dict[str, int]:
        out = {"statutes": len(self.statutes), "better": 0, "worse": 0, "same": 0, "added": 0, "removed": 0, "regressions": 0}
        for s in self.statutes:
            out[s.trend] += 1
            out["regressions"] += s.regression
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema_version": DIFF_SCHEMA_VERSION,
            "tool": {"name": "lawaudit", "version": __version__},
            "base": self.base.as_dict(),
            "head": self.head.as_dict(),
            "paths": list(self.paths),
            "criteria_changed": self.criteria_changed,
            "reviews_changed": self.reviews_changed,
            "regression": self.regression,
            "summary": self.counts(),
            "statutes": [s.as_dict() for s in self.statutes],
            "errors": [e.as_dict() | {"side": "head"} for e in self.errors]
            + [e.as_dict() | {"side": "base"} for e in self.base_errors],
            "notices": [e.as_dict() for e in self.notices],
        }


# --------------------------------------------------------------- comparing


def _order(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (_TEST_INDEX[f.test], f.criterion)))


def compare(statute: str, status: str, before: AuditResult | None, after: AuditResult | None) -> StatuteDiff:
    """Pair the findings of two audits of one statute by criterion.

    A criterion whose severity changed (a catalogue edit) is one finding in
    ``severity_changed``, not one resolved and one introduced.
    """
    if after is None:  # a removed statute resolves nothing: it is simply gone
        return StatuteDiff(statute, status, before, None)
    b_act = {f.criterion: f for f in before.findings} if before else {}
    b_rev = {f.criterion: f for f in before.reviewed} if before else {}
    a_act = {f.criterion: f for f in after.findings}
    a_rev = {f.criterion: f for f in after.reviewed}
    resolved = [f for k, f in b_act.items() if k not in a_act and k not in a_rev]
    introduced = [f for k, f in a_act.items() if k not in b_act and k not in b_rev]
    reviewed = [f for k, f in a_rev.items() if k in b_act]
    unreviewed = [f for k, f in a_act.items() if k in b_rev]
    severity = tuple(
        (b_act[k], f) for k, f in sorted(a_act.items(), key=lambda kv: (_TEST_INDEX[kv[1].test], kv[0]))
        if k in b_act and b_act[k].severity is not f.severity
    )
    return StatuteDiff(
        statute, status, before, after, _order(resolved), _order(introduced), _order(reviewed), _order(unreviewed), severity
    )


# ----------------------------------------------------------------- a side


@dataclass
class _Side:
    label: str
    commit: str | None
    catalogue: Catalogue
    results: dict[str, AuditResult] = field(default_factory=dict)
    loaded: dict[str, LoadedStatute] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    notices: list[InputError] = field(default_factory=list)


def _load_bytes(raw: bytes, file: str, max_bytes: int) -> LoadOutcome:
    try:
        if len(raw) > max_bytes:
            raise InputErrors([InputError(file, 1, 1, "", f"file is {len(raw)} bytes, over the {max_bytes}-byte limit (--max-file-size)")])
        return LoadOutcome(file, load_document(read_document(decode(raw, file), file), file))
    except InputErrors as exc:
        return LoadOutcome(file, None, tuple(exc.errors))


def _read_side(root: Path, commit: str | None, files: Sequence[str], max_bytes: int) -> list[LoadOutcome]:
    if commit is None:
        outcomes = []
        for f in files:
            try:
                outcomes.append(LoadOutcome(f, load_document(read_file(root / f, f, max_bytes), f)))
            except InputErrors as exc:
                outcomes.append(LoadOutcome(f, None, tuple(exc.errors)))
        return outcomes
    blobs = read_blobs(root, commit, files)
    return [_load_bytes(blobs[f], f, max_bytes) for f in files if f in blobs]


def _audit_side(side: _Side, outcomes: list[LoadOutcome]) -> None:
    from .engine import Engine

    engine = Engine(side.catalogue)
    for outcome in check_unique_ids(outcomes):
        if outcome.loaded is None:
            side.errors.extend(outcome.errors)
            continue
        result = engine.audit(outcome.loaded)
        side.results[result.statute] = result
        side.loaded[result.file] = outcome.loaded


def _review_specs(specs: Sequence[str]) -> tuple[list[str], set[str]]:
    """Where reviews files may be: in the folders given, and beside each statute file given."""
    parents = {parent(s) for s in specs if is_statute_name(s)}
    return sorted(set(specs) | parents), parents


def _reviews_names(files: Iterable[str], specs: Sequence[str]) -> list[str]:
    _all, parents = _review_specs(specs)
    return sorted(
        f for f in files
        if is_reviews_name(f) and (under(f, specs) or parent(f) in parents)
    )


def _apply_reviews(side: _Side, root: Path, specs: Sequence[str], full: bool, max_bytes: int) -> None:
    from .reviews import ReviewSet, load_reviews_bytes

    names = _reviews_names(list_files(root, side.commit, _review_specs(specs)[0]), specs)
    if not names:
        return
    if side.commit is None:
        raws = {}
        for n in names:
            try:
                raws[n] = (root / n).read_bytes()
            except OSError as exc:
                side.errors.append(InputError(n, 0, 0, "", f"cannot read file: {exc.strerror or exc}"))
    else:
        raws = read_blobs(root, side.commit, names)
    reviews, errors = [], []
    for n in sorted(raws):
        if len(raws[n]) > max_bytes:
            errors.append(InputError(n, 1, 1, "", f"file is over the {max_bytes}-byte limit (--max-file-size)"))
            continue
        got, errs = load_reviews_bytes(raws[n], n)
        reviews.extend(got)
        errors.extend(errs)
    ids = set(side.results)
    # With only the changed statutes audited, an entry naming another statute cannot be judged.
    rs = ReviewSet(reviews, errors, known_statutes=(lambda: ids) if full else (lambda: None))
    results, errs = rs.apply(side.results.values(), side.catalogue, side.loaded)
    side.results = {r.statute: r for r in results}
    side.errors.extend(errs)
    side.notices.extend(rs.notices)


# ----------------------------------------------------------------- the API


def _catalogue_at(root: Path, commit: str, rel: str, tmp: Path, tag: str) -> Catalogue | None:
    dest = tmp / tag
    dest.mkdir()
    folder = extract_tree(root, commit, rel, dest) if rel else None
    if folder is None or not (folder / "catalogue.yaml").is_file():
        return None
    try:
        return load_catalogue(folder)
    except InputErrors as exc:
        prefix = str(dest).replace("\\", "/").rstrip("/") + "/"
        raise InputErrors(
            [InputError(e.file.replace(prefix, f"{commit[:12]}:"), e.line, e.column, e.field, e.message) for e in exc.errors]
        ) from None


def diff_revisions(
    base: str,
    head: str | None = None,
    paths: Sequence[str] = ("statutes",),
    *,
    criteria_dir: str | Path | None = None,
    reviews: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cwd: str | Path = ".",
) -> DiffReport:
    """Audit what changed under ``paths`` from ``base`` to ``head`` (None: the working tree).

    Raises :class:`~lawaudit.gitchanges.GitError` when git cannot answer
    (not a repository, unknown revision, path outside the repository, a path
    that exists in neither revision nor the working tree) and
    :class:`~lawaudit.errors.InputErrors` when a criteria catalogue is broken.
    """
    root = repo_root(cwd)
    base_commit = resolve_commit(root, base)
    head_commit = resolve_commit(root, head) if head is not None else None
    specs: list[str] = []
    for p in paths:
        rel = repo_relative(root, Path(cwd) / p)
        if rel is None:
            raise GitError(f"{p} is outside the git repository {root}")
        # a path that names nothing on either side (a typo) would compare nothing and
        # report "no regression"; ``check`` refuses a missing path too
        if not (Path(cwd) / p).exists() and not any(exists_at(root, c, rel) for c in (base_commit, head_commit) if c):
            sides = f"{base} or {head}" if head is not None else base
            raise GitError(f"{p}: no such file or directory in the working tree or in {sides}")
        specs.append(rel or ".")
    specs = sorted(set(specs))

    cat_dir = Path(criteria_dir) if criteria_dir is not None else default_directory()
    if not cat_dir.is_absolute():
        cat_dir = Path(cwd) / cat_dir
    cat_rel = repo_relative(root, cat_dir)
    notices: list[InputError] = []
    with tempfile.TemporaryDirectory(prefix="lawaudit-diff-") as tmpname:
        tmp = Path(tmpname)
        criteria_changed = False
        if cat_rel is None:  # the catalogue is not versioned with the statutes: one catalogue for both sides
            head_cat = base_cat = load_catalogue(cat_dir)
        else:
            criteria_changed = bool(changes(root, base_commit, head_commit, [cat_rel or "."]))
            if head_commit is None:
                head_cat = load_catalogue(cat_dir)
            else:
                got = _catalogue_at(root, head_commit, cat_rel, tmp, "head")
                if got is None:
                    raise GitError(f"no criteria catalogue at {cat_rel or '.'} in {head}")
                head_cat = got
            base_cat = head_cat
            if criteria_changed:
                got = _catalogue_at(root, base_commit, cat_rel, tmp, "base")
                if got is None:
                    notices.append(InputError(cat_rel or ".", 0, 0, "", f"no criteria catalogue in {base}; BASE audited with HEAD's catalogue"))
                else:
                    base_cat = got

        changed = changes(root, base_commit, head_commit, specs)
        changed_statutes = {c.path: c.status for c in changed if is_statute_name(c.path)}
        reviews_changed = reviews and bool(
            _reviews_names((c.path for c in changes(root, base_commit, head_commit, _review_specs(specs)[0])), specs)
        )
        full = criteria_changed or reviews_changed
        if full:
            base_files = [f for f in list_files(root, base_commit, specs) if is_statute_name(f)]
            head_files = [f for f in list_files(root, head_commit, specs) if is_statute_name(f)]
        else:
            base_files = sorted(p for p, s in changed_statutes.items() if s != "A")
            head_files = sorted(p for p, s in changed_statutes.items() if s != "D")

        before = _Side(f"{base}", base_commit, base_cat)
        after = _Side(head if head is not None else "working tree", head_commit, head_cat)
        _audit_side(before, _read_side(root, base_commit, base_files, max_bytes))
        _audit_side(after, _read_side(root, head_commit, head_files, max_bytes))
        if reviews:
            _apply_reviews(before, root, specs, full, max_bytes)
            _apply_reviews(after, root, specs, full, max_bytes)

    diffs: list[StatuteDiff] = []
    for sid in sorted(set(before.results) | set(after.results)):
        b, a = before.results.get(sid), after.results.get(sid)
        if b is None:
            status = "added"
        elif a is None:
            status = "removed"
        elif b.file != a.file:
            status = "renamed"
        elif a.file in changed_statutes:
            status = "modified"
        else:
            status = "unchanged"
        diffs.append(compare(sid, status, b, a))
    diffs.sort(key=lambda d: (d.file, d.statute))
    return DiffReport(
        base=SideInfo(before.label, base_commit, base_cat.name, base_cat.version),
        head=SideInfo(after.label, head_commit, head_cat.name, head_cat.version),
        paths=tuple(specs),
        criteria_changed=criteria_changed,
        reviews_changed=reviews_changed,
        statutes=tuple(diffs),
        errors=tuple(sorted(set(after.errors))),
        base_errors=tuple(sorted(set(before.errors))),
        notices=tuple(sorted(set(notices + after.notices))),
    )


# ---------------------------------------------------------------- rendering

_STATUS = {"unchanged": "file unchanged, re-audited"}
_LABEL = {"pass": "pass", "concern": "CONCERN", "fail": "FAIL", "not_applicable": "n/a"}


def _test(r: AuditResult | None, t: TestName) -> str:
    if r is None:
        return "—"
    tr: TestResult = r.tests[t]
    return f"{_LABEL[tr.status.value]} ({tr.score})"


def _arrow(before: str, after: str) -> str:
    return after if before == after else f"{before} → {after}"


def _value(r: AuditResult | None, attr: str) -> str:
    if r is None:
        return "—"
    v = getattr(r, attr)
    return str(v.value if hasattr(v, "value") else v)


def _headline(report: DiffReport) -> list[str]:
    c = report.counts()
    lines = [
        f"lawaudit diff {report.base.label} ({(report.base.commit or '')[:12]}) → "
        + (f"{report.head.label} ({(report.head.commit or '')[:12]})" if report.head.commit else report.head.label),
        f"paths: {', '.join(report.paths)}",
    ]
    if report.criteria_changed:
        lines.append(
            f"criteria catalogue changed ({report.base.catalogue_version} → {report.head.catalogue_version}): every statute re-audited"
        )
    if report.reviews_changed:
        lines.append("reviews changed: every statute re-audited")
    parts = [f"{c[k]} {k}" for k in ("better", "worse", "same", "added", "removed") if c[k]]
    lines.append(
        f"{c['statutes']} statute(s) compared" + (f": {', '.join(parts)}" if parts else "")
        + (f"; {c['regressions']} regression(s)" if c["regressions"] else "; no regression")
    )
    return lines


def _finding_line(f: Finding) -> str:
    line = f"[{f.severity.value.upper()}] {f.test.value}: {f.criterion} — {f.title}"
    if f.review:
        line += f" (reviewed: {f.review.get('reason', '')})"
    return line


def _severity_line(before: Finding, after: Finding) -> str:
    return f"[{before.severity.value.upper()} → {after.severity.value.upper()}] {after.test.value}: {after.criterion} — {after.title}"


def render_text(report: DiffReport) -> str:
    """A readable report for a terminal or a CI log."""
    blocks = ["\n".join(_headline(report))]
    if not report.statutes:
        blocks.append("no statute file changed")
    for s in report.statutes:
        b, a = s.before, s.after
        head = f"{s.file}: {s.statute} ({_STATUS.get(s.status, s.status)}" + (f" from {b.file}" if s.status == "renamed" and b else "") + ")"
        if s.regression:
            head += "  REGRESSION"
        lines = [head]
        lines.append(f"  verdict:        {_arrow(_value(b, 'verdict'), _value(a, 'verdict'))}")
        lines.append(f"  recommendation: {_arrow(_value(b, 'recommendation'), _value(a, 'recommendation'))}")
        lines.append(f"  score:          {_arrow(_value(b, 'score'), _value(a, 'score'))}")
        lines.append("  tests:")
        for t in TestName:
            bt, at = _test(b, t), _test(a, t)
            mark = ""
            if b is not None and a is not None and bt != at:
                mark = "   improved" if a.tests[t].score > b.tests[t].score else ("   worse" if a.tests[t].score < b.tests[t].score else "")
            lines.append(f"    {t.value:<15} {_arrow(bt, at)}{mark}")
        for title, items in (("resolved", s.resolved), ("introduced", s.introduced), ("now reviewed", s.reviewed), ("counts again", s.unreviewed)):
            if items:
                lines.append(f"  {title}:")
                lines.extend(f"    - {_finding_line(f)}" for f in items)
        if s.severity_changed:
            lines.append("  severity changed:")
            lines.extend(f"    - {_severity_line(b, a)}" for b, a in s.severity_changed)
        blocks.append("\n".join(lines))
    if report.errors or report.base_errors:
        lines = ["errors:"]
        lines += [f"  {e.render()}" for e in report.errors]
        lines += [f"  (base) {e.render()}" for e in report.base_errors]
        blocks.append("\n".join(lines))
    if report.notices:
        blocks.append("\n".join(["notices:"] + [f"  {e.render()}" for e in report.notices]))
    return "\n\n".join(blocks) + "\n"


def render_json(report: DiffReport) -> str:
    """The report as a JSON document (keys in a fixed order)."""
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def render_markdown(report: DiffReport) -> str:
    """GitHub-flavoured Markdown for a pull-request comment or a job summary."""
    c = report.counts()
    out = ["## lawaudit diff", ""]
    base = f"`{_md(report.base.label)}` ({(report.base.commit or '')[:12]})"
    head = f"`{_md(report.head.label)}`" + (f" ({report.head.commit[:12]})" if report.head.commit else "")
    out.append(f"{base} → {head}, paths {', '.join(f'`{_md(p)}`' for p in report.paths)}")
    out.append("")
    if report.criteria_changed:
        out += ["**The criteria catalogue changed: every statute was re-audited.**", ""]
    if report.reviews_changed:
        out += ["**Analyst reviews changed: every statute was re-audited.**", ""]
    if report.regression:
        out.append(f"**{c['regressions']} regression(s):** the change introduces a fail-level finding or worsens a verdict.")
    else:
        out.append("No regression: no fail-level finding introduced and no verdict worsened.")
    out.append("")
    if not report.statutes:
        out += ["No statute file changed.", ""]
    else:
        tests = " | ".join(t.value for t in TestName)
        out.append(f"| statute | change | verdict | recommendation | score | {tests} |")
        out.append("|---|---|---|---|---|" + "---|" * len(TestName))
        for s in report.statutes:
            b, a = s.before, s.after
            change = _STATUS.get(s.status, s.status) + (" ⚠️ regression" if s.regression else "")
            cells = [
                f"`{_md(s.statute)}`<br>{_md(s.file)}",
                change,
                _md(_arrow(_value(b, "verdict"), _value(a, "verdict"))),
                _md(_arrow(_value(b, "recommendation"), _value(a, "recommendation"))),
                _md(_arrow(_value(b, "score"), _value(a, "score"))),
            ] + [_md(_arrow(_test(b, t), _test(a, t))) for t in TestName]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        for s in report.statutes:
            groups = (("Resolved", s.resolved), ("Introduced", s.introduced), ("Now reviewed", s.reviewed), ("Counts again", s.unreviewed))
            if not any(items for _, items in groups) and not s.severity_changed:
                continue
            out.append(f"<details><summary><code>{_md(s.statute)}</code>: findings changed</summary>")
            out.append("")
            for title, items in groups:
                if items:
                    out.append(f"**{title}**")
                    out.append("")
                    out.extend(f"- {_md(_finding_line(f))}" for f in items)
                    out.append("")
            if s.severity_changed:
                out += ["**Severity changed**", ""]
                out.extend(f"- {_md(_severity_line(b, a))}" for b, a in s.severity_changed)
                out.append("")
            out.append("</details>")
            out.append("")
    if report.errors or report.base_errors:
        out += ["**Errors**", ""]
        out += [f"- {_md(e.render())}" for e in report.errors]
        out += [f"- (base) {_md(e.render())}" for e in report.base_errors]
        out.append("")
    if report.notices:
        out += ["**Notices**", ""]
        out += [f"- {_md(e.render())}" for e in report.notices]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}

__all__ = [
    "DiffReport",
    "RENDERERS",
    "StatuteDiff",
    "compare",
    "diff_revisions",
    "render_json",
    "render_markdown",
    "render_text",
]

"""Running criteria's own examples: the catalogue tests itself.

Every criterion carries statute fragments that must trigger it and fragments
that must not (the way Semgrep and OPA test their rules). Each fragment
replaces keys of the catalogue's neutral ``example_base`` statute, is checked
against the statute format, and is audited by the full engine; the example
passes when the criterion's finding is present (``trigger``) or absent
(``pass``). ``lawaudit criteria test`` and the test suite both run this.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from pydantic import ValidationError

from .criteria import Catalogue, Criterion
from .engine import Engine
from .loader import LoadedStatute
from .model import Statute
from .yamlread import Document


@dataclass(frozen=True)
class ExampleOutcome:
    """One example of one criterion, and whether the engine agreed with it."""

    criterion: str
    kind: str  # "trigger" | "pass"
    name: str
    ok: bool
    detail: str = ""


def example_statute(catalogue: Catalogue, crit: Criterion, kind: str, index: int, fragment: dict[str, object]) -> LoadedStatute:
    """The complete statute an example stands for."""
    data = copy.deepcopy(catalogue.example_base)
    data.update(copy.deepcopy(fragment))
    data.setdefault("id", "example")
    statute = Statute.model_validate(data)
    return LoadedStatute(statute, f"{crit.file}#examples.{kind}[{index}]", Document(data))


def run_examples(catalogue: Catalogue, only: set[str] | None = None) -> list[ExampleOutcome]:
    """Audit every example of every criterion (or of the ``only`` ids)."""
    engine = Engine(catalogue)
    out: list[ExampleOutcome] = []
    for crit in catalogue.criteria:
        if only is not None and crit.id not in only:
            continue
        for kind, examples in (("trigger", crit.examples.trigger), ("pass", crit.examples.pass_)):
            for i, ex in enumerate(examples):
                try:
                    loaded = example_statute(catalogue, crit, kind, i, ex.statute)
                except ValidationError as exc:
                    first = exc.errors(include_url=False)[0]
                    where = ".".join(str(p) for p in first["loc"])
                    out.append(ExampleOutcome(crit.id, kind, ex.name, False, f"example is not a valid statute: {where}: {first['msg']}"))
                    continue
                result = engine.audit(loaded)
                fired = any(f.criterion == crit.id for f in result.findings)
                if kind == "trigger":
                    detail = "" if fired else "expected the criterion to fire; it did not"
                    out.append(ExampleOutcome(crit.id, kind, ex.name, fired, detail))
                else:
                    detail = "expected the criterion not to fire; it did" if fired else ""
                    out.append(ExampleOutcome(crit.id, kind, ex.name, not fired, detail))
    return out

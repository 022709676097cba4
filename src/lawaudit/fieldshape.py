"""What a condition may name: the shape of the data the engine gives conditions.

A criterion that names a field the statute format does not have
(``field: harmz``), a value a field cannot take (``harm: {in: [possibly]}``)
or a comparison that cannot hold (``rights: {equals: expression}`` compares
a list with a word) would compile and then silently never fire: the engine
reads a missing field as absent, exactly as it reads a statute that leaves
the field out. So the compiler checks every path, comparison and compared
value against this shape and reports a mistake as a positioned catalogue
error, like any other mistake in a criterion file.

The shape is derived from the statute models (:mod:`lawaudit.model`), so a
field added to the format is known at once, plus what the engine adds to
the facts (``sanctions[*].max_days``, ``derived.aims``); the scoring rules
get the outcome's shape (``tests``, ``findings``, ``statute``, ``score``).
"""

from __future__ import annotations

import datetime
import enum
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from pydantic import BaseModel


class Shape(NamedTuple):
    """One place in the data: a mapping (closed, or open to any key), a list, or a scalar.

    ``scalar`` says what a scalar holds: ``text``, ``number``, ``bool``,
    ``enum`` (one of ``values``) or ``any``. ``keys`` restricts the keys of
    an open mapping (the language codes of ``text``).
    """

    kind: str  # "map" | "list" | "scalar" | "any"
    fields: Mapping[str, "Shape"] | None = None  # a closed mapping's fields
    each: "Shape | None" = None  # an open mapping's values, or a list's items
    values: frozenset[str] | None = None  # an enumeration's values
    scalar: str = "any"
    keys: frozenset[str] | None = None

    def describe(self) -> str:
        if self.kind == "map" and self.fields is not None:
            return "fields " + ", ".join(sorted(self.fields))
        if self.kind == "scalar":
            return {"text": "text", "number": "a number", "bool": "true or false", "enum": "a value"}.get(self.scalar, "a value")
        return {"list": "a list", "any": "anything"}.get(self.kind, "a mapping")


ANY = Shape("any")
TEXT = Shape("scalar", scalar="text")
NUMBER = Shape("scalar", scalar="number")
BOOL = Shape("scalar", scalar="bool")
SCALAR = Shape("scalar")


def enum_shape(values: Iterable[str]) -> Shape:
    return Shape("scalar", values=frozenset(values), scalar="enum")


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` -> X; ``X | None`` -> X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return Any
            annotation = args[0]
        else:
            return annotation


def shape_of(annotation: Any) -> Shape:
    """The shape of values of a model field's type."""
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        return Shape("list", each=shape_of(item))
    if origin is dict:
        args = typing.get_args(annotation)
        return Shape("map", each=shape_of(args[1]) if len(args) == 2 else ANY)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return Shape("map", fields={name: shape_of(f.annotation) for name, f in annotation.model_fields.items()})
        if issubclass(annotation, enum.Enum):
            return enum_shape(str(m.value) for m in annotation)
        if issubclass(annotation, bool):
            return BOOL
        if issubclass(annotation, (int, float)):
            return NUMBER
        if issubclass(annotation, (str, datetime.date)):  # dates are compared as the text YYYY-MM-DD
            return TEXT
    return SCALAR


def _with(shape: Shape, **extra: Shape) -> Shape:
    assert shape.fields is not None
    return shape._replace(fields={**shape.fields, **extra})


def statute_shape(aim_entries: Iterable[str] = (), aims: Iterable[str] = ()) -> Shape:
    """The facts a criterion reads: the statute's fields plus what the engine derives.

    ``aim_entries`` and ``aims`` are the aims lexicon's entry ids and aims
    (``derived.aims[*].entry`` and ``.aim``); when not given, those fields
    take any value.
    """
    from .model import Statute, language_codes

    root = shape_of(Statute)
    assert root.fields is not None
    sanction = root.fields["sanctions"].each
    assert sanction is not None
    entries, aim_values = frozenset(aim_entries), frozenset(aims)
    aim = Shape(
        "map",
        fields={
            "interest": TEXT,
            "entry": enum_shape(entries) if entries else SCALAR,
            "aim": enum_shape(aim_values) if aim_values else SCALAR,
            "status": enum_shape({"permissible", "outside_article", "impermissible", "unclassified"}),
            "inferred": BOOL,
        },
    )
    return _with(
        root,
        text=root.fields["text"]._replace(keys=language_codes()),
        sanctions=Shape("list", each=_with(sanction, max_days=NUMBER, min_days=NUMBER)),
        derived=Shape("map", fields={"aims": Shape("list", each=aim)}),
    )


def outcome_shape(statute: Shape, criteria: Iterable[str] = ()) -> Shape:
    """What the scoring rules read (:func:`lawaudit.engine.outcome_context`); ``criteria``: the catalogue's ids."""
    from .results import Recommendation, Severity, TestName, TestStatus

    def values(e: type[enum.Enum]) -> Shape:
        return enum_shape(str(m.value) for m in e)

    ids = frozenset(criteria)
    test = Shape("map", fields={"status": values(TestStatus), "score": NUMBER})
    finding = Shape(
        "map",
        fields={
            "criterion": enum_shape(ids) if ids else SCALAR,
            "test": values(TestName),
            "severity": values(Severity),
            "remedy": values(Recommendation),
        },
    )
    return Shape(
        "map",
        fields={
            "tests": Shape("map", fields={t.value: test for t in TestName}),
            "findings": Shape("list", each=finding),
            "statute": statute,
            "score": NUMBER,
        },
    )


class ShapeProblem(ValueError):
    """A path, comparison or value that the data's shape rules out."""


def walk(shape: Shape, steps: tuple[tuple[str, str | int | None], ...]) -> Shape:
    """The shape a path's steps lead to (``name`` then an optional ``[*]``/``[n]``)."""
    for name, index in steps:
        if shape.kind == "any":
            return ANY
        if shape.kind != "map":
            raise ShapeProblem(f"'{name}' is read from {shape.describe()}, which has no fields")
        if name == "*":  # every value of the mapping: their common shape, when they share one
            if shape.fields is None:
                shape = shape.each or ANY
            else:
                shapes = list(shape.fields.values())
                shape = shapes[0] if shapes and all(x == shapes[0] for x in shapes) else ANY
        elif shape.fields is None:
            if shape.keys is not None and name not in shape.keys:
                raise ShapeProblem(f"'{name}' is not a key this mapping can have (language codes such as en, ru)")
            shape = shape.each or ANY
        elif name in shape.fields:
            shape = shape.fields[name]
        else:
            raise ShapeProblem(f"no field '{name}' here; the format has {shape.describe()}")
        if index is not None:
            if shape.kind == "any":
                return ANY
            if shape.kind != "list":
                raise ShapeProblem(f"'{name}' is not a list, so '{name}[{index}]' reads nothing")
            shape = shape.each or ANY
    return shape


_NUMERIC = frozenset({"gte", "gt", "lte", "lt"})
_LENGTH = frozenset({"longer_than", "shorter_than"})


def check_comparison(shape: Shape, op: str, operand: Any) -> None:
    """Raise :class:`ShapeProblem` when ``op`` with ``operand`` can never hold for a value of ``shape``."""
    if shape.kind == "any" or op == "exists":
        return
    if op == "contains":
        if shape.kind != "list":
            raise ShapeProblem(f"'contains' looks inside a list, and this is {shape.describe()}; use 'equals' or 'in'")
        shape, candidates = shape.each or ANY, [operand]
    elif shape.kind == "list":
        raise ShapeProblem(f"this is a list: use 'contains', or a path ending in '[*]', to {op} its items")
    elif shape.kind == "map":
        raise ShapeProblem(f"this is a mapping ({shape.describe()}): compare one of its fields")
    elif op in _NUMERIC:
        if shape.scalar not in ("number", "any"):
            raise ShapeProblem(f"'{op}' compares numbers, and this holds {shape.describe()}")
        return
    elif op in _LENGTH:
        if shape.scalar not in ("text", "any"):
            raise ShapeProblem(f"'{op}' measures text, and this holds {shape.describe()}")
        return
    else:
        candidates = operand if op == "in" else [operand]
    if shape.kind != "scalar":
        return
    for value in candidates:
        if value is None:
            continue
        if shape.scalar == "enum" and shape.values is not None and str(value) not in shape.values:
            raise ShapeProblem(f"{value!r} is not one of {', '.join(sorted(shape.values))}")
        if shape.scalar == "bool" and not isinstance(value, bool):
            raise ShapeProblem(f"{value!r} is not true or false")


def check_text(shape: Shape) -> None:
    """A lexicon condition reads text: raise :class:`ShapeProblem` for a path that holds no text."""
    while shape.kind == "list" or (shape.kind == "map" and shape.fields is None):
        shape = shape.each or ANY
    if shape.kind == "map":
        raise ShapeProblem(f"a lexicon condition reads text, and this holds mappings ({shape.describe()}); name one of their fields")
    if shape.kind == "scalar" and shape.scalar not in ("text", "any"):
        raise ShapeProblem(f"a lexicon condition reads text, and this holds {shape.describe()}")

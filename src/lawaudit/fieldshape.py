"""What a condition may name: the shape of the data the engine gives conditions.

A criterion that names a field the statute format does not have
(``field: harmz``) or a value a field cannot take (``harm: {in: [possibly]}``)
would compile and then silently never fire: the engine reads a missing field
as absent, exactly as it reads a statute that leaves the field out. So the
compiler checks every path and every compared value against this shape and
reports a typo as a positioned catalogue error, like any other mistake in a
criterion file.

The shape is derived from the statute models (:mod:`lawaudit.model`), so a
field added to the format is known at once, plus what the engine adds to
the facts (``sanctions[*].max_days``, ``derived.aims``); the scoring rules
get the outcome's shape (``tests``, ``findings``, ``statute``, ``score``).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from typing import Any, NamedTuple

from pydantic import BaseModel


class Shape(NamedTuple):
    """One place in the data: a mapping (closed, or open to any key), a list, or a scalar.

    ``values`` lists what a scalar can be when the format fixes it (an
    enumeration); ``None`` means any value.
    """

    kind: str  # "map" | "list" | "scalar" | "any"
    fields: Mapping[str, "Shape"] | None = None  # a closed mapping's fields
    each: "Shape | None" = None  # an open mapping's values, or a list's items
    values: frozenset[str] | None = None

    def describe(self) -> str:
        if self.kind == "map" and self.fields is not None:
            return "fields " + ", ".join(sorted(self.fields))
        return {"list": "a list", "scalar": "a value", "any": "anything"}.get(self.kind, "a mapping")


ANY = Shape("any")
SCALAR = Shape("scalar")


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
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("map", fields={name: shape_of(f.annotation) for name, f in annotation.model_fields.items()})
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return Shape("scalar", values=frozenset(str(m.value) for m in annotation))
    if annotation is Any:
        return ANY
    return SCALAR


def _with(shape: Shape, **extra: Shape) -> Shape:
    assert shape.fields is not None
    return shape._replace(fields={**shape.fields, **extra})


def statute_shape() -> Shape:
    """The facts a criterion reads: the statute's fields plus what the engine derives."""
    from .model import Statute

    root = shape_of(Statute)
    assert root.fields is not None
    sanction = root.fields["sanctions"].each
    assert sanction is not None
    aim = Shape(
        "map",
        fields={
            "interest": SCALAR,
            "entry": SCALAR,
            "aim": SCALAR,
            "status": Shape("scalar", values=frozenset({"permissible", "outside_article", "impermissible", "unclassified"})),
            "inferred": SCALAR,
        },
    )
    return _with(
        root,
        sanctions=Shape("list", each=_with(sanction, max_days=SCALAR, min_days=SCALAR)),
        derived=Shape("map", fields={"aims": Shape("list", each=aim)}),
    )


def outcome_shape() -> Shape:
    """What the scoring rules read (:func:`lawaudit.engine.outcome_context`)."""
    from .results import Recommendation, Severity, TestName, TestStatus

    def enum_values(e: type[enum.Enum]) -> Shape:
        return Shape("scalar", values=frozenset(str(m.value) for m in e))

    test = Shape("map", fields={"status": enum_values(TestStatus), "score": SCALAR})
    finding = Shape(
        "map",
        fields={
            "criterion": SCALAR,
            "test": enum_values(TestName),
            "severity": enum_values(Severity),
            "remedy": enum_values(Recommendation),
        },
    )
    return Shape(
        "map",
        fields={
            "tests": Shape("map", fields={t.value: test for t in TestName}),
            "findings": Shape("list", each=finding),
            "statute": statute_shape(),
            "score": SCALAR,
        },
    )


class PathProblem(ValueError):
    """A path that names something the shape does not have."""


def walk(shape: Shape, steps: tuple[tuple[str, str | int | None], ...]) -> Shape:
    """The shape a path's steps lead to (``name`` then an optional ``[*]``/``[n]``)."""
    for name, index in steps:
        if shape.kind == "any":
            return ANY
        if shape.kind != "map":
            raise PathProblem(f"'{name}' is read from {shape.describe()}, which has no fields")
        if name == "*":  # every value of the mapping: their common shape, when they share one
            if shape.fields is None:
                shape = shape.each or ANY
            else:
                shapes = list(shape.fields.values())
                shape = shapes[0] if shapes and all(x == shapes[0] for x in shapes) else ANY
        elif shape.fields is None:
            shape = shape.each or ANY
        elif name in shape.fields:
            shape = shape.fields[name]
        else:
            raise PathProblem(f"no field '{name}' here; the format has {shape.describe()}")
        if index is not None:
            if shape.kind == "any":
                return ANY
            if shape.kind != "list":
                raise PathProblem(f"'{name}' is not a list, so '{name}[{index}]' reads nothing")
            shape = shape.each or ANY
    return shape

"""The condition language of criteria: declarative data, evaluated by the engine.

A criterion's ``condition`` is a YAML mapping a lawyer can read. It is
compiled once, when the catalogue loads, into a small tree of nodes; there is
no ``eval`` and no Python in criteria files. Every node answers "does it
hold?" *and* "what in the statute shows it?", so each finding carries the
evidence that made it fire.

Forms (documented for authors in ``criteria/README.md``)::

    all: [COND, ...]                  every one holds
    any: [COND, ...]                  at least one holds
    not: COND                         it does not hold
    field: PATH                       compare the values at PATH, with one of
      equals: V | in: [V...] | exists: true/false | contains: V
      gte/gt/lte/lt: N | longer_than/shorter_than: N   (N in characters)
      [quantifier: any|all]           any value (default) or every value
    some:  {in: PATH, where: COND}    some item of the list at PATH satisfies COND
                                      (``evidence: item`` quotes the whole item)
    every: {in: PATH, where: COND}    the list is non-empty and every item does
    count: {in: PATH, where: COND, gte/gt/lte/lt/equals: N}
    lexicon: NAME | [NAME...]         an entry of the lexicon(s) occurs in the text at
      in: PATH | [PATH...]            these fields (default: all text fields)
      [entries: [ID...]]              only these entries
    phrases: {en: [...], ru: [...]}   like lexicon, with the words listed inline
      in: PATH | [PATH...]

PATH is dotted (``@`` is the item itself inside ``where``), with ``[*]`` for every item of a list, ``[N]`` for one item
and ``*`` for every value of a mapping: ``sanctions[*].kind``, ``text.*``,
``measure.decided_by``, ``derived.aims[*].status``. Inside ``where`` paths
are relative to the item; ``$.`` starts from the statute again. A field that
is absent reads as ``null``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import InputError, format_path
from .lexicon import LexiconSet, PatternError
from .results import Evidence
from .yamlread import Document

if TYPE_CHECKING:
    from .fieldshape import Shape

Path = tuple[Any, ...]
Values = list[tuple[Path, Any]]

#: (a pattern string, compiled by ``re`` on first use: only the catalogue compiler
#: parses paths, and a catalogue read back from the cache needs none parsed)
_SEGMENT = r"^(?P<name>[A-Za-z_][A-Za-z0-9_-]*|\*)(?P<index>\[(?:\*|\d+)\])?$"
MAX_EVIDENCE = 12
#: evidence is built by ``tuple.__new__``: a named tuple's own ``__new__`` is a Python frame per quote
_new = tuple.__new__


class ConditionError(Exception):
    """A malformed condition; ``where`` is the path inside the criterion file."""

    def __init__(self, where: Path, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


# ---------------------------------------------------------------------- paths


class _Slotted:
    """Plain classes with ``__slots__`` for the compiled condition tree.

    Not dataclasses: defining a dataclass costs about half a millisecond at
    every start of the command, and the tree is built once (or read back from
    the catalogue cache) and never compared (a path compares by its text); a
    readable repr is all it needs.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        names: tuple[str, ...] = self.__slots__
        # (a slot whose name starts with ``_`` is what a node works out for itself, not its form)
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names if not name.startswith("_"))
        return f"{type(self).__name__}({fields})"


class FieldPath(_Slotted):
    """A compiled PATH: a tuple of steps, each a name, ``*`` or an index."""

    __slots__ = ("text", "steps", "absolute", "plain", "listed")

    def __init__(self, text: str, steps: tuple[tuple[str, str | int | None], ...], absolute: bool) -> None:
        self.text = text
        self.steps = steps
        self.absolute = absolute
        #: the names of a plain dotted path (no ``*``, no index), which :meth:`resolve` walks directly
        self.plain: tuple[str, ...] | None = None
        #: the names of a dotted path whose last step is ``[*]`` (``sanctions[*]``,
        #: ``derived.aims[*]``: what ``some``/``every`` walk), also walked directly
        self.listed: tuple[str, ...] | None = None
        if steps and all(name != "*" and index is None for name, index in steps):
            self.plain = tuple(name for name, _ in steps)
        elif steps and steps[-1][1] == "*" and all(name != "*" and index is None for name, index in steps[:-1]):
            self.listed = tuple(name for name, _ in steps)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldPath) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @classmethod
    def parse(cls, text: Any, where: Path) -> "FieldPath":
        if not isinstance(text, str) or not text.strip():
            raise ConditionError(where, f"expected a field path such as 'sanctions[*].kind', got {text!r}")
        if text == "@":  # the item itself, inside `where`
            return cls(text, (), False)
        absolute = text.startswith("$.")
        body = text[2:] if absolute else text
        steps: list[tuple[str, str | int | None]] = []
        for seg in body.split("."):
            m = re.match(_SEGMENT, seg)
            if not m:
                raise ConditionError(where, f"bad path segment '{seg}' in '{text}'")
            idx = m.group("index")
            index: str | int | None = None
            if idx:
                index = "*" if idx == "[*]" else int(idx[1:-1])
            steps.append((m.group("name"), index))
        return cls(text, tuple(steps), absolute)

    def _plain_parent(self, value: Any, names: tuple[str, ...] | None = None) -> dict[str, Any] | None:
        """The mapping that holds the last of ``names`` (default: the plain path's); None where the path breaks off."""
        names = names or self.plain
        assert names is not None
        return _parent_of(value, names[:-1])

    def values(self, scope: tuple[Path, Any], root: tuple[Path, Any]) -> list[Any]:
        """The values :meth:`resolve` reaches, without their paths (deciding needs no paths)."""
        plain = self.plain
        if plain is None:
            return [v for _p, v in self.resolve(scope, root)]
        parent = self._plain_parent((root if self.absolute else scope)[1])
        return [] if parent is None else [parent.get(plain[-1])]

    def resolve(self, scope: tuple[Path, Any], root: tuple[Path, Any]) -> Values:
        """All (path, value) pairs the path reaches; an absent field yields ``(path, None)``."""
        plain = self.plain
        if plain is not None:  # the common case, without the general walk's lists
            base, value = root if self.absolute else scope
            parent = value if len(plain) == 1 else self._plain_parent(value)
            return [(base + plain, parent.get(plain[-1]))] if isinstance(parent, dict) else []
        listed = self.listed
        if listed is not None:  # names then [*]: the items of one list
            base, value = root if self.absolute else scope
            parent = self._plain_parent(value, listed)
            items = None if parent is None else parent.get(listed[-1])
            if not isinstance(items, list):
                return []
            at = base + listed
            return [(at + (j,), item) for j, item in enumerate(items)]
        current: Values = [root if self.absolute else scope]
        last = len(self.steps) - 1
        for i, (name, index) in enumerate(self.steps):
            nxt: Values = []
            for path, value in current:
                if name == "*":
                    if isinstance(value, dict):
                        nxt.extend((path + (k,), v) for k, v in value.items())
                    continue
                if not isinstance(value, dict):
                    continue
                child = value.get(name)
                cpath = path + (name,)
                if index is None:
                    if child is not None or i == last:
                        nxt.append((cpath, child))
                elif isinstance(child, list):
                    if index == "*":
                        nxt.extend((cpath + (j,), item) for j, item in enumerate(child))
                    elif isinstance(index, int) and index < len(child):
                        nxt.append((cpath + (index,), child[index]))
            current = nxt
        return current


def _parent_of(value: Any, parents: tuple[str, ...]) -> dict[str, Any] | None:
    """The mapping reached from ``value`` through the names ``parents``; None where the walk breaks off.

    The one walk of a dotted path's parents, for :meth:`FieldPath.resolve`
    and for the decision closures of field tests and ``some``/``every``.
    """
    for name in parents:
        if not isinstance(value, dict):
            return None
        value = value.get(name)
        if value is None:
            return None
    return value if isinstance(value, dict) else None


def _values_at(steps: tuple[tuple[str, str | int | None], ...], value: Any) -> list[Any]:
    """The values :meth:`FieldPath.resolve`'s step-by-step walk reaches from ``value``, without their paths."""
    current = [value]
    last = len(steps) - 1
    for i, (name, index) in enumerate(steps):
        nxt: list[Any] = []
        for data in current:
            if name == "*":
                if isinstance(data, dict):
                    nxt.extend(data.values())
                continue
            if not isinstance(data, dict):
                continue
            child = data.get(name)
            if index is None:
                if child is not None or i == last:
                    nxt.append(child)
            elif isinstance(child, list):
                if index == "*":
                    nxt.extend(child)
                elif isinstance(index, int) and index < len(child):
                    nxt.append(child[index])
        current = nxt
    return current


# -------------------------------------------------------------- evaluation


class Context(_Slotted):
    """Everything a condition can look at for one statute."""

    __slots__ = ("facts", "document", "lexicons", "sources", "root", "_hits", "_texts", "_found")

    def __init__(
        self, facts: dict[str, Any], document: Document | None, lexicons: LexiconSet, sources: dict[Path, Path] | None = None
    ) -> None:
        self.facts = facts
        self.document = document
        self.lexicons = lexicons
        #: derived items carry the statute path they stand for, for evidence
        self.sources: dict[Path, Path] = {} if sources is None else sources
        #: the scope of the statute as a whole, ``((), facts)``: every condition reads it
        self.root: tuple[Path, Any] = ((), facts)
        self._hits: dict[tuple[Path, str | None], tuple[Any, ...]] = {}
        self._texts: dict[str, list[tuple[Path, str]]] = {}
        self._found: dict[Path, set[int]] = {}

    def texts(self, fp: FieldPath) -> list[tuple[Path, str]]:
        """The texts at ``fp`` read from the statute as a whole, with their paths: walked once per statute.

        Lexicon tests read the same few fields (``text.*``, ``conduct``,
        ``terms[*].term``) criterion after criterion; the hits are remembered
        per field (:meth:`hits`), and this remembers the walk that finds the
        fields. The facts do not change once conditions read them.
        """
        found = self._texts.get(fp.text)
        if found is None:
            found = [(at, text) for at, text in fp.resolve(self.root, self.root) if isinstance(text, str)]
            self._texts[fp.text] = found
        return found

    def hits(self, path: Path, text: str) -> tuple[Any, ...]:
        """Lexicon hits in the text at ``path``, computed once per field and reused by every criterion."""
        lang = path[1] if len(path) == 2 and path[0] == "text" else None
        key = (path, lang)
        found = self._hits.get(key)
        if found is None:
            found = self.lexicons.matcher_for(lang).find(text)
            self._hits[key] = found
        return found

    def found(self, path: Path, text: str) -> set[int]:
        """The entry numbers of :meth:`hits` as a set, made once per field.

        Deciding a lexicon test only asks whether any of its entries occurs in
        a field; a field is asked by criterion after criterion, and one
        ``isdisjoint`` with this set replaces a Python loop over its hits (a
        provision's text has dozens) for each of them. (The path decides the
        language, so it alone is the key, as the facts do not change.)
        """
        found = self._found.get(path)
        if found is None:
            found = self._found[path] = {hit[0] for hit in self.hits(path, text)}
        return found

    def source_of(self, path: Path) -> Path:
        """The statute path a (possibly derived) value stands for."""
        if self.sources:
            for i in range(len(path), 0, -1):
                found = self.sources.get(path[:i])
                if found is not None:
                    return found
        return path

    def line_of(self, path: Path, text: str | None = None, offset: int = 0) -> int:
        """The line in the statute file of the value at ``path`` (of ``offset`` within it)."""
        return self.line_at(path, self.source_of(path), text, offset)

    def line_at(self, path: Path, derived: Path, text: str | None = None, offset: int = 0) -> int:
        """:meth:`line_of`, given ``derived = source_of(path)``, which evidence has worked out already."""
        if derived != path:
            text, offset = None, 0
        path = derived
        if self.document is None:
            return 0
        line, _col = self.document.position(path)
        if text is not None and offset:
            style = self.document.block_styles.get(path)
            if style == "|":  # a literal block keeps the file's line breaks: count them
                return line + 1 + text.count("\n", 0, offset)
            if style == ">":
                return line + 1
            # plain and quoted scalars fold line breaks, and "\n" escapes add some the
            # file does not have: the value's own line is the one that is surely right
            return line
        if self.document.block_styles.get(path):
            return line + 1
        return line

    def offset_lines(self, path: Path, derived: Path, text: str) -> tuple[int, bool]:
        """:meth:`line_at` for many offsets in one text: the line at offset 0, and whether each
        offset adds the line breaks before it (a literal block, ``|``) or all share that line.

        A lexicon test quotes many matches from one long text; this works out
        once what the lines of all of them share.
        """
        line = self.line_at(path, derived, text, 0)
        literal = derived == path and self.document is not None and self.document.block_styles.get(path) == "|"
        return line, literal

    def evidence_for(self, path: Path, value: Any) -> Evidence:
        spath = self.source_of(path)
        quote = value if isinstance(value, str) else _show(value)
        if spath != path:
            original = _get(self.facts, spath)
            if isinstance(original, str):
                quote = original
        return _new(Evidence, (format_path(spath), _clip(quote), self.line_at(path, spath), ""))


def _get(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _show(value: Any) -> str:
    if value is None:
        return "(not stated)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        # a whole item quoted as evidence (a case of `application[*]`): most of its
        # values are strings, shown as they are without a call each (and the
        # parts are gathered in a loop, not a generator, for the same reason)
        parts: list[str] = []
        for k, v in value.items():
            if v is None or str(k).startswith("_"):
                continue
            parts.append(f"{k}: {v}" if type(v) is str else f"{k}: {_show(v)}")
        return ", ".join(parts)
    return str(value)


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: where a clause ends: ``[.;!?]\s``, a blank line, or a numbered item's start. The
#: punctuation is spelled as four branches: when every branch starts with a literal
#: character, the regular-expression engine skips to the next of those five characters
#: in C, where ``[.;!?]`` made it try a match at every position (~2x slower quoting).
#: The matches are the same: at any position at most one of the four can match.
_BOUNDARY = re.compile(r"\.\s|;\s|!\s|\?\s|\n\s*\n|\n\s*\d+[.)]\s")


def quote_context(text: str, start: int, end: int, width: int = 80) -> str:
    """The clause around a match, so a quote reads as law and not as a lone word."""
    lo = max(0, start - width)
    # the windows are searched in place (pos, endpos) rather than sliced out: the
    # pattern has no anchors or look-behind, so it matches exactly as in a slice
    cut = None
    for m in _BOUNDARY.finditer(text, lo, start):
        cut = m.end()
    if cut is not None:
        lo = cut
    hi = min(len(text), end + width)
    after = _BOUNDARY.search(text, end, hi)
    if after:
        hi = after.start() + 1
    snippet = " ".join(text[lo:hi].split())
    prefix = "…" if lo > 0 and cut is None else ""
    suffix = "…" if hi < len(text) and after is None else ""
    return prefix + snippet + suffix


Result = tuple[bool, list[Evidence]]


#: a decided condition, specialised when first used: ``(ctx, path, value) -> holds?``;
#: ``path`` is None where no node below needs it (only lexicon tests key their hits by path)
Test = Callable[[Context, "Path | None", Any], bool]


class Node(_Slotted):
    """A compiled condition.

    Two questions, two methods: :meth:`holds` answers "does it hold?" and
    stops at the first deciding value; :meth:`evaluate` also gathers the
    evidence (quotes, lines) that a finding shows. Most criteria do not fire
    on most statutes, so the engine asks :meth:`holds` first and gathers
    evidence only for the few that do. The two must always agree; a test
    checks that on every example and corpus file.

    Deciding is what an audit does most (every criterion, every statute), so
    each node turns itself, the first time it is asked, into a closure
    specialised for its form (:meth:`test`): a field test on ``measure.kind``
    with ``equals`` becomes two ``dict.get`` and a comparison, with no path
    walk, no lists of (path, value) pairs and no method lookups on the way.
    The closure is kept in ``_test``, which (like every slot whose name starts
    with ``_``: what a node works out for itself) is left out of the pickled
    catalogue (closures cannot be pickled) and rebuilt on first use.
    """

    __slots__ = ("_test",)
    _test: Test

    def evaluate(self, ctx: Context, scope: tuple[Path, Any]) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError

    def holds(self, ctx: Context, scope: tuple[Path, Any]) -> bool:
        return self.test()(ctx, scope[0], scope[1])

    def test(self) -> Test:
        """The specialised closure that decides this node (built once)."""
        try:
            return self._test
        except AttributeError:
            built = self._test = self._build()
            return built

    def _build(self) -> Test:  # pragma: no cover - abstract
        raise NotImplementedError

    def needs_path(self) -> bool:
        """Whether deciding reads the scope's path (lexicon hits are remembered by path)."""
        return False

    def __getstate__(self) -> tuple[None, dict[str, Any]]:
        state = {
            name: getattr(self, name)
            for cls in type(self).__mro__
            for name in getattr(cls, "__slots__", ())
            if not name.startswith("_") and hasattr(self, name)
        }
        return None, state

    def lexicons_used(self) -> set[str]:
        return set()

    def roots(self, top: bool = True) -> set[str]:
        """The first names of the paths this reads from the root of its data (``*``: any of them).

        ``top`` is False inside a ``where``, whose paths are the items' own
        except those that start again from the root (``$.``). A form that
        does not say is taken to read everything.
        """
        return {"*"}


def _roots_of(paths: "Iterable[FieldPath]", top: bool) -> set[str]:
    """:meth:`Node.roots` of a node that reads ``paths``."""
    return {str(fp.steps[0][0]) if fp.steps else "*" for fp in paths if top or fp.absolute}


class All(Node):
    __slots__ = ("parts",)

    def __init__(self, parts: list[Node]) -> None:
        self.parts = parts

    def evaluate(self, ctx: Context, scope: tuple[Path, Any]) -> Result:
        evidence: list[Evidence] = []
        for part in self.parts:
            ok, ev = part.evaluate(ctx, scope)
            if not ok:
                return False, []
            evidence.extend(ev)
        return True, evidence

    def _build(self) -> Test:
        tests = tuple(part.test() for part in self.parts)
        if len(tests) == 2:
            first, second = tests
            return lambda ctx, path, value: first(ctx, path, value) and second(ctx, path, value)

        def test(ctx: Context, path: Path | None, value: Any) -> bool:
            for part in tests:
                if not part(ctx, path, value):
                    return False
            return True

        return test

    def needs_path(self) -> bool:
        return any(part.needs_path() for part in self.parts)

    def lexicons_used(self) -> set[str]:
        return set().union(*(p.lexicons_used() for p in self.parts))

    def roots(self, top: bool = True) -> set[str]:
        return set().union(*(p.roots(top) for p in self.parts))


class AnyOf(Node):
    __slots__ = ("parts",)

    def __init__(self, parts: list[Node]) -> None:
        self.parts = parts

    def evaluate(self, ctx: Context, scope: tuple[Path, Any]) -> Result:
        hit = False
        evidence: list[Evidence] = []
        for part in self.parts:
            ok, ev = part.evaluate(ctx, scope)
            if ok:
                hit = True
                evidence.extend(ev)
        return hit, evidence

    def _build(self) -> Test:
        tests = tuple(part.test() for part in self.parts)
        if len(tests) == 2:
            first, second = tests
            return lambda ctx, path, value: first(ctx, path, value) or second(ctx, path, value)

        def test(ctx: Context, path: Path | None, value: Any) -> bool:
            for part in tests:
                if part(ctx, path, value):
                    return True
            return False

        return test

    def needs_path(self) -> bool:
        return any(part.needs_path() for part in self.parts)

    def lexicons_used(self) -> set[str]:
        return set().union(*(p.lexicons_used() for p in self.parts))

    def roots(self, top: bool = True) -> set[str]:
        return set().union(*(p.roots(top) for p in self.parts))


class Not(Node):
    __slots__ = ("part",)

    def __init__(self, part: Node) -> None:
        self.part = part

    def evaluate(self, ctx: Context, scope: tuple[Path, Any]) -> Result:
        return (not self.part.holds(ctx, scope)), []

    def _build(self) -> Test:
        inner = self.part.test()
        return lambda ctx, path, value: not inner(ctx, path, value)

    def needs_path(self) -> bool:
        return self.part.needs_path()

    def lexicons_used(self) -> set[str]:
        return self.part.lexicons_used()

    def roots(self, top: bool = True) -> set[str]:
        return self.part.roots(top)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _present(value: Any) -> bool:
    return value is not None and value != [] and value != {} and value != ""


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "equals": lambda v, x: v == x,
    "in": lambda v, x: v in x,
    "contains": lambda v, x: isinstance(v, list) and x in v,
    "gte": lambda v, x: (n := _num(v)) is not None and n >= x,
    "gt": lambda v, x: (n := _num(v)) is not None and n > x,
    "lte": lambda v, x: (n := _num(v)) is not None and n <= x,
    "lt": lambda v, x: (n := _num(v)) is not None and n < x,
    "longer_than": lambda v, x: isinstance(v, str) and len(v.strip()) > x,
    "shorter_than": lambda v, x: v is None or (isinstance(v, str) and len(v.strip()) < x),
}


class FieldTest(Node):
    __slots__ = ("path", "op", "operand", "every", "name")

    def __init__(self, path: FieldPath, op: str, operand: Any, every: bool = False) -> None:
        self.path = path
        self.op = op
        self.operand = operand
        self.every = every
        #: the field's name when the path is one name read from the scope (``status``,
        #: ``severity``: most tests inside ``where``), which :meth:`holds` reads directly
        self.name: str | None = None
        plain = path.plain
        if plain is not None and len(plain) == 1 and not path.absolute:
            self.name = plain[0]

    def evaluate(self, ctx: Context, scope: tuple[Path, Any]) -> Result:
        name = self.name
        if name is not None and self.op != "exists":
            # one name read from the scope (most tests inside `where`): one value at most
            data = scope[1]
            if isinstance(data, dict):
                value = data.get(name)
                if _COMPARE[self.op](value, self.operand):
                    return True, [ctx.evidence_for(scope[0] + (name,), value)]
            return False, []
        values = self.path.resolve(scope, ctx.root)
        if self.op == "exists":
            present = [(p, v) for p, v in values if _present(v)]
            if self.operand:
                return (bool(present), [ctx.evidence_for(p, v) for p, v in present[:MAX_EVIDENCE]])
            return (not present), []
        if not values:
            values = []
        test = _COMPARE[self.op]
        good = [(p, v) for p, v in values if test(v, self.operand)]
        if self.every:
            ok = bool(values) and len(good) == len(values)
        else:
            ok = bool(good)
        return ok, ([ctx.evidence_for(p, v) for p, v in good[:MAX_EVIDENCE]] if ok else [])

    def _build(self) -> Test:
        op, operand = self.op, self.operand
        name = self.name
        if name is not None:  # one name read from the scope: one value at most, read directly
            if op == "exists":
                absent = not operand  # what a scope that is not a mapping gives

                def exists(ctx: Context, path: Path | None, value: Any) -> bool:
                    if not isinstance(value, dict):
                        return absent
                    return _present(value.get(name)) is operand

                return exists
            if op == "equals":
                return lambda ctx, path, value: isinstance(value, dict) and value.get(name) == operand
            if op == "in":
                return lambda ctx, path, value: isinstance(value, dict) and value.get(name) in operand
            compare = _COMPARE[op]
            return lambda ctx, path, value: isinstance(value, dict) and compare(value.get(name), operand)
        fp = self.path
        plain = fp.plain
        if plain is not None:  # a dotted path: one value at most, or none where the path breaks off
            parents, last, absolute = plain[:-1], plain[-1], fp.absolute
            if op == "exists":
                absent = not operand

                def check(found: Any) -> bool:
                    return _present(found) if operand else not _present(found)

            else:
                compare = _COMPARE[op]
                absent = False

                def check(found: Any) -> bool:
                    return compare(found, operand)

            if len(parents) == 1:
                # `measure.kind`, `harm.required`: most dotted paths have one parent, read
                # here without a call to the general walk (_parent_of) for each decision
                first = parents[0]
                if op == "equals":

                    def dotted_equals(ctx: Context, path: Path | None, value: Any) -> bool:
                        data = ctx.root[1] if absolute else value
                        if isinstance(data, dict):
                            parent = data.get(first)
                            if isinstance(parent, dict):
                                return parent.get(last) == operand
                        return absent

                    return dotted_equals

                def dotted_one(ctx: Context, path: Path | None, value: Any) -> bool:
                    data = ctx.root[1] if absolute else value
                    if isinstance(data, dict):
                        parent = data.get(first)
                        if isinstance(parent, dict):
                            return check(parent.get(last))
                    return absent

                return dotted_one

            def dotted(ctx: Context, path: Path | None, value: Any) -> bool:
                parent = _parent_of(ctx.root[1] if absolute else value, parents)
                return absent if parent is None else check(parent.get(last))

            return dotted
        steps, absolute, every = fp.steps, fp.absolute, self.every
        if op == "exists":

            def general_exists(ctx: Context, path: Path | None, value: Any) -> bool:
                present = any(_present(v) for v in _values_at(steps, ctx.root[1] if absolute else value))
                return present if operand else not present

            return general_exists
        compare = _COMPARE[op]

        def general(ctx: Context, path: Path | None, value: Any) -> bool:
            values = _values_at(steps, ctx.root[1] if absolute else value)
            if every:
                return bool(values) and all(compare(v, operand) for v in values)
            return any(compare(v, operand) for v in values)

        return general

    def roots(self, top: bool = True) -> set[str]:
        return _roots_of([self.path], top)


class Quantified(Node):
    __slots__ = ("kind", "path", "where", "op", "operand", "item_evidence")

    def __init__(
        self,
        kind: str,
        path: FieldPath,
        where: Node | None,
        op: str | None = None,
        operand: float = 0,
        item_evidence: bool = False,
    ) -> None:
        self.kind = kind  # some | every | count
        self.path = path
        self.where = where
        self.op = op
        self.operand = operand
        #: quote the matching items themselves rather than what ``where`` matched in them
        self.item_evidence = item_evidence

    def evaluate(self, ctx: Context, scope: tuple[Path, Any]) -> Result:
        items = self.path.resolve(scope, ctx.root)
        items = [(p, v) for p, v in items if v is not None]
        matched: list[tuple[Path, Any, list[Evidence]]] = []
        where = self.where
        if where is None or self.item_evidence:  # the item itself is the evidence: decide only
            decide = None if where is None else where.test()
            matched = [(p, v, []) for p, v in items if decide is None or decide(ctx, p, v)]
        else:  # evidence from inside the items that match, each decided first (most do not)
            decide = where.test()
            for p, v in items:
                if decide(ctx, p, v):
                    matched.append((p, v, where.evaluate(ctx, (p, v))[1]))
        if self.kind == "some":
            ok = bool(matched)
        elif self.kind == "every":
            ok = bool(items) and len(matched) == len(items)
        else:
            ok = _COMPARE[self.op or "gte"](len(matched), self.operand)
        if not ok:
            return False, []
        evidence: list[Evidence] = []
        for p, v, ev in matched:
            evidence.extend(ev if ev and not self.item_evidence else [ctx.evidence_for(p, v)])
        return True, evidence

    def _build(self) -> Test:
        kind, fp = self.kind, self.path
        where = self.where.test() if self.where is not None else None
        compare = _COMPARE[self.op or "gte"]
        operand = self.operand
        absolute = fp.absolute
        listed = fp.listed
        if self.where is not None and self.where.needs_path():  # items with their paths
            if listed is not None and kind == "some":
                # `some` item of one list whose test reads its texts (`terms[*]` where a lexicon
                # occurs in `term`): the path is built for each item only as it is decided
                parents, last = listed[:-1], listed[-1]
                decide = where
                assert decide is not None

                def some_at(ctx: Context, path: Path | None, value: Any) -> bool:
                    parent = _parent_of(ctx.root[1] if absolute else value, parents)
                    if parent is None:
                        return False
                    found = parent.get(last)
                    if not isinstance(found, list) or not found:
                        return False
                    at = (() if absolute or path is None else path) + listed
                    for j, item in enumerate(found):
                        if item is not None and decide(ctx, at + (j,), item):
                            return True
                    return False

                return some_at

            def items(ctx: Context, path: Path | None, value: Any) -> Iterable[tuple[Path | None, Any]]:
                return fp.resolve((() if path is None else path, value), ctx.root)

        else:  # the items alone: no paths built
            if listed is not None:
                parents, last = listed[:-1], listed[-1]
                if not parents:  # `sanctions[*]`: a list of the scope itself, read without the walk

                    def values(ctx: Context, path: Path | None, value: Any) -> list[Any]:
                        data = ctx.root[1] if absolute else value
                        found = data.get(last) if isinstance(data, dict) else None
                        return found if isinstance(found, list) else []

                else:

                    def values(ctx: Context, path: Path | None, value: Any) -> list[Any]:
                        parent = _parent_of(ctx.root[1] if absolute else value, parents)
                        found = None if parent is None else parent.get(last)
                        return found if isinstance(found, list) else []

            else:
                steps = fp.steps

                def values(ctx: Context, path: Path | None, value: Any) -> list[Any]:
                    return _values_at(steps, ctx.root[1] if absolute else value)

            def items(ctx: Context, path: Path | None, value: Any) -> Iterable[tuple[Path | None, Any]]:
                return ((None, v) for v in values(ctx, path, value))

            if where is not None:
                # the common form, without pairs: decide each item by its value
                if kind == "some":

                    def some(ctx: Context, path: Path | None, value: Any) -> bool:
                        for item in values(ctx, path, value):
                            if item is not None and where(ctx, None, item):
                                return True
                        return False

                    return some
                if kind == "every":

                    def every(ctx: Context, path: Path | None, value: Any) -> bool:
                        seen = False
                        for item in values(ctx, path, value):
                            if item is not None:
                                if not where(ctx, None, item):
                                    return False
                                seen = True
                        return seen

                    return every

        def quantified(ctx: Context, path: Path | None, value: Any) -> bool:
            pairs = [(p, v) for p, v in items(ctx, path, value) if v is not None]
            if where is None:
                matched = len(pairs)
            elif kind == "some":
                return any(where(ctx, p, v) for p, v in pairs)
            elif kind == "every":
                return bool(pairs) and all(where(ctx, p, v) for p, v in pairs)
            else:
                matched = sum(1 for p, v in pairs if where(ctx, p, v))
            if kind == "some" or kind == "every":
                return matched > 0
            return compare(matched, operand)

        return quantified

    def needs_path(self) -> bool:
        return self.where is not None and self.where.needs_path()

    def lexicons_used(self) -> set[str]:
        return self.where.lexicons_used() if self.where else set()

    def roots(self, top: bool = True) -> set[str]:
        return _roots_of([self.path], top) | (self.where.roots(False) if self.where is not None else set())


class LexiconTest(Node):
    __slots__ = ("paths", "lexicons", "entries")

    def __init__(self, paths: list[FieldPath], lexicons: frozenset[str], entries: frozenset[int] | None) -> None:
        self.paths = paths
        self.lexicons = lexicons
        self.entries = entries

    def wanted(self, lexset: LexiconSet) -> frozenset[int]:
        """The entry numbers this test looks for: its entries, or every entry of its lexicons.

        As a set, so that deciding a field is one ``isdisjoint`` with its
        entries (:meth:`Context.found`) and picking its hits one set lookup
        per hit.
        """
        return self.entries if self.entries is not None else lexset.entries_of(self.lexicons)

    def evaluate(self, ctx: Context, scope: tuple[Path, Any]) -> Result:
        evidence: list[Evidence] = []
        limit = MAX_EVIDENCE * 2  # a finding shows no more; the rest would be built to be dropped
        want = self.wanted(ctx.lexicons)
        from_root = scope[1] is ctx.root[1]
        for fp in self.paths:
            texts = ctx.texts(fp) if from_root or fp.absolute else fp.resolve(scope, ctx.root)
            for path, value in texts:
                if not isinstance(value, str):
                    continue
                if want.isdisjoint(ctx.found(path, value)):
                    continue
                hits = [hit for hit in ctx.hits(path, value) if hit[0] in want]
                # what every quote from this field shares, worked out once for the field
                spath = ctx.source_of(path)
                field = format_path(spath)
                line, literal = ctx.offset_lines(path, spath, value)
                for hit in hits:
                    start, end = hit.start, hit.end
                    evidence.append(
                        _new(
                            Evidence,
                            (
                                field,
                                quote_context(value, start, end),
                                line + value.count("\n", 0, start) if literal else line,
                                value[start:end],
                            ),
                        )
                    )
                    if len(evidence) == limit:
                        return True, evidence
        return bool(evidence), evidence

    def _build(self) -> Test:
        wanted = self.entries
        lexicons = self.lexicons
        paths = tuple(self.paths)

        def test(ctx: Context, path: Path | None, value: Any) -> bool:
            # one isdisjoint per field with the field's entries (Context.found)
            want = wanted if wanted is not None else ctx.lexicons.entries_of(lexicons)
            root = ctx.root
            from_root = value is root[1]  # the statute as a whole: its texts are walked once (Context.texts)
            # Context.texts and Context.found read through their memos here, calling them only
            # on a miss: after a statute's first criteria nearly every read is a hit
            walked, found = ctx._texts, ctx._found
            for fp in paths:
                if from_root or fp.absolute:
                    texts: Iterable[tuple[Path, Any]] | None = walked.get(fp.text)
                    if texts is None:
                        texts = ctx.texts(fp)
                else:
                    texts = fp.resolve((() if path is None else path, value), root)
                for at, text in texts:
                    if isinstance(text, str):
                        entries = found.get(at)
                        if entries is None:
                            entries = ctx.found(at, text)
                        if not want.isdisjoint(entries):
                            return True
            return False

        return test

    def needs_path(self) -> bool:
        return any(not fp.absolute for fp in self.paths)

    def lexicons_used(self) -> set[str]:
        return set(self.lexicons)

    def roots(self, top: bool = True) -> set[str]:
        return _roots_of(self.paths, top)


# ------------------------------------------------------------------ compiler

TEXT_FIELDS = ("text.*", "title", "conduct", "terms[*].term", "aggravating[*]")


class Compiler:
    """Turns condition mappings into nodes, checking every key and lexicon name.

    ``inline`` collects ``phrases:`` lists so they join the same per-language
    matchers as the lexicons (compiled once for the whole catalogue).
    """

    def __init__(self, lexicons: LexiconSet, owner: str, root: "Shape | None" = None) -> None:
        self.lexicons = lexicons
        self.owner = owner
        self._inline = 0
        #: the shape of the data conditions read (:mod:`lawaudit.fieldshape`); None: paths are not checked
        self._root = root
        #: the shape of the current scope: the root, or the items a ``where`` is applied to
        self._scope = root

    def _shape(self, path: "FieldPath", where: Path) -> "Shape | None":
        """The shape ``path`` leads to; a field the data cannot have is a :class:`ConditionError`."""
        if self._root is None or self._scope is None:
            return None
        from .fieldshape import ShapeProblem, walk

        try:
            return walk(self._root if path.absolute else self._scope, path.steps)
        except ShapeProblem as exc:
            raise ConditionError(where, f"'{path.text}': {exc}") from None

    def compile(self, data: Any, where: Path) -> Node:
        if not isinstance(data, dict) or not data:
            raise ConditionError(where, "a condition is a mapping such as {field: PATH, equals: VALUE}")
        keys = set(data)
        if "all" in keys or "any" in keys:
            (key,) = self._only(data, where, {"all", "any"}, set())
            parts = data[key]
            if not isinstance(parts, list) or not parts:
                raise ConditionError(where + (key,), f"'{key}' takes a non-empty list of conditions")
            nodes = [self.compile(p, where + (key, i)) for i, p in enumerate(parts)]
            return All(nodes) if key == "all" else AnyOf(nodes)
        if "not" in keys:
            self._only(data, where, {"not"}, set())
            return Not(self.compile(data["not"], where + ("not",)))
        if "field" in keys:
            return self._field(data, where)
        if keys & {"some", "every", "count"}:
            return self._quantified(data, where)
        if "lexicon" in keys or "phrases" in keys:
            return self._lexicon(data, where)
        raise ConditionError(
            where,
            f"unknown condition {sorted(keys)}; expected one of all, any, not, field, some, every, count, lexicon, phrases",
        )

    def _only(self, data: dict[str, Any], where: Path, required: set[str], optional: set[str]) -> list[str]:
        present = [k for k in data if k in required]
        if len(present) != 1:
            raise ConditionError(where, f"use exactly one of {sorted(required)} in one condition")
        extra = set(data) - required - optional
        if extra:
            raise ConditionError(where + (sorted(extra)[0],), f"unexpected key '{sorted(extra)[0]}' here")
        return present

    def _field(self, data: dict[str, Any], where: Path) -> Node:
        ops = [k for k in data if k in _COMPARE or k == "exists"]
        self._only(data, where, set(_COMPARE) | {"exists"}, {"field", "quantifier"})
        op = ops[0]
        operand = data[op]
        if op in ("gte", "gt", "lte", "lt", "longer_than", "shorter_than") and _num(operand) is None:
            raise ConditionError(where + (op,), f"'{op}' takes a number, got {operand!r}")
        if op in ("gte", "gt", "lte", "lt", "longer_than", "shorter_than"):
            operand = float(operand)
        if op == "in" and not isinstance(operand, list):
            raise ConditionError(where + (op,), "'in' takes a list of values")
        if op == "exists" and not isinstance(operand, bool):
            operand = str(operand).lower() in ("true", "yes", "1")
        if op in ("equals", "contains") and isinstance(operand, str) and operand in ("true", "false"):
            operand = operand == "true"
        quant = data.get("quantifier", "any")
        if quant not in ("any", "all"):
            raise ConditionError(where + ("quantifier",), "quantifier is 'any' or 'all'")
        path = FieldPath.parse(data["field"], where + ("field",))
        shape = self._shape(path, where + ("field",))
        if shape is not None:
            from .fieldshape import ShapeProblem, check_comparison

            if op == "in" and shape.scalar == "bool":  # YAML's true/false in a list arrive as text
                operand = [v == "true" if v in ("true", "false") else v for v in operand]
            try:
                check_comparison(shape, op, operand)
            except ShapeProblem as exc:
                raise ConditionError(where + (op,), f"'{path.text}' {op} {operand!r} can never hold: {exc}") from None
        return FieldTest(path, op, operand, quant == "all")

    def _quantified(self, data: dict[str, Any], where: Path) -> Node:
        (kind,) = self._only(data, where, {"some", "every", "count"}, set())
        spec = data[kind]
        if not isinstance(spec, dict) or "in" not in spec:
            raise ConditionError(where + (kind,), f"'{kind}' takes a mapping with 'in: PATH' and 'where: CONDITION'")
        allowed = {"in", "where", "evidence"} | (set(_COMPARE) - {"in", "contains"} if kind == "count" else set())
        extra = set(spec) - allowed
        if extra:
            raise ConditionError(where + (kind, sorted(extra)[0]), f"unexpected key '{sorted(extra)[0]}' in '{kind}'")
        items = FieldPath.parse(spec["in"], where + (kind, "in"))
        outer = self._scope
        self._scope = self._shape(items, where + (kind, "in"))  # what `where` reads: each item
        try:
            where_node = self.compile(spec["where"], where + (kind, "where")) if "where" in spec else None
        finally:
            self._scope = outer
        if kind != "count" and where_node is None:
            raise ConditionError(where + (kind,), f"'{kind}' needs 'where: CONDITION'")
        op = None
        operand = 0.0
        if kind == "count":
            ops = [k for k in spec if k in allowed - {"in", "where", "evidence"}]
            if len(ops) != 1 or _num(spec[ops[0]]) is None:
                raise ConditionError(where + (kind,), "'count' needs one comparison such as 'gte: 2'")
            op, operand = ops[0], float(spec[ops[0]])
        shown = spec.get("evidence", "match")
        if shown not in ("match", "item"):
            raise ConditionError(where + (kind, "evidence"), "evidence is 'match' (what `where` matched) or 'item' (the whole item)")
        return Quantified(kind, items, where_node, op, operand, shown == "item")

    def _lexicon(self, data: dict[str, Any], where: Path) -> Node:
        extra = set(data) - {"lexicon", "phrases", "in", "entries"}
        if extra:
            raise ConditionError(where + (sorted(extra)[0],), f"unexpected key '{sorted(extra)[0]}' in a lexicon condition")
        if ("lexicon" in data) == ("phrases" in data):
            raise ConditionError(where, "use either 'lexicon: NAME' or 'phrases: {LANG: [...]}', not both")
        if "in" not in data and self._scope is not self._root:
            raise ConditionError(
                where, "inside 'where', say which fields of the item to read with 'in:' (the default fields are the statute's)"
            )
        raw_in = data.get("in", list(TEXT_FIELDS))
        paths_in = raw_in if isinstance(raw_in, list) else [raw_in]
        paths = [FieldPath.parse(p, where + ("in", i)) for i, p in enumerate(paths_in)]
        for k, path in enumerate(paths):
            at = where + ("in", k) if isinstance(raw_in, list) else where + ("in",)
            shape = self._shape(path, at)
            if shape is not None:
                from .fieldshape import ShapeProblem, check_text

                try:
                    check_text(shape)
                except ShapeProblem as exc:
                    raise ConditionError(at, f"'{path.text}': {exc}") from None
        if "phrases" in data:
            phrases = data["phrases"]
            if not isinstance(phrases, dict) or not phrases:
                raise ConditionError(where + ("phrases",), "'phrases' maps a language code to a list of words or phrases")
            for lang, pats in phrases.items():
                if not isinstance(pats, list) or not all(isinstance(p, str) for p in pats):
                    raise ConditionError(where + ("phrases", lang), "expected a list of words or phrases")
            self._inline += 1
            name = f"{self.owner}#{self._inline}"
            try:
                idx = self.lexicons.add_entry(name, "phrases", name, phrases, {})
            except PatternError as exc:
                raise ConditionError(where + ("phrases",), str(exc)) from None
            return LexiconTest(paths, frozenset({name}), frozenset({idx}))
        names_raw = data["lexicon"]
        names = names_raw if isinstance(names_raw, list) else [names_raw]
        known = self.lexicons.lexicon_names()
        for n in names:
            if n not in known:
                raise ConditionError(where + ("lexicon",), f"unknown lexicon '{n}' (known: {', '.join(sorted(k for k in known if '#' not in k))})")
        entries = None
        if "entries" in data:
            ids = data["entries"] if isinstance(data["entries"], list) else [data["entries"]]
            found: set[int] = set()
            for eid in ids:
                matches = [i for n in names if (i := self.lexicons.index(n, str(eid))) is not None]
                if not matches:
                    raise ConditionError(where + ("entries",), f"no entry '{eid}' in lexicon {', '.join(names)}")
                found.update(matches)
            entries = frozenset(found)
        return LexiconTest(paths, frozenset(names), entries)


# ------------------------------------------------------------- templates

TEMPLATE_FIELDS = frozenset(
    {"matches", "quotes", "fields", "count", "id", "provision", "title", "instrument", "jurisdiction"}
)


def template_problem(template: str) -> str | None:
    """What is wrong with a criterion's message template, or ``None``.

    Checked when the catalogue is compiled, so that a lawyer's typo is a
    positioned catalogue error rather than a crash in the middle of an audit:
    braces must pair (``{{``/``}}`` write a literal brace), and a placeholder
    is a bare name from :data:`TEMPLATE_FIELDS` -- no format spec, conversion,
    attribute or index, which could only fail or (``{matches:>99999999999}``)
    exhaust memory when the message is filled.
    """
    import string  # (here: only the catalogue compiler checks templates)

    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:  # "expected '}' before end of string", "Single '}' encountered"
        return f"unbalanced braces in the message ({exc}); write {{{{ or }}}} for a literal brace"
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if name not in TEMPLATE_FIELDS:
            return f"unknown placeholder {shown}; available: {', '.join(sorted(TEMPLATE_FIELDS))}"
        if spec or conversion:
            return f"placeholder {shown} takes no format or conversion; write {{{name}}}"
    return None


def render_template(template: str, evidence: Iterable[Evidence], facts: dict[str, Any]) -> str:
    """Fill a criterion's message with what it matched, so the message quotes the statute.

    A message is split into its text and placeholders once per run, not parsed
    by ``str.format_map`` for every finding. (Its placeholders are bare names:
    :func:`template_problem` refuses any other form when the catalogue is compiled;
    an unknown name raises ``KeyError`` here, as ``format_map`` did.)
    """
    ev = evidence if isinstance(evidence, (list, tuple)) else list(evidence)
    parts = _TEMPLATES.get(template)
    if parts is None:
        import string  # (here: once per message, on its first finding)

        parts = _TEMPLATES[template] = tuple((text, name) for text, name, _s, _c in string.Formatter().parse(template))
    out = ""
    filled: dict[str, str] = {}  # ("{matches} ... {matches}" works it out once)
    for text, name in parts:
        out += text
        if name is not None:
            value = filled.get(name)
            if value is None:
                value = filled[name] = _placeholder(name, ev, facts)
            out += value
    return out


#: each message's parts, (text, placeholder or None), as str.format_map reads them
_TEMPLATES: dict[str, tuple[tuple[str, str | None], ...]] = {}


_FACT_FIELDS = frozenset({"id", "provision", "title", "instrument", "jurisdiction"})


def _placeholder(key: str, ev: Sequence[Evidence], facts: dict[str, Any]) -> str:
    """The value of one placeholder of a message, worked out only when the message uses it.

    Most messages use ``{matches}`` alone; building every value for each
    finding cost more than the rest of writing the finding.
    """
    if key == "matches" or key == "count":
        # a field value that is an enumeration name (administrative_detention)
        # reads as words in a sentence; quotes of the statute's text stay verbatim.
        # (worked out in one loop, without a generator and a call per quote: most
        # messages use {matches}, once per finding)
        seen: set[str] = set()
        matches: list[str] = []
        for e in ev:
            m = e.match or e.quote
            if "_" in m and _IDENTIFIER.match(m):  # an enumeration name has an underscore
                m = m.replace("_", " ")
            folded = m.casefold()
            if folded not in seen:
                seen.add(folded)
                matches.append(m)
        if key == "count":
            return str(len(matches))
        return "“" + "”, “".join(matches) + "”" if matches else ""
    if key == "quotes":
        return "; ".join(f"“{q}”" for q in _unique(e.quote for e in ev))
    if key == "fields":
        return ", ".join(_unique(e.field for e in ev))
    if key in _FACT_FIELDS:
        return str(facts.get(key, ""))
    raise KeyError(key)


_IDENTIFIER = re.compile(r"^[a-z]+(?:_[a-z]+)+$")


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def condition_error(exc: ConditionError, doc: Document, file: str) -> InputError:
    """Place a condition error at its line in the criterion file."""
    line, col = doc.position(exc.where)
    return InputError(file, line, col, format_path(exc.where), exc.message)

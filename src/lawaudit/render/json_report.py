"""``--format json``: the contract's document (``shared/spec/cli-contract.md``).

Keys appear in a fixed order and results are ordered by file, findings by
test then criterion, so the same input always gives byte-identical output.
Fields beyond the contract (``rationale``, ``aims``, ``reviewed``, ``match``)
are additive, which the contract allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from ..choices import Format
from ..errors import InputError
from ..jsonout import Lazy, dumps, encode_basestring, pad, write, write_utf8
from ..results import TESTS, AuditResult, Finding, TestName, TestResult
from ..runner import Encoded, LiveRun, Run
from . import Reporter, utf8_buffer

SCHEMA_VERSION = 1
#: the depth of a result in the document (``results`` is a key of the top-level object)
RESULT_LEVEL = 2


def _errors_when_reached(run: Run | LiveRun) -> Iterator[InputError]:
    """The run's errors, read only when the writer reaches them.

    A :class:`~lawaudit.runner.LiveRun` knows all its errors only after its
    last result; the errors follow the results in the document, so by then
    they are complete.
    """
    yield from run.errors


def run_document(run: Run | LiveRun, *, lazy: bool = False) -> dict[str, Any]:
    """The JSON document as Python data (also used by other reporters and ``diff``).

    ``lazy``: results stay objects until :func:`lawaudit.jsonout.dumps` writes
    them, one at a time (bounded memory on large corpora); with a
    :class:`~lawaudit.runner.LiveRun` each is audited just before it is written.
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lawaudit", "version": run.tool_version},
        "criteria": {"name": run.catalogue_name, "version": run.catalogue_version, "count": run.criteria_count},
        "results": Lazy(run.results, AuditResult.as_dict, plain=True, encode=_piece) if lazy else [r.as_dict() for r in run.results],  # type: ignore[union-attr]  # (Encoded results come only to a streamed report)
        "errors": Lazy(_errors_when_reached(run), InputError.as_dict, plain=True) if lazy else [e.as_dict() for e in run.errors],
    }


# ------------------------------------------------------------ results as UTF-8
#
# A result's dict (``AuditResult.as_dict``) was built only to be encoded; the
# dict, the compiled encoder, decoding its UTF-8 into a string, indenting that
# and encoding it back to UTF-8 for the output cost about 0.55 M instructions
# per result, a tenth of a file's audit. Its shape is fixed, so
# ``_result_utf8`` writes the UTF-8 bytes of its JSON text directly, joined
# once: the keys, indentation and the parts of a finding its criterion gives
# (title, recommendation, sources, remedy: about a third of a report) are
# bytes made once, and each string of the result is encoded to UTF-8 and
# escaped as ``json.dumps`` escapes it (``"``, ``\`` and control characters;
# with ``ensure_ascii=False`` nothing else; the strings of a result are checked
# for these together, and escaped one by one only when one has any). A result it is not sure to write
# exactly (an analyst's review, which is free-form; a value of an unexpected
# type; a string that is not valid UTF-8, such as a lone surrogate) goes
# through ``as_dict`` and the general encoders instead.
# ``tests/test_jsonout.py`` compares it with ``json.dumps(r.as_dict())``.

#: every byte a JSON string may hold as it is: deleting them leaves what must be escaped
_NEEDS_NO_ESCAPE = bytes(b for b in range(256) if b >= 0x20 and b not in b'"\\')
#: the constant bytes of a result at a depth
_SHAPES: dict[int, "_Shape"] = {}
#: a finding's criterion-given parts, by what they are made of and their depth
_FINDING_PARTS: dict[tuple[Any, ...], tuple[bytes, bytes, bytes]] = {}
#: a result's ``tests`` object, by its four test results and its depth
_TESTS_TEXT: dict[tuple[Any, ...], bytes] = {}
#: entries a memo keeps before it starts again (a catalogue has ~30 criteria)
_MEMO_LIMIT = 4096


class _NotWritable(Exception):
    """A value ``_result_utf8`` does not write itself: the result is converted and encoded the general way."""


def _int(value: Any) -> bytes:
    if type(value) is not int:  # a bool or an int subclass: json.dumps has its own rules for those
        raise _NotWritable
    return b"%d" % value


class _Shape:
    """The constant bytes of a result at one depth: keys with their indentation."""

    def __init__(self, level: int) -> None:
        def p(n: int) -> bytes:
            return pad(level + n).encode()

        p1, p2, p3, p4, p5 = p(1), p(2), p(3), p(4), p(5)
        self.p1, self.p2, self.p3, self.p4, self.p5 = p1, p2, p3, p4, p5
        self.close = p(0) + b"}"
        keys = ("statute", "file", "jurisdiction", "instrument", "provision", "title")
        self.heads = [(b"{" if i == 0 else b'",') + p1 + b'"' + k.encode() + b'": "' for i, k in enumerate(keys)]
        self.rights = b'",' + p1 + b'"rights": '
        self.verdict = b"," + p1 + b'"verdict": '
        self.recommendation = b"," + p1 + b'"recommendation": '
        self.rationale = b"," + p1 + b'"rationale": '
        self.score = b"," + p1 + b'"score": '
        self.tests = b"," + p1 + b'"tests": '
        self.findings = b"," + p1 + b'"findings": '
        self.aims = b"," + p1 + b'"reviewed": [],' + p1 + b'"aims": '
        # evidence items (depth level + 4, their fields at level + 5)
        self.evidence_field = b"{" + p5 + b'"field": "'
        self.evidence_quote = b'",' + p5 + b'"quote": "'
        self.evidence_line = b'",' + p5 + b'"line": '
        self.evidence_match = b"," + p5 + b'"match": "'
        self.evidence_end_match = b'"' + p4 + b"}"
        self.evidence_end = p4 + b"}"
        self.evidence_sep = b"," + p4
        self.evidence_open = b"[" + p4
        self.evidence_close = p3 + b"]"
        # aims (depth level + 2, their fields at level + 3)
        self.aim_interest = b"{" + p3 + b'"interest": "'
        self.aim_entry = b'",' + p3 + b'"entry": "'
        self.aim_aim = b'",' + p3 + b'"aim": '
        self.aim_status = b"," + p3 + b'"status": "'
        self.aim_inferred = b'",' + p3 + b'"inferred": '
        self.aim_field = b"," + p3 + b'"field": "'
        self.aim_line = b'",' + p3 + b'"line": '
        self.aim_end = p2 + b"}"
        self.list_open = b"[" + p2
        self.list_sep = b"," + p2
        self.list_close = p1 + b"]"


def _shape(level: int) -> _Shape:
    shape = _SHAPES.get(level)
    if shape is None:
        shape = _SHAPES[level] = _Shape(level)
    return shape


def _tests_utf8(tests: dict[TestName, TestResult], level: int) -> bytes:
    """The ``tests`` object (in report order), at depth ``level``."""
    ordered = [tests[t] for t in TESTS]
    key = (level, *ordered)
    text = _TESTS_TEXT.get(key)
    if text is None:
        p1, p2 = pad(level + 1), pad(level + 2)
        enc = encode_basestring
        entries = [
            f'{enc(t._value_)}: {{{p2}"status": {enc(r.status._value_)},{p2}"score": {_int(r.score).decode()}{p1}}}'
            for t, r in zip(TESTS, ordered)
        ]
        text = ("{" + p1 + ("," + p1).join(entries) + pad(level) + "}").encode()
        if len(_TESTS_TEXT) >= _MEMO_LIMIT:
            _TESTS_TEXT.clear()
        _TESTS_TEXT[key] = text
    return text


def _finding_parts(f: Finding, level: int) -> tuple[bytes, bytes, bytes]:
    """A finding's bytes around its message and its evidence: what comes before, between and after."""
    key = (level, f.criterion, f.test, f.severity, f.title, f.recommendation, f.sources, f.remedy)
    parts = _FINDING_PARTS.get(key)
    if parts is None:
        p1, p2, p3 = pad(level + 1), pad(level + 2), pad(level + 3)
        enc = encode_basestring
        head = (
            f'{{{p1}"criterion": {enc(f.criterion)},{p1}"test": {enc(f.test._value_)},'
            f'{p1}"severity": {enc(f.severity._value_)},{p1}"title": {enc(f.title)},{p1}"message": "'
        )
        middle = f'",{p1}"recommendation": {enc(f.recommendation)},{p1}"evidence": '
        sources = [
            f'{{{p3}"document": {enc(s.document)},{p3}"paragraph": {enc(s.paragraph)},{p3}"url": {enc(s.url)}'
            + (f',{p3}"title": {enc(s.title)}' if s.title else "")
            + p2
            + "}"
            for s in f.sources
        ]
        tail = f',{p1}"sources": ' + ("[" + p2 + ("," + p2).join(sources) + p1 + "]" if sources else "[]")
        if f.remedy is not None:
            tail += f',{p1}"remedy": {enc(f.remedy._value_)}'
        parts = head.encode(), middle.encode(), (tail + pad(level) + "}").encode()
        if len(_FINDING_PARTS) >= _MEMO_LIMIT:
            _FINDING_PARTS.clear()
        _FINDING_PARTS[key] = parts
    return parts


def encode_result(r: AuditResult) -> bytes | None:
    """A result as :meth:`JsonReporter.write` writes it (UTF-8), or ``None`` when it goes through ``as_dict``.

    The reporter's ``encode_result``: worker processes call it, so that a
    streamed run sends back text instead of result objects (see
    :class:`~lawaudit.runner.Encoded`).
    """
    return _result_utf8(r, RESULT_LEVEL)


def _piece(item: "AuditResult | Encoded", level: int) -> bytes | None:
    """The Lazy list's ``encode``: a result written here, or one a worker already wrote (at ``RESULT_LEVEL``)."""
    if type(item) is Encoded:
        if level != RESULT_LEVEL:  # pragma: no cover - run_document puts results at that depth
            raise ValueError(f"a result written for depth {RESULT_LEVEL} cannot stand at depth {level}")
        return item.text
    return _result_utf8(item, level)  # type: ignore[arg-type]


def _result_utf8(r: AuditResult, level: int) -> bytes | None:
    """The UTF-8 of ``r.as_dict()`` as JSON at depth ``level``; ``None`` when it must go through ``as_dict``."""
    if r.reviewed:
        return None
    try:
        return _write_result(r, level)
    except (_NotWritable, UnicodeEncodeError, TypeError, AttributeError):
        # not the types the shape promises, or a lone surrogate: as_dict and the
        # general encoders decide (and fail, if they must, as they always did)
        return None


def _write_result(r: AuditResult, level: int) -> bytes:
    shape = _shape(level)
    out: list[bytes] = []
    add = out.append
    #: where in ``out`` the result's own strings stand, encoded but not yet escaped
    spots: list[int] = []
    spot = spots.append

    # Each string of the result is written as ``spot(len(out))`` then ``add(s.encode())``,
    # spelled out at each place rather than in a helper: a Python call per string
    # cost about a tenth of writing a result. Most strings need no escaping, and
    # checking each with bytes.translate cost about a third of writing a result
    # (most of it setting up the table per call): they are encoded as they come
    # and checked together once, at the end. ``encode`` also refuses what is not
    # a string (AttributeError: None, a number) and a lone surrogate
    # (UnicodeEncodeError), which the caller sends through ``as_dict``; a str
    # subclass (an enumeration member) is written as its text, as json.dumps does.

    def put_list(items: tuple[str, ...]) -> None:
        if not items:
            add(b"[]")
            return
        sep = shape.list_open
        for item in items:
            add(sep)
            sep = shape.list_sep
            add(b'"')
            spot(len(out))
            add(item.encode())
            add(b'"')
        add(shape.list_close)

    heads = shape.heads
    add(heads[0])
    spot(len(out))
    add(r.statute.encode())
    add(heads[1])
    spot(len(out))
    add(r.file.encode())
    add(heads[2])
    spot(len(out))
    add(r.jurisdiction.encode())
    add(heads[3])
    spot(len(out))
    add(r.instrument.encode())
    add(heads[4])
    spot(len(out))
    add(r.provision.encode())
    add(heads[5])
    spot(len(out))
    add(r.title.encode())
    add(shape.rights)
    put_list(r.rights)
    add(shape.verdict)
    add(b'"')
    spot(len(out))
    add(r.verdict._value_.encode())
    add(b'"')
    add(shape.recommendation)
    add(b'"')
    spot(len(out))
    add(r.recommendation._value_.encode())
    add(b'"')
    add(shape.rationale)
    put_list(r.rationale)
    add(shape.score)
    add(_int(r.score))
    add(shape.tests)
    add(_tests_utf8(r.tests, level + 1))
    add(shape.findings)
    findings = r.findings
    if findings:
        sep = shape.list_open
        for f in findings:
            if f.review is not None:
                raise _NotWritable
            add(sep)
            sep = shape.list_sep
            head, middle, tail = _finding_parts(f, level + 2)
            add(head)
            spot(len(out))
            add(f.message.encode())
            add(middle)
            evidence = f.evidence
            if evidence:
                esep = shape.evidence_open
                for e in evidence:
                    add(esep)
                    esep = shape.evidence_sep
                    add(shape.evidence_field)
                    spot(len(out))
                    add(e.field.encode())
                    add(shape.evidence_quote)
                    spot(len(out))
                    add(e.quote.encode())
                    add(shape.evidence_line)
                    add(_int(e.line))
                    if e.match:
                        add(shape.evidence_match)
                        spot(len(out))
                        add(e.match.encode())
                        add(shape.evidence_end_match)
                    else:
                        add(shape.evidence_end)
                add(shape.evidence_close)
            else:
                add(b"[]")
            add(tail)
        add(shape.list_close)
    else:
        add(b"[]")
    add(shape.aims)
    aims = r.aims
    if aims:
        sep = shape.list_open
        for a in aims:
            add(sep)
            sep = shape.list_sep
            add(shape.aim_interest)
            spot(len(out))
            add(a.interest.encode())
            add(shape.aim_entry)
            spot(len(out))
            add(a.entry.encode())
            add(shape.aim_aim)
            if a.aim is None:
                add(b"null")
            else:
                add(b'"')
                spot(len(out))
                add(a.aim.encode())
                add(b'"')
            add(shape.aim_status)
            spot(len(out))
            add(a.status.encode())
            add(shape.aim_inferred)
            inferred = a.inferred
            if inferred is True:
                add(b"true")
            elif inferred is False:
                add(b"false")
            else:
                raise _NotWritable
            add(shape.aim_field)
            spot(len(out))
            add(a.field.encode())
            add(shape.aim_line)
            add(_int(a.line))
            add(shape.aim_end)
        add(shape.list_close)
    else:
        add(b"[]")
    add(shape.close)
    # One check for all the strings; only a result that has one to escape (a quotation
    # mark, a backslash, a control character) escapes them one by one, as _utf8 does.
    if b"".join([out[i] for i in spots]).translate(None, _NEEDS_NO_ESCAPE):
        for i in spots:
            b = out[i]
            if b.translate(None, _NEEDS_NO_ESCAPE):
                out[i] = encode_basestring(b.decode())[1:-1].encode()
    return b"".join(out)


class JsonReporter(Reporter):
    format = Format.json

    def __init__(self, templates: object = None) -> None:
        del templates  # not a template format

    def render(self, run: Run) -> str:
        # the bytes of json.dumps(..., ensure_ascii=False, indent=2), several times sooner
        return dumps(run_document(run, lazy=True)) + "\n"

    streams = True
    encode_result = staticmethod(encode_result)

    def write(self, run: Run | LiveRun, out: TextIO) -> None:
        # one result at a time: 10,000 statutes make ~70 MB of JSON, never held whole;
        # from a LiveRun, written while the remaining files are audited
        buffer = utf8_buffer(out)
        if buffer is None:
            write(run_document(run, lazy=True), out.write)
            out.write("\n")
            return
        # the results' UTF-8 goes straight to the bytes under the text stream:
        # encoding ~7 KB of text per result back to UTF-8 cost a quarter of writing it
        out.flush()
        write_utf8(run_document(run, lazy=True), buffer.write, out.errors or "strict")
        buffer.write(b"\n")

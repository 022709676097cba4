"""Criterion messages: every placeholder a criterion may use is filled, and only those."""

from __future__ import annotations

import pytest

from lawaudit.conditions import TEMPLATE_FIELDS, render_template
from lawaudit.results import Evidence

EVIDENCE = [
    Evidence("text.en", "…spreading information known to be false…", 12, "information known to be false"),
    Evidence("text.en", "…INFORMATION known to be false…", 14, "INFORMATION known to be false"),
    Evidence("measure.kind", "administrative_detention", 20),
]
FACTS = {"id": "kz_cc_274", "provision": "Article 274", "title": "False information", "instrument": "Criminal Code", "jurisdiction": "KZ"}


def test_every_placeholder_is_filled() -> None:
    template = " | ".join(f"{{{name}}}" for name in sorted(TEMPLATE_FIELDS))
    assert render_template(template, EVIDENCE, FACTS) == " | ".join(
        [
            "2",  # count: the distinct matches, case folded
            "text.en, measure.kind",  # fields
            "kz_cc_274",  # id, instrument, jurisdiction
            "Criminal Code",
            "KZ",
            "“information known to be false”, “administrative detention”",  # matches: enumeration names read as words
            "Article 274",
            "“…spreading information known to be false…”; “…INFORMATION known to be false…”; “administrative_detention”",
            "False information",
        ]
    )


def test_a_placeholder_used_twice_and_one_absent_from_the_facts() -> None:
    assert render_template("{matches} / {matches} in {title}", EVIDENCE[:1], {}) == (
        "“information known to be false” / “information known to be false” in "
    )


def test_an_unknown_placeholder_is_an_error() -> None:
    with pytest.raises(KeyError):
        render_template("{nonsense}", EVIDENCE, FACTS)

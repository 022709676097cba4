"""The statute file format (version 1) as pydantic models.

The format is a public contract (``shared/spec/statute-format.md``): files
written to it by anyone must load, and a typo must never silently drop data,
so every model forbids unknown fields. Values arrive as the strings the author
wrote (see :mod:`lawaudit.yamlread`); the field types below decide how each is
read — ``274.10`` stays a string where a string is expected, ``2016`` becomes
an integer only where an integer is expected.
"""

import os
import re
from datetime import date
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

FORMAT_VERSION = 1


class _Choice(StrEnum):
    """The base of the format's enumerations: a member's ``value`` read in C.

    On Python 3.11 ``Enum.value`` is an ``enum.property``, whose ``__get__``
    and getter are Python code (~2.5 K instructions a read). pydantic reads
    ``value`` for every enumerated field it dumps (the facts of each statute:
    about nine a file), so it is a plain property over ``_value_`` here. A
    descriptor is not a member; the members are unchanged.
    """


setattr(_Choice, "value", property(attrgetter("_value_")))  # (set, not written in the body: mypy would take it for a member)


class Status(_Choice):
    in_force = "in_force"
    amended = "amended"
    repealed = "repealed"
    struck_down = "struck_down"
    draft = "draft"


class Right(_Choice):
    expression = "expression"
    assembly = "assembly"
    association = "association"
    privacy = "privacy"


class MentalElement(_Choice):
    intent = "intent"
    knowledge = "knowledge"
    recklessness = "recklessness"
    negligence = "negligence"
    none = "none"
    unspecified = "unspecified"


class Harm(_Choice):
    actual = "actual"
    likely = "likely"
    possible = "possible"
    none = "none"
    unspecified = "unspecified"


class Scope(_Choice):
    online = "online"
    offline = "offline"
    media = "media"
    private = "private"


class SanctionKind(_Choice):
    imprisonment = "imprisonment"
    restriction_of_liberty = "restriction_of_liberty"
    administrative_detention = "administrative_detention"
    fine = "fine"
    corrective_labour = "corrective_labour"
    community_service = "community_service"
    deprivation_of_right = "deprivation_of_right"
    suspension = "suspension"
    closure = "closure"
    blocking = "blocking"
    confiscation = "confiscation"
    deportation = "deportation"
    warning = "warning"
    other = "other"


class MeasureKind(_Choice):
    blocking = "blocking"
    closure = "closure"
    suspension = "suspension"
    registration = "registration"
    authorization = "authorization"
    notification = "notification"
    dispersal = "dispersal"
    interception = "interception"
    other = "other"


class DecidedBy(_Choice):
    court = "court"
    prosecutor = "prosecutor"
    executive = "executive"
    regulator = "regulator"
    legislature = "legislature"
    private_party = "private_party"


class JudicialReview(_Choice):
    prior = "prior"
    subsequent = "subsequent"
    none = "none"


class Target(_Choice):
    specific_content = "specific_content"
    whole_resource = "whole_resource"
    service = "service"
    network = "network"
    person = "person"
    event = "event"


class MeasureDuration(_Choice):
    temporary = "temporary"
    indefinite = "indefinite"
    permanent = "permanent"


class LocationRestrictions(_Choice):
    none = "none"
    specific_reasoned = "specific_reasoned"
    designated_places_only = "designated_places_only"
    blanket = "blanket"


# ---------------------------------------------------------------- code lists


@lru_cache(maxsize=None)
def _code_list(name: str) -> frozenset[str]:
    """A code list shipped in ``lawaudit/data``, one code per line.

    Read beside this module when the package is a folder (always, once
    installed), which spares a one-file run importing the resource readers;
    through :mod:`importlib.resources` otherwise (a zipped package).
    """
    try:
        with open(os.path.join(os.path.dirname(__file__), "data", name), encoding="utf-8") as fh:
            text = fh.read()
    except OSError:  # pragma: no cover - not installed as a folder
        from importlib import resources

        text = resources.files("lawaudit").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes plus ``EU`` and ``XX`` (supranational or model texts).

    Made once: every statute's jurisdiction is looked up in it, and the union
    (about 250 codes) was built anew for each.
    """
    return _code_list("iso3166-1-alpha2.txt") | {"EU", "XX"}


def language_codes() -> frozenset[str]:
    """ISO 639-1 codes."""
    return _code_list("iso639-1.txt")


# ------------------------------------------------------------------ durations

_UNITS = {
    "year": "years", "years": "years", "yr": "years", "yrs": "years", "y": "years",
    "month": "months", "months": "months", "mo": "months", "mos": "months",
    "week": "weeks", "weeks": "weeks", "wk": "weeks", "wks": "weeks",
    "day": "days", "days": "days", "d": "days",
    "hour": "hours", "hours": "hours", "hr": "hours", "hrs": "hours", "h": "hours",
}  # fmt: skip
_DAYS_PER = {"years": 365.0, "months": 30.0, "weeks": 7.0, "days": 1.0, "hours": 1 / 24}
_DURATION = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([A-Za-z]+)\s*$")
LIFE_DAYS = 365 * 100

#: sanction kinds whose max/min is a length of time and so must be a duration
DURATION_KINDS = frozenset(
    {
        SanctionKind.imprisonment,
        SanctionKind.restriction_of_liberty,
        SanctionKind.administrative_detention,
        SanctionKind.deprivation_of_right,
        SanctionKind.suspension,
        SanctionKind.blocking,
    }
)


@lru_cache(maxsize=4096)
def parse_duration(text: str) -> tuple[str, float] | None:
    """``"10 yrs"`` -> ``("10 years", 3650.0)``; ``None`` when not a duration.

    Normalising means reports and conditions compare like with like, whatever
    abbreviation the author used. Remembered: a statute's durations are parsed
    when it is validated and again for the facts in days, and the same few
    durations recur across a corpus.
    """
    if text.strip().lower() in ("life", "life imprisonment"):
        return "life", float(LIFE_DAYS)
    m = _DURATION.match(text)
    if not m:
        return None
    unit = _UNITS.get(m.group(2).lower())
    if unit is None:
        return None
    number = m.group(1).replace(",", ".")
    amount = float(number)
    shown = number.rstrip("0").rstrip(".") if "." in number else str(int(number))
    if amount == 1:
        unit_shown = unit[:-1]
    else:
        unit_shown = unit
    return f"{shown} {unit_shown}", amount * _DAYS_PER[unit]


# --------------------------------------------------------------------- models

NonEmpty = Annotated[str, Field(min_length=1)]


def _check_not_empty(value: str) -> str:
    if not value:
        raise PydanticCustomError("string_too_short", "String should have at least 1 character", {"min_length": 1})
    return value


#: :data:`NonEmpty` for a provision's text, checked in Python: pydantic-core
#: measures a constrained string in UTF-8, so it encoded every Russian text
#: (~15 K instructions a file, where a call costs ~2 K). The same error
#: (``string_too_short``) and the same schema.
NonEmptyText = Annotated[str, AfterValidator(_check_not_empty), WithJsonSchema({"minLength": 1, "type": "string"})]


def _check_language(value: str) -> str:
    if value not in language_codes():
        raise ValueError(f"'{value}' is not an ISO 639-1 language code (such as 'en', 'ru', 'kk')")
    return value


LanguageCode = Annotated[str, AfterValidator(_check_language)]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_date_text(value: Any) -> Any:
    # pydantic alone reads a number as a Unix timestamp ("0" -> 1970-01-01) and
    # accepts date-times; the format says YYYY-MM-DD, so any other text is an error
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError(f"expected a date written YYYY-MM-DD, got '{value}'")
    return value


IsoDate = Annotated[date, BeforeValidator(_check_date_text)]

#: compiled once: ``re.match`` with a pattern string looks it up in re's cache at every call
_URL = re.compile(r"^https?://\S+$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, use_enum_values=False)


class Term(_Model):
    """A key term and the definition the law (or a law it refers to) gives; ``null`` when none."""

    term: NonEmpty
    definition: str | None = None


class Sanction(_Model):
    """A penalty the provision carries; ``max``/``min`` are normalised durations or, for fines, free text."""

    kind: SanctionKind
    max: str | None = None
    min: str | None = None
    applies_when: str | None = None
    note: str | None = None

    @field_validator("max", "min")
    @classmethod
    def _duration(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        parsed = parse_duration(value)
        if parsed is not None:
            return parsed[0]
        kind = info.data.get("kind")
        if kind in DURATION_KINDS:
            raise ValueError(
                f"expected a duration such as '10 years', '6 months' or '15 days' for sanction kind {kind.value}, got '{value}'"
            )
        return value

    def days(self, name: str) -> float | None:
        """Length of ``max``/``min`` in days, for comparisons; ``None`` when not a duration."""
        value = getattr(self, name)
        parsed = parse_duration(value) if value else None
        return parsed[1] if parsed else None


class Measure(_Model):
    """A power the provision gives an authority (blocking, closure, permission, ...)."""

    kind: MeasureKind
    decided_by: DecidedBy | None = None
    judicial_review: JudicialReview | None = None
    target: Target | None = None
    duration: MeasureDuration | None = None
    criteria_in_law: bool | None = None
    notice_days: Annotated[int, Field(ge=0)] | None = None
    spontaneous_allowed: bool | None = None
    location_restrictions: LocationRestrictions | None = None


class Application(_Model):
    """A documented use of the provision, with the source that documents it."""

    case: NonEmpty
    year: Annotated[int, Field(ge=1000, le=9999)] | None = None
    conduct: str | None = None
    outcome: str | None = None
    peaceful: bool | None = None
    source: str | None = None


class Source(_Model):
    """Where the text and facts come from."""

    title: NonEmpty
    url: str | None = None
    accessed: IsoDate | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not _URL.match(value):
            raise ValueError(f"expected an http(s) URL, got '{value}'")
        return value


class Statute(_Model):
    """One legal provision that restricts a right: facts only, never a verdict."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    jurisdiction: str
    instrument: NonEmpty
    provision: NonEmpty
    title: NonEmpty
    status: Status
    as_of: IsoDate | None = None
    adopted: IsoDate | None = None
    in_force_from: IsoDate | None = None
    rights: Annotated[list[Right], Field(min_length=1)]
    text: Annotated[dict[LanguageCode, NonEmptyText], Field(min_length=1)]
    text_original: str | None = None
    conduct: NonEmpty
    terms: list[Term] = []
    protected_interests: list[NonEmpty] = []
    grounds: list[NonEmpty] = []
    mental_element: MentalElement | None = None
    harm: Harm | None = None
    scope: list[Scope] = []
    aggravating: list[NonEmpty] = []
    sanctions: list[Sanction] = []
    measure: Measure | None = None
    application: list[Application] = []
    sources: Annotated[list[Source], Field(min_length=1)]

    @field_validator("jurisdiction")
    @classmethod
    def _jurisdiction(cls, value: str) -> str:
        if value not in country_codes():
            hint = " (country codes are upper case)" if value.upper() in country_codes() else ""
            raise ValueError(f"expected an ISO 3166-1 alpha-2 country code such as 'KZ', or 'EU'/'XX'{hint}; got '{value}'")
        return value

    @field_validator("text_original")
    @classmethod
    def _original(cls, value: str | None, info: ValidationInfo) -> str | None:
        text = info.data.get("text")
        if value is not None and text is not None and value not in text:
            raise ValueError(f"'{value}' names no entry of text (it has: {', '.join(sorted(text))})")
        return value


def json_schema() -> dict[str, Any]:
    """JSON Schema of the statute format, for editors (the YAML language server).

    ``x-`` keys are allowed at every level because the format keeps and ignores
    them; everything else unknown is an error, as in the loader.
    """
    schema = Statute.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://lawaudit.invalid/schema/statute-v1.json"
    schema["title"] = "lawaudit statute file, format version 1"

    def allow_x(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("additionalProperties") is False and "properties" in node:
                node["patternProperties"] = {"^x-": {}}
            for child in node.values():
                allow_x(child)
        elif isinstance(node, list):
            for child in node:
                allow_x(child)

    allow_x(schema)
    return schema

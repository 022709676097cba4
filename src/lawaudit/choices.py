"""Choice enumerations for command-line flags, kept free of heavy imports.

pip-audit's pattern: every choice is an enum member, each is mapped to its
implementation in one place, and a test walks every member to prove it is
wired.
"""

from __future__ import annotations

from enum import StrEnum

#: default limit on one input file's size (--max-file-size)
DEFAULT_MAX_BYTES = 1024 * 1024


class Format(StrEnum):
    """Output formats of ``check`` (and ``report``)."""

    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    html = "html"


class FailOn(StrEnum):
    """The finding severity from which ``check`` exits 1."""

    concern = "concern"
    fail = "fail"
    never = "never"

    def reached_by(self, severity: str) -> bool:
        """Whether a finding of ``severity`` reaches this threshold."""
        if self is FailOn.never:
            return False
        if self is FailOn.concern:
            return severity in ("concern", "fail")
        return severity == "fail"

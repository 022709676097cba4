"""Exit statuses: a public contract, so this enumeration is append-only.

Never renumber or reuse a value; retire one by leaving it here as a comment
(the way Semgrep keeps its retired codes), so scripts written against an old
release keep meaning the same thing.
"""

from enum import IntEnum


class ExitCode(IntEnum):
    """What ``lawaudit`` tells the shell (``shared/spec/cli-contract.md``)."""

    #: every file loaded and no finding reached the ``--fail-on`` level
    OK = 0
    #: at least one finding reached the ``--fail-on`` level (``diff``: the change made things worse)
    FINDINGS = 1
    #: a usage error, or at least one input file could not be loaded
    INPUT_ERROR = 2
    #: interrupted by SIGINT (Ctrl-C); typer's own status for it, listed so it is not reused
    INTERRUPTED = 130
    #: terminated by SIGTERM (128 + 15), after removing any half-written output file
    TERMINATED = 143

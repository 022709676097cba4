"""lawaudit: audit national statutes against ICCPR Articles 19(3), 20(2) and 21.

Each statute provision is a YAML file of facts; a catalogue of criteria (YAML,
with their legal sources) is evaluated against it on four tests — legality,
legitimate aim, necessity and precision — and the results are rendered as
reports and recommendation lists.
"""

__version__ = "0.1.0"

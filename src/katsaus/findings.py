"""What the input checks report: each rule checked, and each problem found with where it is."""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from katsaus.errors import cut
from katsaus.i18n import N_, SOURCE, fill, words

ERROR, WARNING = "error", "warning"
EXAMPLES = 100  # offending rows looked at per rule
MORE_ROWS = 3


@dataclass(frozen=True)
class Finding:
    """One problem: the place (file, row, column), what is wrong, the offending value and the rule.

    `template` says what is wrong in English, a message of the catalogue: `{value}` stands for the
    offending value and `{name}` for values[name]. `also` are more places with the same value (file, row),
    and `more` counts the further ones."""

    severity: str
    rule: str
    template: str
    file: str
    row: int | None = None
    column: str | None = None
    value: object = None
    values: dict = field(default_factory=dict)
    also: tuple = ()
    more: int = 0

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return self.describe(SOURCE)

    def describe(self, catalogue=None) -> str:
        """What is wrong, in the catalogue's language (the language spoken now by default)."""
        catalogue = catalogue or words()
        value = cut(_text(self.value, catalogue))
        text = fill(catalogue.gettext(self.template), {"value": value, **self.values})
        if self.also:
            places = _places(self.also, self.file, self.more, catalogue)
            text = catalogue.gettext("{message} (also {places})").format(message=text, places=places)
        return text

    def text(self, catalogue=None) -> str:
        """Where, what and which rule, in the catalogue's language (the language spoken now by default)."""
        catalogue = catalogue or words()
        where = [self.file]
        if self.row is not None:
            where.append(catalogue.gettext("row {row}").format(row=self.row))
        if self.column is not None:
            where.append(catalogue.gettext("column '{column}'").format(column=self.column))
        rule = catalogue.gettext("[rule: {rule}]").format(rule=catalogue.gettext(self.rule))
        return f"{', '.join(where)}: {self.describe(catalogue)} {rule}"

    def __str__(self) -> str:
        return self.text(SOURCE)

    def to_dict(self) -> dict:
        return {
            **asdict(self),
            "value": _plain(self.value),
            "values": _plain(self.values),
            "also": _plain(self.also),
            "text": str(self),
        }


@dataclass(frozen=True)
class Check:
    """One rule checked on one table: how many rows (or items) it looked at and how many broke it."""

    table: str
    rule: str
    severity: str
    kind: str
    checked: int | None
    failed: int
    success: bool

    def to_dict(self) -> dict:
        return asdict(self)


def at_rows(finding: Finding, frame: pd.DataFrame, labels: list, values: list, count: int) -> list[Finding]:
    """One problem per offending value: at the first of the rows `labels` (positions in `frame`, which has
    `_file` and `_row`) that has it, naming a few more rows that have it; and one that counts the rest of
    the `count` offending rows."""
    groups: dict[str, list] = {}
    for label, value in zip(labels, values, strict=True):
        groups.setdefault(repr(value), [value]).append(label)
    findings = []
    for value, first, *others in groups.values():
        file, row = _place(frame, first)
        also = tuple(_place(frame, label) for label in others[:MORE_ROWS])
        more = max(len(others) - MORE_ROWS, 0)
        findings.append(say(replace(finding, file=file, row=row, also=also, more=more), value))
    rest = count - len(labels)
    if rest > 0:
        template = N_("{rest} more rows break this rule besides the {shown} above")
        findings.append(replace(finding, template=template, values={"rest": rest, "shown": len(labels)}))
    return findings


def _place(frame: pd.DataFrame, label) -> tuple[str, int]:
    return str(frame["_file"].iloc[label]), int(frame["_row"].iloc[label])


def _places(places: tuple, file: str, more: int, catalogue) -> str:
    """'row 15, row 16 and 4 more rows' (with the file where it differs)."""
    named = ", ".join(
        catalogue.gettext("row {row}").format(row=row)
        if f == file
        else catalogue.gettext("{file} row {row}").format(file=f, row=row)
        for f, row in places
    )
    if not more:
        return named
    rows = catalogue.ngettext("{count} more row", "{count} more rows", more).format(count=more)
    return catalogue.gettext("{places} and {rows}").format(places=named, rows=rows)


def say(finding: Finding, value) -> Finding:
    """The finding with its offending value (shown for `{value}` in its message)."""
    return replace(finding, value=value)


def _text(value, catalogue) -> str:
    if isinstance(value, dict):
        return "(" + ", ".join(f"{k} {_text(v, catalogue)}" for k, v in value.items()) + ")"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v, catalogue) for v in value)
    if value is None or (isinstance(value, float) and value != value):
        return catalogue.gettext("(empty)")
    return str(value)


def _plain(value):
    """A JSON-friendly form of an offending value (numpy scalars, NaN, tuples)."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value if isinstance(value, int | float) else str(value)


@dataclass(frozen=True)
class Table:
    """A frame (with `_file` and `_row`) to validate against the suite of the same name."""

    name: str
    frame: pd.DataFrame

    @property
    def source(self) -> str:
        """The table's file, or the folder of its files, for problems that have no row."""
        files = sorted(str(f) for f in pd.unique(self.frame["_file"]))
        if len(files) == 1:
            return files[0]
        return os.path.commonpath(files) if files else self.name


Result = tuple[Check, list[Finding]]  # a check and what it found


def result(table: str, rule: str, severity: str, checked: int, findings: list[Finding]) -> Result:
    """A computed check and its findings."""
    return Check(table, rule, severity, "computed", checked, len(findings), not findings), findings

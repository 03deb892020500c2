"""What the input checks report: each rule checked, and each problem found with where it is."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import pandas as pd

ERROR, WARNING = "error", "warning"
EXAMPLES = 100  # offending rows looked at per rule
MORE_ROWS = 3


@dataclass(frozen=True)
class Finding:
    """One problem: the place (file, row, column), what is wrong, the offending value and the rule."""

    severity: str
    rule: str
    message: str
    file: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message} [rule: {self.rule}]"

    def to_dict(self) -> dict:
        return {**asdict(self), "value": _plain(self.value), "text": str(self)}


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
        found = say(replace(finding, file=file, row=row), value)
        if others:
            found = replace(found, message=f"{found.message} (also {_also(frame, file, others)})")
        findings.append(found)
    rest = count - len(labels)
    if rest > 0:
        message = f"{rest} more rows break this rule besides the {len(labels)} above"
        findings.append(replace(finding, message=message))
    return findings


def _place(frame: pd.DataFrame, label) -> tuple[str, int]:
    return str(frame["_file"].iloc[label]), int(frame["_row"].iloc[label])


def _also(frame: pd.DataFrame, file: str, labels: list) -> str:
    """'row 15, row 16 and 4 more rows' (with the file where it differs)."""
    places = [_place(frame, label) for label in labels[:MORE_ROWS]]
    named = ", ".join(f"row {row}" if f == file else f"{f} row {row}" for f, row in places)
    extra = len(labels) - MORE_ROWS
    return f"{named} and {extra} more rows" if extra > 0 else named


def say(finding: Finding, value) -> Finding:
    """Put the offending value into the finding's message (`{value}`)."""
    return replace(finding, message=finding.message.replace("{value}", _text(value)), value=value)


def _text(value) -> str:
    if isinstance(value, dict):
        return "(" + ", ".join(f"{k} {_text(v)}" for k, v in value.items()) + ")"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if value is None or (isinstance(value, float) and value != value):
        return "(empty)"
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

"""What the input checks report: each rule checked, and each problem found with where it is."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

ERROR, WARNING = "error", "warning"


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

"""Suoritteet/Tunnusluvut: the KPI tables of each department's result areas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from katsaus.errors import InputError
from katsaus.findings import ERROR, WARNING, Finding, Result, result
from katsaus.i18n import N_
from katsaus.inputs.readers import read_table
from katsaus.inputs.texts import parse_amount

CELLS = ["tp", "ta", "actual", "forecast"]
COLUMNS = {
    "department": "code",
    "result_area": "text",
    "responsible": "text",
    "label": "text",
} | dict.fromkeys(CELLS, "text")
SUM = "sum_of"  # optional: the row is the sum of this many rows right below it
AREA = ["department", "result_area", "responsible"]
SUM_RULE = N_("a KPI row with sum_of N is the sum of the N rows below it in its table")
DECLARED_RULE = N_("sum_of is empty or a whole number of rows below it in the same table")


@dataclass(frozen=True, eq=False)
class ResultArea:
    """One result area's KPI table: rows of label, the four cells and a `subheading` flag."""

    name: str
    responsible: str
    rows: pd.DataFrame


def load_kpi_table(data_dir: Path, period) -> pd.DataFrame | None:
    """The rows of `kpis/<period>.csv` as read (None if the period has no KPI file)."""
    path = Path(data_dir) / "kpis" / f"{period}.csv"
    return read_kpis(path) if path.exists() else None


def load_kpis(data_dir: Path, period) -> dict[str, list[ResultArea]]:
    """The result areas of `kpis/<period>.csv` per department code, in file order (empty if no file)."""
    return group_kpis(load_kpi_table(data_dir, period))


def read_kpis(path: Path) -> pd.DataFrame:
    """A KPI file's rows, with `sum_of` empty where the file has no such column."""
    try:
        return read_table(path, COLUMNS | {SUM: "text"})
    except InputError as error:
        if error.column != SUM:
            raise
        return read_table(path, COLUMNS).assign(**{SUM: ""})


def group_kpis(frame: pd.DataFrame | None) -> dict[str, list[ResultArea]]:
    """Group KPI rows by department, then by result area and responsible person in order of appearance
    (empty without a KPI table)."""
    if frame is None:
        return {}
    frame = frame.assign(
        result_area=frame["result_area"].str.strip(),
        responsible=frame["responsible"].str.strip(),
        subheading=frame[CELLS].apply(lambda cells: cells.str.strip().eq("")).all(axis=1),
    )
    kpis: dict[str, list[ResultArea]] = {}
    for (department, name, responsible), rows in frame.groupby(AREA, sort=False):
        table = rows[["label", *CELLS, "subheading"]].reset_index(drop=True)
        kpis.setdefault(department, []).append(ResultArea(name, responsible, table))
    return kpis


def subtotals(frame: pd.DataFrame) -> list[Result]:
    """Each row declared a sum (`sum_of`) against the rows below it, column by column; a cell that is
    empty or not a number, in the row or a part, is not compared."""
    frame = frame.assign(**{name: frame[name].str.strip() for name in ["result_area", "responsible", SUM]})
    sums, declared, checked = [], [], 0
    for _, table in frame.groupby(AREA, sort=False):
        table = table.reset_index(drop=True)
        for i in table.index[table[SUM] != ""]:
            count = table.at[i, SUM]
            if not count.isdigit() or not 0 < int(count) < len(table) - i:
                message = N_("'{label}' is declared the sum of {value} rows below it")
                declared.append(_finding(ERROR, DECLARED_RULE, message, table, i, SUM, count))
                continue
            checked += 1
            sums += _sum_findings(table, i, int(count))
    return [
        result("kpis", DECLARED_RULE, ERROR, checked + len(declared), declared),
        result("kpis", SUM_RULE, WARNING, checked, sums),
    ]


def _sum_findings(table: pd.DataFrame, row: int, count: int) -> list[Finding]:
    findings = []
    parts = table.iloc[row + 1 : row + 1 + count]
    for column in CELLS:
        values = [_number(cell) for cell in [table.at[row, column], *parts[column]]]
        if None in values:
            continue
        total, summed = values[0], round(sum(values[1:]), 6)
        if abs(total - summed) > 1e-6:
            message = N_("'{label}' is {value} but the {count} rows below it sum to {summed}")
            values = {"count": count, "summed": _printed(summed)}
            findings.append(
                _finding(WARNING, SUM_RULE, message, table, row, column, table.at[row, column], values)
            )
    return findings


def _number(cell: str) -> float | None:
    """A KPI cell as a number ('1 027', '27,7'), or None when it is empty or text."""
    try:
        value = parse_amount(cell)
    except ValueError:
        return None
    return None if value != value else value


def _printed(value: float) -> str:
    whole = f"{abs(value):,.6f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",")
    return ("-" if value < 0 else "") + whole


def _finding(severity, rule, message, table: pd.DataFrame, row: int, column: str, value, values=None):
    """A problem at a row of the KPI table; `message` is filled from `values`, the value and the row's
    label."""
    file, line = str(table.at[row, "_file"]), int(table.at[row, "_row"])
    values = {"label": table.at[row, "label"], **(values or {})}
    return Finding(severity, rule, message, file, line, column, value, values)

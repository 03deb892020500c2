"""The KPI tables' declared sums: a row with `sum_of` N (katsaus.inputs.kpis) is checked against the N rows
below it."""

from __future__ import annotations

import pandas as pd

from katsaus.findings import ERROR, WARNING, Finding, Result, result
from katsaus.i18n import N_
from katsaus.inputs.kpis import AREA, CELLS, SUM
from katsaus.inputs.texts import parse_amount

SUM_RULE = N_("a KPI row with sum_of N is the sum of the N rows below it in its table")
DECLARED_RULE = N_("sum_of is empty or a whole number of rows below it in the same table")


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

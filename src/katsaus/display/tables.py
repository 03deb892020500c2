"""HTML for the figure tables (operating tables and the income-statement summary)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from katsaus.figures.numbers import number, pct
from katsaus.i18n import _

if TYPE_CHECKING:
    from katsaus.period import Period

VALUES = ["tp", "ta", "actual", "pct", "forecast"]
MISSING = "–"  # a figure the data does not hold; the cell's title says why


def figures_html(rows: pd.DataFrame, period: Period, unit: str = "") -> str:
    """A `table.figures`, one `tbody` per cost centre (kept on one page); numbers in Finnish format."""
    heads = period.heads
    head = "".join(f'<th scope="col">{escape(text)}</th>' for text in [unit, *(heads[c] for c in VALUES)])
    groups = rows.groupby((rows["kind"] == "heading").cumsum(), sort=False)
    body = "".join(
        "<tbody>" + "".join(_row(row) for row in group.to_dict("records")) + "</tbody>" for _, group in groups
    )
    return f'<table class="figures"><thead><tr>{head}</tr></thead>{body}</table>'


def _row(row: dict) -> str:
    if row["kind"] == "heading":
        span = len(VALUES) + 1
        return f'<tr class="heading"><th scope="rowgroup" colspan="{span}">{escape(row["label"])}</th></tr>'
    label = f'<th scope="row">{escape(_(row["label"]))}</th>'
    cells = "".join(_cell(row, c) for c in VALUES)
    return f'<tr class="{row["kind"]}">{label}{cells}</tr>'


def _cell(row: dict, column: str) -> str:
    reasons = row["missing"].get(column)
    if reasons:
        return f'<td class="missing" title="{escape(" ".join(reasons))}">{MISSING}</td>'
    value = row[column]
    return f"<td>{pct(value) if column == 'pct' else number(value)}</td>"


def reasons(*tables: pd.DataFrame) -> list[str]:
    """Every reason a cell of the tables is missing, once each, in order of appearance."""
    found = [r for rows in tables for missing in rows["missing"] for rs in missing.values() for r in rs]
    return list(dict.fromkeys(found))


def euros(cents) -> float | None:
    """Whole cents as euros; None for a missing figure."""
    return None if pd.isna(cents) else int(cents) / 100


def figures_table(rows: pd.DataFrame, period: Period, names: dict[str, str]) -> pd.DataFrame:
    """A figure table's rows in cents (figures.operating_rows or summary_rows with unit 1) as open data:
    the cost centre's code and name where the rows have codes, the line, and the figures in euros; the
    heads in the language spoken."""
    lines = rows[rows["kind"] != "heading"]
    table = pd.DataFrame(index=lines.index)
    if "code" in lines:
        table[_("Code")], table[_("Cost centre")] = lines["code"], lines["code"].map(names)
    table[_("Line")] = lines["label"]
    for column in VALUES:
        exact = lines[column].astype("Int64") if column == "pct" else lines[column].map(euros).astype(float)
        table[period.heads[column]] = exact
    return table

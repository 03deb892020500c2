"""The tables the suites check (expectations/<table>.json): the rows of each input table the period's review
reads, and tables made from them so that one rule checks what would otherwise take one rule a row."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from katsaus.figures import lines
from katsaus.findings import Table
from katsaus.inputs.tables import SCHEMAS, Inputs

if TYPE_CHECKING:
    from katsaus.inputs.texts import TextFile
    from katsaus.organisation import Organisation
    from katsaus.period import Period


def period_rows(inputs: Inputs, period: Period) -> Inputs:
    """The ledger of the year and the year before (TP), and the budget, forecasts and investments of the
    year."""
    ledger, budget, forecast = inputs.ledger, inputs.budget, inputs.forecast
    return Inputs(
        inputs.organisation,
        inputs.accounts,
        _where(ledger, ledger["year"].between(period.year - 1, period.year)),
        _where(budget, budget["year"] == period.year),
        _where(forecast, forecast["year"] == period.year),
        _where(inputs.investments, inputs.investments["year"] == period.year),
    )


def _where(frame: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """The rows of `frame` where `rows` holds, without copying a frame that keeps them all."""
    return frame if rows.all() else frame[rows]


def suite_tables(inputs: Inputs, period: Period, made: int | None, texts, kpi_table) -> list[Table]:
    """The tables the suites check: each input table the period reads, and the tables made from them."""
    tables = [Table(name, getattr(inputs, name)) for name in SCHEMAS if name != "investments"]
    if len(inputs.investments):  # the optional table is checked where the data has one
        tables.append(Table("investments", inputs.investments))
    tables += [Table("codes", _codes(inputs)), Table("coverage", _coverage(inputs, period, made))]
    if kpi_table is not None:
        tables.append(Table("kpis", kpi_table))
    if texts:
        tables.append(Table("texts", _text_table(texts)))
    return tables


def parameters(inputs: Inputs, org: Organisation) -> dict[str, list]:
    """The `$PARAMETER` values of the suites."""
    codes = sorted(org.names)
    return {
        "cost_centres": codes,
        "parent_codes": ["", *codes],
        "accounts": sorted(set(inputs.accounts["account"])),
        "lines": list(lines.LINES),
        "departments": org.departments() if org.root is not None else [],
    }


def _codes(inputs: Inputs) -> pd.DataFrame:
    """The first row of each cost centre in the ledger, the budget and the forecast: their cost centres
    are checked against the organisation by one rule, as GX takes about a second per rule that carries
    a value set of thousands of codes."""
    tables = (inputs.ledger, inputs.budget, inputs.forecast, inputs.investments)
    first = pd.concat([_first_rows(table, table["cost_centre"]) for table in tables], ignore_index=True)
    return first.astype({"cost_centre": "str", "_file": "str"})


def _coverage(inputs: Inputs, period: Period, made: int | None) -> pd.DataFrame:
    """The first row of each cost centre in the year's ledger and (when forecast) in its budget, with the
    cost centre's number of budget rows and of rows in the forecast the review uses."""
    ledger, budget, forecast = inputs.ledger, inputs.budget, inputs.forecast
    sources = {"ledger": _first_rows(ledger, ledger.loc[ledger["year"] == period.year, "cost_centre"])}
    if made is not None:
        sources["budget"] = _first_rows(budget, budget["cost_centre"])
    counted = {"budget_rows": budget, "forecast_rows": forecast[forecast["made_month"] == made]}
    counts = {name: _counts(table) for name, table in counted.items()}
    frames = []
    for source, first in sources.items():
        codes = first["cost_centre"].astype("str")
        rows = {name: codes.map(count).fillna(0).astype("int64") for name, count in counts.items()}
        frames.append(first.assign(cost_centre=codes, source=source, **rows))
    return pd.concat(frames, ignore_index=True).astype({"_file": "str", "source": "str"})


def _first_rows(table: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """The place of each cost centre's first row in `codes` (the cost centres of some rows of `table`)."""
    return table.loc[codes.drop_duplicates().index, ["cost_centre", "_file", "_row"]]


def _counts(table: pd.DataFrame) -> pd.Series:
    """How many rows of `table` each cost centre has."""
    counts = table["cost_centre"].value_counts()
    return counts.set_axis(counts.index.astype("str"))


def _text_table(texts: list[TextFile]) -> pd.DataFrame:
    """One row per text file: its front matter's department and responsible."""
    rows = [
        {
            "department": file.text.department,
            "responsible": file.text.responsible,
            "_file": str(file.path),
            "_row": _front_matter_line(file.source, "department:"),
        }
        for file in texts
    ]
    return pd.DataFrame(rows).astype({"department": "str", "responsible": "str"})


def _front_matter_line(source: str, key: str) -> int:
    lines = source.splitlines()
    return next((n for n, line in enumerate(lines, start=1) if line.startswith(key)), 1)

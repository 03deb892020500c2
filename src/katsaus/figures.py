"""The review's figures: TP, TA, Toteuma, Toteuma-% and TP-ennuste per cost centre and line.

Amounts are held as whole cents (int64) until they are printed, so totals are exact and rounding
happens once, the way the published review does it (half away from zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from katsaus.i18n import N_
from katsaus.inputs import Inputs
from katsaus.numfmt import percent, round_cents
from katsaus.organisation import Organisation
from katsaus.period import Period

COLUMNS = ["tp", "ta", "actual", "forecast"]
# The income statement's lines are named as in the data contract (accounts.csv's `line`); those names
# are also the printed labels' messages in the catalogue (translated where printed, katsaus.tables).
OPERATING = [N_("TOIMINTATUOTOT"), N_("TOIMINTAKULUT")]
MARGIN = N_("TOIMINTAKATE")
# The income statement (tuloslaskelma) summary: (label, lines summed, is a subtotal).
SUMMARY = [
    ("TOIMINTATUOTOT", ["TOIMINTATUOTOT"], False),
    ("TOIMINTAKULUT", ["TOIMINTAKULUT"], False),
    (N_("TOIMINTAKATE YHTEENSÄ"), OPERATING, True),
    (N_("Verotulot"), ["Verotulot"], False),
    (N_("Valtionosuudet"), ["Valtionosuudet"], False),
    (N_("Rahoitustuotot ja -kulut"), ["Rahoitustuotot ja -kulut"], False),
    (N_("VUOSIKATE"), OPERATING + ["Verotulot", "Valtionosuudet", "Rahoitustuotot ja -kulut"], True),
    (N_("Poistot ja arvonalentumiset"), ["Poistot ja arvonalentumiset"], False),
]
RESULT = [*SUMMARY[6][1], "Poistot ja arvonalentumiset"]
LINES = [label for label, lines, total in SUMMARY if not total] + [N_("Varausten ja rahastojen muutos")]


def forecast_month(inputs: Inputs, period: Period) -> int | None:
    """The month of the latest forecast of the period's year made by the period's end."""
    made = inputs.forecast.loc[
        (inputs.forecast["year"] == period.year) & (inputs.forecast["made_month"] <= period.month),
        "made_month",
    ]
    return int(made.max()) if len(made) else None


def period_figures(inputs: Inputs, period: Period, org: Organisation) -> pd.DataFrame:
    """Figures in cents for every node of the hierarchy and line: index (code, line), COLUMNS."""
    ledger, budget, forecast = inputs.ledger, inputs.budget, inputs.forecast
    made = forecast_month(inputs, period)
    # Each column: a table and which of its rows it sums.
    sources = {
        "tp": (ledger, ledger["year"] == period.year - 1),
        "ta": (budget, budget["year"] == period.year),
        "actual": (ledger, (ledger["year"] == period.year) & (ledger["month"] <= period.month)),
        "forecast": (forecast, (forecast["year"] == period.year) & (forecast["made_month"] == made)),
    }
    lines = dict(zip(inputs.accounts["account"], inputs.accounts["line"], strict=True))
    wide = pd.concat({name: _by_line(rows, keep, lines) for name, (rows, keep) in sources.items()}, axis=1)
    wide = wide.reindex(columns=COLUMNS).fillna(0).astype("int64")
    figures = _rollup(wide, org)
    if made is None:
        figures["forecast"] = pd.NA
    return figures.astype("Int64")


def _by_line(rows: pd.DataFrame, keep: pd.Series, lines: dict[str, str]) -> pd.Series:
    """Sum cents per (cost_centre, line) of the kept rows.

    The rows are grouped by integer codes (a categorical's own codes; a column of text is coded first):
    a row's line is found through its account's code, and the cents are summed per (cost centre, line)
    pair of codes, so no text is handled per row."""
    centres = rows["cost_centre"].astype("category")
    accounts = rows["account"].astype("category")
    line_of_account, names = pd.factorize(accounts.cat.categories.map(lines))  # -1: not in the chart
    line_of_account = np.append(line_of_account, -1)  # the line of code -1, a missing account
    keep = keep.to_numpy(dtype=bool)
    line = line_of_account[accounts.cat.codes.to_numpy()[keep]]
    centre = centres.cat.codes.to_numpy()[keep]
    euros = rows["amount"].to_numpy(dtype="float64")[keep]
    known = (centre >= 0) & (line >= 0)
    if not known.all():
        line, centre, euros = line[known], centre[known], euros[known]
    width = max(len(names), 1)
    # The arrays above are copies made for this sum, worked on in place from here on.
    pair = centre.astype("int64")
    pair *= width
    pair += line
    cents = np.rint(np.multiply(euros, 100, out=euros), out=euros)
    size = len(centres.cat.categories) * width
    posted = np.flatnonzero(np.bincount(pair, minlength=size))
    # Whole cents in float64; bincount adds them exactly while a sum stays below 2**53 (90 000 billion €).
    sums = np.bincount(pair, weights=cents, minlength=size)[posted].astype("int64")
    index = pd.MultiIndex.from_arrays(
        [centres.cat.categories[posted // width], names[posted % width]], names=["cost_centre", "line"]
    )
    return pd.Series(sums, index=index)


def _rollup(wide: pd.DataFrame, org: Organisation) -> pd.DataFrame:
    """Add each cost centre's figures to all its ancestors."""
    posted = wide.reset_index().merge(org.rollup(), on="cost_centre")
    summed = posted.groupby(["node", "line"])[COLUMNS].sum()
    summed.index = summed.index.rename(["code", "line"])
    return summed


def _euros(cents: pd.Series, unit: int = 100) -> dict:
    """One row of printed values from a row of cents."""
    row = {c: None if pd.isna(cents[c]) else round_cents(cents[c], unit) for c in COLUMNS}
    row["pct"] = percent(cents["actual"], cents["ta"])
    return row


def operating_rows(
    figures: pd.DataFrame, org: Organisation, codes: list[str], unit: int = 100
) -> pd.DataFrame:
    """An operating table: per cost centre a heading, its income and expenses, and the margin, in euros
    (or in `unit`s of cents: 1 for the cents themselves)."""
    rows, present = [], set(figures.index.unique(level="code"))
    for code in codes:
        rows.append({"code": code, "label": org.label(code), "kind": "heading"})
        node = figures.xs(code, level="code") if code in present else None
        for line in OPERATING:
            cents = _line(node, line)
            if any(cents[c] for c in COLUMNS if not pd.isna(cents[c])):
                rows.append({"code": code, "label": line, "kind": "line", **_euros(cents, unit)})
        margin = _line(node, OPERATING[0]) + _line(node, OPERATING[1])
        rows.append({"code": code, "label": MARGIN, "kind": "total", **_euros(margin, unit)})
    return pd.DataFrame(rows, columns=["code", "label", "kind", "tp", "ta", "actual", "pct", "forecast"])


def _line(node: pd.DataFrame | None, line: str) -> pd.Series:
    if node is None or line not in node.index:
        return pd.Series(0, index=COLUMNS, dtype="Int64")
    return node.loc[line, COLUMNS]


def summary_rows(figures: pd.DataFrame, org: Organisation, unit: int = 100_000) -> pd.DataFrame:
    """The income-statement summary of the whole organisation in 1000 € (or in `unit`s of cents)."""
    node = figures.xs(org.root, level="code")
    rows = [(label, lines, total) for label, lines, total in SUMMARY]
    rows.append((N_("TILIKAUDEN TULOS"), RESULT, True))
    if any(_line(node, "Varausten ja rahastojen muutos")[c] for c in ("tp", "ta", "actual")):
        rows.append(("Varausten ja rahastojen muutos", ["Varausten ja rahastojen muutos"], False))
    rows.append((N_("YLIJÄÄMÄ / ALIJÄÄMÄ"), LINES, True))
    table = [
        {"label": label, "kind": "total" if total else "line", **_euros(_sum(node, lines), unit)}
        for label, lines, total in rows
    ]
    return pd.DataFrame(table, columns=["label", "kind", "tp", "ta", "actual", "pct", "forecast"])


def _sum(node: pd.DataFrame, lines: list[str]) -> pd.Series:
    total = _line(node, lines[0])
    for line in lines[1:]:
        total = total + _line(node, line)
    return total

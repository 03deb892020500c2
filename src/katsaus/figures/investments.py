"""The investment part (investointiosa): per project its TA, actual, Toteuma-% and TP-ennuste.

The table is optional (data/investments/, docs/data.md). Each of its figures is chosen for the period as
the ledger, budget and forecast are: actuals of the months up to the period's, and each project's latest
TA and forecast made by then. A figure of which the table has no row for the period is missing for every
project, and shown as missing; a project without a row of a figure the table has is 0 in it (nothing
budgeted, posted or forecast).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from katsaus.figures.lines import REASONS
from katsaus.figures.numbers import number, pct, percent, round_cents
from katsaus.findings import WARNING, Check, Finding
from katsaus.i18n import N_, _

if TYPE_CHECKING:
    from katsaus.organisation import Organisation
    from katsaus.period import Period

FIGURES = ["ta", "actual", "forecast"]
KEY = ["cost_centre", "project"]
MISSING = "–"  # printed where the data has no such figure
TOTAL = N_("Investments in total")
HEAD = N_("Project")
COLUMNS = ["ta", "actual", "pct", "forecast"]
NOTES = {
    "ta": N_("No budget of the investment part has been given for {months}; the B column shows –."),
    "actual": N_(
        "No actuals of the investment part have been given for {months}; the actual column shows –."
    ),
    "forecast": N_(
        "No FS forecast of the investment part has been made for {months}; the forecast column shows –."
    ),
}
NO_TABLE = N_("No figures of the investment part have been given for {months}.")
GAP_RULE = N_("the investment table has every figure (TA, actual, forecast) for the period")


def chosen(table: pd.DataFrame, period: Period, figure: str) -> pd.DataFrame:
    """The rows of `figure` the period's review reads: actuals of months 1..month, else each project's
    latest made by then."""
    kept = (table["year"] == period.year) & (table["figure"] == figure) & (table["month"] <= period.month)
    rows = table[kept]
    if figure == "actual" or rows.empty:
        return rows
    latest = rows.groupby(KEY, observed=True)["month"].transform("max")
    return rows[rows["month"] == latest]


def investment_figures(table: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Cents per (cost_centre, project) with the project's name; a figure without rows is NA throughout."""
    parts = {figure: _keyed(chosen(table, period, figure)) for figure in FIGURES}
    frame = pd.concat(parts.values()).groupby(KEY, sort=False)[["name"]].first()
    for figure, part in parts.items():
        cents = np.rint(part["amount"].to_numpy(dtype="float64") * 100).astype("int64")
        summed = pd.Series(cents, index=pd.MultiIndex.from_frame(part[KEY])).groupby(KEY).sum()
        column = summed.reindex(frame.index).fillna(0) if len(part) else pd.Series(pd.NA, frame.index)
        frame[figure] = column.astype("Int64")
    return frame.reset_index()


def _keyed(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.astype({"cost_centre": "str", "project": "str", "name": "str"})


def ordered(frame: pd.DataFrame, org: Organisation) -> pd.DataFrame:
    """The projects in the order of their cost centres in the hierarchy, then by project code."""
    place = {code: i for i, code in enumerate(org.names)}
    return frame.assign(_place=frame["cost_centre"].map(place)).sort_values(["_place", "project"])


def investments_html(frame: pd.DataFrame, org: Organisation, period: Period) -> tuple[str, list[str]]:
    """The investment table in euros, the projects under their cost centres, a total row, and a note for
    each figure the data lacks; a missing cell says why in its title."""
    heads = period.heads
    head = "".join(f'<th scope="col">{escape(text)}</th>' for text in [_(HEAD), *(heads[c] for c in COLUMNS)])
    notes = {f: _(NOTES[f], months=period.months) for f in FIGURES if frame[f].isna().all()}
    body = ""
    for code, projects in ordered(frame, org).groupby("cost_centre", sort=False):
        span, label = len(COLUMNS) + 1, escape(org.label(code))
        heading = f'<tr class="heading"><th scope="rowgroup" colspan="{span}">{label}</th></tr>'
        rows = "".join(
            _row(f"{row['project']} {row['name']}" if org.codes else row["name"], row, notes)
            for row in projects.to_dict("records")
        )
        body += f"<tbody>{heading}{rows}</tbody>"
    totals = {figure: frame[figure].sum(skipna=False) for figure in FIGURES}
    body += f"<tbody>{_row(_(TOTAL), totals, notes, 'total')}</tbody>"
    table = f'<table class="figures investments"><thead><tr>{head}</tr></thead>{body}</table>'
    return table, list(notes.values())


def _row(label: str, cents: dict, notes: dict[str, str], kind: str = "line") -> str:
    """One project's (or the total's) row; `notes` are the reasons of the figures the data lacks."""
    cells = [_cell(number(round_cents(cents[f])) if f not in notes else None, notes.get(f)) for f in FIGURES]
    lacking = " ".join(notes[f] for f in ("ta", "actual") if f in notes)
    share = None if lacking else percent(cents["actual"], cents["ta"])
    if share is None and not lacking:
        lacking = _(REASONS["zero budget"])  # a TA of 0: no Toteuma-%
    cells.insert(2, _cell(None if share is None else pct(share), lacking))
    return f'<tr class="{kind}"><th scope="row">{escape(label)}</th>{"".join(cells)}</tr>'


def _cell(text: str | None, reason: str | None) -> str:
    if text is None:
        return f'<td class="missing" title="{escape(reason)}">{MISSING}</td>'
    return f"<td>{escape(text)}</td>"


def gaps(table: pd.DataFrame, period: Period) -> list[tuple[Check, list[Finding]]]:
    """A warning for each figure the investment table lacks for the period; nothing without a table."""
    if table.empty:
        return []
    source = str(table["_file"].iloc[0]) if table["_file"].nunique() == 1 else "investments/"
    findings = [
        Finding(
            WARNING,
            GAP_RULE,
            N_("no '{figure}' rows of {year} by month {month}; the review shows –"),
            source,
            column="figure",
            values={"figure": figure, "year": period.year, "month": period.month},
        )
        for figure in FIGURES
        if chosen(table, period, figure).empty
    ]
    return [
        (
            Check("investments", GAP_RULE, WARNING, "computed", len(FIGURES), len(findings), not findings),
            findings,
        )
    ]

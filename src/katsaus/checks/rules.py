"""Input checks done in pandas: the tables' keys, the hierarchy's shape, the period's forecast and, as a
safety net, the totals of the computed figures (they hold by construction of katsaus.figures.lines)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from katsaus.figures import statement
from katsaus.figures.lines import COLUMNS, MARGIN, Gap, operating_rows, summary_rows
from katsaus.figures.numbers import number
from katsaus.findings import ERROR, EXAMPLES, WARNING, Check, Finding, Result, Table, at_rows, result
from katsaus.i18n import N_
from katsaus.organisation import Organisation

if TYPE_CHECKING:
    from katsaus.inputs.tables import Inputs

ROOT_RULE = N_("the hierarchy has exactly one root (one cost centre with an empty parent)")
CYCLE_RULE = N_("the hierarchy has no cycle (no cost centre is its own ancestor)")
GAP_RULE = N_("every figure of the review has its data; what the data lacks is printed as missing (–)")
UNITS_RULE = N_("a department's (and the city's) operating figures are the sum of its units'")
MARGIN_RULE = N_(
    "TOIMINTAKATE = the sum of the operating lines in the city's and each department's total (±1 €)"
)
SUMMARY_RULE = N_("the 1000 € summary agrees with the city's operating table (±1 of rounding)")
KEYS = {
    "ledger": ["year", "month", "cost_centre", "account"],
    "budget": ["year", "cost_centre", "account"],
    "forecast": ["year", "made_month", "cost_centre", "account"],
    "investments": ["year", "month", "cost_centre", "project", "figure"],
}
KEY_RULES = {
    "ledger": N_("one ledger row per (year, month, cost_centre, account)"),
    "budget": N_("one budget row per (year, cost_centre, account)"),
    "forecast": N_("one forecast row per (year, made_month, cost_centre, account)"),
    "investments": N_("one investments row per (year, month, cost_centre, project, figure)"),
}
KEY_MESSAGE = N_("another row has the same key {value}")
# The summary's rows (1000 €) that repeat the city's operating rows (€), by their printed labels.
SUMMARY_LINES = {
    statement.label(statement.INCOME): statement.label(statement.INCOME),
    statement.label(statement.EXPENSES): statement.label(statement.EXPENSES),
    statement.SUMMARY_LABELS[MARGIN]: MARGIN,
}
OPERATING_LABELS = [statement.label(line) for line in statement.OPERATING]


def unique_keys(tables: list[Table]) -> list[Result]:
    """One row per key in the ledger, the budget and the forecast; a duplicate is reported at its first row,
    naming the others."""
    return [_unique_key(table, KEYS[table.name]) for table in tables if table.name in KEYS]


def _unique_key(table: Table, key: list[str]) -> Result:
    rule = KEY_RULES[table.name]
    frame = table.frame.reset_index(drop=True)
    rows = np.flatnonzero(_repeated(frame[key]))
    check = Check(table.name, rule, ERROR, "computed", len(frame), len(rows), not len(rows))
    if not len(rows):
        return check, []
    labels = rows[:EXAMPLES].tolist()
    values = [dict(zip(key, row, strict=True)) for row in frame[key].iloc[labels].itertuples(index=False)]
    finding = Finding(ERROR, rule, KEY_MESSAGE, table.source, column=", ".join(key))
    return check, at_rows(finding, frame, labels, values, len(rows))


def _repeated(keys: pd.DataFrame) -> np.ndarray:
    """Whether each row's key occurs on another row too. The columns' codes are combined into one integer
    per row and the integers sorted: much faster than hashing millions of distinct keys."""
    combined, size = np.zeros(len(keys), dtype="int64"), 1
    for name in keys.columns:
        codes, count = _codes(keys[name])
        size *= count
        if size > 2**62:
            return keys.duplicated(keep=False).to_numpy()
        combined *= count
        combined += codes
    ordered = np.sort(combined.astype(np.min_scalar_type(size)))
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    return np.isin(combined, repeated) if len(repeated) else np.zeros(len(keys), dtype=bool)


def _codes(column: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes of a column's values, and how many codes there can be (a missing value has one): a
    categorical's own codes, the offsets of integers in a short range (years, months), else factorized."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy() + 1, len(column.cat.categories) + 1
    values = column.to_numpy()
    if values.dtype.kind == "i" and len(values):
        low, span = int(values.min()), int(values.max()) - int(values.min()) + 1
        if span <= len(values):
            return values - low, span
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    return codes, max(len(distinct), 1)


def hierarchy(table: pd.DataFrame) -> list[Result]:
    """Exactly one root and no cycle in organisation.csv (orphans are the organisation suite's)."""
    return [_root(table), _cycles(table)]


def _root(table: pd.DataFrame) -> Result:
    roots = table[table["parent"] == ""]
    if roots.empty:
        message = N_("no cost centre has an empty parent, so the hierarchy has no root")
        findings = [Finding(ERROR, ROOT_RULE, message, _file(table, "organisation.csv"))]
        return result("organisation", ROOT_RULE, ERROR, len(table), findings)
    (first, *_), *others = roots[["code", "_file", "_row"]].itertuples(index=False, name=None)
    message = N_("{code} has an empty parent as {first} does")
    findings = [
        Finding(
            ERROR, ROOT_RULE, message, str(file), int(row), "parent", code, {"code": code, "first": first}
        )
        for code, file, row in others
    ]
    return result("organisation", ROOT_RULE, ERROR, len(table), findings)


def _cycles(table: pd.DataFrame) -> Result:
    """Each cycle once, at its member that comes first in the file."""
    walk = Organisation(table)
    seen: set[frozenset] = set()
    findings = []
    for code, parent, file, row in table[["code", "parent", "_file", "_row"]].itertuples(index=False):
        cycle = walk.cycle(code)
        if cycle and frozenset(cycle) not in seen:
            seen.add(frozenset(cycle))
            values = {"code": code, "path": " → ".join([*cycle, cycle[0]])}
            message = N_("cost centre {code} is its own ancestor: {path}")
            place = (str(file), int(row), "parent", parent)
            findings.append(Finding(ERROR, CYCLE_RULE, message, *place, values))
    return result("organisation", CYCLE_RULE, ERROR, len(walk.names), findings)


def gaps(found: list[Gap], inputs: Inputs) -> Result:
    """One warning per gap of the figures, at the table that lacks it, saying what the review leaves out."""
    findings = [
        Finding(WARNING, GAP_RULE, g.reason, _folder(getattr(inputs, g.table), g.table), column=g.column)
        for g in found
    ]
    return result("figures", GAP_RULE, WARNING, len(COLUMNS) * len(statement.REQUIRED), findings)


def figure_totals(figures: pd.DataFrame, org: Organisation, found: list[Gap] = ()) -> list[Result]:
    """The computed figures add up the way the review prints them."""
    return [_units(figures, org), _margins(figures, org, found), _summary(figures, org, found)]


def _units(figures: pd.DataFrame, org: Organisation) -> Result:
    """A total that differs from its units' sum has postings on its own code, shown in no unit row."""
    operating = figures[figures.index.get_level_values("line").isin(statement.OPERATING)]
    parents = operating.index.get_level_values("code").map(org.parents)
    parts = operating[parents.notna()].groupby([parents[parents.notna()], "line"])[COLUMNS].sum()
    parts.index = parts.index.rename(["code", "line"])
    totals = operating.reindex(parts.index).fillna(0)
    findings = []
    for (code, line), column in _differences(totals, parts):
        total, summed = (_euros(frame.loc[(code, line), column]) for frame in (totals, parts))
        message = N_(
            "{line} of {code} {name} is {total} € but its units sum to {summed} €"
            " (postings on {code} itself?)"
        )
        values = {"line": line, "code": code, "name": org.names[code], "total": total, "summed": summed}
        findings.append(Finding(WARNING, UNITS_RULE, message, "figures", column=column, values=values))
    return result("figures", UNITS_RULE, WARNING, parts.size, findings)


def _differences(totals: pd.DataFrame, parts: pd.DataFrame) -> list[tuple[tuple[str, str], str]]:
    """(code, line) and column of every cell where two frames of cents differ (NA is no difference)."""
    differs = (totals != parts).fillna(False)
    return [
        (key, column) for column in COLUMNS for key in differs.index[differs[column].to_numpy(dtype=bool)]
    ]


def _margins(figures: pd.DataFrame, org: Organisation, found: list[Gap]) -> Result:
    """In each printed table's total row: the city's and every department's."""
    totals = [org.root, *org.departments()]
    rows = operating_rows(figures, org, totals, found).set_index(["code", "label"])
    findings = []
    for code in totals:
        for column in COLUMNS:
            margin = rows.loc[(code, MARGIN), column]
            parts = sum(_printed(rows, (code, line), column) for line in OPERATING_LABELS)
            if margin is not None and abs(margin - parts) > 1:
                message = N_("{margin_line} of {code} is {margin} € but income + expenses are {parts} €")
                values = {
                    "margin_line": MARGIN,
                    "code": code,
                    "margin": number(margin),
                    "parts": number(parts),
                }
                findings.append(Finding(ERROR, MARGIN_RULE, message, "figures", column=column, values=values))
    return result("figures", MARGIN_RULE, ERROR, len(totals) * len(COLUMNS), findings)


def _summary(figures: pd.DataFrame, org: Organisation, found: list[Gap]) -> Result:
    summary = summary_rows(figures, org, found).set_index("label")
    city = operating_rows(figures, org, [org.root], found).set_index("label")
    findings = []
    for label, line in SUMMARY_LINES.items():
        for column in COLUMNS:
            thousands = summary.loc[label, column]
            euros = _printed(city, line, column)
            if thousands is not None and abs(thousands - euros / 1000) > 1:
                message = N_("{label} is {thousands} (1000 €) but the city's {line} is {euros} €")
                values = {
                    "label": label,
                    "thousands": number(thousands),
                    "line": line,
                    "euros": number(euros),
                }
                findings.append(
                    Finding(ERROR, SUMMARY_RULE, message, "figures", column=column, values=values)
                )
    return result("figures", SUMMARY_RULE, ERROR, len(SUMMARY_LINES) * len(COLUMNS), findings)


def _printed(rows: pd.DataFrame, key, column: str) -> int:
    """A printed euro value of an operating table; 0 for a line the table leaves out."""
    value = rows.loc[key, column] if key in rows.index else 0
    return 0 if value is None or pd.isna(value) else int(value)


def _euros(cents) -> str:
    return f"{cents / 100:,.2f}".replace(",", " ")


def _file(table: pd.DataFrame, default: str) -> str:
    return str(table["_file"].iloc[0]) if len(table) else default


def _folder(table: pd.DataFrame, name: str) -> str:
    """Where a table is read from: its file (accounts) or its folder (ledger, budget, forecast)."""
    if not len(table):
        return f"{name}/"
    file = Path(str(table["_file"].iloc[0]))
    return str(file) if name == "accounts" else f"{file.parent}/"

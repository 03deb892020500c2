"""The review's figures: TP, TA, Toteuma, Toteuma-% and TP-ennuste per cost centre and line, and what of
them the data does not hold (the gaps).

Amounts are held as whole cents (int64) until they are printed, so totals are exact and rounding
happens once, the way the published review does it (half away from zero). A figure the data lacks is
missing (None in a printed row, with its reason), never 0: a column whose source has no rows (no ledger of
the previous year, no forecast yet), a required line of the income statement that no account maps to or
that a column's data has no posting on, and every total over such a line.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from katsaus.figures import statement
from katsaus.figures.numbers import percent, round_cents
from katsaus.i18n import N_, _

if TYPE_CHECKING:
    from katsaus.inputs.tables import Inputs
    from katsaus.organisation import Organisation
    from katsaus.period import Period

COLUMNS = ["tp", "ta", "actual", "forecast"]
ROW_COLUMNS = ["label", "kind", "tp", "ta", "actual", "pct", "forecast", "missing"]
OPERATING = [statement.INCOME, statement.EXPENSES]
MARGIN = statement.MARGIN
LINES = statement.accepted()
# What the reader is told of each gap (also the data checks' warning); {} fields from the period.
REASONS = {
    "tp": N_("The ledger has no actuals of {previous}: the column FS {previous} is missing (–)."),
    "ta": N_("The data has no budget of {year}: the column Budget {year} is missing (–)."),
    "actual": N_("The ledger has no actuals of {months}: the column Actual is missing (–)."),
    "forecast": N_("No FS forecast has been made yet for {months}: the column FS forecast is missing (–)."),
    "unmapped": N_(
        "The chart of accounts has no account of the line {line}: the line and the subtotals over it are"
        " missing (–)."
    ),
    "unposted": N_(
        "{source} has no postings on the line {line}: the line in the column {head} and the subtotals over"
        " it are missing (–)."
    ),
    "zero budget": N_("The budget is 0: no Actual-% is computed (–)."),
}
SOURCES = {"tp": "ledger", "ta": "budget", "actual": "ledger", "forecast": "forecast"}
SOURCE_NAMES = {
    "tp": N_("The previous year's ledger"),
    "ta": N_("The budget"),
    "actual": N_("The ledger"),
    "forecast": N_("The FS forecast"),
}


@dataclass(frozen=True)
class Gap:
    """What the data lacks: a whole column (line None), a line in every column (column None), or a line in
    one column; `table` is the input table it would come from, `reason` what the reader is told."""

    table: str
    column: str | None
    line: str | None
    reason: str

    def covers(self, line: str, column: str) -> bool:
        """Whether the gap leaves the figure of `line` (a main line or a sub-line) in `column` missing."""
        return self.column in (None, column) and self.line in (None, statement.main_line(line))


def forecast_month(inputs: Inputs, period: Period) -> int | None:
    """The month of the latest forecast of the period's year made by the period's end."""
    made = inputs.forecast.loc[
        (inputs.forecast["year"] == period.year) & (inputs.forecast["made_month"] <= period.month),
        "made_month",
    ]
    return int(made.max()) if len(made) else None


def compute(inputs: Inputs, period: Period, org: Organisation) -> tuple[pd.DataFrame, list[Gap]]:
    """The period's figures and gaps."""
    return period_figures(inputs, period, org), find_gaps(inputs, period)


def period_figures(inputs: Inputs, period: Period, org: Organisation) -> pd.DataFrame:
    """Figures in cents for every node of the hierarchy and line: index (code, line) with main lines and
    sub-lines, COLUMNS; a column the data lacks is NA."""
    sources, lines = _sources(inputs, period), _lines(inputs.accounts)
    wide = pd.concat({name: _by_line(rows, keep, lines) for name, (rows, keep) in sources.items()}, axis=1)
    wide = _with_main_lines(wide.reindex(columns=COLUMNS).fillna(0).astype("int64"))
    figures = _rollup(wide, org).astype("Int64")
    for gap in _column_gaps(sources, period):
        figures[gap.column] = pd.NA
    return figures


def find_gaps(inputs: Inputs, period: Period) -> list[Gap]:
    """What the period's figures lack: columns without rows, then required lines without an account or,
    in a column, without a posting."""
    sources, lines = _sources(inputs, period), _lines(inputs.accounts)
    gaps = _column_gaps(sources, period)
    mapped = {statement.main_line(line) for line in lines.values() if line}
    present = {gap.column for gap in gaps}.symmetric_difference(COLUMNS)
    posted = {column: _posted(*sources[column], lines) for column in COLUMNS if column in present}
    for line in statement.REQUIRED:
        if line not in mapped:
            gaps.append(Gap("accounts", None, line, _reason("unmapped", period, line=line)))
            continue
        for column in (c for c in COLUMNS if c in posted and line not in posted[c]):
            source, head = _(SOURCE_NAMES[column]), period.heads[column]
            reason = _reason("unposted", period, line=line, source=source, head=head)
            gaps.append(Gap(SOURCES[column], column, line, reason))
    return gaps


def _lines(accounts: pd.DataFrame) -> dict[str, str | None]:
    """The line of each account (None for a value that names no line)."""
    return dict(zip(accounts["account"], accounts["line"].map(statement.canonical), strict=True))


def _posted(rows: pd.DataFrame, keep: pd.Series, lines: dict[str, str | None]) -> set[str]:
    """The main lines that the kept rows post on."""
    accounts = rows["account"].astype("category")
    codes = accounts.cat.codes.to_numpy()[keep.to_numpy(dtype=bool)]
    used = accounts.cat.categories[np.flatnonzero(np.bincount(codes[codes >= 0], minlength=1))]
    return {statement.main_line(lines[a]) for a in used if lines.get(a)}


def _sources(inputs: Inputs, period: Period) -> dict[str, tuple[pd.DataFrame, pd.Series]]:
    """Each column: the table it sums and which of its rows."""
    ledger, budget, forecast = inputs.ledger, inputs.budget, inputs.forecast
    made = forecast_month(inputs, period)
    return {
        "tp": (ledger, ledger["year"] == period.year - 1),
        "ta": (budget, budget["year"] == period.year),
        "actual": (ledger, (ledger["year"] == period.year) & (ledger["month"] <= period.month)),
        "forecast": (forecast, (forecast["year"] == period.year) & (forecast["made_month"] == made)),
    }


def _column_gaps(sources: dict, period: Period) -> list[Gap]:
    """A column whose table has no rows for the period."""
    return [
        Gap(SOURCES[column], column, None, _reason(column, period))
        for column, (_, keep) in sources.items()
        if not keep.any()
    ]


def _reason(kind: str, period: Period, **fields) -> str:
    line = {"line": _(fields.pop("line"))} if "line" in fields else {}
    values = {"previous": period.year - 1, "year": period.year, "months": period.months}
    return _(REASONS[kind], **values, **line, **fields)


def gaps_to_json(gaps: list[Gap]) -> list[dict]:
    """The gaps as JSON-ready dicts (the prepared figures of a build)."""
    return [asdict(gap) for gap in gaps]


def gaps_from_json(items: list[dict]) -> list[Gap]:
    """The gaps written by gaps_to_json."""
    return [Gap(**item) for item in items]


def _by_line(rows: pd.DataFrame, keep: pd.Series, lines: dict[str, str | None]) -> pd.Series:
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


def _with_main_lines(wide: pd.DataFrame) -> pd.DataFrame:
    """Add to each main line the sums of its sub-lines (the sub-lines stay as rows of their own)."""
    line = wide.index.get_level_values("line")
    subs = wide[line.isin(list(statement.PARENT))]
    if subs.empty:
        return wide
    centre = subs.index.get_level_values("cost_centre")
    mains = subs.groupby([centre, subs.index.get_level_values("line").map(statement.PARENT)]).sum()
    mains.index = mains.index.rename(["cost_centre", "line"])
    return wide.add(mains, fill_value=0).astype("int64")


def _rollup(wide: pd.DataFrame, org: Organisation) -> pd.DataFrame:
    """Add each cost centre's figures to all its ancestors."""
    posted = wide.reset_index().merge(org.rollup(), on="cost_centre")
    summed = posted.groupby(["node", "line"])[COLUMNS].sum()
    summed.index = summed.index.rename(["code", "line"])
    return summed


@dataclass(frozen=True)
class Cells:
    """One row's figures in cents: a value per column, or the reasons it is missing."""

    cents: dict[str, int]
    missing: dict[str, list[str]]

    def __add__(self, other: Cells) -> Cells:
        missing = {c: [*self.missing.get(c, []), *other.missing.get(c, [])] for c in COLUMNS}
        missing = {c: list(dict.fromkeys(reasons)) for c, reasons in missing.items() if reasons}
        cents = {c: self.cents[c] + other.cents[c] for c in COLUMNS if c not in missing}
        return Cells(cents, missing)

    def any_value(self) -> bool:
        """Whether a column has a figure other than 0."""
        return any(self.cents.values())


def _cells(node: pd.DataFrame | None, line: str, gaps: list[Gap]) -> Cells:
    """The cents of a line of a node (0 where it has no posting), missing where a gap covers it."""
    missing = {c: [g.reason for g in gaps if g.covers(line, c)] for c in COLUMNS}
    missing = {c: reasons for c, reasons in missing.items() if reasons}
    values = node.loc[line, COLUMNS] if node is not None and line in node.index else None
    cents = {c: 0 if values is None else int(values[c]) for c in COLUMNS if c not in missing}
    return Cells(cents, missing)


def _total(node: pd.DataFrame | None, lines: list[str], gaps: list[Gap]) -> Cells:
    cells = [_cells(node, line, gaps) for line in lines]
    total = cells[0]
    for part in cells[1:]:
        total = total + part
    return total


def _printed(label: str, kind: str, cells: Cells, unit: int, zero_budget: str) -> dict:
    """One row of printed values (whole `unit`s) from a row of cents; None where a figure is missing,
    with its reasons in `missing` (column → reasons)."""
    row = {"label": label, "kind": kind, "missing": dict(cells.missing)}
    for column in COLUMNS:
        row[column] = round_cents(cells.cents[column], unit) if column in cells.cents else None
    row["pct"], reasons = _pct(cells, zero_budget)
    if reasons:
        row["missing"]["pct"] = reasons
    return row


def _pct(cells: Cells, zero_budget: str) -> tuple[int | None, list[str]]:
    """Toteuma-%, or None and why: a missing actual or budget, or a budget of 0 (printed "0 %" where
    the plan keeps that convention)."""
    reasons = [*cells.missing.get("actual", []), *cells.missing.get("ta", [])]
    if reasons:
        return None, list(dict.fromkeys(reasons))
    value = percent(cells.cents["actual"], cells.cents["ta"])
    if value is None:
        return (0, []) if zero_budget == "0 %" else (None, [_(REASONS["zero budget"])])
    return value, []


def _line_rows(node, line: str, gaps: list[Gap], detail: str, unit: int, zero_budget: str) -> list[dict]:
    """A main line's row and, in a detailed table, its sub-lines' rows and the rest of it."""
    cells = _cells(node, line, gaps)
    rows = [_printed(statement.label(line), "line", cells, unit, zero_budget)]
    if detail != "sublines" or node is None:
        return rows
    subs = [sub for sub in statement.MAIN[line] if sub in node.index]
    if not subs:
        return rows
    parts = [_cells(node, sub, gaps) for sub in subs]
    rows += [_printed(sub, "subline", part, unit, zero_budget) for sub, part in zip(subs, parts, strict=True)]
    rest = {c: v - sum(p.cents.get(c, 0) for p in parts) for c, v in cells.cents.items()}
    rest = Cells(rest, cells.missing)
    if rest.any_value():
        rows.append(_printed(statement.UNSPECIFIED, "subline", rest, unit, zero_budget))
    return rows


def _shown(node, line: str, gaps: list[Gap]) -> bool:
    """A main line is printed when it has a figure other than 0, or (a required line) it has no account."""
    unmapped = any(g.line == line and g.column is None for g in gaps)
    return unmapped or _cells(node, line, gaps).any_value()


def operating_rows(
    figures: pd.DataFrame,
    org: Organisation,
    codes: list[str],
    gaps: list[Gap] = (),
    detail: str = "lines",
    zero_budget: str = "–",
    unit: int = 100,
) -> pd.DataFrame:
    """An operating table: per cost centre a heading, its operating lines, and the margin, in euros (or in
    `unit`s of cents: 1 for the cents themselves)."""
    rows, present = [], set(figures.index.unique(level="code"))
    for code in codes:
        rows.append({"code": code, "label": org.label(code), "kind": "heading", "missing": {}})
        node = figures.xs(code, level="code") if code in present else None
        for line in statement.OPERATING:
            if _shown(node, line, gaps):
                lines = _line_rows(node, line, gaps, detail, unit, zero_budget)
                rows += [{"code": code, **row} for row in lines]
        margin = _total(node, statement.TOTALS[MARGIN], gaps)
        rows.append({"code": code, **_printed(MARGIN, "total", margin, unit, zero_budget)})
    return pd.DataFrame(rows, columns=["code", *ROW_COLUMNS])


def summary_rows(
    figures: pd.DataFrame,
    org: Organisation,
    gaps: list[Gap] = (),
    detail: str = "lines",
    zero_budget: str = "–",
    unit: int = 100_000,
) -> pd.DataFrame:
    """The income statement of the whole organisation in 1000 € (or in `unit`s of cents): its main lines
    (required ones always, optional ones where posted) and totals."""
    node = figures.xs(org.root, level="code") if org.root in figures.index.unique(level="code") else None
    rows = []
    for line in statement.ORDER:
        if line in statement.TOTALS:
            label = statement.SUMMARY_LABELS.get(line, line)
            cells = _total(node, statement.TOTALS[line], gaps)
            rows.append(_printed(label, "total", cells, unit, zero_budget))
        elif line in statement.REQUIRED or _shown(node, line, gaps):
            rows += _line_rows(node, line, gaps, detail, unit, zero_budget)
    return pd.DataFrame(rows, columns=ROW_COLUMNS)

"""Input checks done in pandas: the hierarchy's shape, the period's forecast and, as a safety net, the
totals of the computed figures (they hold by construction of katsaus.figures)."""

from __future__ import annotations

import pandas as pd

from katsaus.figures import COLUMNS, MARGIN, OPERATING, operating_rows, summary_rows
from katsaus.findings import ERROR, WARNING, Check, Finding
from katsaus.numfmt import number
from katsaus.organisation import Organisation
from katsaus.period import Period

Result = tuple[Check, list[Finding]]
ROOT_RULE = "the hierarchy has exactly one root (one cost centre with an empty parent)"
CYCLE_RULE = "the hierarchy has no cycle (no cost centre is its own ancestor)"
FORECAST_RULE = "a TP-ennuste of the year has been made by the period"
UNITS_RULE = "a department's (and the city's) operating figures are the sum of its units'"
MARGIN_RULE = "TOIMINTAKATE = TOIMINTATUOTOT + TOIMINTAKULUT in every operating table (±1 € of rounding)"
SUMMARY_RULE = "the 1000 € summary agrees with the city's operating table (±1 of rounding)"
SUMMARY_LINES = {
    "TOIMINTATUOTOT": OPERATING[0],
    "TOIMINTAKULUT": OPERATING[1],
    "TOIMINTAKATE YHTEENSÄ": MARGIN,
}


def result(table: str, rule: str, severity: str, checked: int, findings: list[Finding]) -> Result:
    """A computed check and its findings."""
    return Check(table, rule, severity, "computed", checked, len(findings), not findings), findings


def hierarchy(table: pd.DataFrame) -> list[Result]:
    """Exactly one root and no cycle in organisation.csv (orphans are the organisation suite's)."""
    return [_root(table), _cycles(table)]


def _root(table: pd.DataFrame) -> Result:
    roots = table[table["parent"] == ""]
    file = _file(table, "organisation.csv")
    if roots.empty:
        message = "no cost centre has an empty parent, so the hierarchy has no root"
        return result(
            "organisation", ROOT_RULE, ERROR, len(table), [Finding(ERROR, ROOT_RULE, message, file)]
        )
    first = roots["code"].iloc[0]
    findings = [
        Finding(ERROR, ROOT_RULE, f"{code} has an empty parent as {first} does", f, int(row), "parent", code)
        for code, f, row in zip(roots["code"].iloc[1:], roots["_file"].iloc[1:], roots["_row"].iloc[1:])
    ]
    return result("organisation", ROOT_RULE, ERROR, len(table), findings)


def _cycles(table: pd.DataFrame) -> Result:
    """Each cycle once, at its member that comes first in the file."""
    parents = dict(zip(table["code"], table["parent"]))
    places = dict(zip(table["code"], zip(table["_file"], table["_row"])))
    seen: set[frozenset] = set()
    findings = []
    for code in parents:
        cycle = _cycle(code, parents)
        if cycle and frozenset(cycle) not in seen:
            seen.add(frozenset(cycle))
            file, row = places[code]
            path = " → ".join([*cycle, cycle[0]])
            message = f"cost centre {code} is its own ancestor: {path}"
            findings.append(Finding(ERROR, CYCLE_RULE, message, str(file), int(row), "parent", parents[code]))
    return result("organisation", CYCLE_RULE, ERROR, len(parents), findings)


def _cycle(code: str, parents: dict[str, str]) -> list[str]:
    """The cycle that `code` is on, starting at `code` (empty if it is on none)."""
    chain = [code]
    while parents.get(chain[-1]) in parents and parents[chain[-1]] not in chain:
        chain.append(parents[chain[-1]])
    return chain if parents.get(chain[-1]) == code else []


def forecast_made(month: int | None, period: Period, forecast: pd.DataFrame) -> Result:
    """A warning when the period has no TP-ennuste yet (the review leaves the column empty)."""
    findings = []
    if month is None:
        message = f"no TP-ennuste of {period.year} made by {period}; the review leaves the column empty"
        findings.append(Finding(WARNING, FORECAST_RULE, message, _file(forecast, "forecast/")))
    return result("forecast", FORECAST_RULE, WARNING, 1, findings)


def figure_totals(figures: pd.DataFrame, org: Organisation) -> list[Result]:
    """The computed figures add up the way the review prints them."""
    return [_units(figures, org), _margins(figures, org), _summary(figures, org)]


def _units(figures: pd.DataFrame, org: Organisation) -> Result:
    """A total that differs from its units' sum has postings on its own code, shown in no unit row."""
    totals = [code for code in org.names if org.children(code)]
    findings = []
    for code in totals:
        for line in OPERATING:
            total = _cents(figures, code, line)
            parts = sum((_cents(figures, child, line) for child in org.children(code)), _zero())
            for column in COLUMNS:
                if not pd.isna(total[column]) and total[column] != parts[column]:
                    message = (
                        f"{line} of {code} {org.names[code]} is {_euros(total[column])} € but its units"
                        f" sum to {_euros(parts[column])} € (postings on {code} itself?)"
                    )
                    findings.append(Finding(WARNING, UNITS_RULE, message, "figures", column=column))
    return result("figures", UNITS_RULE, WARNING, len(totals) * len(OPERATING) * len(COLUMNS), findings)


def _margins(figures: pd.DataFrame, org: Organisation) -> Result:
    rows = operating_rows(figures, org, list(org.names)).set_index(["code", "label"])
    findings = []
    for code in org.names:
        if (code, MARGIN) not in rows.index:
            continue
        for column in COLUMNS:
            margin = rows.loc[(code, MARGIN), column]
            parts = sum(_printed(rows, (code, line), column) for line in OPERATING)
            if margin is not None and abs(margin - parts) > 1:
                message = (
                    f"{MARGIN} of {code} is {number(margin)} € but income + expenses are {number(parts)} €"
                )
                findings.append(Finding(ERROR, MARGIN_RULE, message, "figures", column=column))
    return result("figures", MARGIN_RULE, ERROR, len(org.names) * len(COLUMNS), findings)


def _summary(figures: pd.DataFrame, org: Organisation) -> Result:
    summary = summary_rows(figures, org).set_index("label")
    city = operating_rows(figures, org, [org.root]).set_index("label")
    findings = []
    for label, line in SUMMARY_LINES.items():
        for column in COLUMNS:
            thousands = summary.loc[label, column]
            euros = _printed(city, line, column)
            if thousands is not None and abs(thousands - euros / 1000) > 1:
                message = (
                    f"{label} is {number(thousands)} (1000 €) but the city's {line} is {number(euros)} €"
                )
                findings.append(Finding(ERROR, SUMMARY_RULE, message, "figures", column=column))
    return result("figures", SUMMARY_RULE, ERROR, len(SUMMARY_LINES) * len(COLUMNS), findings)


def _cents(figures: pd.DataFrame, code: str, line: str) -> pd.Series:
    if (code, line) in figures.index:
        return figures.loc[(code, line), COLUMNS]
    return _zero()


def _zero() -> pd.Series:
    return pd.Series(0, index=COLUMNS, dtype="Int64")


def _printed(rows: pd.DataFrame, key, column: str) -> int:
    """A printed euro value of an operating table; 0 for a line the table leaves out."""
    value = rows.loc[key, column] if key in rows.index else 0
    return 0 if value is None or pd.isna(value) else int(value)


def _euros(cents) -> str:
    return f"{cents / 100:,.2f}".replace(",", " ")


def _file(table: pd.DataFrame, default: str) -> str:
    return str(table["_file"].iloc[0]) if len(table) else default

"""Checks of the budget-change proposal tables of the department texts. All are warnings: a table is
printed as its department wrote it, so a table that does not hold together is pointed out, not refused."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from katsaus.figures.lines import OPERATING
from katsaus.figures.numbers import number
from katsaus.findings import ERROR, WARNING, Finding, Result, result
from katsaus.i18n import N_
from katsaus.inputs.texts import TextFile, is_total

if TYPE_CHECKING:
    from katsaus.organisation import Organisation

PARTS = ("tulot", "menot", "netto")
COLUMNS_RULE = N_("a proposal table has the columns tulot, menot and netto")
NETTO_RULE = N_("a proposal's netto follows its convention (tulot - menot or menot - tulot)")
UNITS_RULE = N_("a proposal's units are cost centres of the organisation")
TOTAL_RULE = N_("a proposal's rows add up to its Yhteensä row")
AGREES_RULE = N_(
    "a proposal's tulot and menot agree with TP-ennuste - TA of its units (within 1 000 € or 1 %)"
)
TOLERANCE, SHARE = 1000, 0.01


@dataclass(frozen=True)
class ProposalTable:
    """A proposal table: its cells as written and as numbers (by row label), and each part's column."""

    file: TextFile
    cells: pd.DataFrame
    amounts: pd.DataFrame
    parts: dict[str, str]

    def finding(
        self, rule: str, label: str, at: str | None, message: str, severity: str = WARNING, **values
    ) -> Finding:
        """A problem on the row `label`, in the column of the part `at` (None: the row); `message` is
        filled from `values` and the row's label."""
        column = self.parts.get(at)
        value = self.cells.loc[label, column] if column else label
        values = {"label": label, **values}
        place = str(self.file.path), self.file.line(label), column
        return Finding(severity, rule, message, *place, value, values)


def proposal_checks(texts: list[TextFile], figures: pd.DataFrame, org: Organisation) -> list[Result]:
    """Columns, netto, Yhteensä and, when there is a forecast, agreement with the figures."""
    files = [file for file in texts if file.text.proposal is not None]
    tables = [_table(file) for file in files]
    complete = [table for table in tables if len(table.parts) == len(PARTS)]
    results = [_columns(tables), _units(tables, org), _netto(complete), _totals(complete)]
    if not figures["forecast"].isna().all():
        results.append(_agrees(complete, figures, org))
    return results


def _table(file: TextFile) -> ProposalTable:
    table = file.text.proposal.table
    cells = table.set_index(table.columns[0])
    named = {str(column).strip().lower(): column for column in cells.columns}
    parts = {part: named[part] for part in PARTS if part in named}
    return ProposalTable(file, cells, file.text.proposal.amounts().fillna(0), parts)


def _columns(tables: list[ProposalTable]) -> Result:
    findings = []
    for table in tables:
        absent = [part for part in PARTS if part not in table.parts]
        if absent:
            message = N_("the proposal table has no column {value}")
            file = table.file
            findings.append(
                Finding(WARNING, COLUMNS_RULE, message, str(file.path), file.line(), value=absent)
            )
    return result("texts", COLUMNS_RULE, WARNING, len(tables), findings)


def _units(tables: list[ProposalTable], org: Organisation) -> Result:
    """Every row's units are cost centres of the organisation: a change proposed for an unknown one is
    refused."""
    findings, checked = [], 0
    for table in tables:
        for label, units in table.file.text.proposal.units.items():
            checked += 1
            unknown = [unit for unit in units if unit not in org.names]
            if unknown:
                message = N_("'{label}' covers {unknown}, which is not a cost centre of the organisation")
                unknown = ", ".join(unknown)
                findings.append(table.finding(UNITS_RULE, label, None, message, ERROR, unknown=unknown))
    return result("texts", UNITS_RULE, ERROR, checked, findings)


def _netto(tables: list[ProposalTable]) -> Result:
    findings, checked = [], 0
    for table in tables:
        convention = table.file.text.proposal.netto
        sign = 1 if convention == "tulot - menot" else -1
        for label, row in table.amounts.iterrows():
            checked += 1
            expected = sign * (row[table.parts["tulot"]] - row[table.parts["menot"]])
            if abs(row[table.parts["netto"]] - expected) > 0.5:
                cell = table.cells.loc[label, table.parts["netto"]]
                message = N_("netto of '{label}' is {cell} but {convention} is {expected}")
                values = {"cell": cell, "convention": convention, "expected": _amount(expected)}
                findings.append(table.finding(NETTO_RULE, label, "netto", message, **values))
    return result("texts", NETTO_RULE, WARNING, checked, findings)


def _totals(tables: list[ProposalTable]) -> Result:
    findings, checked = [], 0
    for table in tables:
        labels = list(table.amounts.index)
        totals = [label for label in labels if is_total(label)]
        if not totals:
            file = table.file
            message = N_("the proposal table has no Yhteensä row")
            findings.append(Finding(WARNING, TOTAL_RULE, message, str(file.path), file.line()))
            continue
        rows = table.amounts.loc[[label for label in labels if not is_total(label)]]
        for part in PARTS:
            checked += 1
            column = table.parts[part]
            summed = rows[column].sum()
            if abs(table.amounts.loc[totals[0], column] - summed) > 0.5:
                cell = table.cells.loc[totals[0], column]
                message = N_("Yhteensä {part} is {cell} but the rows sum to {summed}")
                values = {"part": part, "cell": cell, "summed": _amount(summed)}
                findings.append(table.finding(TOTAL_RULE, totals[0], part, message, **values))
    return result("texts", TOTAL_RULE, WARNING, checked, findings)


def _agrees(tables: list[ProposalTable], figures: pd.DataFrame, org: Organisation) -> Result:
    """Each row's tulot and menot against TP-ennuste − TA of its units (menot are printed as costs, +)."""
    findings, checked = [], 0
    for table in tables:
        for label, units in table.file.text.proposal.units.items():
            if any(unit not in org.names for unit in units):
                continue  # refused by _units
            income, expenses = _change(figures, units)
            for part, expected in (("tulot", income), ("menot", -expenses)):
                checked += 1
                cell = table.cells.loc[label, table.parts[part]]
                if abs(table.amounts.loc[label, table.parts[part]] - expected) > _tolerance(expected):
                    message = N_(
                        "'{label}' proposes {part} {cell} but TP-ennuste - TA of {units} is {expected}"
                    )
                    values = {
                        "part": part,
                        "cell": cell,
                        "units": ", ".join(units),
                        "expected": _amount(expected),
                    }
                    findings.append(table.finding(AGREES_RULE, label, part, message, **values))
    return result("texts", AGREES_RULE, WARNING, checked, findings)


def _change(figures: pd.DataFrame, units: list[str]) -> tuple[float, float]:
    """TP-ennuste − TA in euros of the units' income and of their expenses (these negative)."""
    change = (figures["forecast"] - figures["ta"]).fillna(0)
    return tuple(sum(int(change.get((unit, line), 0)) for unit in units) / 100 for line in OPERATING)


def _tolerance(expected: float) -> float:
    return max(TOLERANCE, SHARE * abs(expected))


def _amount(value: float) -> str:
    """An amount as the tables print it: '+1 171 075', '-906 298', '0'."""
    whole = int(math.copysign(math.floor(abs(value) + 0.5), value))
    return ("+" if whole > 0 else "") + number(whole)

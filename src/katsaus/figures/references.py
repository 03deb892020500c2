"""Figures named in department texts instead of typed: `{{ 64300000 TOIMINTAKULUT ylitys }}`.

A reference names a cost centre, an operating line and a quantity of its figures, optionally a scale and
decimals; the review prints the figure in its number format, rounded half away from zero like the
tables (docs/data.md lists the quantities). The quantities are also what typed figures are compared
with (katsaus.checks.quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import permutations
from typing import TYPE_CHECKING

import pandas as pd

from katsaus.errors import InputError
from katsaus.figures.lines import COLUMNS, MARGIN, OPERATING
from katsaus.figures.numbers import number, pct, percent, round_cents
from katsaus.findings import ERROR, Finding, Result, result
from katsaus.i18n import N_

if TYPE_CHECKING:
    from katsaus.inputs.texts import DepartmentText
    from katsaus.organisation import Organisation

REFERENCE = re.compile(r"\{\{(.*?)\}\}")
RULE = N_("a reference names a cost centre, an operating line and a quantity (docs/data.md)")
LINES = [*OPERATING, MARGIN]
COLUMN_NAMES = dict(zip(["tp", "ta", "toteuma", "ennuste"], COLUMNS, strict=True))
DIFFERENCES = {f"{a}-{b}": (COLUMN_NAMES[a], COLUMN_NAMES[b]) for a, b in permutations(COLUMN_NAMES, 2)}
OVERRUN, PERCENT = "ylitys", "toteuma-%"
QUANTITIES = [*COLUMN_NAMES, *DIFFERENCES, OVERRUN, PERCENT]
SCALES = {"euroa": 100, "tuhatta": 100_000, "milj": 100_000_000}  # cents per unit
MISSING = "–"


@dataclass(frozen=True)
class Figure:
    """One figure of a cost centre's line: cents (an amount) or a Toteuma-% (`percent`), None if missing."""

    code: str
    line: str
    quantity: str
    value: int | None
    percent: bool = False

    def reference(self) -> str:
        return f"{{{{ {self.code} {self.line} {self.quantity} }}}}"


def figure(figures: pd.DataFrame, code: str, line: str, quantity: str) -> Figure:
    """A quantity of a cost centre's line (TOIMINTAKATE is income + expenses; a line not posted is 0)."""
    return quantity_of(line_cents(figures, code, line), code, line, quantity)


def quantity_of(cents: dict[str, int | None], code: str, line: str, quantity: str) -> Figure:
    """A quantity of a line's figures in cents (`line_cents`)."""
    if quantity in COLUMN_NAMES:
        return Figure(code, line, quantity, cents[COLUMN_NAMES[quantity]])
    if quantity == PERCENT:
        actual, budget = cents["actual"], cents["ta"]
        value = None if actual is None or budget is None else percent(actual, budget)
        return Figure(code, line, quantity, value, percent=True)
    first, second = DIFFERENCES.get(quantity) or _overrun(line)
    if cents[first] is None or cents[second] is None:
        return Figure(code, line, quantity, None)
    # The difference of the figures as the tables print them (whole euros), so that text and table agree.
    return Figure(code, line, quantity, 100 * (round_cents(cents[first]) - round_cents(cents[second])))


def _overrun(line: str) -> tuple[str, str]:
    """How far TP-ennuste goes beyond TA: more income, or more spent (expenses and margins fall)."""
    return ("forecast", "ta") if line == OPERATING[0] else ("ta", "forecast")


def line_cents(figures: pd.DataFrame, code: str, line: str) -> dict[str, int | None]:
    """A cost centre's line in cents per column (None where the period lacks the column)."""
    lines = OPERATING if line == MARGIN else [line]
    totals: dict[str, int | None] = dict.fromkeys(COLUMNS, 0)
    for part in lines:
        if (code, part) not in figures.index:
            continue
        row = figures.loc[(code, part), COLUMNS]
        for column, value in row.items():
            totals[column] = None if pd.isna(value) or totals[column] is None else totals[column] + int(value)
    return totals


def printed(found: Figure, scale: str = "euroa", decimals: int = 0) -> str:
    """The figure in the review's format: '906 298', '1,17' (milj, 2 decimals), '53 %'; '–' if missing."""
    if found.value is None:
        return MISSING
    if found.percent:
        return pct(found.value)
    rounded = round_cents(found.value, SCALES[scale] // 10**decimals)
    whole, part = divmod(abs(rounded), 10**decimals)
    text = ("-" if rounded < 0 else "") + number(whole)
    return f"{text},{part:0{decimals}d}" if decimals else text


@dataclass(frozen=True)
class Reference:
    """One `{{ … }}` of a text: where it is and what it says."""

    file: str
    line: int
    text: str

    def error(self, message: str, value: str) -> InputError:
        return InputError(self.file, f"{{{{{self.text}}}}}: {message}", row=self.line, rule=RULE, value=value)

    def resolve(self, figures: pd.DataFrame, org: Organisation) -> str:
        """The printed figure; an InputError naming the file and line for an unknown part."""
        words = self.text.split()
        if len(words) not in (3, 4, 5):
            raise self.error("write a cost centre, a line, a quantity and optionally a scale", self.text)
        code, line, quantity, *rest = words
        if code not in org.names:
            raise self.error("no such cost centre in organisation.csv", code)
        if line.upper() not in LINES:
            raise self.error(f"no such line; the lines are {', '.join(LINES)}", line)
        if quantity.lower() not in QUANTITIES:
            raise self.error(f"no such quantity; the quantities are {', '.join(QUANTITIES)}", quantity)
        scale, decimals = self._scale(rest)
        return printed(figure(figures, code, line.upper(), quantity.lower()), scale, decimals)

    def _scale(self, words: list[str]) -> tuple[str, int]:
        scale = words[0].lower() if words else "euroa"
        if scale not in SCALES:
            raise self.error(f"no such scale; the scales are {', '.join(SCALES)}", words[0])
        decimals = words[1] if len(words) > 1 else "0"
        most = len(str(SCALES[scale])) - 1
        if not decimals.isdigit() or int(decimals) > most:
            raise self.error(f"decimals are a whole number from 0 to {most} for {scale}", decimals)
        return scale, int(decimals)


def references(text: DepartmentText) -> list[Reference]:
    """Every reference of a text's source, with its line in the file."""
    return [
        Reference(text.file, n, match.group(1))
        for n, line in enumerate(text.source.splitlines(), start=1)
        for match in REFERENCE.finditer(line)
    ]


def resolved(text: DepartmentText, figures: pd.DataFrame, org: Organisation) -> list[tuple[str, str]]:
    """Each reference of the text and its printed figure; the first unknown one raises InputError."""
    return [(ref.text, ref.resolve(figures, org)) for ref in references(text)]


def fill(text: DepartmentText, figures: pd.DataFrame, org: Organisation) -> DepartmentText:
    """The text with every reference replaced by its figure."""
    values = dict(resolved(text, figures, org))

    def put(markdown: str) -> str:
        return REFERENCE.sub(lambda match: values[match.group(1)], markdown)

    proposal = text.proposal and replace(text.proposal, intro=put(text.proposal.intro))
    return replace(text, narrative=put(text.narrative), proposal=proposal, closing=put(text.closing))


def checks(texts: list[DepartmentText], figures: pd.DataFrame, org: Organisation) -> Result:
    """An error for every reference that names an unknown cost centre, line, quantity or scale."""
    found = [ref for text in texts for ref in references(text)]
    findings = []
    for ref in found:
        try:
            ref.resolve(figures, org)
        except InputError as error:
            findings.append(Finding(ERROR, RULE, error.args[0], ref.file, ref.line, value=error.value))
    return result("texts", RULE, ERROR, len(found), findings)

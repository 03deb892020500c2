"""Figures typed in department texts, compared with the department's figures.

Every amount written with its unit ('906 298 euroa', '1,17 milj. euroa', '12 tuhatta euroa') and every
percentage ('53 %') of a text's prose is compared, without its sign, with the quantities of
katsaus.figures.references of the department and its units: the four columns, the differences between them and
Toteuma-%. A quote matches a figure within its own rounding: half of its last written digit ('1,17
milj.' ±5 000 €, '544 000' ±500 €, '94 766' ±1 € as the tables' differences are of whole euros, '53 %'
±0,5 points from the printed Toteuma-%).
One that matches none is a warning naming the nearest figure, in whichever unit it comes nearest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

import pandas as pd

from katsaus.figures.references import (
    COLUMN_NAMES,
    DIFFERENCES,
    LINES,
    PERCENT,
    REFERENCE,
    SCALES,
    Figure,
    line_cents,
    printed,
    quantity_of,
)
from katsaus.findings import WARNING, Finding, Result, result
from katsaus.i18n import N_, _

if TYPE_CHECKING:
    from katsaus.inputs.texts import DepartmentText
    from katsaus.organisation import Organisation

RULE = N_("a figure typed in a text is one of its department's figures (a value or a difference of columns)")
NO_MATCH = N_(
    "'{value}' matches none of the department's figures within its rounding;"
    " the nearest is {line} {quantity} of {code} {name}: {nearest} {reference}"
)
NO_MATCH_IN_SCALE = N_(
    "'{value}' matches none of the department's figures within its rounding;"
    " the nearest is {line} {quantity} of {code} {name}: {nearest} {reference},"
    " nearest when the number is read in {unit}"
)
QUOTE = re.compile(
    r"(?<![\d,.])(?P<whole>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(?P<decimals>\d+))?"
    r"\s*(?P<unit>milj\b\.?|miljoon\w*|M€|tuhat\w*|t€|€|euro\w*|%|prosent\w*)",
    re.IGNORECASE,
)
UNITS = {"mil": "milj", "m€": "milj", "tuh": "tuhatta", "t€": "tuhatta"}  # by the unit's first letters
UNIT_WORDS = {"euroa": "€", "tuhatta": "1000 €", "milj": "milj. €"}
# The columns' short names in a warning (the catalogue's "short: …" messages: TP, TA, Toteuma, TP-ennuste).
LABELS = {
    "tp": N_("short: FS"),
    "ta": N_("short: Budget"),
    "toteuma": N_("short: Actual"),
    "ennuste": N_("short: FS forecast"),
}
AMOUNTS = [*COLUMN_NAMES, *(f"{b}-{a}" for a, b in combinations(COLUMN_NAMES, 2))]  # quoted without sign


@dataclass(frozen=True)
class Quote:
    """A figure as written: its text, line, value (cents, or percentage points) and rounding."""

    text: str
    line: int
    value: float
    step: float
    scale: str  # euroa, tuhatta or milj; '%' for a percentage
    decimals: int

    def at(self, scale: str) -> tuple[float, float]:
        """The value and tolerance (cents) of the number read in another scale."""
        ratio = SCALES[scale] / SCALES[self.scale]
        return self.value * ratio, max(self.step * ratio / 2, SCALES["euroa"])

    def matches(self, found: Figure, scale: str | None = None) -> bool:
        if found.value is None:
            return False
        if self.scale == "%":
            return abs(self.value - abs(found.value)) <= max(self.step / 2, 0.5)  # Toteuma-% is whole
        value, tolerance = self.at(scale or self.scale)
        return abs(value - abs(found.value)) <= tolerance


def quotes(text: DepartmentText) -> list[Quote]:
    """Every amount and percentage of the text's prose (not its front matter, tables or references)."""
    lines = text.source.splitlines()
    start = _body_start(lines)
    found = []
    for n, line in enumerate(lines[start:], start=start + 1):
        if line.lstrip().startswith("|"):
            continue
        for match in QUOTE.finditer(REFERENCE.sub(" ", line)):
            found.append(_quote(match, n))
    return found


def _body_start(lines: list[str]) -> int:
    """The index of the first line after the front matter."""
    if not lines or lines[0].strip() != "---":
        return 0
    return next((i + 1 for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), 0)


def _quote(match: re.Match, line: int) -> Quote:
    whole = re.sub(r"\D", "", match["whole"])
    decimals = match["decimals"] or ""
    unit = match["unit"].lower()
    scale = "%" if unit.startswith(("%", "prosent")) else UNITS.get(unit[:3], "euroa")
    cents = 1 if scale == "%" else SCALES[scale]
    digits = int(whole + decimals)
    zeros = 0 if decimals or not int(whole) else len(whole) - len(whole.rstrip("0"))
    step = cents * 10.0 ** (zeros - len(decimals))
    return Quote(match.group(0), line, digits * cents / 10 ** len(decimals), step, scale, len(decimals))


def department_figures(figures: pd.DataFrame, org: Organisation, code: str) -> list[Figure]:
    """The quantities a text of the department may quote: of the department and every unit under it."""
    codes, i = [code], 0
    while i < len(codes):
        codes += org.children(codes[i])
        i += 1
    lines = [(unit, line, line_cents(figures, unit, line)) for unit in codes for line in LINES]
    return [quantity_of(cents, unit, line, q) for unit, line, cents in lines for q in [*AMOUNTS, PERCENT]]


def quote_checks(texts: list[DepartmentText], figures: pd.DataFrame, org: Organisation) -> Result:
    """A warning for each typed figure that matches none of its department's figures."""
    findings, checked = [], 0
    for text in texts:
        if text.department not in org.names:
            continue  # the texts suite names a department that is not in the organisation
        candidates = department_figures(figures, org, text.department)
        for quote in quotes(text):
            checked += 1
            kind = [c for c in candidates if c.percent == (quote.scale == "%")]
            if not any(quote.matches(c) for c in kind):
                findings.append(_finding(text, quote, kind, org))
    return result("texts", RULE, WARNING, checked, findings)


def _finding(text: DepartmentText, quote: Quote, candidates: list[Figure], org: Organisation) -> Finding:
    scale, nearest = _nearest(quote, candidates)
    values = {
        "line": _(nearest.line),
        "quantity": _label(nearest.quantity),
        "code": nearest.code,
        "name": org.names[nearest.code],
        "nearest": _plain(nearest, quote),
        "reference": nearest.reference(),
        "unit": UNIT_WORDS.get(scale, scale),
    }
    message = NO_MATCH if scale == quote.scale else NO_MATCH_IN_SCALE
    return Finding(WARNING, RULE, message, text.file, quote.line, value=quote.text, values=values)


def _nearest(quote: Quote, candidates: list[Figure]) -> tuple[str, Figure]:
    """The figure closest to the quote relative to its size, reading an amount in every scale."""
    scales = ["%"] if quote.scale == "%" else [quote.scale, *(s for s in SCALES if s != quote.scale)]

    def distance(pair: tuple[str, Figure]) -> float:
        scale, found = pair
        value = quote.value if scale == "%" else quote.at(scale)[0]
        return abs(value - abs(found.value)) / max(abs(value), abs(found.value), 1)

    pairs = [(scale, found) for scale in scales for found in candidates if found.value is not None]
    return min(pairs, key=distance)


def _label(quantity: str) -> str:
    if quantity in DIFFERENCES:
        first, second = quantity.split("-")
        return f"{_(LABELS[first])} − {_(LABELS[second])}"
    return _(LABELS[quantity]) if quantity in LABELS else _("Actual-%")


def _plain(found: Figure, quote: Quote) -> str:
    """'2 238 591 €', with the quote's own unit too when it is not euros: '(2,239 milj. €)'."""
    if found.percent:
        return printed(found)
    if quote.scale == "euroa":
        return f"{printed(found)} €"
    scaled = printed(found, quote.scale, quote.decimals)
    return f"{printed(found)} € ({scaled} {UNIT_WORDS[quote.scale]})"

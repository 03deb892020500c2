"""The municipal income statement formula (kunnan tuloslaskelmakaava): the lines accounts map to.

An account maps to a main line or to one of its sub-lines (accounts.csv `line`, written as below or in
capitals). A main line's figure is the sum of the accounts mapped to it and to its sub-lines; each total
(TOIMINTAKATE, VUOSIKATE, TILIKAUDEN TULOS, YLIJÄÄMÄ) sums the main lines above it.

A required line is one every municipality has (taxes, state grants, depreciation...): when no account is
mapped to it, or a column's data has no posting on it, the line and every total over it are missing. An
optional line (valmistus omaan käyttöön, satunnaiset erät...) that no account maps to is one the
organisation does not have: it is left out and the totals are complete without it.
"""

from __future__ import annotations

from katsaus.i18n import N_

INCOME, EXPENSES = N_("TOIMINTATUOTOT"), N_("TOIMINTAKULUT")
MARGIN, ANNUAL_MARGIN, RESULT, SURPLUS = (
    N_("TOIMINTAKATE"),
    N_("VUOSIKATE"),
    N_("TILIKAUDEN TULOS"),
    N_("YLIJÄÄMÄ"),
)
# Main lines in the formula's order, with their sub-lines.
MAIN = {
    INCOME: [N_("Myyntituotot"), N_("Maksutuotot"), N_("Tuet ja avustukset"), N_("Muut toimintatuotot")],
    N_("Valmistus omaan käyttöön"): [],
    EXPENSES: [
        N_("Henkilöstökulut"),
        N_("Palvelujen ostot"),
        N_("Aineet, tarvikkeet ja tavarat"),
        N_("Avustukset"),
        N_("Muut toimintakulut"),
    ],
    N_("Varastojen muutos"): [],
    N_("Osuus osakkuusyhteisöjen tuloksesta"): [],
    N_("Verotulot"): [],
    N_("Valtionosuudet"): [],
    N_("Rahoitustuotot ja -kulut"): [
        N_("Korkotuotot"),
        N_("Muut rahoitustuotot"),
        N_("Korkokulut"),
        N_("Muut rahoituskulut"),
    ],
    N_("Poistot ja arvonalentumiset"): [N_("Suunnitelman mukaiset poistot"), N_("Arvonalentumiset")],
    N_("Satunnaiset erät"): [N_("Satunnaiset tuotot"), N_("Satunnaiset kulut")],
    N_("Varausten ja rahastojen muutos"): [
        N_("Poistoeron muutos"),
        N_("Varausten muutos"),
        N_("Rahastojen muutos"),
    ],
}
OPERATING = [
    INCOME,
    N_("Valmistus omaan käyttöön"),
    EXPENSES,
    N_("Varastojen muutos"),
    N_("Osuus osakkuusyhteisöjen tuloksesta"),
]
FINANCING = [N_("Verotulot"), N_("Valtionosuudet"), N_("Rahoitustuotot ja -kulut")]
BELOW = [N_("Poistot ja arvonalentumiset"), N_("Satunnaiset erät")]
REQUIRED = [INCOME, EXPENSES, *FINANCING, BELOW[0]]
RESERVES = N_("Varausten ja rahastojen muutos")
# The statement in order: main lines and totals; a total sums every main line above it.
ORDER = [*OPERATING, MARGIN, *FINANCING, ANNUAL_MARGIN, *BELOW, RESULT, RESERVES, SURPLUS]
TOTALS = {
    total: [line for line in ORDER[: ORDER.index(total)] if line in MAIN]
    for total in (MARGIN, ANNUAL_MARGIN, RESULT, SURPLUS)
}
PARENT = {sub: main for main, subs in MAIN.items() for sub in subs}
# Every line an account may map to, by its name as written here and in capitals.
NAMES = {spelling: name for name in [*MAIN, *PARENT] for spelling in (name, name.upper())}
# What the review prints for a line or total where the label differs from its name (the summary's totals
# are printed with their own label where SUMMARY_LABELS has one).
LABELS: dict[str, str] = {}
SUMMARY_LABELS = {MARGIN: N_("TOIMINTAKATE YHTEENSÄ"), SURPLUS: N_("YLIJÄÄMÄ / ALIJÄÄMÄ")}
UNSPECIFIED = N_("muut, erittelemättä")  # a main line's accounts mapped to no sub-line, in a detailed table


def accepted() -> list[str]:
    """Every `line` value accounts.csv may hold: each line's name as written here, or in capitals."""
    return sorted(NAMES)


def canonical(line: str) -> str | None:
    """The line an accounts.csv `line` value names (as written here or in capitals), or None."""
    return NAMES.get(str(line).strip())


def main_line(line: str) -> str:
    """The main line of a line (itself for a main line)."""
    return PARENT.get(line, line)


def label(line: str) -> str:
    """A line or total as printed."""
    return LABELS.get(line, line)

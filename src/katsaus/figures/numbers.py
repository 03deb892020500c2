"""Finnish number format and the rounding the published review uses (half away from zero)."""

from __future__ import annotations

import pandas as pd

SPACE = " "
PCT_LIMIT = 999  # a larger Toteuma-% is printed as ">999 %": its digits would say nothing more


def round_cents(cents: int, unit: int = 100) -> int:
    """Whole cents to whole `unit`s (100 → euros, 100 000 → 1000 €), half away from zero."""
    sign = -1 if cents < 0 else 1
    return sign * ((abs(int(cents)) + unit // 2) // unit)


def percent(actual: int, budget: int) -> int | None:
    """Toteuma-%: actual ÷ budget × 100, half away from zero; None where the budget is 0."""
    if budget == 0:
        return None
    sign = -1 if (actual < 0) != (budget < 0) and actual != 0 else 1
    return sign * ((200 * abs(int(actual)) + abs(int(budget))) // (2 * abs(int(budget))))


def number(value) -> str:
    """'-9 692 876': space as thousands separator, hyphen-minus; empty for a missing value."""
    if value is None or pd.isna(value):
        return ""
    return f"{int(value):,}".replace(",", SPACE)


def pct(value) -> str:
    """'56 %'; '>999 %' or '<-999 %' beyond three digits (a budget near 0); empty for a missing value."""
    if value is None or pd.isna(value):
        return ""
    if abs(int(value)) > PCT_LIMIT:
        return f"{'>' if value > 0 else '<-'}{PCT_LIMIT} %"
    return f"{int(value)} %"

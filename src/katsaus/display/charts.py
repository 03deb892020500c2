"""Matplotlib charts of the review."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from katsaus import i18n
from katsaus.figures.numbers import number
from katsaus.figures.statement import EXPENSES, label
from katsaus.i18n import _

if TYPE_CHECKING:
    from katsaus.period import Period

SERIES = [("ta", "#9aa7b8"), ("actual", "#1f4e79"), ("forecast", "#d98c2b")]
DRAWN = 32  # charts a process keeps drawn (expenses_png)
_drawn: dict[tuple[str, ...], bytes] = {}


def expenses_png(rows: pd.DataFrame, period: Period) -> bytes:
    """expenses_by_unit as PNG, drawn once in a process for the same figures, period and language: the
    kernel of `katsaus watch` runs a department's notebook again after each change of its text, its
    figures unchanged (katsaus.build.kernels)."""
    key = (rows.to_csv(), str(period), repr(period.heads), i18n.language())
    if key not in _drawn:
        if len(_drawn) >= DRAWN:
            _drawn.clear()
        _drawn[key] = png(expenses_by_unit(rows, period))
    return _drawn[key]


def expenses_by_unit(rows: pd.DataFrame, period: Period):
    """Horizontal bars per unit: operating expenses in the budget, to date and in the forecast (1000 €).

    A series the data lacks (no forecast yet) has no bars and is not in the legend; a unit whose figure
    is missing has no bar."""
    costs, names = _expenses(rows)
    costs = costs.iloc[::-1]
    fig = Figure(figsize=(7.5, 0.55 * len(costs) + 1.4), dpi=110)
    ax = fig.subplots()
    height = 0.8 / len(SERIES)
    for i, (column, colour) in enumerate(SERIES):
        values = -pd.to_numeric(costs[column], errors="coerce").astype("float64") / 1000  # missing: NaN
        if values.isna().all():
            continue
        positions = [p + (1 - i) * height for p in range(len(costs))]
        ax.barh(positions, values, height=height, color=colour, label=period.heads[column])
    # Names are data: a '$' in one is a dollar sign, never mathtext.
    ax.set_yticks(range(len(costs)), [_wrap(names[c]) for c in costs.index], fontsize=8, parse_math=False)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: number(round(x))))
    ax.set_xlabel(_("Operating expenses, 1000 €"))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def expenses_description(rows: pd.DataFrame, period: Period) -> str:
    """What expenses_by_unit shows, in words from the same figures: the chart's alternative text."""
    costs, names = _expenses(rows)
    units = [
        f"{names[code]}: "
        + ", ".join(f"{period.heads[column]} {_thousands(costs.at[code, column])}" for column, _ in SERIES)
        for code in costs.index
    ]
    return _("Bar chart: operating expenses by unit, 1000 €.") + " " + "; ".join(units) + "."


def _expenses(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The units' operating-expense rows by code, and the units' names."""
    costs = rows[(rows["label"] == label(EXPENSES)) & (rows["kind"] == "line")].set_index("code")
    return costs, rows[rows["kind"] == "heading"].set_index("code")["label"]


def _thousands(value) -> str:
    """An expense (negative euros) as positive 1000 €, or a word for a missing figure."""
    return _("missing") if pd.isna(value) else number(round(-value / 1000))


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _wrap(label: str, width: int = 28) -> str:
    """Break a long unit name over lines at word boundaries."""
    words, lines = label.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + len(word) > width:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    return "\n".join(lines)

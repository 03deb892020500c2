"""Matplotlib charts of the review."""

from __future__ import annotations

from io import BytesIO

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from katsaus.i18n import _
from katsaus.numfmt import number
from katsaus.period import Period

SERIES = [("ta", "#9aa7b8"), ("actual", "#1f4e79"), ("forecast", "#d98c2b")]


def expenses_by_unit(rows: pd.DataFrame, period: Period):
    """Horizontal bars per unit: operating expenses in the budget, to date and in the forecast (1000 €)."""
    costs = rows[rows["label"] == "TOIMINTAKULUT"].set_index("code")
    names = rows[rows["kind"] == "heading"].set_index("code")["label"]
    costs = costs.iloc[::-1]
    fig = Figure(figsize=(7.5, 0.55 * len(costs) + 1.4), dpi=110)
    ax = fig.subplots()
    height = 0.8 / len(SERIES)
    for i, (column, colour) in enumerate(SERIES):
        values = -costs[column].astype("Float64").fillna(0) / 1000
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

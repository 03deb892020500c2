"""HTML for the figure tables (operating tables and the income-statement summary)."""

from __future__ import annotations

from html import escape

import pandas as pd

from katsaus.i18n import _
from katsaus.numfmt import number, pct
from katsaus.period import Period

VALUES = ["tp", "ta", "actual", "pct", "forecast"]


def figures_html(rows: pd.DataFrame, period: Period, unit: str = "") -> str:
    """A `table.figures`, one `tbody` per cost centre (kept on one page); numbers in Finnish format."""
    heads = period.heads
    head = "".join(f'<th scope="col">{escape(text)}</th>' for text in [unit, *(heads[c] for c in VALUES)])
    groups = rows.groupby((rows["kind"] == "heading").cumsum(), sort=False)
    body = "".join(
        "<tbody>" + "".join(_row(row) for row in group.to_dict("records")) + "</tbody>" for _, group in groups
    )
    return f'<table class="figures"><thead><tr>{head}</tr></thead>{body}</table>'


def _row(row: dict) -> str:
    if row["kind"] == "heading":
        span = len(VALUES) + 1
        return f'<tr class="heading"><th scope="rowgroup" colspan="{span}">{escape(row["label"])}</th></tr>'
    label = f'<th scope="row">{escape(_(row["label"]))}</th>'
    cells = "".join(f"<td>{pct(row[c]) if c == 'pct' else number(row[c])}</td>" for c in VALUES)
    return f'<tr class="{row["kind"]}">{label}{cells}</tr>'

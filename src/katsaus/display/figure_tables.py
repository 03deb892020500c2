"""The review's figure tables as pandas objects, for the notebooks and the analysts who work in them.

A `FigureTable` is a pandas `Styler` over the DataFrame of the rows the review prints (`table.data`: code,
label, kind and the figures in euros or 1000 €), so an analyst can filter, chart or export the very table
of the review. Displayed as it is, it shows as the review prints it (katsaus.display.tables); once an analyst
adds styles of their own (`table.highlight_max(subset=["actual"])`), as pandas renders them, in the
review's number format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from katsaus.display.tables import MISSING, VALUES, figures_html
from katsaus.figures.numbers import number, pct

if TYPE_CHECKING:
    from katsaus.period import Period


class FigureTable(Styler):
    """A figure table of the review: its rows as a DataFrame, styled for the review."""

    def __init__(self, rows: pd.DataFrame, period: Period | None = None, unit: str = "", data: str = ""):
        """`period` and `unit` are those of the review's table (pandas' copies of a Styler have none);
        `data` is the HTML that links the table's open data (katsaus.display.opendata), shown after it."""
        super().__init__(rows)
        self.period, self.unit, self.open_data = period, unit, data
        self.format({column: pct if column == "pct" else number for column in VALUES}, na_rep=MISSING)
        self.hide(axis="index").hide([c for c in ("code", "kind", "missing") if c in rows], axis="columns")
        if period is not None:  # the heads as printed: '€', 'TP 2021', …
            self.relabel_index([unit, *(period.heads[c] for c in VALUES)], axis="columns")

    def _repr_html_(self) -> str:
        """The review's table; pandas' rendering once styles, table styles or attributes are added."""
        added = self.export()
        if added["apply"] or added["table_styles"] or added["table_attributes"]:
            return super()._repr_html_() + self.open_data
        return figures_html(self.data, self.period, self.unit) + self.open_data

    def __repr__(self) -> str:
        return repr(self.data)

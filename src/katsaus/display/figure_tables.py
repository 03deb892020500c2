"""The review's tables as pandas objects, for the notebooks and the analysts who work in them.

A `ReviewTable` is a pandas `Styler` over a DataFrame of what a table of the review holds (`table.data`),
so an analyst can filter, chart or export the very table of the review. Displayed as it is, it shows as
the review prints it; once an analyst adds styles of their own (`table.highlight_max(...)`), as pandas
renders them. Either way the links to its open data follow it.

A `FigureTable` is one of the figure tables: its rows (code, label, kind and the figures in euros or
1000 €) as the review prints them (katsaus.display.tables), restyled in the review's number format. The
tables of cells as written are katsaus.display.texts'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pandas.io.formats.style import Styler

from katsaus.display.tables import MISSING, VALUES, figures_html
from katsaus.figures.numbers import number, pct

if TYPE_CHECKING:
    import pandas as pd

    from katsaus.period import Period


class ReviewTable(Styler):
    """A table of the review: its DataFrame, shown as the review prints it (`review_html`) until restyled,
    then the HTML linking its open data (`open_data`, katsaus.opendata)."""

    open_data = ""

    def review_html(self) -> str:
        """The table as the review prints it."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        """The review's table; pandas' rendering once styles, table styles or attributes are added."""
        added = self.export()
        if added["apply"] or added["table_styles"] or added["table_attributes"]:
            return super()._repr_html_() + self.open_data
        return self.review_html() + self.open_data

    def __repr__(self) -> str:
        return repr(self.data)


class FigureTable(ReviewTable):
    """A figure table of the review: its rows as a DataFrame, styled for the review."""

    def __init__(self, rows: pd.DataFrame, period: Period | None = None, unit: str = "", data: str = ""):
        """`period` and `unit` are those of the review's table (pandas' copies of a Styler have none);
        `data` is the HTML that links the table's open data, shown after it."""
        super().__init__(rows)
        self.period, self.unit, self.open_data = period, unit, data
        self.format({column: pct if column == "pct" else number for column in VALUES}, na_rep=MISSING)
        self.hide(axis="index").hide([c for c in ("code", "kind", "missing") if c in rows], axis="columns")
        if period is not None:  # the heads as printed: '€', 'TP 2021', …
            self.relabel_index([unit, *(period.heads[c] for c in VALUES)], axis="columns")

    def review_html(self) -> str:
        return figures_html(self.data, self.period, self.unit)

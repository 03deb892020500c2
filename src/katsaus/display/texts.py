"""Department texts, budget-change proposals, KPI tables and strategy tables, as the notebooks show them.

The tables are `TextTable`s, pandas Stylers over their cells as written (katsaus.display.figure_tables);
a text, or the tables of a section, is a `Part`: its tables and the HTML around them. Every cell is
HTML-escaped; Markdown goes through `render_markdown`, which shows raw HTML as text.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from katsaus import opendata
from katsaus.display.figure_tables import ReviewTable
from katsaus.i18n import N_, _
from katsaus.inputs.kpis import CELLS as KPI_CELLS
from katsaus.inputs.strategy import CELLS as STRATEGY_CELLS
from katsaus.inputs.texts import is_total, render_markdown

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pandas as pd

    from katsaus.inputs.kpis import ResultArea
    from katsaus.inputs.texts import DepartmentText, Proposal

STRATEGY_HEADS = [
    N_("Objective"),
    N_("Actions"),
    N_("Responsibility and schedule"),
    N_("Indicators, assessment"),
    N_("Actual {months}"),
    N_("SDG"),
]


class TextTable(ReviewTable):
    """A table of cells as written: `table.data` holds them under their heads. Shown after `before` (what
    heads it) as `<table class="table_class">`, each body row of the class `classes` gives it ('' none)."""

    def __init__(
        self,
        cells: pd.DataFrame,
        table_class: str = "",
        classes: Sequence[str] = (),
        before: str = "",
        data: str = "",
    ):
        """`data` is the HTML that links the table's open data, shown after it."""
        super().__init__(cells)
        self.table_class, self.before, self.open_data = table_class, before, data
        self.classes = list(classes) or [""] * len(cells)
        self.format(_cell).format_index(_cell, axis="columns").hide(axis="index")

    def review_html(self) -> str:
        """An HTML table with escaped cells, its heads scoped as column heads."""
        head = "".join(f'<th scope="col">{_cell(c)}</th>' if str(c) else "<td></td>" for c in self.columns)
        rows = zip(self.data.values.tolist(), self.classes, strict=True)
        body = "".join(_row(cells, css_class) for cells, css_class in rows)
        table = f'<table class="{self.table_class}">\n<thead><tr>{head}</tr></thead>\n'
        return f"{table}<tbody>\n{body}</tbody>\n</table>\n"

    def _repr_html_(self) -> str:
        return self.before + super()._repr_html_()


class Part(list):
    """Tables shown one after another as the review prints them: after `before` (a heading, the text above
    them), or `empty` (a note) when there are none, then `after`."""

    def __init__(self, tables: Iterable = (), before: str = "", after: str = "", empty: str = ""):
        super().__init__(tables)
        self.before, self.after, self.empty = before, after, empty

    def _repr_html_(self) -> str:
        return self.before + ("".join(table._repr_html_() for table in self) or self.empty) + self.after


def text_part(text: DepartmentText, name: str, title: str) -> Part:
    """The responsible person, narrative, proposal (intro and table) and closing text of a department;
    the proposal table's open data is called `name`, `title` says what it is."""
    images = text.images
    before = _labelled("responsible", _("Responsible person"), text.responsible)
    before += render_markdown(text.narrative, images)
    closing = render_markdown(text.closing, images)
    if text.proposal is None:
        return Part(before=before, after=closing)
    intro = render_markdown(text.proposal.intro, images)
    return Part([proposal_table(text.proposal, name, title)], before + intro, closing)


def proposal_table(proposal: Proposal, name: str, title: str) -> TextTable:
    """`<table class="proposal">` with the cells as written; a last row labelled Yhteensä is the total.
    Its open data is called `name`, `title` says what it is."""
    cells = proposal.table
    classes = [""] * len(cells)
    if classes and is_total(cells.iat[-1, 0]):
        classes[-1] = "total"
    return TextTable(cells, "proposal", classes, data=opendata.links(cells, name, title))


def kpi_table(area: ResultArea, header: list[str], name: str) -> TextTable:
    """A result area's KPI table under its name and responsible person; empty rows are sub-headings.
    Its open data is called `name`."""
    rows = area.rows
    cells = rows[["label", *KPI_CELLS]].set_axis(header, axis="columns")
    classes = ["subheading" if flag else "" for flag in rows["subheading"]]
    before = _labelled("result-area", _("Result area"), area.name)
    before += _labelled("responsible", _("Responsible person"), area.responsible)
    data = opendata.links(cells, name, f"{area.name}: {header[0]}")
    return TextTable(cells, "kpi", classes, before, data)


def strategy_table(
    table: pd.DataFrame, period_label: str, name: str, title: str, before: str = ""
) -> TextTable:
    """`<table class="strategy">` of one goal and department, after `before`; `period_label` is e.g.
    '1-6/2022'. Its open data is called `name`, `title` says what the table is."""
    header = [_(head, months=period_label) for head in STRATEGY_HEADS]
    cells = table[STRATEGY_CELLS].set_axis(header, axis="columns")
    return TextTable(cells, "strategy", before=before, data=opendata.links(cells, name, title))


def _labelled(css: str, label: str, value: str) -> str:
    """`<p class="css"><span>label</span> value</p>`, or nothing when the value is empty."""
    return f'<p class="{css}"><span>{label}</span> {_cell(value)}</p>\n' if value else ""


def _row(cells: list[str], css_class: str) -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<tr{attribute}>" + "".join(f"<td>{_cell(cell)}</td>" for cell in cells) + "</tr>\n"


def _cell(text: str) -> str:
    """Escaped cell text with line breaks kept as <br>."""
    return html.escape(str(text)).replace("\n", "<br>")

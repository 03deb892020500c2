"""HTML for department texts, budget-change proposals, KPI tables and strategy tables.

Every cell is HTML-escaped; Markdown goes through `render_markdown`, which shows raw HTML as text.
"""

from __future__ import annotations

import html

import pandas as pd

from katsaus.display import opendata
from katsaus.i18n import N_, _
from katsaus.inputs.kpis import CELLS as KPI_CELLS
from katsaus.inputs.kpis import ResultArea
from katsaus.inputs.strategy import CELLS as STRATEGY_CELLS
from katsaus.inputs.texts import DepartmentText, Proposal, is_total, render_markdown

STRATEGY_HEADS = [
    N_("Objective"),
    N_("Actions"),
    N_("Responsibility and schedule"),
    N_("Indicators, assessment"),
    N_("Actual {months}"),
    N_("SDG"),
]


def text_html(text: DepartmentText, data: str, title: str) -> str:
    """The responsible person, narrative, proposal (intro and table) and closing text of a department;
    `data` names the proposal table's open-data files, `title` says what it is."""
    images = text.images
    parts = [
        _labelled("responsible", _("Responsible person"), text.responsible),
        render_markdown(text.narrative, images),
    ]
    if text.proposal is not None:
        parts += [render_markdown(text.proposal.intro, images), proposal_html(text.proposal, data, title)]
    parts.append(render_markdown(text.closing, images))
    return "".join(parts)


def proposal_html(proposal: Proposal, data: str, title: str) -> str:
    """`<table class="proposal">` with the cells as written; a last row labelled Yhteensä is the total.
    `data` names the table's open-data files, `title` says what it is."""
    rows, header = proposal.table.values.tolist(), list(proposal.table.columns)
    classes = [""] * len(rows)
    if rows and is_total(rows[-1][0]):
        classes[-1] = "total"
    return _table("proposal", header, rows, classes) + opendata.links(
        opendata.text_table(rows, header), data, title
    )


def kpi_html(area: ResultArea, header: list[str], data: str) -> str:
    """A result area's KPI table under its name and responsible person; empty rows are sub-headings.
    `data` names the table's open-data files."""
    rows = area.rows
    classes = ["subheading" if flag else "" for flag in rows["subheading"]]
    cells = rows[["label", *KPI_CELLS]].values.tolist()
    return (
        _labelled("result-area", _("Result area"), area.name)
        + _labelled("responsible", _("Responsible person"), area.responsible)
        + _table("kpi", header, cells, classes)
        + opendata.links(opendata.text_table(cells, header), data, f"{area.name}: {header[0]}")
    )


def strategy_html(table: pd.DataFrame, period_label: str, data: str, title: str) -> str:
    """`<table class="strategy">` of one goal and department; `period_label` is e.g. '1-6/2022'. `data`
    names the table's open-data files, `title` says what the table is."""
    header = [_(head, months=period_label) for head in STRATEGY_HEADS]
    cells = table[STRATEGY_CELLS].values.tolist()
    return _table("strategy", header, cells) + opendata.links(opendata.text_table(cells, header), data, title)


def _labelled(css: str, label: str, value: str) -> str:
    """`<p class="css"><span>label</span> value</p>`, or nothing when the value is empty."""
    return f'<p class="{css}"><span>{label}</span> {_cell(value)}</p>\n' if value else ""


def _table(css: str, header: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    """An HTML table with escaped cells; `classes` gives each body row's class ('' for none)."""
    head = "".join(f'<th scope="col">{_cell(cell)}</th>' if str(cell) else "<td></td>" for cell in header)
    classes = classes or [""] * len(rows)
    body = "".join(_row(row, css_class) for row, css_class in zip(rows, classes, strict=True))
    return f'<table class="{css}">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n'


def _row(cells: list[str], css_class: str) -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<tr{attribute}>" + "".join(f"<td>{_cell(cell)}</td>" for cell in cells) + "</tr>\n"


def _cell(text: str) -> str:
    """Escaped cell text with line breaks kept as <br>."""
    return html.escape(str(text)).replace("\n", "<br>")

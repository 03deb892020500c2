"""The KPI, strategy and proposal tables are pandas Stylers over their cells as written: shown as the review
prints them, restyled by pandas, every cell escaped either way."""

import pandas as pd
import pytest
from pandas.io.formats.style import Styler

from katsaus.display.texts import Part, TextTable, kpi_table
from katsaus.inputs.kpis import load_kpis
from katsaus.paths import DATA

pytestmark = pytest.mark.unit

HEADS = ["Suorite", "TP 2021", "TA 2022", "TOTEUMA 1-6/2022", "TP-ENNUSTE 2022"]
UNSAFE = pd.DataFrame({"<b>Otsikko</b>": ["<script>alert(1)</script>", "rivi\ntoinen"]})


@pytest.fixture
def area():
    return load_kpis(DATA, "2022-06")["64400000"][1]


def test_a_kpi_table_is_a_styler_over_its_cells_as_written(area):
    table = kpi_table(area, HEADS, "suoritteet-64400000-2")
    assert isinstance(table, Styler)
    assert list(table.data.columns) == HEADS
    assert (
        table.data.values.tolist() == area.rows[["label", "tp", "ta", "actual", "forecast"]].values.tolist()
    )
    html = table._repr_html_()
    assert html.startswith(f'<p class="result-area"><span>Tulosalue</span> {area.name}</p>')
    assert '<table class="kpi">' in html and '<th scope="col">TOTEUMA 1-6/2022</th>' in html
    assert '<tr class="subheading">' in html
    assert html.endswith("suoritteet-64400000-2.xlsx</a></p>")


def test_a_restyled_table_is_rendered_by_pandas_between_its_heading_and_its_data(area):
    table = kpi_table(area, HEADS, "suoritteet-64400000-2").set_properties(
        subset=["TP 2021"], color="#8b0000"
    )
    html = table._repr_html_()
    assert 'class="kpi"' not in html and "color: #8b0000" in html
    assert html.startswith('<p class="result-area">') and html.endswith(".xlsx</a></p>")
    assert f">{area.rows.loc[1, 'label']}</td>" in html and ">TOTEUMA 1-6/2022</th>" in html


@pytest.mark.parametrize("restyled", [False, True])
def test_every_cell_and_head_shows_as_text(restyled):
    table = TextTable(UNSAFE, "kpi")
    html = (table.set_properties(color="red") if restyled else table)._repr_html_()
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;Otsikko&lt;/b&gt;" in html
    assert "rivi<br>toinen" in html


def test_a_part_shows_its_tables_in_order_or_its_note():
    first, second = TextTable(UNSAFE, "kpi", data="<p>1</p>"), TextTable(UNSAFE, "strategy")
    part = Part([first, second], "<h2>Osa</h2>", "<p>Loppu</p>", empty="<div>Ei taulukoita</div>")
    assert part._repr_html_() == f"<h2>Osa</h2>{first._repr_html_()}{second._repr_html_()}<p>Loppu</p>"
    assert Part([], "<h2>Osa</h2>", empty="<div>Ei taulukoita</div>")._repr_html_() == (
        "<h2>Osa</h2><div>Ei taulukoita</div>"
    )

"""The optional investment part: figures by project, missing ones shown as missing, the table checked."""

from __future__ import annotations

import base64
import re
import shutil

import pytest

from htmltables import tables
from katsaus import paths
from katsaus.build.steps import build_section
from katsaus.checks.gate import validate
from katsaus.errors import ParameterError
from katsaus.figures import investments
from katsaus.inputs.tables import load_inputs
from katsaus.organisation import Organisation
from katsaus.period import Period

pytestmark = pytest.mark.e2e

HEADER = "year;month;cost_centre;project;name;figure;amount\n"
ROWS = [
    "2022;1;64110000;P1;Kirjasto;ta;-1 000 000,00",
    "2022;5;64110000;P1;Kirjasto;ta;-1 200 000,00",  # the budget revised in May
    "2022;2;64110000;P1;Kirjasto;actual;-100 000,40",
    "2022;6;64110000;P1;Kirjasto;actual;-200 000,20",
    "2022;7;64110000;P1;Kirjasto;actual;-999 999,00",  # after the period
    "2022;1;64120000;P2;Katu;ta;-50 000,00",
    "2021;1;64110000;P1;Kirjasto;ta;-7,00",  # another year
]


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder)
    (folder / "investments").mkdir()
    (folder / "investments" / "2022.csv").write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return folder


def test_each_figure_is_chosen_for_the_period_and_a_missing_one_stays_missing(data):
    table = load_inputs(data).investments
    frame = investments.investment_figures(table, Period(2022, 6)).set_index("project")
    assert frame.loc["P1", ["ta", "actual"]].tolist() == [-120_000_000, -30_000_060]
    assert frame.loc["P2", ["ta", "actual"]].tolist() == [-5_000_000, 0]  # nothing posted yet
    assert frame["forecast"].isna().all()  # no forecast made: missing, not 0
    early = investments.investment_figures(table, Period(2022, 1)).set_index("project")
    assert early.loc["P1", ["ta", "actual"]].isna().tolist() == [False, True]  # no actual by January


def test_the_table_prints_missing_as_a_dash_with_a_note(data):
    inputs = load_inputs(data)
    frame = investments.investment_figures(inputs.investments, Period(2022, 6))
    org = Organisation(inputs.organisation, codes=False)
    html, notes = investments.investments_html(frame, org, Period(2022, 6))
    [table] = tables(f'<section id="x">{html}</section>')
    assert table["rows"] == [
        ["Hanke", "TA 2022", "Toteuma 1-6/2022", "Toteuma-%", "TP-ENNUSTE 2022"],
        [org.names["64110000"]],
        ["Kirjasto", "-1 200 000", "-300 001", "25 %", "–"],
        [org.names["64120000"]],
        ["Katu", "-50 000", "0", "0 %", "–"],
        ["Investoinnit yhteensä", "-1 250 000", "-300 001", "24 %", "–"],
    ]
    assert notes == ["Investointiosan TP-ennustetta ei ole tehty kaudelle 1-6/2022; ennustesarakkeessa on –."]
    coded, _ = investments.investments_html(frame, Organisation(inputs.organisation), Period(2022, 6))
    assert "P1 Kirjasto" in coded and "64110000 " in coded


def test_a_gap_in_the_table_is_one_warning_and_a_bad_row_an_error(data):
    inputs = load_inputs(data)
    outcome = validate(inputs, Period(2022, 6))
    assert not outcome.errors
    assert any(c.table == "investments" and c.kind != "computed" for c in outcome.checked)  # its suite ran
    gaps = [w for w in outcome.warnings if w.rule == investments.GAP_RULE]
    assert [str(w) for w in gaps] == [
        f"{data / 'investments' / '2022.csv'}, column 'figure': no 'forecast' rows of 2022 by month 6;"
        f" the review shows – [rule: {investments.GAP_RULE}]"
    ]
    bad = data / "investments" / "2022.csv"
    bad.write_text(
        HEADER + "\n".join([*ROWS, "2022;3;64110000;P3;Silta;budjetti;-5,00"]) + "\n", encoding="utf-8"
    )
    errors = validate(load_inputs(data), Period(2022, 6)).errors
    assert any(e.row == 9 and e.value == "budjetti" and e.file == str(bad) for e in errors), errors


def test_a_project_row_twice_is_refused(data):
    path = data / "investments" / "2022.csv"
    path.write_text(HEADER + "\n".join([*ROWS, ROWS[2]]) + "\n", encoding="utf-8")
    errors = validate(load_inputs(data), Period(2022, 6)).errors
    assert [(e.row, e.rule) for e in errors] == [
        (4, "one investments row per (year, month, cost_centre, project, figure)")
    ]


def test_without_the_table_nothing_about_investments_is_checked_or_shown():
    inputs = load_inputs(paths.DATA)
    assert inputs.investments.empty
    outcome = validate(inputs, Period(2022, 6))
    assert not [w for w in outcome.warnings if w.rule == investments.GAP_RULE]
    assert not [c for c in outcome.checked if c.table == "investments"]


def investment_page(data, tmp_path, settings: str, key: str) -> str:
    """The section page of a plan of `settings` whose one section, investoinnit, has `key` too."""
    plan = tmp_path / "params"
    plan.mkdir()
    section = f"{{name: investoinnit, {key}, notebook: investments.ipynb, reads: investments}}"
    (plan / "review.yaml").write_text(f"{settings}sections:\n  - {section}", encoding="utf-8")
    _, page, _ = build_section(Period(2022, 6), "investoinnit", data, tmp_path / "output", plan)
    return page.read_text(encoding="utf-8")


def test_the_investment_section_is_built_from_the_notebook(data, tmp_path):
    html = investment_page(data, tmp_path, "codes: false\n", "title: Investoinnit")
    [table] = [t for t in tables(html) if "investments" in t["class"]]
    assert table["rows"][-1] == ["Investoinnit yhteensä", "-1 250 000", "-300 001", "24 %", "–"]
    assert "Investointiosan TP-ennustetta ei ole tehty kaudelle 1-6/2022" in html


def test_the_investment_section_of_a_swedish_review_is_in_swedish(data, tmp_path):
    html = investment_page(data, tmp_path, "codes: false\nlanguage: sv\n", "title: Investeringar")
    [table] = [t for t in tables(html) if "investments" in t["class"]]
    assert table["rows"][0][0] == "Projekt"
    assert table["rows"][-1][0] == "Investeringar sammanlagt"
    assert "Tabellen som öppna data:" in html
    [data] = re.findall(r'download="investoinnit.csv" href="data:text/csv[^,]*,([^"]+)"', html)
    assert base64.b64decode(data).decode("utf-8").startswith("Kod,Projekt,Namn,BU 2022,")
    for finnish in ("Hanke", "Investoinnit yhteensä", "Taulukko avoimena datana", "Investointiosan"):
        assert finnish not in html


def test_a_parameter_the_notebook_does_not_declare_is_refused_by_name(data, tmp_path):
    """papermill only warns of it, and the notebook would run on with its own default."""
    with pytest.raises(ParameterError) as refused:
        investment_page(data, tmp_path, "codes: false\n", "department: '64100000'")
    assert str(refused.value) == (
        "section investoinnit: notebooks/investments.ipynb does not declare department in its parameters "
        "cell (the cell tagged 'parameters'), and the build gives it that parameter"
    )

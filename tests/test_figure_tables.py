"""The notebooks display pandas objects: the analyst explores the same table the review prints, and a cell
the analyst adds shows in the rebuilt review."""

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from pandas.io.formats.style import Styler

from katsaus import paths
from katsaus.build.steps import build_report
from katsaus.display import departments
from katsaus.display.figure_tables import FigureTable
from katsaus.display.review import Review
from katsaus.display.tables import figures_html
from katsaus.inputs.kpis import load_kpis
from katsaus.inputs.strategy import load_strategy
from katsaus.inputs.texts import load_texts
from katsaus.period import Period

pytestmark = pytest.mark.e2e

SEED = json.loads((paths.ROOT / "tests" / "fixtures" / "seed" / "operating.json").read_text(encoding="utf-8"))
CELL = """table = review.department_table(department)
margins = table.data[table.data["kind"] == "total"].set_index("label")[["actual", "forecast"]]
display(margins.rename(index=lambda label: f"Analyysi {label}"))"""
RESTYLE = 'kpis[0].set_properties(subset=[kpis[0].data.columns[0]], **{"font-weight": "bold"})\ndisplay(kpis)'


def published(code: str, line: str, column: str) -> int:
    return next(r[column] for r in SEED["records"] if (r["cost_center"], r["line"]) == (code, line))


def test_a_department_table_is_a_styler_over_the_printed_rows():
    review = Review.compute("2022-06", paths.DATA)
    table = review.department_table("64300000")
    assert isinstance(table, Styler) and isinstance(table, FigureTable)
    rows = table.data.set_index(["code", "label"])
    assert rows.loc[("64300000", "TOIMINTAKULUT"), "actual"] == published(
        "64300000", "TOIMINTAKULUT", "actual"
    )
    assert rows.loc[("64320000", "TOIMINTAKATE"), "pct"] == published("64320000", "TOIMINTAKATE", "pct")
    html = table._repr_html_()  # the review's table, then the links to its open data
    assert html == figures_html(table.data, review.period, "€") + table.open_data
    assert (
        table.open_data.startswith('<p class="open-data"') and "toimintakate-64300000.xlsx" in table.open_data
    )


def test_a_table_the_analyst_styles_is_rendered_by_pandas_in_the_review_format():
    review = Review.compute("2022-06", paths.DATA)
    styled = review.summary_table().highlight_max(subset=["actual"])
    html = styled._repr_html_()
    assert 'class="figures"' not in html and "background-color: yellow" in html
    assert "TOIMINTAKATE YHTEENSÄ" in html and "-71 822" in html  # 1000 €, as the review prints it
    assert ">code<" not in html and ">kind<" not in html and ">Toteuma 1-6/2022<" in html


def test_the_departments_tables_are_stylers_over_their_cells_as_written():
    review = Review.compute("2022-06", paths.DATA)
    kpis = departments.kpi_tables(review, "64400000", paths.DATA)
    areas = load_kpis(paths.DATA, "2022-06")["64400000"]
    assert all(isinstance(table, Styler) for table in kpis)
    cells = ["label", "tp", "ta", "actual", "forecast"]
    assert [t.data.values.tolist() for t in kpis] == [a.rows[cells].values.tolist() for a in areas]
    assert list(kpis[0].data.columns) == review.period.kpi_heads
    [proposal] = departments.text(review, "64400000", paths.DATA)
    written = load_texts(paths.DATA, "2022-06")["64400000"].proposal.table
    assert proposal.data.equals(written) and "Yhteensä" in proposal.data.iloc[:, 0].tolist()
    goals = departments.strategy_tables(review, paths.DATA)
    strategy = load_strategy(paths.DATA, "2022-06")
    assert [[t.data.values.tolist() for t in goal] for goal in goals] == [
        [table.values.tolist() for table in tables.values()] for tables in strategy.values()
    ]


def test_a_cell_the_analyst_adds_shows_in_the_rebuilt_review(output, tmp_path, monkeypatch):
    notebooks, params = tmp_path / "notebooks", tmp_path / "params"
    shutil.copytree(paths.NOTEBOOKS, notebooks)
    analyst = nbformat.read(notebooks / "department.ipynb", as_version=4)
    analyst.cells.append(nbformat.v4.new_code_cell(CELL))
    [kpis] = [cell for cell in analyst.cells if "display(kpis)" in cell.source]
    kpis.source = kpis.source.replace("display(kpis)", RESTYLE)  # restyled where the review shows it
    nbformat.write(analyst, notebooks / "department-with-a-cell-added.ipynb")
    params.mkdir()
    plan = (paths.PARAMS / "review.yaml").read_text(encoding="utf-8")
    part = '    notebook: department.ipynb\n    department: "64300000"'
    assert part in plan
    (params / "review.yaml").write_text(
        plan.replace(part, part.replace("department.ipynb", "department-with-a-cell-added.ipynb"))
    )
    monkeypatch.setattr(paths, "NOTEBOOKS", notebooks)
    monkeypatch.chdir(paths.ROOT)
    folder = build_report(Period(2022, 6), Path(os.path.relpath(paths.DATA)), output, params)
    html = (folder / "review.html").read_text(encoding="utf-8")
    assert 'class="dataframe"' in html and "Analyysi TOIMINTAKATE" in html
    assert str(published("64300000", "TOIMINTAKATE", "actual")) in html
    section = re.search(r'<section[^>]*id="hyvinvointitoimiala".*?</section>', html, re.S).group(0)
    assert section.count("font-weight: bold") == 1 and section.count('<table class="kpi">') == 2
    assert "suoritteet-64300000-1.xlsx" in section
    assert sorted(p.stem for p in (folder / "logs").iterdir()) == ["hyvinvointitoimiala"]

import json

import pytest

from katsaus.display.texts import strategy_table
from katsaus.inputs.strategy import CELLS, load_strategy
from katsaus.inputs.tables import load_table
from katsaus.paths import DATA, ROOT

pytestmark = pytest.mark.unit

SEED = ROOT / "tests" / "fixtures" / "seed"
KEYS = ["objectives", "actions", "owner_schedule", "metrics", "status_1_6_2022", "sdg"]
CSV = """goal,department,objective,actions,owner_schedule,metrics,status,sdg
SUJUVA ARKI,64500000,Tavoite 1,Toimenpide,"Ympäristöjohtaja
jatkuva",Mittari,Toteuma,1 EI KÖYHYTTÄ
ELINVOIMAINEN KAUPUNKI,64100000,Tavoite A,,,,,
SUJUVA ARKI,64100000,Tavoite 2,<script>alert(1)</script>,,,"<img src=x onerror=alert(1)>",
SUJUVA ARKI,64500000,Tavoite 3,,,,,
"""


def load(tmp_path, text=CSV):
    (tmp_path / "strategy").mkdir()
    (tmp_path / "strategy" / "2022-06.csv").write_text(text, encoding="utf-8")
    return load_strategy(tmp_path, "2022-06")


def test_goals_and_departments_in_order_of_appearance(tmp_path):
    strategy = load(tmp_path)
    assert list(strategy) == ["SUJUVA ARKI", "ELINVOIMAINEN KAUPUNKI"]
    assert list(strategy["SUJUVA ARKI"]) == ["64500000", "64100000"]
    table = strategy["SUJUVA ARKI"]["64500000"]
    assert list(table.columns) == CELLS
    assert table["objective"].tolist() == ["Tavoite 1", "Tavoite 3"]
    assert table.loc[0, "owner_schedule"] == "Ympäristöjohtaja\njatkuva"


def test_no_file_gives_no_strategy(tmp_path):
    assert load_strategy(tmp_path, "2022-06") == {}


def test_strategy_table_html(tmp_path):
    strategy = load(tmp_path)
    html = strategy_table(
        strategy["SUJUVA ARKI"]["64500000"], "1-6/2022", "strategia", "Strategia"
    )._repr_html_()
    assert html.startswith('<table class="strategy">')
    heads = [
        "Tavoite",
        "Toimenpiteet",
        "Vastuu ja aikataulu",
        "Mittarit, arviointi",
        "Toteuma 1-6/2022",
        "SDG",
    ]
    assert "<thead><tr>" + "".join(f'<th scope="col">{head}</th>' for head in heads) + "</tr></thead>" in html
    assert "<td>Ympäristöjohtaja<br>jatkuva</td>" in html
    unsafe = strategy_table(
        strategy["SUJUVA ARKI"]["64100000"], "1-6/2022", "strategia", "Strategia"
    )._repr_html_()
    assert "<script" not in unsafe and "<img" not in unsafe
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in unsafe and "&lt;img src=x onerror=alert(1)&gt;" in unsafe
    )


def test_the_sample_strategy_reproduces_the_published_review():
    sections = json.loads((SEED / "strategy.json").read_text(encoding="utf-8"))["sections"]
    organisation = load_table(DATA, "organisation")
    codes = dict(zip(organisation["name"], organisation["code"], strict=True))
    strategy = load_strategy(DATA, "2022-06")
    assert list(strategy) == list(dict.fromkeys(s["goal"] for s in sections))
    expected = {}
    for section in sections:
        rows = expected.setdefault((section["goal"], codes[section["department"]]), [])
        if section["layout"] == "tab_table":
            rows += [
                ["" if row.get("objective_inherited") else row["objective"]]
                + [row[key] for key in KEYS[1:5]]
                + [row["sdg_as_printed"]]
                for row in section["rows"]
            ]
            rows += [["", "", "", "", "", sdg] for sdg in section["columns"]["sdg"][len(section["rows"]) :]]
        else:
            rows.append(["\n\n".join(section["columns"][key]) for key in KEYS])
    loaded = {(g, d): t.values.tolist() for g, tables in strategy.items() for d, t in tables.items()}
    assert loaded == expected

import json

import pytest

from katsaus.display.texts import kpi_table
from katsaus.errors import InputError
from katsaus.inputs.kpis import load_kpis
from katsaus.inputs.tables import load_table
from katsaus.paths import DATA, ROOT

pytestmark = pytest.mark.unit

SEED = ROOT / "tests" / "fixtures" / "seed"
HEADS = ["Suorite", "TP 2021", "TA 2022", "TOTEUMA 1-6/2022", "TP-ENNUSTE 2022"]
CSV = """department,result_area,responsible,label,tp,ta,actual,forecast
64100000,,,"Kirjanpitoviennit, kpl",714 192,600 000,326 777,600 000
64400000,Hallinto,Liisa Niiranen,Soten vakituinen henkilökunta,445,472,494,494
64400000,Perheiden sosiaalipalvelut,Nina Matinlassi,AIKUISSOSIAALITYÖ,,,,
64400000,Perheiden sosiaalipalvelut,Nina Matinlassi,Asiakasperheet,1 896,1 418,1027,1 712
64400000,Hallinto,Liisa Niiranen,Koko Soten tehty työ henkilötyövuosina,572,"541,8","272,4","544,8"
"""


def write(tmp_path, text):
    (tmp_path / "kpis").mkdir()
    (tmp_path / "kpis" / "2022-06.csv").write_text(text, encoding="utf-8")


def test_result_areas_in_order_with_subheadings(tmp_path):
    write(tmp_path, CSV)
    kpis = load_kpis(tmp_path, "2022-06")
    assert list(kpis) == ["64100000", "64400000"]
    assert [(a.name, a.responsible) for a in kpis["64100000"]] == [("", "")]
    hallinto, perhe = kpis["64400000"]
    assert (hallinto.name, hallinto.responsible) == ("Hallinto", "Liisa Niiranen")
    assert hallinto.rows["label"].tolist() == [
        "Soten vakituinen henkilökunta",
        "Koko Soten tehty työ henkilötyövuosina",
    ]
    assert hallinto.rows.iloc[1][["tp", "ta", "actual", "forecast"]].tolist() == [
        "572",
        "541,8",
        "272,4",
        "544,8",
    ]
    assert perhe.rows["subheading"].tolist() == [True, False]


def test_no_file_gives_no_kpis(tmp_path):
    assert load_kpis(tmp_path, "2022-06") == {}


def test_a_missing_column_is_an_input_error(tmp_path):
    write(tmp_path, CSV.replace(",forecast\n", ",ennuste\n", 1))
    with pytest.raises(InputError, match="forecast"):
        load_kpis(tmp_path, "2022-06")


def test_kpi_table_html(tmp_path):
    write(
        tmp_path,
        CSV.replace("Asiakasperheet", "<script>alert(1)</script>").replace("1 712", '<img onerror="x">'),
    )
    perhe = load_kpis(tmp_path, "2022-06")["64400000"][1]
    html = kpi_table(perhe, HEADS, "suoritteet")._repr_html_()
    assert html.startswith('<p class="result-area"><span>Tulosalue</span> Perheiden sosiaalipalvelut</p>')
    assert '<p class="responsible"><span>Vastuuhenkilö</span> Nina Matinlassi</p>' in html
    assert '<table class="kpi">' in html and '<th scope="col">TOTEUMA 1-6/2022</th>' in html
    assert '<tr class="subheading"><td>AIKUISSOSIAALITYÖ</td>' in html
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img onerror=&quot;x&quot;&gt;" in html


def test_kpi_table_html_without_result_area(tmp_path):
    write(tmp_path, CSV)
    html = kpi_table(load_kpis(tmp_path, "2022-06")["64100000"][0], HEADS, "suoritteet")._repr_html_()
    assert html.startswith('<table class="kpi">')


def test_the_sample_kpis_reproduce_the_published_review():
    seed = json.loads((SEED / "kpis.json").read_text(encoding="utf-8"))["departments"]
    organisation = load_table(DATA, "organisation")
    codes = dict(zip(organisation["name"], organisation["code"], strict=True))
    kpis = load_kpis(DATA, "2022-06")
    assert list(kpis) == [codes[d["department"]] for d in seed]
    for department in seed:
        areas = kpis[codes[department["department"]]]
        published = department["result_areas"]
        assert [(a.name, a.responsible) for a in areas] == [
            (p["result_area"] or "", p["responsible_person"] or "") for p in published
        ]
        for area, printed in zip(areas, published, strict=True):
            rows = area.rows[["label", "tp", "ta", "actual", "forecast"]].values.tolist()
            assert rows == [[row["label"], *row["cells"]] for row in printed["rows"]]
            assert area.rows["subheading"].tolist() == [row["all_cells_empty"] for row in printed["rows"]]

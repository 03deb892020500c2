"""The Swedish review of 1–6/2022: the same figures as the Finnish one, every word from the Swedish catalogue,
the names from name_sv, the texts in Finnish with a note, and links between the two."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from htmltables import tables
from katsaus import paths
from katsaus.build.steps import build_report
from katsaus.inputs.texts import load_texts
from katsaus.organisation import Organisation
from katsaus.period import Period
from katsaus.plan import plan_and_organisation

pytestmark = pytest.mark.e2e

# The Finnish words of the review's furniture, none of which the Swedish review may print.
FINNISH = [
    "Sisällys",
    "Toteuma-%",
    "TOIMINTAKULUT",
    "TOIMINTAKATE",
    "Tuloslaskelma",
    "Suoritteet",
    "Vastuuhenkilö",
]


@pytest.fixture(scope="module")
def reviews(built) -> dict[str, str]:
    """The Finnish review built for the session, and the Swedish one built beside it."""
    data = Path(os.path.relpath(paths.DATA))
    folder = build_report(Period(2022, 6), data, built, language="sv")
    assert folder == built / "sv" / "2022-06"
    read = {"fi": built / "2022-06" / "review.html", "sv": folder / "review.html"}
    return {language: path.read_text(encoding="utf-8") for language, path in read.items()}


def figures(html: str) -> list[list[list[str]]]:
    """The figure tables' cells without their labels (the first cell of each row) and heads."""
    return [[row[1:] for row in t["rows"][1:]] for t in tables(html) if t["class"] in ("figures", "kpi")]


def test_the_swedish_review_has_the_same_figures(reviews):
    swedish, finnish = figures(reviews["sv"]), figures(reviews["fi"])
    assert len(swedish) == len(finnish) > 10
    assert swedish == finnish


def test_every_label_is_swedish(reviews):
    html = reviews["sv"]
    assert '<html lang="sv">' in html
    for words in (
        "DELÅRSÖVERSIKT JANUARI–JUNI 2022",
        "Resultaträkning Juni 2022",
        "KEMI STAD",
        "Innehåll",
        "VERKSAMHETSINTÄKTER",
        "VERKSAMHETSBIDRAG SAMMANLAGT",
        "ÅRSBIDRAG",
        '<th scope="col">BU 2022</th>',
        '<th scope="col">Utfall 1-6/2022</th>',
        '<th scope="col">BS-PROGNOS 2022</th>',
        "CENTRALFÖRVALTNINGEN",
        "Ekonomisk sammanfattning",
        "regler kontrollerade i",
    ):
        assert words in html, words
    # The department texts and the KPI and strategy tables are the organisation's data, in Finnish; a
    # figure's reference ({{ 64300000 TOIMINTAKULUT ylitys }}) is written in the data contract's keys.
    furniture = re.sub(
        r'<div lang="fi">.*?</div>|<table class="(kpi|strategy)">.*?</table>|\{\{[^}]*\}\}',
        "",
        html,
        flags=re.S,
    )
    for word in FINNISH:
        assert word not in furniture, f"{word!r} printed in the Swedish review"


def test_the_open_data_of_the_figure_tables_has_swedish_heads(reviews, built):
    """Each figure table's CSV has the Finnish review's figures under heads all in Swedish."""
    swedish = {"Koodi": "Kod", "Kustannuspaikka": "Kostnadsställe", "Rivi": "Rad"}
    files = [built / "2022-06" / "data" / "tuloslaskelma.csv"]
    files += sorted((built / "2022-06" / "data").glob("toimintakate-*.csv"))
    assert len(files) > 5
    for finnish in files:
        swedish_file = built / "sv" / "2022-06" / "data" / finnish.name
        fi_head, *fi_rows = csv.reader(finnish.read_text(encoding="utf-8").splitlines())
        sv_head, *sv_rows = csv.reader(swedish_file.read_text(encoding="utf-8").splitlines())
        labels = len([head for head in fi_head if head in swedish])
        assert labels and sv_head[:labels] == [swedish[head] for head in fi_head[:labels]], finnish.name
        assert not set(sv_head) & set(fi_head), finnish.name
        assert [row[labels:] for row in sv_rows] == [row[labels:] for row in fi_rows]


def test_a_text_without_a_swedish_version_is_shown_with_a_note(reviews):
    html = reviews["sv"]
    assert html.count("Denna text finns endast på finska.") == 5
    assert html.count('<div lang="fi">') == 5


def test_the_two_reviews_link_to_each_other(reviews):
    assert 'href="../sv/2022-06/review.html" hreflang="sv"' in reviews["fi"]
    assert 'href="../../2022-06/review.html" hreflang="fi"' in reviews["sv"]


def test_a_swedish_text_is_used_where_given(tmp_path):
    folder = tmp_path / "texts" / "2022-06"
    folder.mkdir(parents=True)
    front = "---\ndepartment: '{}'\nresponsible: {}\n---\n{}\n"
    texts = {
        "keskusvirasto.md": ("64100000", "Hallintojohtaja", "Teksti."),
        "keskusvirasto.sv.md": ("64100000", "Förvaltningsdirektör", "Text."),
        "elinvoimatoimiala.md": ("64200000", "Johtaja", "Vain suomeksi."),
    }
    for name, parts in texts.items():
        (folder / name).write_text(front.format(*parts), encoding="utf-8")
    finnish, swedish = load_texts(tmp_path, "2022-06"), load_texts(tmp_path, "2022-06", "sv")
    assert [(t.narrative, t.language) for t in finnish.values()] == [
        ("Vain suomeksi.", "fi"),
        ("Teksti.", "fi"),
    ]
    assert [(t.narrative, t.language) for t in swedish.values()] == [
        ("Vain suomeksi.", "fi"),
        ("Text.", "sv"),
    ]


def test_names_in_swedish_where_given_else_as_written():
    table = pd.DataFrame(
        {"code": ["1", "2"], "name": ["KAUPUNKI", "TOIMIALA"], "parent": ["", "1"], "order": [1, 1]}
        | {"name_sv": ["STAD", " "]}
    )
    assert Organisation(table, language="sv").names == {"1": "STAD", "2": "TOIMIALA"}
    assert Organisation(table).names == {"1": "KAUPUNKI", "2": "TOIMIALA"}


def test_the_plan_s_finnish_names_stand_in_where_the_organisation_file_has_no_swedish_one(tmp_path):
    """An export cuts its names (Järvelä's at 20 characters); the plan's `names` gives them in full. A
    Swedish review takes the file's Swedish name where it has one, else the plan's Finnish name, else the
    file's; its department section is named and titled as the Finnish review's."""
    table = pd.DataFrame(
        {"code": ["1", "2", "3"], "name": ["KAUPUNKI", "Sivistys- ja hyvinvo", "Tekniset"]}
        | {"parent": ["", "1", "1"], "order": [1, 1, 2], "name_sv": ["STAD", "", ""]}
    )
    (tmp_path / "review.yaml").write_text(
        "names: {'1': Kemin kaupunki, '2': Sivistys- ja hyvinvointipalvelujen toimiala}\n"
        "sections:\n  - {notebook: department.ipynb, department: '2'}\n",
        encoding="utf-8",
    )
    plans = {
        language: plan_and_organisation(Period(2022, 6), table, language, tmp_path)
        for language in ("fi", "sv")
    }
    swedish, finnish = plans["sv"], plans["fi"]
    assert swedish[1].names == {
        "1": "STAD",
        "2": "Sivistys- ja hyvinvointipalvelujen toimiala",
        "3": "Tekniset",
    }
    assert finnish[1].names["1"] == "Kemin kaupunki"
    [section] = swedish[0].sections
    assert (section.name, section.title) == (finnish[0].sections[0].name, finnish[0].sections[0].title)
    assert section.title == "Sivistys- ja hyvinvointipalvelujen toimiala"

"""The built review reproduces the published 1–6/2022 review of Kemi, and other periods build too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from htmltables import tables
from katsaus.organisation import slug

pytestmark = pytest.mark.e2e

SEED = Path(__file__).parent / "fixtures" / "seed"
PRINTED = (SEED / "kemi_osavuosikatsaus_1-6_2022.txt").read_text(encoding="utf-8").splitlines()


def load(name: str) -> dict:
    return json.loads((SEED / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reviews(built) -> dict[str, str]:
    """The built review HTML per period."""
    return {
        p: (built / p / "review.html").read_text(encoding="utf-8") for p in ("2022-06", "2022-03", "2022-12")
    }


def section_tables(html: str, section: str, kind: str) -> list[list[list[str]]]:
    return [t["rows"] for t in tables(html) if t["section"] == section and t["class"] == kind]


def section_html(html: str, section: str) -> str:
    match = re.search(rf'<section[^>]*id="{section}".*?</section>', html, re.S)
    assert match, f"no section {section}"
    return match.group(0)


def printed_rows(first: int) -> list[list[str]]:
    """The published table starting at 1-based line `first`, up to the next empty line."""
    rows = []
    for line in PRINTED[first - 1 :]:
        if not line.strip():
            break
        cells = line.split("\t")
        rows.append(cells if any(cells[1:]) else [cells[0]])
    return rows


def test_summary_table_is_as_published(reviews):
    published = printed_rows(load("summary")["source_line"])
    [table] = section_tables(reviews["2022-06"], "yhteenveto", "figures")[:1]
    assert table[0][1:] == published[0][1:]
    assert table[1:] == published[1:]


@pytest.mark.parametrize("table", load("operating")["tables"], ids=lambda t: t["section"])
def test_operating_tables_are_as_published(reviews, table):
    """City, department and unit rows: TP 2021, TA 2022, Toteuma, Toteuma-%, TP-ennuste."""
    section = "yhteenveto" if table["kind"] == "city" else slug(table["section"])
    published = printed_rows(table["header_line"])
    candidates = [t for t in section_tables(reviews["2022-06"], section, "figures") if t[1:] == published[1:]]
    assert candidates, f"{table['section']}: no table equal to the published one in section {section}"
    assert candidates[0][0][1:] == published[0][1:]


@pytest.mark.parametrize("department", load("narratives")["departments"], ids=lambda d: d["department"])
def test_responsible_person_and_proposal_rows(reviews, department):
    section = slug(department["department"])
    html = section_html(reviews["2022-06"], section)
    assert f"<span>Vastuuhenkilö</span> {department['responsible_person']}" in html
    proposal = department["budget_change_proposal"]
    found = section_tables(reviews["2022-06"], section, "proposal")
    if proposal is None:
        assert found == []
        return
    [rows] = found
    assert [c.lower() for c in rows[0][1:]] == [c.lower() for c in proposal["header"][1:]]
    assert rows[1:] == [[row["label"], *row["cells"]] for row in proposal["rows"]]


@pytest.mark.parametrize("department", load("kpis")["departments"], ids=lambda d: d["department"])
def test_every_kpi_row_is_as_published(reviews, department):
    section = slug(department["department"])
    built_rows = [row for t in section_tables(reviews["2022-06"], section, "kpi") for row in t[1:]]
    published = [[row["label"], *row["cells"]] for area in department["result_areas"] for row in area["rows"]]
    assert built_rows == published


def test_the_period_sets_title_and_column_heads(reviews):
    for period, months, title in (
        ("2022-03", "1-3/2022", "TAMMI-MAALISKUUN OSAVUOSIKATSAUS 2022"),
        ("2022-12", "1-12/2022", "TILINPÄÄTÖSKATSAUS 2022"),
    ):
        html = reviews[period]
        assert title in html
        heads = section_tables(html, "yhteenveto", "figures")[0][0]
        assert heads[1:] == ["TP 2021", "TA 2022", f"Toteuma {months}", "Toteuma-%", "TP-ENNUSTE 2022"]


def test_a_period_without_texts_says_so(reviews):
    """2022-03 has figures but no department texts, KPIs or strategy tables, and no forecast yet."""
    html = reviews["2022-03"]
    for department in ("keskusvirasto", "perusturvatoimiala"):
        text = section_html(html, department)
        assert "Toimialan tekstiä ei ole annettu kaudelle 1-3/2022" in text
        assert "Suoritteita ei ole annettu kaudelle 1-3/2022" in text
    assert "TP-ennustetta ei ole vielä tehty kaudelle 1-3/2022" in section_html(html, "yhteenveto")
    summary, city = section_tables(html, "yhteenveto", "figures")[:2]
    assert all(row[-1] == "–" for table in (summary, city) for row in table[1:] if len(row) > 1)
    for department in ("keskusvirasto", "perusturvatoimiala"):  # said once, in the summary
        notes = re.findall(r'<div class="note">.*?</div>', section_html(html, department), re.S)
        assert notes and not any("TP-ennustetta" in note for note in notes)


def test_the_year_end_actuals_equal_the_forecast(reviews):
    """Months 7–12 of the sample data complete the year at TP-ennuste."""
    city = section_tables(reviews["2022-12"], "yhteenveto", "figures")[1]
    rows = [row for row in city[1:] if len(row) > 1]
    assert rows and all(row[3] == row[5] for row in rows)

"""Open data beside the review: every table of the built review also as CSV and XLSX, linked from the
table, written beside the review and listed in its appendix; figures in euros to the cent, codes kept."""

from __future__ import annotations

import base64
import csv
import io
import re
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from htmltables import tables
from katsaus.opendata import xlsx_bytes

pytestmark = pytest.mark.e2e

LINK = re.compile(r'<a download="([^"]+)" href="data:[^;]+;base64,([^"]+)">')


@pytest.fixture(scope="module")
def review(built) -> Path:
    return built / "2022-06"


@pytest.fixture(scope="module")
def html(review) -> str:
    return (review / "review.html").read_text(encoding="utf-8")


def _linked(html: str) -> dict[str, bytes]:
    return {name: base64.b64decode(data) for name, data in LINK.findall(html)}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _printed(amount: str, unit: int) -> str:
    """An amount in euros as the review prints it in `unit`s of euros (half away from zero)."""
    whole = (Decimal(amount) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{int(whole):,}".replace(",", " ")


def test_every_table_is_followed_by_its_csv_and_xlsx(html):
    main = html[html.index("<main") :]
    count = main.count("<table")
    assert count >= 20
    followed = re.findall(r'</table>\s*<p class="open-data" data-title="[^"]+">([^\n]*?)</p>', main)
    assert len(followed) == count
    for links in followed:
        assert [Path(name).suffix for name, _ in LINK.findall(links)] == [".csv", ".xlsx"]


def test_the_files_beside_the_review_are_the_linked_ones_and_listed_in_the_appendix(review, html):
    linked = _linked(html[html.index("<main") :])
    beside = {path.name: path.read_bytes() for path in (review / "data").iterdir()}
    assert beside == linked
    appendix = re.search(r'<section[^>]*id="avoin-data".*?</section>', html, re.S).group(0)
    assert re.findall(r'<a href="data/([^"]+)">', appendix) == list(linked)
    assert '<a href="#avoin-data">' in html[: html.index("<main")]  # in the contents


def test_the_pdf_lists_the_files_in_an_appendix_of_its_own(review, html):
    appendix = re.search(r'<section[^>]*id="avoin-data".*?</section>', html, re.S).group(0)
    listed = re.findall(r'<a href="data/([^"]+)">', appendix)
    pdf = PdfReader(review / "review.pdf")
    title = "Liite: taulukot avoimena datana"
    [(last, start)] = [(o.title, pdf.get_destination_page_number(o)) for o in pdf.outline][-1:]
    assert last == title
    assert re.search(rf"{title}[ .]*{start + 1}\n", pdf.pages[1].extract_text())  # in the contents
    text = "".join(page.extract_text() for page in pdf.pages[start:])
    assert text.startswith(title) and "tuloslaskelma.csv: Tuloslaskelma Kesäkuu 2022, €" in text
    at = 0
    for name in listed:  # each file, in the appendix's order
        at = text.index(name, at) + len(name)


def test_operating_figures_are_to_the_cent_with_their_codes(review, html):
    section = re.search(r'<section[^>]*id="keskusvirasto".*?</section>', html, re.S).group(0)
    [name] = [n for n in _linked(section) if n.startswith("toimintakate-") and n.endswith(".csv")]
    rows = _rows((review / "data" / name).read_bytes())
    [printed] = [t["rows"] for t in tables(html) if t["section"] == "keskusvirasto"][:1]
    headings = [row[0] for row in printed if len(row) == 1]
    assert list(dict.fromkeys(f"{r['Koodi']} {r['Kustannuspaikka']}" for r in rows)) == headings
    assert all(re.fullmatch(r"\d{8}", row["Koodi"]) for row in rows)
    lines = [row for row in printed[1:] if len(row) > 1]
    assert len(lines) == len(rows)
    for cells, row in zip(lines, rows, strict=True):
        assert cells[0] == row["Rivi"]
        for head, cell in zip(printed[0][1:], cells[1:], strict=True):
            if head != "Toteuma-%" and cell:
                assert _printed(row[head], 1) == cell, (row, head)
    assert any(not row["TA 2022"].endswith(".00") for row in rows)  # not rounded to euros


def test_summary_figures_are_in_euros_not_thousands(review, html):
    rows = _rows((review / "data" / "tuloslaskelma.csv").read_bytes())
    [printed] = [t["rows"] for t in tables(html) if t["section"] == "yhteenveto"][:1]
    lines = [row for row in printed[1:] if len(row) > 1]
    assert [row["Rivi"] for row in rows] == [cells[0] for cells in lines]
    for cells, row in zip(lines, rows, strict=True):
        assert _printed(row["TA 2022"], 1000) == cells[2]


def test_each_xlsx_holds_its_csv(review):
    for path in sorted((review / "data").glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        sheet = load_workbook(io.BytesIO(path.with_suffix(".xlsx").read_bytes()), read_only=True).active
        title, *cells = [[value for value in row] for row in sheet.iter_rows(values_only=True)]
        assert title[0]
        assert len(cells) == len(rows), path.name
        for written, read in zip(rows, cells, strict=True):
            assert [_value(cell) for cell in written] == [_value(cell) for cell in read], path.name


def _value(cell):
    """A cell as a number when it is one (a CSV's text or a worksheet's value), else its text."""
    if cell is None or isinstance(cell, int | float):
        return "" if cell is None else float(cell)
    try:
        return float(cell)
    except ValueError:
        return cell


def test_a_table_made_twice_seconds_apart_gives_the_same_xlsx():
    table = pd.DataFrame({"tili": ["3000", "4000"], "euroa": [1234.5, None]})
    first = xlsx_bytes(table, "Tuloslaskelma")
    time.sleep(2.1)  # a ZIP member's time has a resolution of two seconds
    assert xlsx_bytes(table, "Tuloslaskelma") == first
    book = load_workbook(io.BytesIO(first))
    assert list(book["taulukko"].values) == [
        ("Tuloslaskelma", None),
        ("tili", "euroa"),
        ("3000", 1234.5),
        ("4000", None),
    ]

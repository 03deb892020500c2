"""The built review is accessible: its HTML passes axe-core's WCAG 2.1 A and AA rules in Chromium and is
usable by keyboard, and its PDFs are tagged PDF/UA-1 (checked by tests/pdfua.py)."""

from __future__ import annotations

import io
import re
import shutil
from html import unescape
from pathlib import Path

import pikepdf
import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader, PdfWriter

import pdfua
from htmltables import tables
from katsaus import paths
from katsaus.render.pages import furniture

pytestmark = pytest.mark.e2e

AXE = paths.ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SECTIONS = ["yhteenveto", "keskusvirasto", "perusturvatoimiala", "strategia", "tarkastukset"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def review(built) -> Path:
    return built / "2022-06"


def axe_violations(browser, path: Path) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on a page, one line per element."""
    page = browser.new_page()
    page.goto(path.as_uri())
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG21_AA)
    page.close()
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at {node['target']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("name", ["review", *SECTIONS])
def test_html_has_no_axe_violations(browser, review, name):
    path = review / "review.html" if name == "review" else review / "sections" / f"{name}.html"
    violations = axe_violations(browser, path)
    assert not violations, "\n".join(violations)


def test_axe_finds_what_breaks_the_rules(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<html><body><img src="x.png"><p style="color:#ddd">haalea</p></body></html>')
    found = " ".join(axe_violations(browser, page))
    assert "image-alt" in found and "html-has-lang" in found and "color-contrast" in found


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
        return {text: e.textContent.trim(), href: e.getAttribute('href'), inside: e.closest('[id]')?.id,
                outline: getComputedStyle(e).outlineStyle}; }"""
    )


def test_keyboard_reaches_the_contents_and_the_sections(browser, review):
    page = browser.new_page()
    page.goto((review / "review.html").as_uri())
    assert page.locator("main").count() == 1 and page.locator("nav#sisallys").count() == 1
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert (skip["text"], skip["href"]) == ("Siirry sisältöön", "#sisalto")
    assert skip["outline"] != "none"  # the focus is visible
    entries = page.locator("nav#sisallys a")
    cover = page.locator("header.cover a").count()  # the links to the review in other languages
    for _ in range(cover):
        page.keyboard.press("Tab")
        assert _focused(page)["inside"] is None or _focused(page)["href"] != "#sisalto"
    for index in range(entries.count()):
        page.keyboard.press("Tab")
        entry = _focused(page)
        assert entry["href"] == entries.nth(index).get_attribute("href")
        assert entry["outline"] != "none"
    page.locator("nav#sisallys a").nth(2).focus()
    target = page.locator("nav#sisallys a").nth(2).get_attribute("href")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    page.keyboard.press("Tab")
    assert _focused(page)["inside"] in (target[1:], f"{target[1:]}-otsikko")
    page.goto((review / "review.html").as_uri())
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    past_contents = _focused(page)  # the first link of the first section, past the cover and contents
    assert (past_contents["href"], past_contents["inside"]) == ("#sisallys", "yhteenveto")
    page.close()


def test_tables_keep_their_header_cells(review):
    html = (review / "review.html").read_text(encoding="utf-8")
    for table in re.findall(r"<table.*?</table>", html, re.S):
        heads = re.findall(r"<thead>.*?</thead>", table, re.S)
        assert heads and "<th" in heads[0], table[:200]
        assert all('scope="col"' in th for th in re.findall(r"<th(?:\s[^>]*)?>", heads[0]))
    figures = re.findall(r'<table class="figures">.*?</table>', html, re.S)
    body_heads = re.findall(r"<tbody>.*?</tbody>", figures[0], re.S)[0]
    cells = re.findall(r"<th(?:\s[^>]*)?>", body_heads)
    assert cells and all("scope=" in th for th in cells)


def _expenses_in_thousands(html: str, section: str) -> dict[str, list[str]]:
    """Each unit's operating expenses in its section's table (TA, Toteuma, TP-ennuste), in 1000 €."""
    [rows] = [t["rows"] for t in tables(html) if t["section"] == section and t["class"] == "figures"][:1]
    found, unit = {}, None
    for row in rows[1:]:
        if len(row) == 1:
            unit = row[0]
        elif row[0] == "TOIMINTAKULUT":
            euros = [int(cell.replace(" ", "").replace("−", "-")) for cell in (row[2], row[3], row[5])]
            found[unit] = [f"{round(-value / 1000):,}".replace(",", " ") for value in euros]
    return found


def test_chart_alternative_text_gives_each_units_figures(review):
    html = (review / "review.html").read_text(encoding="utf-8")
    section = re.search(r'<section[^>]*id="perusturvatoimiala".*?</section>', html, re.S).group(0)
    [alt] = re.findall(r'<img [^>]*alt="([^"]*)"', section)
    *units, _department = _expenses_in_thousands(html, "perusturvatoimiala").items()
    assert len(units) >= 2
    for unit, (budget, actual, forecast) in units:
        expected = f"{unit}: TA 2022 {budget}, Toteuma 1-6/2022 {actual}, TP-ENNUSTE 2022 {forecast}"
        assert expected in unescape(alt), alt
    with pikepdf.open(review / "review.pdf") as pdf:
        alts = [str(e.Alt) for _, e in pdfua.elements(pdf) if pikepdf.Name.Figure == e.S]
    assert unescape(alt) in alts
    assert all(a.startswith("Pylväskuvio: toimintakulut tulosalueittain") for a in alts)


@pytest.mark.parametrize("name", ["review", *SECTIONS])
def test_pdf_is_tagged_pdf_ua(review, name):
    path = review / "review.pdf" if name == "review" else review / "sections" / f"{name}.pdf"
    found = pdfua.problems(path)
    assert not found, "\n".join(found)


def test_pdf_check_finds_untagged_pages_and_unmarked_furniture(review, tmp_path):
    bare = tmp_path / "bare.pdf"
    bare.write_bytes(furniture(["", ""], "OTSIKKO", "KAUPUNKI"))
    found = " ".join(pdfua.problems(bare))
    assert "no structure tree" in found and "/MarkInfo" in found and "pdfuaid" in found
    writer = PdfWriter(clone_from=review / "sections" / "keskusvirasto.pdf")
    overlay = PdfReader(io.BytesIO(furniture(["X"] * len(writer.pages)))).pages[0]
    writer.pages[0].merge_page(overlay)  # a header drawn without marking it an artifact
    stamped = tmp_path / "stamped.pdf"
    writer.write(stamped)
    assert any("neither tagged nor artifacts" in problem for problem in pdfua.problems(stamped))


def test_a_table_page_reads_in_order_without_header_and_footer(review):
    with pikepdf.open(review / "review.pdf") as pdf:
        start = next(item for item in pdf.open_outline().root if item.title == "KESKUSVIRASTO")
        page = pdf.pages.index(pikepdf.Page(start.destination[0]))
    order = pdfua.reading_order(review / "review.pdf", page)
    text = "\n".join(order)
    assert order[1].strip() == "H1" and "KESKUSVIRASTO" in order[2]
    assert "Sivu" not in text and "KEMIN KAUPUNKI" not in text  # the furniture is no part of it
    cells = [line.strip() for line in order]
    first_head = cells.index("Span TP 2021")
    expenses = cells.index("Span TOIMINTAKULUT")
    assert cells.index("Table") < first_head < expenses
    assert cells[expenses - 1] == "TH" and cells[expenses + 1] == "TD"

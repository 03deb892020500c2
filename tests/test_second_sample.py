"""The second sample organisation, Järvelä (synthetic; scripts/make_second_sample.py), builds a true review.

Its expected figures are computed here from the generated files with the csv module and openpyxl, not
through the package; and its review is checked against what it must not print: figures its data lacks
(the previous year, a forecast, the financing items) shown as anything but missing, a "–" without a
reason, codes or the export's cut names, an interim title.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
import yaml
from pypdf import PdfReader

from katsaus import paths
from katsaus.build.steps import build_report
from katsaus.period import Period

pytestmark = pytest.mark.e2e

SAMPLE = paths.ROOT / "samples" / "jarvela"
DATA, PARAMS = SAMPLE / "data", SAMPLE / "params"
PERIOD, YEAR = "2024-12", 2024
INCOME = {"TOIMINTATUOTOT", "Myyntituotot", "Maksutuotot", "Tuet ja avustukset", "Muut toimintatuotot"}
EXPENSES = {
    "TOIMINTAKULUT",
    "Henkilöstökulut",
    "Palvelujen ostot",
    "Aineet, tarvikkeet ja tavarat",
    "Avustukset",
    "Muut toimintakulut",
}
INVENTORY = "Varastojen muutos"
FINANCING = ["Verotulot", "Valtionosuudet", "Rahoitustuotot ja -kulut", "Poistot ja arvonalentumiset"]
BELOW = ["VUOSIKATE", "TILIKAUDEN TULOS", "YLIJÄÄMÄ", "ALIJÄÄMÄ", *FINANCING]
MISSING = "–"


# The generated rows, read without the package.


def sheet(path: Path) -> list[dict]:
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)  # the file is closed
    rows = list(book.active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def semicolon(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def cents(value) -> int:
    """Euros as printed by the export ('-1 234,56', or a number in a workbook) to whole cents."""
    text = re.sub(r"\s", "", str(value)).replace(",", ".")
    return int((Decimal(text) * 100).to_integral_value(ROUND_HALF_UP))


def rounded(amount: int, unit: int = 100) -> int:
    """Cents to whole units, half away from zero."""
    return int((Decimal(amount) / unit).to_integral_value(ROUND_HALF_UP))


def printed(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def percent(actual: int, budget: int) -> str:
    """Toteuma-% as a reader may trust it: none beside a budget of 0, capped beyond three digits."""
    if budget == 0:
        return MISSING
    value = int((Decimal(actual) * 100 / Decimal(budget)).to_integral_value(ROUND_HALF_UP))
    return ">999 %" if value > 999 else "<-999 %" if value < -999 else f"{value} %"


@pytest.fixture(scope="session")
def sample() -> dict:
    """Per cost centre (every level) its actual and budget in cents by kind; names, parents, projects."""
    nodes = sheet(DATA / "organisation.xlsx")
    parents = {str(n["code"]): str(n["parent"] or "") for n in nodes}
    lines = {row["account"]: row["line"] for row in semicolon(DATA / "accounts.csv")}
    kinds = {
        a: "income" if line in INCOME else "expenses" if line in EXPENSES else line
        for a, line in lines.items()
    }
    totals = defaultdict(lambda: defaultdict(int))
    ledger = semicolon(DATA / "ledger" / f"{YEAR}.csv")
    budget = sheet(DATA / "budget" / f"{YEAR}.xlsx")
    for column, rows in (("actual", ledger), ("ta", budget)):
        for row in rows:
            code = str(row["cost_centre"])
            while code:
                totals[code][(column, kinds[str(row["account"])])] += cents(row["amount"])
                code = parents[code]
    plan_names = yaml_names()
    names = {str(n["code"]): plan_names.get(str(n["code"]), str(n["name"])) for n in nodes}
    projects = defaultdict(dict)
    for row in sheet(DATA / "investments" / f"{YEAR}.xlsx"):
        projects[row["name"]][row["figure"]] = cents(row["amount"])
    cut = {str(n["name"]) for n in nodes} - set(names.values())
    return {
        "totals": totals,
        "names": names,
        "parents": parents,
        "projects": projects,
        "cut": cut,
        "ledger": ledger,
    }


def yaml_names() -> dict[str, str]:
    return yaml.safe_load((PARAMS / "review.yaml").read_text(encoding="utf-8"))["names"]


# The built review, read as its reader sees it.


class Page(HTMLParser):
    """Every section's tables (cells with their class and title) and notes."""

    def __init__(self):
        super().__init__()
        self.sections, self.section, self.cell, self.note, self.depth = {}, None, None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "section" and attrs.get("id"):
            self.section = self.sections.setdefault(attrs["id"], {"tables": [], "notes": []})
        elif self.section is None:
            return
        elif tag == "table":
            self.section["tables"].append({"class": classes, "rows": []})
        elif tag == "tr" and self.section["tables"]:
            self.section["tables"][-1]["rows"].append([])
        elif tag in ("td", "th") and self.section["tables"]:
            self.cell = {"text": "", "class": classes, "title": attrs.get("title")}
            self.section["tables"][-1]["rows"][-1].append(self.cell)
        elif tag == "div" and "note" in classes:
            self.note = []
        if self.note is not None and tag == "div":
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None
        elif tag == "div" and self.note is not None:
            self.depth -= 1
            if not self.depth:
                self.section["notes"].append(" ".join("".join(self.note).split()))
                self.note = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data.strip()
        if self.note is not None:
            self.note.append(data)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    return build_report(Period.parse(PERIOD), DATA, tmp_path_factory.mktemp("jarvela"), PARAMS)


@pytest.fixture(scope="session")
def review(built) -> dict:
    page = Page()
    page.feed((built / "review.html").read_text(encoding="utf-8"))
    return page.sections


def texts(row: list[dict]) -> list[str]:
    return [cell["text"] for cell in row]


def figure_tables(review: dict, section: str) -> list[dict]:
    return [t for t in review[section]["tables"] if "figures" in t["class"]]


def columns(table: dict) -> dict[str, int]:
    """Where each column of a figures table is, by its head; a column left out is not there."""
    heads = texts(table["rows"][0])
    found = {}
    for index, head in enumerate(heads):
        for key, start in (
            ("tp", f"TP {YEAR - 1}"),
            ("ta", "TA "),
            ("actual", "Toteuma "),
            ("pct", "Toteuma-%"),
        ):
            if head.startswith(start) and key not in found:
                found[key] = index
        if head.upper().startswith("TP-ENNUSTE"):
            found["forecast"] = index
    return found


def operating_blocks(table: dict) -> dict[str, dict[str, list[str]]]:
    """A department's or the municipality's operating table: heading → row label → cells."""
    blocks, current = {}, None
    for row in table["rows"][1:]:
        if len(row) == 1:
            current = blocks.setdefault(row[0]["text"], {})
        else:
            current[row[0]["text"]] = texts(row)
    return blocks


def test_the_committed_sample_is_what_the_script_writes(tmp_path):
    script = paths.ROOT / "scripts" / "make_second_sample.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    written = sorted(path for path in tmp_path.rglob("*") if path.is_file())
    assert len(written) == 6
    for again in written:
        path = SAMPLE / again.relative_to(tmp_path)
        if path.suffix == ".xlsx":
            assert sheet(again) == sheet(path), path
        else:
            assert again.read_bytes() == path.read_bytes(), path


def test_the_sample_is_unlike_kemi_where_the_contract_allows(sample):
    assert set(sample["ledger"][0]) == {"year", "cost_centre", "account", "amount"}  # annual totals only
    assert {row["year"] for row in sample["ledger"]} == {str(YEAR)}  # no previous year
    assert not (DATA / "forecast").exists() and not (DATA / "texts").exists() and not (DATA / "kpis").exists()
    depth = max(len(chain(code, sample["parents"])) for code in sample["parents"])
    assert depth == 4
    assert any(len(name) > 40 for name in sample["names"].values())
    assert all(letter in "".join(sample["names"].values()) for letter in "åäöÅÄÖ")


def chain(code: str, parents: dict[str, str]) -> list[str]:
    found = [code]
    while parents[found[-1]]:
        found.append(parents[found[-1]])
    return found


def test_every_operating_figure_is_the_sum_of_its_rows(review, sample):
    """Every printed TA, Toteuma and Toteuma-% of the municipality's and each department's tables."""
    by_name = {name: code for code, name in sample["names"].items()}
    checked, shares = 0, set()
    for section in review:
        for table in figure_tables(review, section):
            if "investments" in table["class"] or not any(len(row) == 1 for row in table["rows"][1:]):
                continue  # not an operating table (the projects, the income statement)
            where = columns(table)
            for heading, rows in operating_blocks(table).items():
                figures = sample["totals"][by_name[heading]]
                expected = {
                    "TOIMINTATUOTOT": ["income"],
                    "TOIMINTAKULUT": ["expenses"],
                    INVENTORY: [INVENTORY],
                    "TOIMINTAKATE": ["income", "expenses", INVENTORY],
                }
                for label, cells in rows.items():
                    assert label in expected, (heading, label)
                    ta = sum(figures[("ta", kind)] for kind in expected[label])
                    actual = sum(figures[("actual", kind)] for kind in expected[label])
                    assert cells[where["ta"]] == printed(rounded(ta)), (heading, label)
                    assert cells[where["actual"]] == printed(rounded(actual)), (heading, label)
                    assert cells[where["pct"]] == percent(actual, ta), (heading, label)
                    shares.add(cells[where["pct"]])
                    checked += 1
    assert checked >= 3 * (1 + 3 + 7)  # the municipality, three departments, seven tulosalueet
    assert {MISSING, ">999 %"} <= shares  # income budgeted at 0 € and at a few euros


def test_the_summary_prints_the_operating_lines_and_nothing_below_them(review, sample):
    summary = figure_tables(review, "yhteenveto")[0]
    where, root = columns(summary), sample["totals"]["JRV"]
    rows = {row[0]["text"]: row for row in summary["rows"][1:]}
    for label, kinds in (("TOIMINTATUOTOT", ["income"]), ("TOIMINTAKULUT", ["expenses"])):
        for column in ("ta", "actual"):
            value = sum(root[(column, kind)] for kind in kinds)
            assert rows[label][where[column]]["text"] == printed(rounded(value, 100_000)), label
    below = [label for label in rows if any(word in label for word in BELOW)]
    assert below  # the rows are there, each figure of them missing
    for label in below:
        assert all(cell["text"] == MISSING for cell in rows[label][1:]), label


def test_every_project_is_printed_with_its_figures(review, sample):
    [table] = [t for t in review["investoinnit"]["tables"] if "investments" in t["class"]]
    where = columns(table)
    rows = {row[0]["text"]: texts(row) for row in table["rows"][1:] if len(row) > 1}
    assert set(rows) == {*sample["projects"], "Investoinnit yhteensä"}
    for name, figures in sample["projects"].items():
        assert rows[name][where["ta"]] == printed(rounded(figures["ta"]))
        assert rows[name][where["actual"]] == printed(rounded(figures["actual"]))
        assert rows[name][where["pct"]] == percent(figures["actual"], figures["ta"])
        assert rows[name][where["forecast"]] == MISSING
    total = sum(figures["actual"] for figures in sample["projects"].values())
    assert rows["Investoinnit yhteensä"][where["actual"]] == printed(rounded(total))


def test_no_figure_the_data_lacks_is_printed(review):
    """No TP 2023 and no TP-ennuste value anywhere, no financing line or total below TOIMINTAKATE."""
    for section in review:
        for table in figure_tables(review, section):
            where = columns(table)
            for row in table["rows"][1:]:
                if len(row) == 1:
                    continue
                for column in ("tp", "forecast"):
                    if column in where:
                        assert row[where[column]]["text"] == MISSING, (section, texts(row))
                if any(word in row[0]["text"] for word in BELOW):
                    assert all(cell["text"] == MISSING for cell in row[1:]), (section, texts(row))


def test_every_dash_has_its_reason_told_once(review):
    reasons = []
    for section in review.values():
        for table in section["tables"]:
            for row in table["rows"]:
                for cell in row:
                    if cell["text"] == MISSING:
                        assert "missing" in cell["class"] and cell["title"], cell
                        reasons.append(cell["title"])
    notes = [note for section in review.values() for note in section["notes"]]
    assert reasons
    for reason in set(reasons):
        parts = [part for part in re.split(r"(?<=\.) ", reason) if part]
        for part in parts:
            told = [note for note in notes if part in note]
            assert len(told) == 1, (part, told)


def test_names_are_printed_in_full_and_without_codes(review, sample):
    tables = [table for section in review for table in figure_tables(review, section)]
    labels = [cell["text"] for table in tables for row in table["rows"] for cell in row[:2]]
    assert not [label for label in labels if re.match(r"JRV[.\s]", label)]
    assert not sample["cut"] & set(labels)
    operating = [table for table in tables if "investments" not in table["class"]]
    headings = {row[0]["text"] for table in operating for row in table["rows"] if len(row) == 1}
    assert sample["names"]["JRV.2.2"] in headings
    assert sample["names"]["JRV.2.2.01"] not in headings  # a tulosyksikkö is summed into its tulosalue


def test_the_title_the_sections_and_the_pdf(built, review):
    html = (built / "review.html").read_text(encoding="utf-8")
    assert "TALOUSARVION TOTEUTUMINEN 2024" in html and "OSAVUOSIKATSAUS" not in html
    assert {"ymparisto", "hallinto-ja-elinvoimapalvelujen-toimiala", "investoinnit"} <= set(review)
    pdf = PdfReader(built / "review.pdf")
    cover = " ".join(pdf.pages[0].extract_text().split())
    assert "JÄRVELÄN KUNTA" in cover and "TALOUSARVION TOTEUTUMINEN 2024" in cover
    assert len(pdf.pages) >= 8


def test_each_gap_is_one_warning_of_the_checks(built):
    findings = json.loads((built / "validation" / "result.json").read_text(encoding="utf-8"))["findings"]
    assert not [f for f in findings if f["severity"] == "error"]
    warnings = [f for f in findings if f["severity"] == "warning"]
    gaps = {
        "no previous year": lambda f: "ledger" in f["file"] and str(YEAR - 1) in f["text"],
        "no forecast": lambda f: "forecast" in f["file"] and "investments" not in f["file"],
        "no investment forecast": lambda f: "investments" in f["file"] and "forecast" in f["text"],
        **{line: (lambda f, line=line: "accounts" in f["file"] and line in f["text"]) for line in FINANCING},
    }
    for gap, about in gaps.items():
        assert len([f for f in warnings if about(f)]) == 1, (gap, [f["text"] for f in warnings])
    assert len(warnings) == len(gaps), [f["text"] for f in warnings]

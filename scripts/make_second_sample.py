"""Generate the second sample organisation, Järvelä: a made-up municipality unlike Kemi in every way the
data contract allows, and its review plan.

Everything it writes is synthetic: the municipality, its units, projects and every amount are invented
(its name says so). The output is the same on every run (a fixed seed); the workbooks' bytes differ only
in their zip timestamps.

    .venv/bin/python scripts/make_second_sample.py [--out samples/jarvela]

Unlike Kemi's sample, Järvelä's export has
- actuals of one year only, as annual totals (the ledger has no month column), and no previous year;
- no forecast, no financing items (taxes, state grants, financial items, depreciation), no department
  texts, KPI or strategy tables;
- an investment part by project (investments/);
- a four-level hierarchy (municipality → toimiala → tulosalue → tulosyksikkö), codes of letters, digits
  and dots, names with å, ä and ö cut at 20 characters by the export (the plan's `names` gives them in
  full), accounts of four digits mapped to the income statement's sub-lines;
- tulosalueet whose income is budgeted at 0 € and at a few euros, beside real actuals;
- Finnish semicolon CSV (ledger, accounts) and .xlsx workbooks (organisation, budget, investments).

Written under OUT: data/organisation.xlsx, data/accounts.csv, data/ledger/2024.csv,
data/budget/2024.xlsx, data/investments/2024.xlsx and params/review.yaml. Build its review with
`make report DATA=samples/jarvela/data PARAMS=samples/jarvela/params PERIOD=2024-12`.
"""

from __future__ import annotations

import argparse
import csv
import datetime
from pathlib import Path

import numpy as np
import openpyxl
import yaml

SEED = 2024
YEAR = 2024
CUT = 20  # the export cuts names at this many characters
ROOT = ("JRV", "JÄRVELÄN KUNTA – SYNTEETTINEN ESIMERKKI")
# Toimialat, their tulosalueet and those tulosalueet's tulosyksiköt (where the postings are).
HIERARCHY = {
    ("JRV.1", "Hallinto- ja elinvoimapalvelujen toimiala"): {
        ("JRV.1.1", "Keskushallinto ja talouspalvelut"): ["Kunnanvirasto", "Talous- ja henkilöstöpalvelut"],
        ("JRV.1.2", "Elinkeino- ja matkailupalvelut"): ["Yrityspalvelut", "Åminnen matkailualue"],
    },
    ("JRV.2", "Sivistys- ja hyvinvointipalvelujen toimiala"): {
        ("JRV.2.1", "Varhaiskasvatus"): ["Päiväkoti Ängsbacka", "Perhepäivähoito", "Esiopetus"],
        ("JRV.2.2", "Perusopetus ja lukiokoulutus"): [
            "Kärsämäen yhtenäiskoulu",
            "Järvelän lukio",
            "Skärgårdsbyns svenskspråkiga byskola",
        ],
        ("JRV.2.3", "Kulttuuri- ja vapaa-aikapalvelut"): ["Kirjasto", "Liikuntapaikat ja uimahalli"],
    },
    ("JRV.3", "Ympäristö- ja tekniset palvelut"): {
        ("JRV.3.1", "Yhdyskuntatekniikka"): ["Kadut ja viheralueet", "Öljysataman satama-alue"],
        ("JRV.3.2", "Tilapalvelut"): ["Kiinteistöjen ylläpito", "Ruokapalvelut ja siivous"],
    },
}
# Accounts: number, name, income-statement line (a sub-line of the municipal formula), sign, yearly
# size per tulosyksikkö in euros.
ACCOUNTS = [
    ("3010", "Myyntituotot", "Myyntituotot", 1, 40_000),
    ("3210", "Asiakasmaksut", "Maksutuotot", 1, 90_000),
    ("3410", "Valtion ja EU:n hankeavustukset", "Tuet ja avustukset", 1, 25_000),
    ("3610", "Vuokratuotot", "Muut toimintatuotot", 1, 30_000),
    ("4010", "Palkat ja palkkiot", "Henkilöstökulut", -1, 600_000),
    ("4110", "Henkilösivukulut", "Henkilöstökulut", -1, 140_000),
    ("4310", "Asiakaspalvelujen ostot", "Palvelujen ostot", -1, 220_000),
    ("4320", "Muiden palvelujen ostot", "Palvelujen ostot", -1, 110_000),
    ("4510", "Aineet, tarvikkeet ja tavarat", "Aineet, tarvikkeet ja tavarat", -1, 70_000),
    ("4710", "Avustukset yhteisöille", "Avustukset", -1, 20_000),
    ("4910", "Vuokrakulut", "Muut toimintakulut", -1, 60_000),
    ("4950", "Valmistevarastojen muutos", "Varastojen muutos", 0, 4_000),
]
INVENTORY = "4950"  # posted by the tulosyksiköt that keep stocks only
STOCKS = {"Ruokapalvelut ja siivous", "Kiinteistöjen ylläpito"}
# Tulosalueet whose income has no budget (TA 0 beside a real actual), and a budget of 10 € an account.
UNBUDGETED, TOKEN = "JRV.1.2", "JRV.2.3"
# Investment projects: code, name, the tulosyksikkö that runs it, TA in euros (expenditure).
PROJECTS = [
    ("INV-24-001", "Kärsämäen yhtenäiskoulun perusparannus ja laajennus, vaihe II", "JRV.2.2.01", 2_400_000),
    ("INV-24-002", "Päiväkoti Ängsbackan uudisrakennus", "JRV.2.1.01", 1_850_000),
    ("INV-24-003", "Öljysataman laiturin korjaus", "JRV.3.1.02", 640_000),
    ("INV-24-004", "Katuvalojen vaihto LED-valaisimiin koko kunnan alueella", "JRV.3.1.01", 310_000),
    ("INV-24-005", "Uimahallin ilmanvaihdon uusiminen", "JRV.2.3.02", 520_000),
    ("INV-24-006", "Åminnen retkeilyreitin pitkospuut", "JRV.1.2.02", 45_000),
]
SECTIONS = [
    {"name": "yhteenveto", "title": "Talouden yhteenveto", "notebook": "summary.ipynb", "reads": "summary"},
    {"notebook": "department.ipynb", "department": "JRV.1"},  # named after the department
    {"name": "sivistys", "notebook": "department.ipynb", "department": "JRV.2"},
    {"name": "ympäristö", "notebook": "department.ipynb", "department": "JRV.3"},
    {
        "name": "investoinnit",
        "title": "Investointien toteutuminen",
        "notebook": "investments.ipynb",
        "reads": "investments",
    },
    {
        "name": "tarkastukset",
        "title": "Liite: tietojen tarkastukset",
        "notebook": "appendix.ipynb",
        "reads": "checks",
    },
]


def organisation() -> list[tuple[str, str, str, int]]:
    """(code, full name, parent, order) of every node, the municipality first."""
    rows = [(ROOT[0], ROOT[1], "", 1)]
    for i, ((department, name), units) in enumerate(HIERARCHY.items(), 1):
        rows.append((department, name, ROOT[0], i))
        for j, ((unit, unit_name), leaves) in enumerate(units.items(), 1):
            rows.append((unit, unit_name, department, j))
            rows += [(f"{unit}.{k:02d}", leaf, unit, k) for k, leaf in enumerate(leaves, 1)]
    return rows


def leaves(nodes: list[tuple[str, str, str, int]]) -> list[tuple[str, str]]:
    """(code, name) of the tulosyksiköt: the nodes that are no one's parent."""
    parents = {parent for _, _, parent, _ in nodes}
    return [(code, name) for code, name, _, _ in nodes if code not in parents]


def postings(rng: np.random.Generator, units: list[tuple[str, str]]) -> tuple[list, list]:
    """The year's actual and budget per (tulosyksikkö, account), in euros with cents."""
    ledger, budget = [], []
    for code, name in units:
        for account, _, _, sign, size in ACCOUNTS:
            if account == INVENTORY and name not in STOCKS:
                continue
            if sign and rng.random() < 0.15:  # this unit does not use the account
                continue
            scale = size * rng.uniform(0.3, 1.7)
            planned = round(scale, -2) * (sign or 1)
            actual = round(planned * rng.uniform(0.85, 1.12) + rng.uniform(-500, 500), 2)
            if sign == 0:
                actual = round(rng.uniform(-size, size), 2)  # stocks grow or shrink
            budget_amount = planned
            if sign > 0 and code.startswith(f"{UNBUDGETED}."):
                budget_amount = 0.0
            elif sign > 0 and code.startswith(f"{TOKEN}."):
                budget_amount = 10.0
            ledger.append((code, account, actual))
            budget.append((code, account, budget_amount))
    return ledger, budget


def investments(rng: np.random.Generator) -> list[tuple]:
    """(month, cost centre, project, name, figure, amount): TA in January, the year's actual in month 12."""
    rows = []
    for project, name, unit, ta in PROJECTS:
        rows.append((1, unit, project, name, "ta", -float(ta)))
        spent = round(ta * rng.uniform(0.35, 1.08), 2)
        rows.append((12, unit, project, name, "actual", -spent))
    return rows


def euros(value: float) -> str:
    """Finnish: '-1 234 567,89' (no-break space between thousands, decimal comma)."""
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")


def write_csv(path: Path, header: list[str], rows: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_xlsx(path: Path, header: list[str], rows: list) -> None:
    """A workbook of one sheet, its properties fixed so that only the zip's timestamps vary."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = path.stem
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    fixed = datetime.datetime(YEAR + 1, 1, 31)
    book.properties.created = book.properties.modified = fixed
    book.properties.creator = "scripts/make_second_sample.py (synthetic data)"
    book.save(path)


def plan(nodes: list[tuple[str, str, str, int]]) -> dict:
    """The review plan: titles, no codes, the names the export cut in full, the sections."""
    return {
        "organisation": ROOT[1],
        "title": {"full_year": "TALOUSARVION TOTEUTUMINEN {year}"},
        "codes": False,
        "names": {code: name for code, name, _, _ in nodes if len(name) > CUT},
        "sections": SECTIONS,
    }


def generate(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    nodes = organisation()
    units = leaves(nodes)
    ledger, budget = postings(rng, units)
    data = out / "data"
    write_xlsx(
        data / "organisation.xlsx",
        ["code", "name", "parent", "order"],
        [(code, name[:CUT], parent, order) for code, name, parent, order in nodes],
    )
    write_csv(data / "accounts.csv", ["account", "name", "line"], [a[:3] for a in ACCOUNTS])
    header = ["year", "cost_centre", "account", "amount"]
    write_csv(data / "ledger" / f"{YEAR}.csv", header, [(YEAR, c, a, euros(x)) for c, a, x in ledger])
    write_xlsx(data / "budget" / f"{YEAR}.xlsx", header, [(YEAR, c, a, x) for c, a, x in budget])
    write_xlsx(
        data / "investments" / f"{YEAR}.xlsx",
        ["year", "month", "cost_centre", "project", "name", "figure", "amount"],
        [(YEAR, *row) for row in investments(rng)],
    )
    params = out / "params"
    params.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(plan(nodes), allow_unicode=True, sort_keys=False, width=110)
    (params / "review.yaml").write_text(
        "# The review plan of the synthetic municipality Järvelä, written by scripts/make_second_sample.py.\n"
        + text,
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "samples" / "jarvela"
    )
    generate(parser.parse_args().out)


if __name__ == "__main__":
    main()

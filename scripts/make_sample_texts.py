"""Write the sample department texts, KPI table and strategy table of period 2022-06.

They come from the checked extraction of Kemi's published review for 1-6/2022 in tests/fixtures/seed
(narratives.json, kpis.json, strategy.json). Running the script again gives identical files.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import yaml

from katsaus.inputs.kpis import COLUMNS as KPI_COLUMNS
from katsaus.inputs.kpis import SUM as KPI_SUM
from katsaus.inputs.strategy import COLUMNS as STRATEGY_COLUMNS
from katsaus.organisation import slug
from katsaus.paths import DATA, ROOT

PERIOD = "2022-06"
SEED = ROOT / "tests" / "fixtures" / "seed"
DEPARTMENTS = {
    "KESKUSVIRASTO": "64100000",
    "ELINVOIMATOIMIALA": "64200000",
    "HYVINVOINTITOIMIALA": "64300000",
    "PERUSTURVATOIMIALA": "64400000",
    "YMPÄRISTÖTOIMIALA": "64500000",
}
PROPOSALS = {
    "HYVINVOINTITOIMIALA": {
        "netto": "tulot - menot",
        "units": {
            "Hallintopalvelut": ["64310000"],
            "Lasten ja nuorten palvelut": ["64320000"],
            "Vapaa-aikapalvelut": ["64330000"],
        },
    },
    "PERUSTURVATOIMIALA": {
        "netto": "menot - tulot",
        "units": {
            "Terveyttä ja toimintakykyä edistävät palvelut": ["64430000"],
            "Ikäihmisten palvelut": ["64440000"],
        },
    },
}
# The KPI rows that are the sum of the rows below them (sum_of): (result area, label) → how many rows.
ELDERLY_HOMES = [
    "Keskustan palvelutalo",
    "Oklaholman palvelutalo",
    "Palvelukoti Iltarusko",
    "Palvelukoti Nestori",
    "Palvelukoti Meripuisto",
    "Purolan palvelukeskus",
    "Purolan intervalli",
    "Palveluseteliostot",
    "Muut ostopalvelut",
    "Päivätoiminta Oklaholmankatu 22",
    "Sauvosaaren sairaala osasto I",
    "Sauvosaaren sairaala osasto II",
    "Vanhainkoti Nestori",
]
SUMS = {
    ("Lasten ja nuorten palvelut", "Lapset/oppilaat, yhteensä 20.9."): 4,
    ("Terveyttä ja toimintakykyä edistävät palvelut", "KUNTOUTUS asiakkaat"): 3,
    ("Ikäihmisten palvelut", "Kotihoito"): 2,
} | {("Ikäihmisten palvelut", label): 2 for label in ELDERLY_HOMES}
STRATEGY_KEYS = ["objectives", "actions", "owner_schedule", "metrics", "status_1_6_2022", "sdg"]
MARKUP = re.compile(r"</?[a-z]+>")


def main() -> None:
    """Write every sample file of the period."""
    for department in _seed("narratives")["departments"]:
        path = DATA / "texts" / PERIOD / f"{slug(department['department'])}.md"
        _write(path, department_text(department))
    _write_csv(DATA / "kpis" / f"{PERIOD}.csv", [*KPI_COLUMNS, KPI_SUM], kpi_rows(_seed("kpis")))
    _write_csv(DATA / "strategy" / f"{PERIOD}.csv", list(STRATEGY_COLUMNS), strategy_rows(_seed("strategy")))


def department_text(department: dict) -> str:
    """The Markdown file of one department: front matter, narrative, proposal intro and table."""
    name, proposal = department["department"], department["budget_change_proposal"]
    meta = {"department": DEPARTMENTS[name], "responsible": department["responsible_person"]}
    paragraphs = department["paragraphs"]
    blocks = [f"## {department['heading']}"]
    if proposal:
        meta["proposal"] = PROPOSALS[name]
        if paragraphs[-1] != proposal["intro"]:
            raise ValueError(f"{name}: the proposal intro is not the last paragraph")
        blocks += [*paragraphs[:-1], proposal["intro"], proposal_table(proposal)]
    else:
        blocks += paragraphs
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n" + "\n\n".join(blocks) + "\n"


def proposal_table(proposal: dict) -> str:
    """The proposal as a Markdown table with the cells as printed."""
    rows = [proposal["header"], ["---"] * len(proposal["header"])]
    rows += [[row["label"], *row["cells"]] for row in proposal["rows"]]
    return "\n".join("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows)


def kpi_rows(kpis: dict) -> list[list[str]]:
    """Every KPI row: department code, result area, responsible person, label, the four cells, sum_of."""
    return [
        [
            DEPARTMENTS[department["department"]],
            area["result_area"] or "",
            area["responsible_person"] or "",
            MARKUP.sub("", row["label"]),
            *row["cells"],
            str(SUMS.get((area["result_area"], MARKUP.sub("", row["label"])), "")),
        ]
        for department in kpis["departments"]
        for area in department["result_areas"]
        for row in area["rows"]
    ]


def strategy_rows(strategy: dict) -> list[list[str]]:
    """Every strategy table row; a continued table follows its parent, a column-list section is one row."""
    sections = strategy["sections"]
    by_index = {section["index"]: section for section in sections}

    def root(section: dict) -> int:
        parent = section["continuation_of"]
        return section["index"] if parent is None else root(by_index[parent])

    return [
        [section["goal"], DEPARTMENTS[section["department"]], *cells]
        for section in sorted(sections, key=root)
        for cells in _section_cells(section)
    ]


def _section_cells(section: dict) -> list[list[str]]:
    """The cell rows of one section: its table rows, or each column's items joined by blank lines."""
    columns = section["columns"]
    if section["layout"] != "tab_table":
        return [["\n\n".join(columns[key]) for key in STRATEGY_KEYS]]
    rows = [
        [
            "" if row.get("objective_inherited") else row["objective"],
            row["actions"],
            row["owner_schedule"],
            row["metrics"],
            row["status_1_6_2022"],
            row["sdg_as_printed"],
        ]
        for row in section["rows"]
    ]
    return rows + [["", "", "", "", "", sdg] for sdg in columns["sdg"][len(rows) :]]


def _seed(name: str) -> dict:
    return json.loads((SEED / f"{name}.json").read_text(encoding="utf-8"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    main()

"""The sample data reproduces every figure of Kemi's published 1–6/2022 review and is regenerated identically.

The figures are recomputed here with plain pandas from the files under data/, independently of the
review code: TP 2021 = ledger 2021, TA = budget 2022, Toteuma = ledger 2022 months 1–6, TP-ennuste = the
latest forecast of 2022 made by June; every node sums its own rows and its descendants'.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED = ROOT / "tests" / "fixtures" / "seed"
SCRIPT = ROOT / "scripts" / "make_sample_data.py"
GENERATED = (
    "organisation.csv",
    "accounts.csv",
    "ledger/2021.csv",
    "ledger/2022.csv",
    "budget/2022.csv",
    "forecast/2022.csv",
)
CODES = dict.fromkeys(("code", "parent", "cost_centre", "account"), str)
OPERATING = json.loads((SEED / "operating.json").read_text(encoding="utf-8"))
SUMMARY = json.loads((SEED / "summary.json").read_text(encoding="utf-8"))
CITY = "64000000"
TT, TK = "TOIMINTATUOTOT", "TOIMINTAKULUT"
FINANCING = ["Verotulot", "Valtionosuudet", "Rahoitustuotot ja -kulut"]
POISTOT = "Poistot ja arvonalentumiset"
RECORD_LINES = {TT: [TT], TK: [TK], "TOIMINTAKATE": [TT, TK]}
SUMMARY_LINES = {
    "toimintatuotot": [TT],
    "toimintakulut": [TK],
    "toimintakate_yhteensa": [TT, TK],
    "verotulot": FINANCING[:1],
    "valtionosuudet": FINANCING[1:2],
    "rahoitustuotot_ja_kulut": FINANCING[2:],
    "vuosikate": [TT, TK, *FINANCING],
    "poistot_ja_arvonalentumiset": [POISTOT],
    "tilikauden_tulos": [TT, TK, *FINANCING, POISTOT],
    "ylijaama_alijaama": [TT, TK, *FINANCING, POISTOT],
}


def half_away(value: Decimal) -> int:
    """Round to a whole number, halves away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def read(name: str, **options) -> pd.DataFrame:
    """All CSV files of a table under data/."""
    paths = sorted((DATA / name).glob("*.csv")) if (DATA / name).is_dir() else [DATA / name]
    return pd.concat(pd.read_csv(p, dtype=CODES, keep_default_na=False, **options) for p in paths)


@pytest.fixture(scope="module")
def totals() -> pd.Series:
    """Cents by (node, line, column)."""
    organisation = read("organisation.csv")
    parent = dict(zip(organisation.code, organisation.parent, strict=True))

    def ancestors(code: str) -> list[str]:
        chain = []
        while code:
            chain.append(code)
            code = parent[code]
        return chain

    lines = read("accounts.csv").set_index("account").line
    ledger = read("ledger", sep=";", decimal=",")
    budget = read("budget")
    forecast = read("forecast").query("year == 2022 and made_month <= 6")
    columns = {
        "tp": ledger.query("year == 2021"),
        "ta": budget.query("year == 2022"),
        "actual": ledger.query("year == 2022 and month <= 6"),
        "forecast": forecast[forecast.made_month == forecast.made_month.max()],
    }
    rows = pd.concat(table.assign(column=column) for column, table in columns.items())
    rows = rows.assign(
        line=rows.account.map(lines),
        cents=(rows.amount * 100).round().astype("int64"),
        node=rows.cost_centre.map(ancestors),
    ).explode("node")
    return rows.groupby(["node", "line", "column"]).cents.sum()


def recompute(totals: pd.Series, node: str, lines: list[str], unit: int) -> dict[str, int]:
    """TP, TA, Toteuma, TP-ennuste in `unit` euros and Toteuma-% of the lines of a node."""
    cents = {
        c: sum(int(totals.get((node, line, c), 0)) for line in lines)
        for c in ("tp", "ta", "actual", "forecast")
    }
    figures = {c: half_away(Decimal(v) / (100 * unit)) for c, v in cents.items()}
    figures["pct"] = half_away(Decimal(100 * cents["actual"]) / cents["ta"]) if cents["ta"] else 0
    return figures


@pytest.mark.parametrize(
    "record",
    OPERATING["records"],
    ids=[f"{r['table_index']}-{r['cost_center']}-{r['line']}" for r in OPERATING["records"]],
)
def test_operating_figure(totals, record):
    published = {
        "tp": record["tp_2021"],
        "ta": record["ta_2022"],
        "actual": record["actual"],
        "forecast": record["forecast"],
        "pct": record["pct"],
    }
    assert recompute(totals, record["cost_center"], RECORD_LINES[record["line"]], 1) == published


@pytest.mark.parametrize("row", SUMMARY["rows"], ids=[r["key"] for r in SUMMARY["rows"]])
def test_summary_row(totals, row):
    published = {
        "tp": row["tp_2021"],
        "ta": row["ta_2022"],
        "actual": row["actual_1_6_2022"],
        "forecast": row["forecast_2022"],
        "pct": row["pct"],
    }
    assert recompute(totals, CITY, SUMMARY_LINES[row["key"]], 1000) == published


def test_lines_missing_from_the_review_are_empty(totals):
    printed = {(r["cost_center"], r["line"]) for r in OPERATING["records"]}
    units = [cc for table in OPERATING["tables"][1:] for cc in table["cost_centers"][:-1]]
    missing = [(cc, line) for cc in units for line in (TT, TK) if (cc, line) not in printed]
    assert missing == [("64210000", TT), ("64510000", TT)]
    for cc, line in missing:
        assert recompute(totals, cc, [line], 1) == dict.fromkeys(("tp", "ta", "actual", "forecast", "pct"), 0)


def test_organisation_as_printed():
    organisation = read("organisation.csv")
    names = {r["cost_center"]: r["name"] for r in OPERATING["records"]}
    expected = [(CITY, "KEMIN KAUPUNKI 1.1.2022 VIRALLINEN", "", 1)]
    for order, table in enumerate(OPERATING["tables"][1:], start=1):
        *units, department = table["cost_centers"]
        expected.append((department, names[department], CITY, order))
        expected += [(u, names[u], department, i) for i, u in enumerate(units, start=1)]
    assert (
        list(organisation[["code", "name", "parent", "order"]].itertuples(index=False, name=None)) == expected
    )


@pytest.mark.parametrize(
    ("name", "key", "options"),
    [
        ("ledger", ["year", "month", "cost_centre", "account"], {"sep": ";", "decimal": ","}),
        ("budget", ["year", "cost_centre", "account"], {}),
        ("forecast", ["year", "made_month", "cost_centre", "account"], {}),
    ],
)
def test_one_row_per_key(name, key, options):
    table = read(name, **options)
    assert not table.duplicated(key).any()
    assert set(table.cost_centre) <= set(read("organisation.csv").code)
    assert set(table.account) <= set(read("accounts.csv").account)


def test_generator_is_deterministic(tmp_path):
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name

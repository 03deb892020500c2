"""Build the numeric sample data set (Kemi 2021–2022) from the published 1–6/2022 interim review.

The published operating figures are whole euros (the summary 1000 €), and printed totals and margins
sometimes differ by a euro or two from the sum of their printed parts. A small integer program chooses
a cent value for every unit × line and financing line in each column (TP 2021, TA 2022, Toteuma
1-6/2022, TP-ennuste 2022) so that every published figure, including Toteuma-%, is reproduced exactly
under half-away-from-zero rounding. These totals are then split into accounts and months in whole
cents, written as the data contract of docs/data.md describes, read back and checked.

    .venv/bin/python scripts/make_sample_data.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed"
SEED_FILES = ("operating.json", "summary.json")
CITY = "64000000"
RANDOM_SEED = 2022
NOISE_CENTS = {1: 45, 1000: 40_000}  # spread of the synthetic cents for euro and 1000 € figures
COLUMNS = ("tp", "ta", "actual", "forecast")
OPERATING = ("TOIMINTATUOTOT", "TOIMINTAKULUT")
FINANCING = ("Verotulot", "Valtionosuudet", "Rahoitustuotot ja -kulut", "Poistot ja arvonalentumiset")
RECORD_LINES = {"TOIMINTATUOTOT": OPERATING[:1], "TOIMINTAKULUT": OPERATING[1:], "TOIMINTAKATE": OPERATING}
SUMMARY_COLUMNS = {"tp": "tp_2021", "ta": "ta_2022", "actual": "actual_1_6_2022", "forecast": "forecast_2022"}
SUMMARY_LINES = {
    "toimintatuotot": OPERATING[:1],
    "toimintakulut": OPERATING[1:],
    "toimintakate_yhteensa": OPERATING,
    "verotulot": FINANCING[:1],
    "valtionosuudet": FINANCING[1:2],
    "rahoitustuotot_ja_kulut": FINANCING[2:3],
    "vuosikate": OPERATING + FINANCING[:3],
    "poistot_ja_arvonalentumiset": FINANCING[3:],
    "tilikauden_tulos": OPERATING + FINANCING,
    "ylijaama_alijaama": OPERATING + FINANCING,
}
# account, name, line, weight in the line (per mille; negative for an expense inside an income line)
ACCOUNTS = (
    ("300000", "Myyntituotot", "TOIMINTATUOTOT", 350),
    ("320000", "Maksutuotot", "TOIMINTATUOTOT", 250),
    ("330000", "Tuet ja avustukset", "TOIMINTATUOTOT", 200),
    ("340000", "Vuokratuotot", "TOIMINTATUOTOT", 120),
    ("350000", "Muut toimintatuotot", "TOIMINTATUOTOT", 80),
    ("400000", "Palkat ja palkkiot", "TOIMINTAKULUT", 400),
    ("410000", "Henkilösivukulut", "TOIMINTAKULUT", 100),
    ("430000", "Palvelujen ostot", "TOIMINTAKULUT", 330),
    ("450000", "Aineet, tarvikkeet ja tavarat", "TOIMINTAKULUT", 60),
    ("470000", "Avustukset", "TOIMINTAKULUT", 40),
    ("480000", "Vuokrakulut", "TOIMINTAKULUT", 50),
    ("490000", "Muut toimintakulut", "TOIMINTAKULUT", 20),
    ("500000", "Kunnan tulovero", "Verotulot", 845),
    ("510000", "Kiinteistövero", "Verotulot", 85),
    ("520000", "Osuus yhteisöveron tuotosta", "Verotulot", 70),
    ("550000", "Valtionosuudet", "Valtionosuudet", 1000),
    ("560000", "Korkotuotot", "Rahoitustuotot ja -kulut", 200),
    ("570000", "Muut rahoitustuotot", "Rahoitustuotot ja -kulut", 1100),
    ("580000", "Korkokulut", "Rahoitustuotot ja -kulut", -300),
    ("600000", "Suunnitelman mukaiset poistot", "Poistot ja arvonalentumiset", 1000),
)
# Swedish names (name_sv) for the Swedish review: translations made for the sample, not Kemi's own.
ACCOUNTS_SV = {
    "300000": "Försäljningsintäkter",
    "320000": "Avgiftsintäkter",
    "330000": "Understöd och bidrag",
    "340000": "Hyresintäkter",
    "350000": "Övriga verksamhetsintäkter",
    "400000": "Löner och arvoden",
    "410000": "Lönebikostnader",
    "430000": "Köp av tjänster",
    "450000": "Material, förnödenheter och varor",
    "470000": "Understöd",
    "480000": "Hyreskostnader",
    "490000": "Övriga verksamhetskostnader",
    "500000": "Kommunalskatt",
    "510000": "Fastighetsskatt",
    "520000": "Andel av samfundsskatten",
    "550000": "Statsandelar",
    "560000": "Ränteintäkter",
    "570000": "Övriga finansiella intäkter",
    "580000": "Räntekostnader",
    "600000": "Avskrivningar enligt plan",
}
COST_CENTRES_SV = {
    "64000000": "KEMI STAD 1.1.2022 OFFICIELL",
    "64100000": "CENTRALFÖRVALTNINGEN",
    "64110000": "FÖRVALTNINGSTJÄNSTER",
    "64120000": "DATAADMINISTRATIONSTJÄNSTER",
    "64130000": "EKONOMITJÄNSTER",
    "64140000": "PERSONALTJÄNSTER",
    "64200000": "LIVSKRAFTSSEKTORN",
    "64210000": "FÖRVALTNINGSTJÄNSTER LIVSKRAFT",
    "64220000": "FRÄMJANDE AV FÖRETAGANDE OCH SYSSELSÄTTNING",
    "64230000": "MARKANVÄNDNING, BOENDE OCH STADSPLANERING",
    "64300000": "VÄLFÄRDSSEKTORN",
    "64310000": "FÖRVALTNINGSTJÄNSTER VÄLFÄRD",
    "64320000": "TJÄNSTER FÖR BARN OCH UNGA",
    "64330000": "UTVECKLING OCH SAMORDNING AV FRITIDSTJÄNSTER",
    "64400000": "GRUNDTRYGGHETSSEKTORN",
    "64410000": "FÖRVALTNINGSTJÄNSTER GRUNDTRYGGHET",
    "64420000": "FAMILJERNAS SOCIALA TJÄNSTER OCH ELEVVÅRD",
    "64430000": "TJÄNSTER SOM FRÄMJAR HÄLSA OCH FUNKTIONSFÖRMÅGA",
    "64440000": "ÄLDRETJÄNSTER",
    "64500000": "MILJÖSEKTORN",
    "64510000": "TEKNISK LEDNING",
    "64520000": "TJÄNSTER FÖR ALLMÄNNA OMRÅDEN",
    "64530000": "FASTIGHETSSKÖTSEL",
    "64540000": "MYNDIGHETSVERKSAMHET OCH TILLSTÅND",
    "64550000": "BIL- OCH MASKINFÖRMEDLING",
}
# relative monthly weights, January to December
MONTHS = {
    "TOIMINTATUOTOT": (78, 92, 100, 97, 99, 104, 62, 80, 101, 103, 101, 183),
    "TOIMINTAKULUT": (94, 90, 99, 97, 100, 121, 72, 86, 98, 101, 103, 139),
    "Verotulot": (104, 92, 84, 86, 80, 84, 80, 78, 82, 84, 86, 160),
    "Valtionosuudet": (1,) * 12,
    "Rahoitustuotot ja -kulut": (40, 40, 60, 110, 330, 80, 40, 40, 60, 60, 60, 80),
    "Poistot ja arvonalentumiset": (1,) * 12,
}


class Figure(NamedTuple):
    """A published row: the lines of a cost centre's subtree, in euros × scale, per column."""

    node: str
    lines: tuple[str, ...]
    scale: int
    values: dict[str, int]
    pct: int


class Organisation(NamedTuple):
    """Cost centres in display order: code → (name, parent, order)."""

    nodes: dict[str, tuple[str, str, int]]

    def units(self) -> list[str]:
        """Leaf cost centres in display order."""
        parents = {parent for _, parent, _ in self.nodes.values()}
        return [code for code in self.nodes if code not in parents]

    def subtree(self, code: str) -> set[str]:
        """The cost centre and all its descendants."""
        found = {code}
        for child, (_, parent, _) in self.nodes.items():
            if parent == code:
                found |= self.subtree(child)
        return found


def load_seed(seed: Path) -> tuple[dict, dict]:
    """The published operating tables and summary rows."""
    operating, summary = (json.loads((seed / n).read_text(encoding="utf-8")) for n in SEED_FILES)
    return operating, summary


def organisation(operating: dict) -> Organisation:
    """Root, departments and units as printed, ordered as in the review's tables."""
    names = {r["cost_center"]: r["name"] for r in operating["records"]}
    city, *departments = operating["tables"]
    nodes = {CITY: (city["section"], "", 1)}
    for order, table in enumerate(departments, start=1):
        department = table["cost_centers"][-1]
        nodes[department] = (names[department], CITY, order)
        for position, unit in enumerate(table["cost_centers"][:-1], start=1):
            nodes[unit] = (names[unit], department, position)
    return Organisation(nodes)


def figures(operating: dict, summary: dict, org: Organisation) -> list[Figure]:
    """Every published figure once, plus an all-zero figure for each unit line the seed leaves out."""
    found: dict[tuple, Figure] = {}
    for r in operating["records"]:
        values = {"tp": r["tp_2021"], "ta": r["ta_2022"], "actual": r["actual"], "forecast": r["forecast"]}
        figure = Figure(r["cost_center"], RECORD_LINES[r["line"]], 1, values, r["pct"])
        if found.setdefault((r["cost_center"], r["line"]), figure) != figure:
            raise ValueError(f"{r['cost_center']} {r['line']} is printed with two different values")
    for unit in org.units():
        for line in OPERATING:
            found.setdefault((unit, line), Figure(unit, (line,), 1, dict.fromkeys(COLUMNS, 0), 0))
    rows = [
        Figure(CITY, SUMMARY_LINES[r["key"]], 1000, {c: r[k] for c, k in SUMMARY_COLUMNS.items()}, r["pct"])
        for r in summary["rows"]
    ]
    return list(found.values()) + rows


def variables(org: Organisation) -> list[tuple[str, str, str]]:
    """The unknowns: (cost centre, line, column) for unit operating lines and root financing lines."""
    pairs = [(u, line) for u in org.units() for line in OPERATING] + [(CITY, line) for line in FINANCING]
    return [(cc, line, col) for cc, line in pairs for col in COLUMNS]


def printed(figs: list[Figure]) -> dict[tuple[str, str], Figure]:
    """The single-line figures by (cost centre, line)."""
    return {(f.node, f.lines[0]): f for f in figs if len(f.lines) == 1}


def targets(keys: list, figs: list[Figure], rng: np.random.Generator) -> np.ndarray:
    """Preferred cents: the printed value plus a few synthetic cents."""
    single = printed(figs)
    cents = []
    for cc, line, col in keys:
        fig = single[cc, line]
        spread = NOISE_CENTS[fig.scale]
        cents.append(100 * fig.scale * fig.values[col] + int(rng.integers(-spread, spread + 1)))
    return np.array(cents, dtype=float)


def constraints(keys: list, figs: list[Figure], org: Organisation) -> tuple[np.ndarray, list, list]:
    """Rows A, lo, hi keeping each figure ≥ 1 cent inside its rounding interval and its % in range.

    A printed zero is an exact zero (so a zero TA gives the printed 0 %). Toteuma-% is linear in the
    cents because TA's sign is known: p − ½ < 100·actual / TA < p + ½, with a margin of 0.001. A
    TP-ennuste printed equal to TA is equal to the cent.
    """
    index = {k: i for i, k in enumerate(keys)}
    rows, lo, hi = [], [], []
    for f in figs:
        sums = {col: np.zeros(len(keys)) for col in COLUMNS}
        for key in product(org.subtree(f.node), f.lines, COLUMNS):
            if key in index:
                sums[key[2]][index[key]] = 1
        for col, value in f.values.items():
            centre, half = 100 * f.scale * value, (50 * f.scale - 1 if value else 0)
            rows.append(sums[col])
            lo.append(centre - half)
            hi.append(centre + half)
        if f.values["ta"]:
            low, high = f.pct - 0.499, f.pct + 0.499
            if f.values["ta"] < 0:
                low, high = high, low
            rows += [100 * sums["actual"] - low * sums["ta"], 100 * sums["actual"] - high * sums["ta"]]
            lo += [0, -np.inf]
            hi += [np.inf, 0]
    for (cc, line), fig in printed(figs).items():
        if (cc, line, "ta") in index and fig.values["forecast"] == fig.values["ta"]:
            row = np.zeros(len(keys))
            row[index[cc, line, "forecast"]], row[index[cc, line, "ta"]] = 1, -1
            rows.append(row)
            lo.append(0)
            hi.append(0)
    return np.array(rows), lo, hi


def solve_cents(figs: list[Figure], org: Organisation, rng: np.random.Generator) -> dict[tuple, int]:
    """Minimise Σ|cents − target| subject to every published figure; returns cents per variable."""
    keys = variables(org)
    n = len(keys)
    target = targets(keys, figs, rng)
    a, lo, hi = constraints(keys, figs, org)
    eye = np.eye(n)
    a_full = np.vstack([np.hstack([a, np.zeros_like(a)]), np.hstack([eye, eye]), np.hstack([eye, -eye])])
    lo_full = np.concatenate([lo, target, np.full(n, -np.inf)])
    hi_full = np.concatenate([hi, np.full(n, np.inf), target])
    result = milp(
        c=np.concatenate([np.zeros(n), np.ones(n)]),
        constraints=LinearConstraint(a_full, lo_full, hi_full),
        integrality=np.concatenate([np.ones(n), np.zeros(n)]),
        bounds=Bounds(-np.inf, np.inf),
    )
    if not result.success:
        raise SystemExit(f"no cent values reproduce the published figures: {result.message}")
    return {k: round(v) for k, v in zip(keys, result.x[:n], strict=True)}


def split(total: int, weights: list[int]) -> list[int]:
    """Whole cents in proportion to integer weights, largest remainders first; sums exactly to total."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return parts


def account_weights(org: Organisation, rng: np.random.Generator) -> dict[tuple, list[tuple[str, int]]]:
    """Per cost centre and line, the accounts with their weights (units vary around the base shares)."""
    weights = {}
    for unit in org.units():
        for line in OPERATING:
            accounts = [(a, w) for a, _, ln, w in ACCOUNTS if ln == line]
            weights[unit, line] = [(a, w * int(rng.integers(30, 171))) for a, w in accounts]
    for line in FINANCING:
        weights[CITY, line] = [(a, w) for a, _, ln, w in ACCOUNTS if ln == line]
    return weights


def month_weights(line: str, rng: np.random.Generator) -> list[int]:
    """Monthly weights of a line; operating accounts get their own ±15 % variation."""
    base = MONTHS[line]
    if line not in OPERATING:
        return list(base)
    return [b * int(j) for b, j in zip(base, rng.integers(85, 116, size=12), strict=True)]


def postings(cents: dict[tuple, int], org: Organisation, rng: np.random.Generator) -> dict[str, list]:
    """Ledger, budget and forecast rows in whole cents, zero amounts left out."""
    out = {"ledger2021": [], "ledger2022": [], "budget": [], "forecast": []}
    for (cc, line), accounts in account_weights(org, rng).items():
        shares = [w for _, w in accounts]
        per_col = {c: split(cents[cc, line, c], shares) for c in COLUMNS}
        for i, (account, _) in enumerate(accounts):
            months = month_weights(line, rng)
            tp, ta, actual, forecast = (per_col[c][i] for c in COLUMNS)
            year2022 = split(actual, months[:6]) + split(forecast - actual, months[6:])
            out["ledger2021"] += [(2021, m, cc, account, v) for m, v in enumerate(split(tp, months), start=1)]
            out["ledger2022"] += [(2022, m, cc, account, v) for m, v in enumerate(year2022, start=1)]
            out["budget"].append((2022, cc, account, ta))
            out["forecast"].append((2022, 6, cc, account, forecast))
    order = {code: i for i, code in enumerate(org.nodes)}
    for name in ("ledger2021", "ledger2022"):
        out[name] = sorted((r for r in out[name] if r[-1]), key=lambda r: (r[1], order[r[2]], r[3]))
    for name in ("budget", "forecast"):
        out[name] = [r for r in out[name] if r[-1]]
    return out


def euros(cents: int, decimal: str = ".") -> str:
    """Cents as euros with two decimals, e.g. -40211820 → -402118.20."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}{decimal}{abs(cents) % 100:02d}"


def write_csv(path: Path, header: list[str], rows: list, delimiter: str = ",") -> None:
    """Write a UTF-8 CSV with LF line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_files(out: Path, org: Organisation, rows: dict[str, list]) -> None:
    """organisation.csv, accounts.csv, ledger/2021–2022 (Finnish ERP CSV), budget/ and forecast/."""
    nodes = [(code, *node, COST_CENTRES_SV[code]) for code, node in org.nodes.items()]
    write_csv(out / "organisation.csv", ["code", "name", "parent", "order", "name_sv"], nodes)
    accounts = [(*a[:3], ACCOUNTS_SV[a[0]]) for a in ACCOUNTS]
    write_csv(out / "accounts.csv", ["account", "name", "line", "name_sv"], accounts)
    key = ["cost_centre", "account", "amount"]
    for year in (2021, 2022):
        ledger = [(*r[:-1], euros(r[-1], ",")) for r in rows[f"ledger{year}"]]
        write_csv(out / "ledger" / f"{year}.csv", ["year", "month", *key], ledger, ";")
    budget = [(*r[:-1], euros(r[-1])) for r in rows["budget"]]
    write_csv(out / "budget" / "2022.csv", ["year", *key], budget)
    forecast = [(*r[:-1], euros(r[-1])) for r in rows["forecast"]]
    write_csv(out / "forecast" / "2022.csv", ["year", "made_month", *key], forecast)


def round_half_away(value: Fraction) -> int:
    """Round to an integer, halves away from zero."""
    whole = int(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole


def read_back(out: Path) -> dict[str, pd.Series]:
    """The written tables per column as cents by cost centre and line; keys must be unique."""
    codes = {"cost_centre": str, "account": str, "code": str, "parent": str}
    accounts = pd.read_csv(out / "accounts.csv", dtype=codes).set_index("account")["line"]
    ledger = pd.concat(
        pd.read_csv(p, sep=";", decimal=",", dtype=codes) for p in sorted((out / "ledger").glob("*.csv"))
    )
    budget = pd.read_csv(out / "budget" / "2022.csv", dtype=codes)
    forecast = pd.read_csv(out / "forecast" / "2022.csv", dtype=codes)
    for table, key in ((ledger, "month"), (budget, "year"), (forecast, "made_month")):
        if table.duplicated(["year", key, "cost_centre", "account"]).any():
            raise AssertionError(f"duplicate rows in {out}: {table[table.duplicated(keep=False)]}")
    forecast = forecast[(forecast.year == 2022) & (forecast.made_month <= 6)]
    tables = {
        "tp": ledger[ledger.year == 2021],
        "ta": budget[budget.year == 2022],
        "actual": ledger[(ledger.year == 2022) & (ledger.month <= 6)],
        "forecast": forecast[forecast.made_month == forecast.made_month.max()],
    }
    return {
        col: t.assign(line=t.account.map(accounts), cents=(t.amount * 100).round().astype("int64"))
        .groupby(["cost_centre", "line"])
        .cents.sum()
        for col, t in tables.items()
    }


def check(out: Path, seed: Path = SEED) -> str:
    """Recompute every published figure from the written files; raise on the first mismatch."""
    operating, summary = load_seed(seed)
    org = organisation(operating)
    sums = read_back(out)
    figs = figures(operating, summary, org)
    for f in figs:
        nodes = org.subtree(f.node)
        cells = {
            col: sum(int(v) for (cc, line), v in sums[col].items() if cc in nodes and line in f.lines)
            for col in COLUMNS
        }
        got = {col: round_half_away(Fraction(v, 100 * f.scale)) for col, v in cells.items()}
        pct = round_half_away(Fraction(100 * cells["actual"], cells["ta"])) if cells["ta"] else 0
        if got != f.values or pct != f.pct:
            message = f"{f.node} {'+'.join(f.lines)}: {got} {pct} % ≠ published {f.values} {f.pct} %"
            raise AssertionError(message)
    postings = sum(len(pd.read_csv(p, sep=";")) for p in (out / "ledger").glob("*.csv"))
    return f"{out}: {len(figs)} published figures × 4 columns and Toteuma-% match; {postings} ledger rows"


def main() -> None:
    """Solve the cents, write the files and check them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data", help="output folder (default: data/)")
    out = parser.parse_args().out
    operating, summary = load_seed(SEED)
    org = organisation(operating)
    rng = np.random.default_rng(RANDOM_SEED)
    cents = solve_cents(figures(operating, summary, org), org, rng)
    write_files(out, org, postings(cents, org, rng))
    print(check(out))


if __name__ == "__main__":
    main()

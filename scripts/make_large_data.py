"""Generate a synthetic organisation of any size in the format of docs/data.md, for measuring speed.

The city, its departments, units, cost centres, accounts and every amount are made up: nothing here is
published data. The output is the same on every run with the same options (and `--seed`).

    .venv/bin/python scripts/make_large_data.py --out DIR [--departments 40] [--units 400]
        [--accounts 300] [--rows-per-year 10000000] [--years 2021 2022] [--cost-centres N] [--seed 1]

The hierarchy is city → departments → units → cost centres. Operating items (TOIMINTATUOTOT,
TOIMINTAKULUT) are posted on the cost centres below the units, financing items on the city. Each cost
centre posts on its own subset of the operating accounts every month, so every (year, month,
cost_centre, account) appears once. Written: organisation.csv, accounts.csv, ledger/<year>.csv (Finnish
semicolon CSV with decimal comma), budget/<year>.csv and forecast/<year>.csv (made in month 6, UTF-8
comma CSV). No texts, KPI or strategy tables: the review notes them as not given. With `--params DIR`,
also the city's review plan, DIR/review.yaml: the summary, every department, strategy and appendix
(build it with `make report DATA=<out> PARAMS=DIR`).
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import yaml

from make_sample_data import MONTHS as SAMPLE_MONTHS  # this folder is on sys.path

ROOT_CODE = 50_000_000
CITY = "SYNTEETTINEN SUURKAUPUNKI"
FORECAST_MONTH = 6
# Income-statement lines: weight in the chart of accounts, account number base, names, sign of the
# amounts (+ income, − expense; 0: both).
LINES = {
    "TOIMINTATUOTOT": (30, 300_000, ["Myyntituotot", "Maksutuotot", "Tuet ja avustukset", "Vuokratuotot"], 1),
    "TOIMINTAKULUT": (60, 400_000, ["Palkat", "Sivukulut", "Palvelujen ostot", "Aineet", "Avustukset"], -1),
    "Verotulot": (3, 500_000, ["Kunnan tulovero", "Kiinteistövero", "Yhteisövero"], 1),
    "Valtionosuudet": (2, 550_000, ["Valtionosuudet"], 1),
    "Rahoitustuotot ja -kulut": (3, 560_000, ["Korkotuotot", "Korkokulut", "Muut rahoitustuotot"], 0),
    "Poistot ja arvonalentumiset": (1, 600_000, ["Suunnitelman mukaiset poistot"], -1),
    "Varausten ja rahastojen muutos": (1, 650_000, ["Rahastojen muutos"], 0),
}
OPERATING = ("TOIMINTATUOTOT", "TOIMINTAKULUT")
# Each financing line's yearly total as a share of the operating net cost (the city roughly breaks even).
FINANCING = {
    "Verotulot": 0.70,
    "Valtionosuudet": 0.33,
    "Rahoitustuotot ja -kulut": 0.004,
    "Poistot ja arvonalentumiset": -0.05,
    "Varausten ja rahastojen muutos": 0.002,
}
# Relative monthly weights, January to December: the sample's, and flat for the one line it lacks.
MONTHS = {**SAMPLE_MONTHS, "Varausten ja rahastojen muutos": (1,) * 12}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created if missing)")
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--units", type=int, default=400, help="units (tulosalue) in all")
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--rows-per-year", type=int, default=10_000_000, help="ledger rows of each year")
    parser.add_argument("--years", type=int, nargs="+", default=[2021, 2022])
    parser.add_argument(
        "--cost-centres",
        type=int,
        help="posting cost centres below the units in all (default: enough for each to post on about"
        " half of the operating accounts every month)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--params", type=Path, help="also write the city's review plan into this folder")
    args = vars(parser.parse_args())
    started, params = time.perf_counter(), args.pop("params")
    write_city(**args)
    if params:
        write_plan(params, args["departments"])
    print(f"wrote {args['out']} in {time.perf_counter() - started:.1f} s")


def write_plan(folder: Path, departments: int, organisation: str = CITY) -> None:
    """params/review.yaml for the synthetic city: summary, each department, strategy, appendix."""
    sections = [
        {
            "name": "yhteenveto",
            "title": "Talouden yhteenveto",
            "notebook": "summary.ipynb",
            "reads": "summary",
        }
    ]
    for d in range(1, departments + 1):
        code = str(ROOT_CODE + d * 100_000)
        sections.append({"name": f"toimiala-{d:02d}", "notebook": "department.ipynb", "department": code})
    sections += [
        {
            "name": "strategia",
            "title": "Strategian toteutuminen",
            "notebook": "strategy.ipynb",
            "reads": "strategy",
        },
        {
            "name": "tarkastukset",
            "title": "Liite: tietojen tarkastukset",
            "notebook": "appendix.ipynb",
            "reads": "checks",
        },
    ]
    folder.mkdir(parents=True, exist_ok=True)
    plan = {"organisation": organisation, "sections": sections}
    (folder / "review.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), "utf-8")


def write_city(
    out: Path,
    departments: int = 40,
    units: int = 400,
    accounts: int = 300,
    rows_per_year: int = 10_000_000,
    years: list[int] = (2021, 2022),
    cost_centres: int | None = None,
    seed: int = 1,
) -> None:
    """Write the synthetic city's organisation, accounts, ledgers, budgets and forecasts into `out`."""
    rng = np.random.default_rng(seed)
    chart = chart_of_accounts(accounts)
    operating = np.flatnonzero(np.isin(chart["line"], OPERATING))
    financing = np.flatnonzero(~np.isin(chart["line"], OPERATING))
    monthly = rows_per_year // 12 - len(financing)  # operating rows of a month (the rest go to December)
    if cost_centres is None:
        cost_centres = max(units, -(-2 * (monthly + rows_per_year % 12) // len(operating)))
    if not 1 <= departments <= units <= cost_centres or departments > 99:
        raise SystemExit("need 1 <= departments <= 99, departments <= units <= cost centres")
    if units > 99 * departments or cost_centres > 999 * units:
        raise SystemExit("at most 99 units per department and 999 cost centres per unit")
    if monthly < 0:
        raise SystemExit(f"--rows-per-year must be at least {12 * len(financing)}")
    if monthly + rows_per_year % 12 > cost_centres * len(operating):
        raise SystemExit("too many rows for the cost centres and accounts; give more --cost-centres")

    org, leaves = organisation(departments, units, cost_centres)
    out = Path(out)
    for folder in ("ledger", "budget", "forecast"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    write_small(out / "organisation.csv", ["code", "name", "parent", "order"], org)
    write_small(out / "accounts.csv", ["account", "name", "line"], zip(*chart.values(), strict=True))

    # Each cost centre's operating accounts in the order it starts using them. Pair p is cost centre
    # p % leaves on its (p // leaves)-th account: the first n pairs spread evenly and never repeat.
    order = np.argsort(rng.random((len(leaves), len(operating))), axis=1)
    pairs = monthly + rows_per_year % 12  # December takes the rows that do not divide by 12
    leaf = np.arange(pairs) % len(leaves)
    account = operating[order[leaf, np.arange(pairs) // len(leaves)]]
    ranked = np.lexsort((account, leaf))  # the pairs in the files' order
    sign = np.array([LINES[line][3] for line in chart["line"]])
    scale = np.where(sign[account] > 0, 1.0, 2.2) * rng.lognormal(np.log(4_000_00), 1.2, pairs)
    weights = {line: np.array(w) / sum(w) for line, w in MONTHS.items()}
    month_weight = np.stack([weights[line] for line in chart["line"]])  # account × month
    codes = chart["account"].astype(np.int64)
    root = np.full(len(financing), ROOT_CODE)

    for index, year in enumerate(years):
        level = sign[account] * scale * 1.03**index * rng.lognormal(0, 0.05, pairs)
        city = financing_totals(rng, chart, financing, net_cost=-level.sum())
        yearly, city_yearly = np.zeros(pairs, dtype=np.int64), np.zeros(len(financing), dtype=np.int64)
        blocks = []
        for month in range(1, 13):
            rows = ranked if month == 12 else ranked[ranked < monthly]
            noise = 1 + 0.1 * rng.standard_normal(len(rows))
            cents = np.rint(level[rows] * month_weight[account[rows], month - 1] * noise).astype(np.int64)
            city_cents = np.rint(city * month_weight[financing, month - 1]).astype(np.int64)
            yearly[rows] += cents
            city_yearly += city_cents
            blocks.append(
                {
                    "year": np.full(len(financing) + len(rows), year),
                    "month": np.full(len(financing) + len(rows), month),
                    "cost_centre": np.concatenate([root, leaves[leaf[rows]]]),
                    "account": np.concatenate([codes[financing], codes[account[rows]]]),
                    "amount": np.concatenate([city_cents, cents]),
                }
            )
        ledger = {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}
        del blocks
        write_csv(out / "ledger" / f"{year}.csv", ledger, ";", ",")
        del ledger

        # The year's budget (TA) and forecast (TP-ennuste) of every posted (cost centre, account).
        keys = {
            "cost_centre": np.concatenate([root, leaves[leaf[ranked]]]),
            "account": np.concatenate([codes[financing], codes[account[ranked]]]),
        }
        totals = np.concatenate([city_yearly, yearly[ranked]])
        for folder, spread, made in (("budget", 0.03, None), ("forecast", 0.01, FORECAST_MONTH)):
            table = {"year": np.full(len(totals), year)}
            if made is not None:
                table["made_month"] = np.full(len(totals), made)
            cents = totals * (1 + spread * rng.standard_normal(len(totals)))
            table |= keys | {"amount": np.rint(cents).astype(np.int64)}
            write_csv(out / folder / f"{year}.csv", table, ",", ".")


def chart_of_accounts(count: int) -> dict[str, np.ndarray]:
    """`count` accounts spread over every line by the lines' weights (at least one each)."""
    if count < len(LINES):
        raise SystemExit(f"--accounts must be at least {len(LINES)}")
    weights = np.array([w for w, *_ in LINES.values()], dtype=float)
    share = 1 + (count - len(LINES)) * weights / weights.sum()
    per_line = np.floor(share).astype(int)
    per_line[np.argsort(share - per_line)[::-1][: count - per_line.sum()]] += 1
    numbers, names, lines = [], [], []
    for (line, (_, base, words, _sign)), n in zip(LINES.items(), per_line, strict=True):
        step = 100 if n <= 500 else 10
        numbers += [str(base + step * i) for i in range(n)]
        names += [f"{words[i % len(words)]} {i // len(words) + 1}" for i in range(n)]
        lines += [line] * n
    if len(set(numbers)) < count:
        raise SystemExit("too many accounts for the numbering of the lines")
    return {"account": np.array(numbers), "name": np.array(names), "line": np.array(lines)}


def organisation(departments: int, units: int, cost_centres: int) -> tuple[list[tuple], np.ndarray]:
    """Rows of organisation.csv and the codes of the posting cost centres (8 digits: 5 DD UU CCC)."""
    rows = [(str(ROOT_CODE), CITY, "", 1)]
    leaves = []
    unit_counts = np.diff(np.linspace(0, units, departments + 1).round().astype(int))
    leaf_counts = np.diff(np.linspace(0, cost_centres, units + 1).round().astype(int))
    unit = 0
    for d in range(1, departments + 1):
        department = ROOT_CODE + d * 100_000
        rows.append((str(department), f"TOIMIALA {d:02d}", str(ROOT_CODE), d))
        for u in range(1, unit_counts[d - 1] + 1):
            code = department + u * 1000
            rows.append((str(code), f"TULOSALUE {d:02d}.{u:02d}", str(department), u))
            for c in range(1, leaf_counts[unit] + 1):
                rows.append((str(code + c), f"KUSTANNUSPAIKKA {d:02d}.{u:02d}.{c:03d}", str(code), c))
                leaves.append(code + c)
            unit += 1
    return rows, np.array(leaves, dtype=np.int64)


def financing_totals(rng, chart, financing: np.ndarray, net_cost: float) -> np.ndarray:
    """Yearly cents of each financing account, the lines sized against the operating net cost."""
    totals = np.zeros(len(financing))
    for line, share in FINANCING.items():
        members = np.flatnonzero(chart["line"][financing] == line)
        parts = rng.dirichlet(np.ones(len(members))) * share * net_cost
        if LINES[line][3] == 0 and len(members) > 1:  # a mixed line: its second account goes the other way
            parts[1] *= -0.5
        totals[members] = parts
    return totals


def euro_text(cents: np.ndarray, decimal: str) -> pa.Array:
    """Cents as euro strings with two decimals, e.g. -40211820 → '-402118,20' (decimal ',')."""
    whole = pc.cast(pa.array(np.abs(cents) // 100), pa.string())
    rest = pc.utf8_lpad(pc.cast(pa.array(np.abs(cents) % 100), pa.string()), 2, "0")
    text = pc.binary_join_element_wise(whole, rest, decimal)
    return pc.if_else(pa.array(cents < 0), pc.binary_join_element_wise("-", text, ""), text)


def write_csv(path: Path, table: dict[str, np.ndarray], delimiter: str, decimal: str) -> None:
    """A table of whole numbers (`amount` in cents) as CSV with the given separators, unquoted."""
    columns = {k: euro_text(v, decimal) if k == "amount" else pa.array(v) for k, v in table.items()}
    with open(path, "wb") as handle:
        handle.write((delimiter.join(columns) + "\n").encode())
        options = pacsv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="none")
        pacsv.write_csv(pa.table(columns), handle, options)


def write_small(path: Path, header: list[str], rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    main()

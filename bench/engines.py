"""Benchmark: which engine reads the large city's ledger into pandas fastest.

Reads both years of the synthetic city's ledger (bench/scale.py generates it; 2 × 10 million rows,
Finnish CSV) into one pandas DataFrame as the review needs it: codes as categoricals, years and months
as int64, amounts as float64. Three ways, each in a fresh process per run, all in one run:

- ours: katsaus.inputs.tables.load_table (pyarrow's CSV reader, the files side by side, converted in arrow);
- polars: polars.read_csv with the columns' types, then DataFrame.to_pandas;
- duckdb: read_csv with the columns' types, then the relation's DataFrame (df()).

Prints the median of --runs of each and its ratio to ours; writes bench/results/engines.json. Polars
and DuckDB are in the dependency group `engines`, which the project itself does not need:

    uv run --frozen --group engines python bench/engines.py [--rows-per-year 10000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def ours(folder: Path):
    from katsaus.inputs.tables import load_table

    return load_table(folder, "ledger")


def with_polars(folder: Path):
    import polars as pl

    schema = {
        "year": pl.Int64,
        "month": pl.Int64,
        "cost_centre": pl.Categorical,
        "account": pl.Categorical,
        "amount": pl.Float64,
    }
    files = sorted(str(p) for p in (folder / "ledger").glob("*.csv"))
    return pl.read_csv(files, separator=";", decimal_comma=True, schema=schema).to_pandas()


def with_duckdb(folder: Path):
    import duckdb

    files = sorted(str(p) for p in (folder / "ledger").glob("*.csv"))
    columns = {"year": "BIGINT", "month": "BIGINT", "cost_centre": "VARCHAR", "account": "VARCHAR"}
    columns["amount"] = "DOUBLE"
    query = "select * from read_csv($files, delim=';', decimal_separator=',', header=true, columns=$columns)"
    frame = duckdb.connect().execute(query, {"files": files, "columns": columns}).df()
    return frame.astype({"cost_centre": "category", "account": "category"})


ENGINES = {"ours (pyarrow)": ours, "polars": with_polars, "duckdb": with_duckdb}


def timed(name: str, folder: str) -> dict:
    """One read in this (fresh) process: seconds, rows, and the total of the amounts as a check."""
    started = time.perf_counter()
    frame = ENGINES[name](Path(folder))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": len(frame), "amount": float(frame["amount"].sum())}


def main() -> None:
    from scale import city, in_fresh_process

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows-per-year", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    folder, _ = city(args.rows_per_year)
    runs: dict[str, list[dict]] = {name: [] for name in ENGINES}
    for _ in range(args.runs):  # interleaved, so that a slower minute of the machine hits all alike
        for name in ENGINES:
            runs[name].append(in_fresh_process(timed, name, str(folder)))
            print(f"{name}: {runs[name][-1]['seconds']:.2f} s", flush=True)
    for name, results in runs.items():
        assert results[0]["rows"] == runs["ours (pyarrow)"][0]["rows"], name
        assert abs(results[0]["amount"] - runs["ours (pyarrow)"][0]["amount"]) < 1, name
    median = {name: statistics.median(r["seconds"] for r in results) for name, results in runs.items()}
    base = median["ours (pyarrow)"]
    print(f"\nledger of {2 * args.rows_per_year:,} rows into pandas, median of {args.runs}:")
    for name, seconds in median.items():
        print(f"  {name:<15} {seconds:6.2f} s  {seconds / base:4.2f} × ours")
    result = {"rows": runs["ours (pyarrow)"][0]["rows"], "median_s": median, "runs": runs}
    result["cpus"] = os.cpu_count()
    out = ROOT / "bench" / "results" / "engines.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

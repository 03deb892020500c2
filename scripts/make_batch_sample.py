"""Generate N synthetic organisations of mixed sizes and the batch file that builds their reviews.

Each organisation is made up by make_large_data.write_city (nothing here is published data) with a seed
of its own; the sizes go round `--departments`: an organisation of d departments has 3·d units, 20
accounts and 550·d ledger rows a year (Kemi, the sample, has 5 departments and about 2 700 rows), in
2021 and 2022. Its review plan (make_large_data.write_plan) has the summary, every department, strategy
and appendix: d + 3 sections. Written: DIR/<name>/data/, DIR/<name>/params/review.yaml and DIR/batch.yaml,
whose reviews go to DIR/output/<name>/.

    .venv/bin/python scripts/make_batch_sample.py --out DIR [--count 10] [--departments 2 5 9]
        [--periods 2022-03 2022-06]
    make batch BATCH=DIR/batch.yaml
"""

from __future__ import annotations

import argparse
from itertools import cycle
from pathlib import Path

import yaml

from make_large_data import write_city, write_plan  # this folder is on sys.path

ROWS_PER_DEPARTMENT = 550
UNITS_PER_DEPARTMENT = 3
ACCOUNTS = 20


def write_batch(out: Path, count: int, departments: list[int], periods: list[str]) -> Path:
    """Write `count` organisations, sized in turn by `departments`, and their batch file; return it."""
    entries = []
    for number, size in zip(range(1, count + 1), cycle(departments)):
        name = f"kunta-{number:03d}"
        folder = out / name
        write_city(
            folder / "data",
            departments=size,
            units=UNITS_PER_DEPARTMENT * size,
            accounts=ACCOUNTS,
            rows_per_year=ROWS_PER_DEPARTMENT * size,
            seed=number,
        )
        write_plan(folder / "params", size, f"SYNTEETTINEN KUNTA {number}")
        entries.append(
            {"name": name, "data": f"{name}/data", "params": f"{name}/params", "output": f"output/{name}"}
        )
    batch = out / "batch.yaml"
    batch.write_text(yaml.safe_dump({"periods": periods, "organisations": entries}, sort_keys=False), "utf-8")
    return batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created if missing)")
    parser.add_argument("--count", type=int, default=10, help="organisations")
    parser.add_argument("--departments", type=int, nargs="+", default=[2, 5, 9], help="sizes, in turn")
    parser.add_argument("--periods", nargs="+", default=["2022-03", "2022-06"])
    args = parser.parse_args()
    print(write_batch(args.out, args.count, args.departments, args.periods))


if __name__ == "__main__":
    main()

"""Benchmark: load, validate and aggregate a synthetic city a hundred times Kemi's size.

The city (scripts/make_large_data.py: 40 departments, 400 units, 300 accounts, ledgers of 2021 and 2022) is
generated into bench/data/city-<rows>/ once and reused after. Each run is a fresh process that takes a build's
data path (katsaus.build.prepare.prepare and check) for 2022-06: reads the data folder
(katsaus.inputs.tables.load_inputs and katsaus.inputs.folder.check_period), computes the period's figures
(katsaus.display.review.Review) and validates the data and those figures (katsaus.checks.gate.validate, Great
Expectations imported on first use as in a build). Prints the median of --runs of each phase's time, of their
total and of the process's peak memory (ru_maxrss). Then builds the city's whole review once with `make
report` (43 sections, from a cold cache) and reports its time. Writes bench/results/scale.json.

    .venv/bin/python bench/scale.py [--rows-per-year 10000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CITY = {"departments": 40, "units": 400, "accounts": 300, "years": [2021, 2022]}
PERIOD = "2022-06"
TARGETS = {"load + validate + aggregate (s)": 20.0, "peak memory (GiB)": 4.0}
GIB = 2**30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows-per-year", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    folder, generation = city(args.rows_per_year)
    load_average = os.getloadavg()[0]
    runs = []
    for number in range(1, args.runs + 1):
        runs.append(in_fresh_process(measure, str(folder)))
        print(f"run {number}: " + ", ".join(f"{k} {v:.2f}" for k, v in runs[-1].items()), flush=True)

    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    build = in_fresh_process(whole_build, str(folder))
    print(f"whole build: {build['seconds']:.1f} s, {build['sections']} sections, {build['pages']} pages")
    result = {
        "city": CITY | {"rows_per_year": args.rows_per_year, "period": PERIOD},
        "generation": generation,
        "median": median,
        "runs": runs,
        "whole_build": build,
        "targets": TARGETS,
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB, 1),
            "load_average": [load_average, os.getloadavg()[0]],
            "python": platform.python_version(),
        },
    }
    print_table(result)
    out = ROOT / "bench" / "results" / "scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=1), encoding="utf-8")
    os.replace(tmp, out)


def in_fresh_process(function, *args):
    """function(*args) in a process spawned for it, which exits normally once it has returned."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def city(rows_per_year: int) -> tuple[Path, dict]:
    """The data folder, generated unless an earlier run finished it; how long generating took."""
    folder = ROOT / "bench" / "data" / f"city-{rows_per_year}"
    done = folder / "generated.json"
    if done.exists():
        generation = json.loads(done.read_text(encoding="utf-8"))
        if generation["options"] == CITY | {"rows_per_year": rows_per_year}:
            return folder, generation | {"reused": True}
    print(f"generating {folder} …", flush=True)
    options = {"--rows-per-year": rows_per_year, **{f"--{k}": v for k, v in CITY.items()}}
    command = [sys.executable, str(ROOT / "scripts" / "make_large_data.py"), "--out", str(folder)]
    for option, value in options.items():
        command += [option, *map(str, value if isinstance(value, list) else [value])]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    generation = {
        "seconds": time.perf_counter() - started,
        "options": CITY | {"rows_per_year": rows_per_year},
        "megabytes": round(sum(p.stat().st_size for p in folder.rglob("*.csv")) / 2**20),
    }
    done.write_text(json.dumps(generation, indent=1), encoding="utf-8")
    return folder, generation | {"reused": False}


def measure(folder: str) -> dict[str, float]:
    """One run in a fresh process: seconds (wall and CPU) to load, to aggregate and to validate, the parts
    of the validation, and peak memory.

    The process is spawned from this small one (the data are generated in a process of their own), so
    its ru_maxrss, which Linux carries over from the parent at fork, is its own."""
    from katsaus.checks.gate import validate
    from katsaus.display.review import Review
    from katsaus.inputs.folder import check_period
    from katsaus.inputs.kpis import load_kpi_table
    from katsaus.inputs.tables import load_inputs
    from katsaus.inputs.texts import load_text_files
    from katsaus.organisation import Organisation
    from katsaus.period import Period

    period, data = Period.parse(PERIOD), Path(folder)
    before = peak_gib()
    started, cpu = time.perf_counter(), time.process_time()
    inputs = load_inputs(data)
    check_period(inputs, period)
    loaded, cpu_loaded = time.perf_counter(), time.process_time()
    org = Organisation(inputs.organisation)
    review = Review.compute_from(inputs, period, org)
    aggregated = time.perf_counter()
    texts, kpis = load_text_files(data, period), load_kpi_table(data, period)
    outcome = validate(inputs, period, texts, kpis, computed=review.figures)
    done, cpu_done = time.perf_counter(), time.process_time()
    assert not outcome.errors, outcome.errors[:3]
    assert review.figures.loc[(org.root, "TOIMINTAKULUT"), "actual"] < 0
    return {
        "load_s": loaded - started,
        "aggregate_s": aggregated - loaded,
        "validate_s": done - aggregated,
        "total_s": done - started,
        "cpu_s": cpu_done - cpu,
        "cpu_load_s": cpu_loaded - cpu,
        **{f"validate_{part}_s": seconds for part, seconds in outcome.seconds.items()},
        "peak_gib": peak_gib(),
        "peak_after_imports_gib": before,
    }


def whole_build(folder: str) -> dict:
    """`make report` of the city's whole review (43 sections: summary, 40 departments, strategy,
    appendix) from a cold cache, once, in a fresh process: its wall time, sections, pages and the peak
    memory of its largest process."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from pypdf import PdfReader

    from make_large_data import write_plan

    with tempfile.TemporaryDirectory() as tmp:
        write_plan(Path(tmp) / "params", CITY["departments"])
        make = ["make", "report", f"PERIOD={PERIOD}", f"DATA={folder}", f"PARAMS={tmp}/params"]
        make.append(f"OUTPUT={tmp}")
        started = time.perf_counter()
        subprocess.run(make, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        review = PdfReader(Path(tmp) / PERIOD / "review.pdf")
        return {
            "seconds": seconds,
            "sections": len(review.outline),
            "pages": len(review.pages),
            "peak_gib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / GIB,
        }


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB  # Linux: KiB


def print_table(result: dict) -> None:
    median, generation, build = result["median"], result["generation"], result["whole_build"]
    made = f"{generation['seconds']:.1f} s" + (" (earlier run, reused)" if generation["reused"] else "")
    parts = ", ".join(
        f"{key.removeprefix('validate_').removesuffix('_s')} {value:.2f}"
        for key, value in median.items()
        if key.startswith("validate_") and key != "validate_s"
    )
    rows = [
        ("ledger rows", f"{result['city']['rows_per_year'] * len(result['city']['years']):,}"),
        ("generation", made),
        ("load", f"{median['load_s']:.2f} s (CPU {median['cpu_load_s']:.2f} s)"),
        ("validate", f"{median['validate_s']:.2f} s ({parts})"),
        ("aggregate", f"{median['aggregate_s']:.2f} s"),
        ("total", f"{median['total_s']:.2f} s (target ≤ {TARGETS['load + validate + aggregate (s)']:.0f} s)"),
        ("peak memory", f"{median['peak_gib']:.2f} GiB (target ≤ {TARGETS['peak memory (GiB)']:.0f} GiB)"),
        ("whole build", "{seconds:.1f} s cold, {sections} sections, {pages} pages".format(**build)),
        ("load average", "{:.2f} before the runs, {:.2f} after".format(*result["machine"]["load_average"])),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"\nmedian of {len(result['runs'])} runs, {result['machine']['cpus']} CPUs")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    main()

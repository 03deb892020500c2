"""Benchmark: N reviews built one `make report` after another against one `make batch`, in one run.

For each N of --sizes, N synthetic organisations of Kemi's size (scripts/make_batch_sample.py: 5
departments, 8 sections, about 2 700 ledger rows a year; --departments to change) get their review of
2022-06 built from a cold cache three ways, each into fresh output folders:

- serial: `make report DATA=… PARAMS=… OUTPUT=…` for each organisation, one after another;
- local: one `make batch`, on the LocalCluster it starts (one worker process per core);
- external: one `make batch SCHEDULER=…` on a cluster started before the clock starts with Dask's own
  commands on this machine (`dask scheduler`, `dask worker ADDRESS --nworkers <cores> --nthreads 1`).

At the smallest N the external batch is also run on one worker, for the per-core efficiency: the
throughput on all cores over the cores times the throughput on one. Prints reviews per minute, the
ratios to serial, the efficiency and the seconds per review at each N (linear growth keeps them
equal); writes bench/results/batch.json, with the batches' CPU seconds per review.

    .venv/bin/python bench/batch.py [--sizes 10 20 40] [--departments 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT / "scripts"))

from make_batch_sample import write_batch  # noqa: E402

PERIOD = "2022-06"
CORES = os.cpu_count()
TARGETS = {"local batch / serial at the largest N": 0.5, "per-core efficiency": 0.85, "linearity": 0.10}


def timed(command: list) -> float:
    """Run a command from the project's root to completion; its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def organisations(folder: Path, count: int, departments: int) -> list[dict]:
    """`count` organisations written into `folder`: their batch entries with absolute paths."""
    batch = write_batch(folder, count, [departments], [PERIOD])
    entries = yaml.safe_load(batch.read_text(encoding="utf-8"))["organisations"]
    return [entry | {key: str(folder / entry[key]) for key in ("data", "params")} for entry in entries]


def serial(entries: list[dict], output: Path) -> float:
    """`make report` of each organisation, one after another."""
    started = time.perf_counter()
    for entry in entries:
        out = output / entry["name"]
        timed(
            [
                "make",
                "report",
                f"PERIOD={PERIOD}",
                f"DATA={entry['data']}",
                f"PARAMS={entry['params']}",
                f"OUTPUT={out}",
            ]
        )
    return time.perf_counter() - started


def batch(entries: list[dict], output: Path, scheduler: str = "") -> float:
    """One `make batch` of every organisation, on a new local cluster or at `scheduler`."""
    output.mkdir(parents=True)
    organisations = [entry | {"output": str(output / entry["name"])} for entry in entries]
    file = output / "batch.yaml"
    file.write_text(yaml.safe_dump({"periods": [PERIOD], "organisations": organisations}), encoding="utf-8")
    return timed(["make", "batch", f"BATCH={file}", f"SCHEDULER={scheduler}"])


@contextmanager
def dask_cluster(workers: int, folder: Path):
    """A scheduler and `workers` single-threaded worker processes started by Dask's command line; yields
    the scheduler's address once every worker has joined."""
    from distributed import Client

    file = folder / f"scheduler-{workers}.json"
    scheduler = subprocess.Popen(
        [VENV / "dask", "scheduler", "--scheduler-file", file, "--port", "0", "--no-dashboard"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while not file.exists():
            time.sleep(0.1)
        address = json.loads(file.read_text(encoding="utf-8"))["address"]
        worker = subprocess.Popen(
            [VENV / "dask", "worker", address, "--nworkers", str(workers), "--nthreads", "1"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            with Client(address) as client:
                client.wait_for_workers(workers, timeout=120)
            yield address
        finally:
            worker.terminate()
            worker.wait()
    finally:
        scheduler.terminate()
        scheduler.wait()


def measure(size: int, departments: int, folder: Path, one_worker: bool) -> dict:
    """The three ways (and the external batch on one worker, when asked) for `size` organisations: wall
    seconds, and the batches' CPU seconds per review (of the workers and kernels too)."""
    entries = organisations(folder / "data", size, departments)
    ways = {
        "serial": lambda: serial(entries, folder / "serial"),
        "local": lambda: batch(entries, folder / "local"),
        "external": lambda: on_dask_cluster(CORES, entries, folder / "external"),
    }
    if one_worker:
        ways["external, one worker"] = lambda: on_dask_cluster(1, entries, folder / "one-worker")
    seconds, cpu = {}, {}
    for way, run in ways.items():
        before = children_cpu()
        seconds[way] = run()
        cpu[way] = (children_cpu() - before) / size
    del cpu["serial"]  # not all counted: a build's forkserver, which reaps its workers, is never waited for
    per_minute = {way: 60 * size / value for way, value in seconds.items()}
    return {"reviews": size, "seconds": seconds, "per_minute": per_minute, "cpu_seconds_per_review": cpu}


def on_dask_cluster(workers: int, entries: list[dict], output: Path) -> float:
    """`make batch` on a cluster of `workers` started by Dask's command line before the clock starts."""
    with dask_cluster(workers, output.parent) as address:
        return batch(entries, output, address)


def children_cpu() -> float:
    """CPU seconds of the finished processes this one started (and of theirs, once waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summary(results: list[dict]) -> dict:
    """The ratios to serial at each N, the per-core efficiency and the spread of seconds per review."""
    largest, smallest = results[-1]["seconds"], results[0]["seconds"]
    per_review = {
        way: [r["seconds"][way] / r["reviews"] for r in results] for way in ("serial", "local", "external")
    }
    return {
        "ratios": [
            {
                "reviews": r["reviews"],
                **{
                    f"{way} / serial": r["seconds"][way] / r["seconds"]["serial"]
                    for way in ("local", "external")
                },
            }
            for r in results
        ],
        "local batch / serial at the largest N": largest["local"] / largest["serial"],
        "per-core efficiency": smallest["external, one worker"] / (CORES * smallest["external"]),
        "seconds per review": per_review,
        "linearity": {way: max(times) / min(times) - 1 for way, times in per_review.items()},
    }


def print_summary(results: list[dict], totals: dict) -> None:
    for r, ratio in zip(results, totals["ratios"], strict=True):
        rates = ", ".join(f"{way} {rate:.1f}" for way, rate in r["per_minute"].items())
        ratios = ", ".join(f"{name} {value:.2f}" for name, value in ratio.items() if name != "reviews")
        print(f"N={r['reviews']:>3}: reviews per minute: {rates}; {ratios}")
    largest = totals["local batch / serial at the largest N"]
    print(f"local batch / serial at N={results[-1]['reviews']}: {largest:.2f} (target <= 0.5)")
    print(f"per-core efficiency ({CORES} cores): {totals['per-core efficiency']:.2f} (target >= 0.85)")
    for way, spread in totals["linearity"].items():
        print(f"{way}: seconds per review vary by {100 * spread:.0f} % over N (target <= 10 %)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40], help="values of N")
    parser.add_argument("--departments", type=int, default=5, help="departments of each organisation")
    args = parser.parse_args()
    load_before, results = os.getloadavg(), []
    for size in sorted(args.sizes):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(measure(size, args.departments, Path(tmp), one_worker=not results))
        print(
            f"N={size}: " + ", ".join(f"{k} {v:.1f} s" for k, v in results[-1]["seconds"].items()), flush=True
        )
    totals = summary(results)
    print_summary(results, totals)
    machine = {
        "cpus": CORES,
        "python": platform.python_version(),
        "load_average": [load_before[0], os.getloadavg()[0]],
    }
    result = {"period": PERIOD, "departments": args.departments, "results": results, "summary": totals,
              "targets": TARGETS, "machine": machine}  # fmt: skip
    (ROOT / "bench" / "results" / "batch.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

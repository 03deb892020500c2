"""Benchmark: N reviews built one `make report` after another against one `make batch`, in one run.

N synthetic organisations of Kemi's size (scripts/make_batch_sample.py: 5 departments, 8 sections, about
2 700 ledger rows a year; --departments to change) get their review of 2022-06 built from a cold cache,
each way into fresh output folders:

- serial: `make report DATA=… PARAMS=… OUTPUT=…` for each organisation, one after another, once for
  the largest N (each review timed: the first N of them are the serial time of N);
- local: one `make batch` at each N, on the LocalCluster it starts (one worker process per core);
- external: one `make batch SCHEDULER=…` at each N, on a standing cluster started before the clock
  starts with Dask's own commands on this machine, as docs/batch.md starts one (`dask scheduler`,
  `dask worker ADDRESS --nworkers <cores> --nthreads 1 --preload katsaus.build.batch`, without Dask's
  profiler), a new cluster for each batch; at the smallest N also on one worker, with the scheduler, the
  worker and `make batch` all held to one core (`taskset -c 0`), for the per-core efficiency: the
  throughput on all cores over the cores times the throughput on one core.

Each batch is run `--runs` times, the runs of every way in turn, and its median taken. Prints reviews
per minute, the ratios to serial, the efficiency, and how each way's time grows with N: the line
a + b·N that fits its times best, with its largest distance from them (the linearity: growth linear in N,
a the fixed start of a command, b the seconds a review adds), the seconds each step in N adds per review,
and the spread of seconds per review over N (growth in proportion to N, with no fixed start, keeps them
equal); writes bench/results/batch.json, with the batches' CPU seconds per review.

    .venv/bin/python bench/batch.py [--sizes 10 20 30 40] [--departments 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
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
ONE_CORE = ("taskset", "-c", "0")
# the linearity is the largest distance of a way's times from its line a + b·N, as a share of the time
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


def serial(entries: list[dict], output: Path) -> list[float]:
    """`make report` of each organisation, one after another: each one's wall seconds."""
    return [
        timed(
            [
                "make",
                "report",
                f"PERIOD={PERIOD}",
                f"DATA={entry['data']}",
                f"PARAMS={entry['params']}",
                f"OUTPUT={output / entry['name']}",
            ]
        )
        for entry in entries
    ]


def batch(entries: list[dict], output: Path, scheduler: str = "", pin: tuple[str, ...] = ()) -> float:
    """One `make batch` of every organisation, on a new local cluster or at `scheduler`; `pin` is a
    command the batch runs under (taskset)."""
    output.mkdir(parents=True)
    organisations = [entry | {"output": str(output / entry["name"])} for entry in entries]
    file = output / "batch.yaml"
    file.write_text(yaml.safe_dump({"periods": [PERIOD], "organisations": organisations}), encoding="utf-8")
    return timed([*pin, "make", "batch", f"BATCH={file}", f"SCHEDULER={scheduler}"])


@contextmanager
def dask_cluster(workers: int, file: Path, pin: tuple[str, ...] = ()):
    """A scheduler and `workers` single-threaded worker processes started by Dask's command line (under
    `pin`), as docs/batch.md starts them; yields the scheduler's address once every worker has joined and
    warmed up."""
    from distributed import Client

    scheduler = subprocess.Popen(
        [*pin, VENV / "dask", "scheduler", "--scheduler-file", file, "--port", "0", "--no-dashboard"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while not file.exists():
            time.sleep(0.1)
        address = json.loads(file.read_text(encoding="utf-8"))["address"]
        worker = subprocess.Popen(
            [*pin, VENV / "dask", "worker", address, "--nworkers", str(workers), "--nthreads", "1",
             "--preload", "katsaus.build.batch"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=os.environ | {"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"},
        )  # fmt: skip
        try:
            with Client(address) as client:
                client.wait_for_workers(workers, timeout=120)
                client.run(_warm)
            yield address
        finally:
            worker.terminate()
            worker.wait()
    finally:
        scheduler.terminate()
        scheduler.wait()


def _warm() -> None:
    """On a worker: wait until its warm-up (katsaus.build.batch.dask_setup) is done."""
    import great_expectations  # noqa: F401  (waits for the import on the warm-up's thread)

    from katsaus.build import runner

    runner.converters().join()


def measure(sizes: list[int], departments: int, runs: int, folder: Path) -> dict:
    """Every way on the same organisations: median wall seconds of `runs` runs, and the batches' median
    CPU seconds per review (of the workers and kernels too).

    The serial reviews are built once, for the largest N; the first N of them are the serial time of N.
    The batches are built at each N on the local and on a standing cluster, and at the smallest N on one
    core, each in turn in every run."""
    smallest = min(sizes)
    entries = organisations(folder / "data", max(sizes), departments)
    each = serial(entries, folder / "serial")
    ways = {}  # each way's N, and how it builds the first N into a folder
    for n in sizes:
        ways[f"local {n}"] = n, lambda n, out: batch(entries[:n], out)
        ways[f"external {n}"] = n, lambda n, out: on_dask_cluster(CORES, entries[:n], out)
    ways[f"external {smallest}, one core"] = (
        smallest,
        lambda n, out: on_dask_cluster(1, entries[:n], out, ONE_CORE),
    )
    seconds, cpu = {way: [] for way in ways}, {way: [] for way in ways}
    for run in range(runs):
        for way, (n, build) in ways.items():
            before = children_cpu()
            seconds[way].append(build(n, folder / f"run-{run}" / way.replace(" ", "-").replace(",", "")))
            cpu[way].append((children_cpu() - before) / n)
            print(f"run {run + 1}, {way}: {seconds[way][-1]:.1f} s", flush=True)
    medians = {f"serial {n}": sum(each[:n]) for n in sizes}
    medians |= {way: statistics.median(times) for way, times in seconds.items()}
    return {
        "serial_each": each,
        "runs": seconds,
        "seconds": medians,
        "cpu_seconds_per_review": {way: statistics.median(values) for way, values in cpu.items()},
    }


def on_dask_cluster(workers: int, entries: list[dict], output: Path, pin: tuple[str, ...] = ()) -> float:
    """`make batch` on a cluster of `workers` started by Dask's command line before the clock starts, all
    of it under `pin`."""
    with dask_cluster(workers, output.with_name(f"{output.name}.scheduler.json"), pin) as address:
        return batch(entries, output, address, pin)


def children_cpu() -> float:
    """CPU seconds of the finished processes this one started (and of theirs, once waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summary(measured: dict, sizes: list[int]) -> dict:
    """Reviews per minute and the ratio to serial at each N, the per-core efficiency, the line that fits
    each way's times, the seconds each step in N adds per review, and the spread of seconds per review."""
    seconds, largest, smallest = measured["seconds"], max(sizes), min(sizes)
    rows = []
    for n in sizes:
        ways = {way: seconds[f"{way} {n}"] for way in WAYS}
        rows.append(
            {
                "reviews": n,
                "per_minute": {way: 60 * n / value for way, value in ways.items()},
                "ratio_to_serial": {
                    way: value / ways["serial"] for way, value in ways.items() if way != "serial"
                },
            }
        )
    times = {way: [seconds[f"{way} {n}"] for n in sizes] for way in WAYS}
    per_review = {way: [t / n for n, t in zip(sizes, times[way], strict=True)] for way in WAYS}
    one, all_ = seconds[f"external {smallest}, one core"], seconds[f"external {smallest}"]
    return {
        "at each N": rows,
        "local batch / serial at the largest N": seconds[f"local {largest}"] / seconds[f"serial {largest}"],
        "external batch / serial at the largest N": seconds[f"external {largest}"]
        / seconds[f"serial {largest}"],
        "per-core efficiency": one / (CORES * all_),
        "line": {way: line(sizes, times[way]) for way in WAYS},
        "linearity": {way: line(sizes, times[way])["largest_distance"] for way in WAYS},
        "seconds added per review": {way: added(sizes, times[way]) for way in WAYS},
        "seconds per review": per_review,
        "proportionality": {way: max(values) / min(values) - 1 for way, values in per_review.items()},
    }


WAYS = ("serial", "local", "external")


def line(sizes: list[int], times: list[float]) -> dict:
    """The least-squares line a + b·N through the times at `sizes`, and its largest distance from them
    as a share of the time."""
    b, a = statistics.linear_regression(sizes, times)
    return {
        "fixed_seconds": a,
        "seconds_per_review": b,
        "largest_distance": max(abs(a + b * n - t) / t for n, t in zip(sizes, times, strict=True)),
    }


def added(sizes: list[int], times: list[float]) -> list[float]:
    """The seconds per review each step from one N to the next adds."""
    steps = zip(sizes, sizes[1:], times, times[1:], strict=False)
    return [(after - before) / (m - n) for n, m, before, after in steps]


def print_summary(totals: dict) -> None:
    for row in totals["at each N"]:
        rates = ", ".join(f"{way} {rate:.2f}" for way, rate in row["per_minute"].items())
        ratios = ", ".join(f"{way} / serial {value:.2f}" for way, value in row["ratio_to_serial"].items())
        print(f"N={row['reviews']:>3}: reviews per minute: {rates}; {ratios}")
    for name in ("local batch / serial at the largest N", "external batch / serial at the largest N"):
        print(f"{name}: {totals[name]:.2f} (target <= 0.5)")
    print(f"per-core efficiency ({CORES} cores): {totals['per-core efficiency']:.2f} (target >= 0.85)")
    for way, fit in totals["line"].items():
        steps = ", ".join(f"{value:.2f}" for value in totals["seconds added per review"][way])
        print(
            f"{way}: {fit['fixed_seconds']:.1f} s + {fit['seconds_per_review']:.2f} s per review fits every "
            f"N within {100 * fit['largest_distance']:.1f} % (target <= 10 %); each step in N adds {steps} s "
            f"per review; seconds per review vary by {100 * totals['proportionality'][way]:.0f} % over N"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 30, 40], help="values of N")
    parser.add_argument("--departments", type=int, default=5, help="departments of each organisation")
    parser.add_argument("--runs", type=int, default=3, help="runs of each batch; their median is taken")
    args = parser.parse_args()
    load_before, sizes = os.getloadavg(), sorted(args.sizes)
    with tempfile.TemporaryDirectory() as tmp:
        measured = measure(sizes, args.departments, args.runs, Path(tmp))
    totals = summary(measured, sizes)
    print_summary(totals)
    machine = {
        "cpus": CORES,
        "python": platform.python_version(),
        "load_average": [load_before[0], os.getloadavg()[0]],
    }
    result = {"period": PERIOD, "departments": args.departments, "runs": args.runs, "measured": measured,
              "summary": totals, "targets": TARGETS, "machine": machine}  # fmt: skip
    (ROOT / "bench" / "results" / "batch.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Benchmark: the tagged PDF stitch against an earlier revision's, with the builds around it, in one run.

Before: the tree of a git revision (--before, default main) unpacked by `git archive` into a temporary
folder, with its own environment made by its Makefile. Ours: this tree. In every run, before and ours in
turn: `make report` from a cold cache, again after one narrative changed, and again with nothing changed;
then the stitch alone on that build's sections, in a process that has loaded it: with the frame (cover,
contents, header and footer) laid out anew, and with it kept. Prints medians of --runs and the ratios;
writes bench/results/stitch.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2022-06"
NARRATIVE = Path("texts") / PERIOD / "keskusvirasto.md"
TARGET = 0.1  # one narrative changed / cold

STITCH = """
import json, shutil, sys, time
from pathlib import Path
try:
    from katsaus.build import runner
    from katsaus.inputs.tables import load_table
    from katsaus.plan import load_plan
except ImportError:  # a revision of the package before its modules were grouped by stage
    from katsaus import runner
    from katsaus.inputs import load_table
    from katsaus.sections import load_plan
from katsaus.organisation import Organisation
from katsaus.period import Period
import inspect, weasyprint
from katsaus import paths
built, data, tmp = map(Path, sys.argv[1:4])
period = Period.parse(built.name)
names = Organisation(load_table(data, "organisation")).names
# a revision whose load_plan takes no folder reads the plan from paths.PARAMS itself
folder = (paths.PARAMS,) if "params_dir" in inspect.signature(load_plan).parameters else ()
plan = load_plan(period, names, *folder)
cover = (plan.organisation, period.title, period.month_name)
shutil.copytree(built / "fragments", tmp / "fragments")
times = []
for _ in range(3):
    started = time.perf_counter()
    runner.stitch_review(tmp, plan.sections, cover, tmp / "frames")
    times.append(time.perf_counter() - started)
print(json.dumps({"frame laid out": times[0], "frame kept": min(times[1:])}))
"""


def timed(command: list[str], cwd: Path) -> float:
    """Run a command to completion; its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def unpack(revision: str, folder: Path) -> Path:
    """The tree of a git revision in `folder`, with its environment."""
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    subprocess.run(["make", ".venv/.ready"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return folder


def measure(tree: Path, data: Path, output: Path, scratch: Path) -> dict[str, float]:
    """The three builds of `tree` on `data`, then its stitch alone on the sections it built."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    make = ["make", "report", f"PERIOD={PERIOD}", f"DATA={data}", f"OUTPUT={output}"]
    times = {"cold": timed(make, tree)}
    narrative = data / NARRATIVE
    narrative.write_text(narrative.read_text(encoding="utf-8") + f"\n{time.time()}\n", encoding="utf-8")
    times["one narrative changed"] = timed(make, tree)
    times["nothing changed"] = timed(make, tree)
    python = tree / ".venv" / "bin" / "python"
    environment = {**os.environ, "KATSAUS_PARAMS": str(tree / "params")}
    args = [python, "-c", STITCH, output / PERIOD, data, scratch]
    stitched = subprocess.run(args, cwd=tree, env=environment, check=True, capture_output=True, text=True)
    times |= {f"stitch, {k}": v for k, v in json.loads(stitched.stdout.splitlines()[-1]).items()}
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="the git revision to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "stitch.json")
    args = parser.parse_args()
    revision = subprocess.run(
        ["git", "rev-parse", "--short", args.before], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    runs: dict[str, dict[str, list[float]]] = {"before": {}, "ours": {}}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"before": unpack(revision, Path(tmp) / "before"), "ours": ROOT}
        for run in range(args.runs):
            for name, tree in trees.items():
                data = Path(tmp) / name / "bench-data"
                shutil.rmtree(data, ignore_errors=True)
                shutil.copytree(ROOT / "data", data)
                output, scratch = Path(tmp) / f"{name}-output", Path(tmp) / f"{name}-stitch"
                for key, seconds in measure(tree, data, output, scratch).items():
                    runs[name].setdefault(key, []).append(seconds)
                print(
                    f"run {run + 1} {name}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in runs[name].items())
                )
    medians = {name: {k: statistics.median(v) for k, v in times.items()} for name, times in runs.items()}
    ratios = {name: m["one narrative changed"] / m["cold"] for name, m in medians.items()}
    for key in medians["ours"]:
        before, ours = medians["before"][key], medians["ours"][key]
        print(f"{key:>28}: before {before:6.2f} s, ours {ours:6.2f} s ({ours / before:.2f} × before)")
    for name, ratio in ratios.items():
        print(f"{'one narrative / cold, ' + name:>28}: {ratio:.2f} (target <= {TARGET})")
    result = {"period": PERIOD, "before": revision, "runs": runs, "median_seconds": medians, "ratios": ratios}
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

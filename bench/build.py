"""Benchmark: the plain way of building the review against `make report`, in one run on one machine.

Baseline: for every section, the `papermill` command line (each notebook reading the raw data itself),
then `jupyter nbconvert --to html` and the PDF conversion, one after the other, then the stitch.
Ours: `make report` from a cold cache, again after one department's narrative changed, and again with
nothing changed; then `katsaus watch` on the same output, and the time from a change of that narrative
to its review published, for each of --changes changes (a few seconds apart, as an analyst saves a text).
With --before DIR (a checkout of earlier code, its environment made), ours and watched are measured for
that code too, in the same runs, each run's builds of the two in turn, from the same narrative.
Prints wall times (median of --runs) and ratios; writes bench/results/build.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT / "src"))

from katsaus.inputs.tables import load_table  # noqa: E402
from katsaus.organisation import Organisation  # noqa: E402
from katsaus.period import Period  # noqa: E402
from katsaus.plan import load_plan  # noqa: E402

PERIOD = "2022-06"
WATCHED = "one narrative changed, watched"
TARGETS = {
    "cold / baseline": 0.3,
    "one narrative changed / cold": 0.25,
    f"{WATCHED} / cold": 0.1,
    "nothing changed": 3.0,
}
PAUSE = 5  # seconds between a watched build and the next change
NARRATIVE = Path("texts") / PERIOD / "keskusvirasto.md"
BEFORE = "before: "  # the names of the earlier code's times


def timed(command: list[str], cwd: Path = ROOT) -> float:
    """Run a command to completion; its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def baseline(data: Path, out: Path) -> float:
    """Every section by hand, serially: papermill, nbconvert to HTML, nbconvert to PDF; then the stitch."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    period = Period.parse(PERIOD)
    plan = load_plan(period, Organisation(load_table(data, "organisation")).names, ROOT / "params")
    started = time.perf_counter()
    for section in plan.sections:
        executed = out / f"{section.name}.ipynb"
        parameters = ["-r", "period", PERIOD, "-r", "data_dir", str(data)]
        for name, value in section.parameters.items():
            parameters += ["-r", name, value]
        subprocess.run(
            [VENV / "papermill", section.notebook, executed, "-k", "katsaus", *parameters],
            cwd=ROOT / "notebooks", check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for to in ("html", "katsaus_pdf"):
            timed([VENV / "jupyter", "nbconvert", "--to", to, "--no-input", executed])
    stitch = (  # the sections' bodies in one HTML page, laid out whole as the review's PDF
        "import sys; from pathlib import Path; from katsaus.render import convert, pages, stitch; "
        "parts = [stitch.Section(Path(p).stem, Path(p).stem, convert.section_fragment(p), b'')"
        " for p in sys.argv[2:]]; "
        "html = stitch.review_html(parts, stitch.Cover('KEMIN KAUPUNKI', 'OSAVUOSIKATSAUS', '')); "
        "out = Path(sys.argv[1]); (out / 'review.html').write_text(html); "
        "(out / 'review.pdf').write_bytes(pages.render(html).write_pdf())"
    )
    notebooks = [str(out / f"{s.name}.ipynb") for s in plan.sections]
    timed([VENV / "python", "-c", stitch, str(out), *notebooks])
    return time.perf_counter() - started


def ours(data: Path, output: Path, root: Path = ROOT) -> dict[str, float]:
    """`make report` of the code in `root`: cold, after one narrative changed, and with nothing changed."""
    shutil.rmtree(output, ignore_errors=True)
    make = ["make", "report", f"PERIOD={PERIOD}", f"DATA={data}", f"OUTPUT={output}"]
    times = {"cold": timed(make, root)}
    changed(data / NARRATIVE)
    times["one narrative changed"] = timed(make, root)
    times["nothing changed"] = timed(make, root)
    return times


def changed(narrative: Path) -> None:
    """Add a line to a narrative."""
    narrative.write_text(narrative.read_text(encoding="utf-8") + f"\n{time.time()}\n", encoding="utf-8")


def watched(data: Path, output: Path, changes: int, root: Path = ROOT) -> list[float]:
    """`katsaus watch` of the code in `root` on `output`: the seconds from each change of the narrative to
    its review published."""
    python = root / ".venv" / "bin" / "python"
    command = [python, "-m", "katsaus", "watch", "--period", PERIOD, "--data", data]
    watching = subprocess.Popen(
        [*command, "--output", output], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, start_new_session=True,
    )  # fmt: skip
    times = []
    try:
        for change in range(changes + 1):
            started = time.perf_counter()
            while not watching.stdout.readline().startswith("watching "):
                if watching.poll() is not None:
                    raise RuntimeError(f"katsaus watch ended with status {watching.returncode}")
            times.append(time.perf_counter() - started)
            if change < changes:
                time.sleep(PAUSE)
                changed(data / NARRATIVE)
    finally:
        os.killpg(watching.pid, signal.SIGINT)  # as Ctrl-C in its terminal
        watching.wait()
    return times[1:]  # the first is its start on a review up to date


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--changes", type=int, default=3, help="narrative changes watched in each run")
    parser.add_argument("--before", type=Path, help="a checkout of earlier code to measure beside this one")
    args = parser.parse_args()
    codes = {"": ROOT, **({BEFORE: args.before.resolve()} if args.before else {})}
    runs: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data)
        narrative = (data / NARRATIVE).read_bytes()
        for run in range(args.runs):
            runs.setdefault("baseline", []).append(baseline(data, Path(tmp) / "baseline"))
            for code, root in codes.items():
                (data / NARRATIVE).write_bytes(narrative)  # each code's builds from the same text
                output = Path(tmp) / f"output{code}"
                for name, seconds in ours(data, output, root).items():
                    runs.setdefault(code + name, []).append(seconds)
                runs.setdefault(code + WATCHED, []).extend(watched(data, output, args.changes, root))
            print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in runs.items()), flush=True)
    medians = {name: statistics.median(times) for name, times in runs.items()}
    ratios = {
        "cold / baseline": medians["cold"] / medians["baseline"],
        "one narrative changed / cold": medians["one narrative changed"] / medians["cold"],
        f"{WATCHED} / cold": medians[WATCHED] / medians["cold"],
    }
    if args.before:
        ratios |= {
            f"{name}: after / before": medians[name] / medians[BEFORE + name] for name in ("cold", WATCHED)
        }
        ratios[f"{BEFORE}{WATCHED} / cold"] = medians[BEFORE + WATCHED] / medians[BEFORE + "cold"]
    for name, seconds in medians.items():
        print(f"{name:>40}: {seconds:7.2f} s (median of {len(runs[name])})")
    for name, ratio in ratios.items():
        target = f" (target <= {TARGETS[name]})" if name in TARGETS else ""
        print(f"{name:>48}: {ratio:.2f}{target}")
    nothing, target = medians["nothing changed"], TARGETS["nothing changed"]
    print(f"{'nothing changed':>48}: {nothing:.1f} s (target <= {target} s)")
    result = {"period": PERIOD, "runs": runs, "median_seconds": medians, "ratios": ratios, "targets": TARGETS}
    (ROOT / "bench" / "results" / "build.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

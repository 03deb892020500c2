"""Benchmark: a section's pages laid out with the KPI tables' automatic layout against their fixed one.

The sections of a built review (`make report` first; --built, default output/2022-06) are converted
to HTML once, then each laid out by WeasyPrint in turn, in one process: before, with a style that gives
the KPI tables `table-layout: auto` again (each cell's words measured for the columns' widths); ours, as
the review's style lays them out (`fixed`: the first column as wide as set, the others sharing the rest).
Prints each section's median seconds of --runs, both ways, their ratio, and the pages each way (the same
pages, or the layout changed more than the columns); writes bench/results/layout.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import nbformat  # noqa: E402

from katsaus import i18n  # noqa: E402
from katsaus.render import convert, pages  # noqa: E402

AUTOMATIC = "<style>table.kpi { table-layout: auto; }</style>"


def laid_out(html: str) -> tuple[float, int]:
    """Seconds to lay the page out, and its pages."""
    started = time.perf_counter()
    document = pages.render(html)
    return time.perf_counter() - started, len(document.pages)


def line(name: str, before: float, ours: float) -> str:
    return f"{name:>20}: before {before:5.2f} s, ours {ours:5.2f} s ({ours / before:.2f} × before)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--built", type=Path, default=ROOT / "output" / "2022-06")
    parser.add_argument("--language", default="fi", help="the built review's language")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    i18n.use(args.language)
    convert.page_pdf(convert.section_html(nbformat.v4.new_notebook()), numbered=None)  # fonts loaded
    results = {}
    for notebook in sorted((args.built / "notebooks").glob("*.ipynb")):
        html = convert.section_html(nbformat.read(notebook, as_version=4))
        ways = {"before": html.replace("</head>", AUTOMATIC + "</head>", 1), "ours": html}
        runs, counts = {name: [] for name in ways}, {}
        for _ in range(args.runs):
            for name, page in ways.items():
                seconds, counts[name] = laid_out(page)
                runs[name].append(seconds)
        medians = {name: statistics.median(times) for name, times in runs.items()}
        results[notebook.stem] = {"runs": runs, "median_seconds": medians, "pages": counts}
        print(line(notebook.stem, *medians.values()) + f", pages {counts['before']} / {counts['ours']}")
    total = {name: sum(r["median_seconds"][name] for r in results.values()) for name in ("before", "ours")}
    print(line("all sections", *total.values()))
    result = {"sections": results, "total_median_seconds": total}
    (ROOT / "bench" / "results" / "layout.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Benchmark: a section's pages laid out with the KPI tables' automatic layout against their fixed one.

The sections of a built review (`make report` first; --built, default output/2022-06) are converted
to HTML once, then each laid out by WeasyPrint in turn, in one process: before, with a style that gives
the KPI tables `table-layout: auto` again (each cell's words measured for the columns' widths); ours, as
the review's style lays them out (`fixed`: the first column as wide as set, the others sharing the rest).
Prints each section's median seconds of --runs, both ways, their ratio, and the pages each way (the same
pages, or the layout changed more than the columns); writes bench/results/layout.json.
"""

from __future__ import annotations

import json
import statistics
import time

import nbformat
from built import ROOT, arguments, line, section_pages

from katsaus.render import convert, pages

AUTOMATIC = "<style>table.kpi { table-layout: auto; }</style>"


def laid_out(html: str) -> tuple[float, int]:
    """Seconds to lay the page out, and its pages."""
    started = time.perf_counter()
    document = pages.render(html)
    return time.perf_counter() - started, len(document.pages)


def main() -> None:
    args = arguments(__doc__)
    convert.page_pdf(convert.section_html(nbformat.v4.new_notebook()), numbered=None)  # fonts loaded
    results = {}
    for section, html in section_pages(args.built).items():
        ways = {"before": html.replace("</head>", AUTOMATIC + "</head>", 1), "ours": html}
        runs, counts = {name: [] for name in ways}, {}
        for _ in range(args.runs):
            for name, page in ways.items():
                seconds, counts[name] = laid_out(page)
                runs[name].append(seconds)
        medians = {name: statistics.median(times) for name, times in runs.items()}
        results[section] = {"runs": runs, "median_seconds": medians, "pages": counts}
        print(line(section, *medians.values()) + f", pages {counts['before']} / {counts['ours']}")
    total = {name: sum(r["median_seconds"][name] for r in results.values()) for name in ("before", "ours")}
    print(line("all sections", *total.values()))
    result = {"sections": results, "total_median_seconds": total}
    (ROOT / "bench" / "results" / "layout.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

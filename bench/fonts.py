"""Benchmark: a review's PDFs with their fonts subset by fontTools against HarfBuzz, in one process.

WeasyPrint embeds in each PDF only the glyphs it uses. It subsets the fonts with HarfBuzz when Debian's
libharfbuzz-subset0 is installed, and falls back to fontTools (with a warning) when it is not. The
sections of a built review (`make report` first; --built, default output/2022-06) are converted to HTML
once; then, in turn, with fontTools (before) and with HarfBuzz (ours), each is made into the PDFs a worker
writes (laid out and tagged, and numbered as a page of its own), and the review is stitched with its
frame laid out anew. Prints medians of --runs, the ratio, and the PDFs' sizes; writes
bench/results/fonts.json.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import weasyprint.pdf.fonts
from built import ROOT, arguments, line, section_pages

from katsaus.build import runner
from katsaus.paths import Staging
from katsaus.render import convert, pages
from katsaus.render.stitch import Cover, Section, stitch

HARFBUZZ = weasyprint.pdf.fonts.harfbuzz_subset
WAYS = {"before": None, "ours": HARFBUZZ}  # fontTools, HarfBuzz


def section_pdfs(html: str, title: str) -> tuple[float, int]:
    """Seconds to make a section's two PDFs, and their size in bytes."""
    started = time.perf_counter()
    bare = convert.page_pdf(html, numbered=None)
    numbered = pages.numbered(bare, title)
    return time.perf_counter() - started, len(bare) + len(numbered)


def stitched(built: Path, scratch: Path) -> tuple[float, int]:
    """Seconds to stitch the built sections into a review with its frame laid out, and its size."""
    shutil.rmtree(scratch, ignore_errors=True)
    files = Staging(built)
    parts = []
    for page in sorted((built / "sections").glob("*.html")):
        *_, fragment, part = files.section(page.stem)
        parts.append(Section(page.stem, page.stem, fragment.read_text("utf-8"), part.read_bytes()))
    started = time.perf_counter()
    stitch(parts, Cover("ORGANISAATIO", "OSAVUOSIKATSAUS", "tammi–kesäkuu"), scratch, scratch / "frames")
    return time.perf_counter() - started, (scratch / "review.pdf").stat().st_size


def main() -> None:
    args = arguments(__doc__)
    if HARFBUZZ is None:
        sys.exit("WeasyPrint finds no libharfbuzz-subset: install Debian's libharfbuzz-subset0")
    runner.converters().join()  # WeasyPrint loaded and warm, as in a worker
    htmls = section_pages(args.built)
    runs = {name: {part: [] for part in [*htmls, "stitch"]} for name in WAYS}
    sizes = {name: {} for name in WAYS}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            for name, subsetter in WAYS.items():
                weasyprint.pdf.fonts.harfbuzz_subset = subsetter
                for part, html in htmls.items():
                    seconds, sizes[name][part] = section_pdfs(html, part)
                    runs[name][part].append(seconds)
                seconds, sizes[name]["stitch"] = stitched(args.built, Path(tmp) / "review")
                runs[name]["stitch"].append(seconds)
    medians = {way: {part: statistics.median(t) for part, t in parts.items()} for way, parts in runs.items()}
    for part in runs["ours"]:
        kib = f"{sizes['before'][part] // 1024} / {sizes['ours'][part] // 1024} KiB"
        print(line(part, medians["before"][part], medians["ours"][part]) + f", {kib}")
    total = {name: sum(parts.values()) for name, parts in medians.items()}
    print(line("all", total["before"], total["ours"]))
    result = {"runs": runs, "median_seconds": medians, "total_median_seconds": total, "bytes": sizes}
    (ROOT / "bench" / "results" / "fonts.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""What the benchmarks of a built review share: its command line, its section pages, a line of results."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import nbformat  # noqa: E402

from katsaus import i18n  # noqa: E402
from katsaus.render import convert  # noqa: E402


def arguments(doc: str) -> argparse.Namespace:
    """--built (a review's folder, default output/2022-06), --language (its language), --runs; from here
    on this process speaks that language."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--built", type=Path, default=ROOT / "output" / "2022-06")
    parser.add_argument("--language", default="fi", help="the built review's language")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    i18n.use(args.language)
    return args


def section_pages(built: Path) -> dict[str, str]:
    """Each section of the built review as its HTML page, made again from its executed notebook."""
    return {
        notebook.stem: convert.section_html(nbformat.read(notebook, as_version=4))
        for notebook in sorted((built / "notebooks").glob("*.ipynb"))
    }


def line(name: str, before: float, ours: float) -> str:
    return f"{name:>20}: before {before:5.2f} s, ours {ours:5.2f} s ({ours / before:.2f} × before)"

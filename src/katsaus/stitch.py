"""Stitch converted sections into one review: a self-contained HTML file and an A4 PDF.

The review has a cover, a table of contents and the sections in order. In the
browser every section has a navigation bar (previous / contents / next); in the
PDF every section starts on a new page, is one bookmark, and the contents list
its page numbers.
"""

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from katsaus.convert import TEMPLATES, render_pdf

_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html.j2"]),
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Section:
    """One section of the review.

    slug is its anchor, title its level-1 heading (and bookmark), html its body fragment,
    whose own headings start at level 2.
    """

    slug: str
    title: str
    html: str


@dataclass(frozen=True)
class Cover:
    """The cover page: e.g. "KEMIN KAUPUNKI", "TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022", "Kesäkuu 2022"."""

    organisation: str
    title: str
    subtitle: str


def review_html(sections: Sequence[Section], cover: Cover) -> str:
    """Return the review as one self-contained HTML document."""
    slugs = [section.slug for section in sections]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise ValueError(f"duplicate section slugs: {', '.join(duplicates)}")
    return _ENV.get_template("review.html.j2").render(sections=sections, cover=cover)


def stitch(sections: Sequence[Section], cover: Cover, out_dir: str | os.PathLike) -> tuple[Path, Path]:
    """Write review.html and review.pdf into out_dir; return their paths."""
    html = review_html(sections, cover)
    pdf = render_pdf(html)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out / "review.html", out / "review.pdf"
    write_atomic(html_path, html.encode("utf-8"))
    write_atomic(pdf_path, pdf)
    return html_path, pdf_path


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file in the same directory, so path is never half-written."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)

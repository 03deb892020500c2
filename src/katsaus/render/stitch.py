"""Stitch converted sections into one review: a self-contained HTML file and an A4 PDF.

The review has a cover, a table of contents, the sections in order and an appendix listing the
tables' open-data files. In the browser every section has a navigation bar (previous / contents /
next); in the PDF every section and the appendix starts on a new page, is one bookmark, and the
contents list its page numbers. The PDF joins the sections' own laid-out pages, so a section is laid
out once, in the process that converted it.
"""

import functools
import io
import itertools
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pikepdf

from katsaus import i18n, opendata, paths
from katsaus.i18n import _
from katsaus.publish.cache import digest, remembered, tree_digest, write_atomic
from katsaus.render import pages, tagged

APPENDIX = "avoin-data"  # the open-data appendix's anchor (templates/review.html.j2)


@dataclass(frozen=True)
class Section:
    """One section of the review.

    slug is its anchor, title its level-1 heading (and bookmark), html its body fragment,
    whose own headings start at level 2, and pdf its pages without header and footer.
    """

    slug: str
    title: str
    html: str
    pdf: bytes


@dataclass(frozen=True)
class Cover:
    """The cover page: e.g. "KEMIN KAUPUNKI", "TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022", "Kesäkuu 2022", the
    review's language and its translations (language, name, folder; katsaus.plan.translations)."""

    organisation: str
    title: str
    subtitle: str
    language: str = i18n.DEFAULT
    translations: tuple[tuple[str, str, str], ...] = ()


def review_html(sections: Sequence[Section], cover: Cover) -> str:
    """Return the review as one self-contained HTML document."""
    slugs = [section.slug for section in sections]
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise ValueError(f"duplicate section slugs: {', '.join(duplicates)}")
    data = _open_data(sections)
    return pages.ENV.get_template("review.html.j2").render(sections=sections, cover=cover, data=data)


def _open_data(sections: Sequence[Section]) -> list[tuple[str, str]]:
    """(file name, title) of every table's open data in the sections, in order."""
    return [(name, title) for section in sections for name, title, _data in opendata.found(section.html)]


def _appendix(sections: Sequence[Section], cover: Cover, cache: Path | None) -> list[Section]:
    """The PDF's appendix listing the tables' open data, as a section on pages of its own (none when the
    sections have no tables); with a `cache` folder, laid out only when the list changed."""
    data = _open_data(sections)
    if not data:
        return []
    html = pages.ENV.get_template("open-data.html.j2").render(cover=cover, data=data)
    pdf = remembered(cache, digest(html), lambda: pages.tagged(pages.render(html)), _pdf)
    return [Section(APPENDIX, _("Appendix: the tables as open data"), html, pdf)]


@dataclass(frozen=True)
class Frame:
    """What the review's PDF lays around its sections' pages: the cover and contents (with the header and
    footer on the contents, their links to named destinations, the sections' slugs), each section's first
    page number, and the running header and footer of every page."""

    front: bytes
    starts: list[int]
    furniture: bytes

    @classmethod
    def revive(cls, kept: dict) -> "Frame":
        """The frame from its kept data (katsaus.publish.cache.remembered)."""
        return cls(_pdf(kept["front"]), [int(n) for n in kept["starts"]], _pdf(kept["furniture"]))


def review_pdf(sections: Sequence[Section], cover: Cover, cache: Path | None = None) -> bytes:
    """Return the review as tagged PDF: cover and contents, each section's pages, then header and footer.

    With a `cache` folder, the frame is laid out only when the titles, the cover or a page count changed,
    and a section's pages are stamped with the header and footer only when they or the frame changed.
    The open-data appendix comes last, as a section of its own.
    """
    sections = [*sections, *_appendix(sections, cover, cache)]
    counts = [
        remembered(cache, digest(s.pdf), functools.partial(pages.page_count, s.pdf), int) for s in sections
    ]
    layout = [(s.slug, s.title, count) for s, count in zip(sections, counts, strict=True)]
    key = digest(repr((cover, layout)), tree_digest(paths.PACKAGE))
    frame = remembered(cache, key, lambda: asdict(_frame(sections, cover, counts)), Frame.revive)
    parts = [
        remembered(
            cache, digest(key, str(start), section.pdf), functools.partial(_part, section, frame, start), _pdf
        )
        for section, start in zip(sections, frame.starts, strict=True)
    ]
    firsts = {s.slug: start - 1 for s, start in zip(sections, frame.starts, strict=True)}
    bookmarks = [(s.title, firsts[s.slug]) for s in sections]
    return tagged.join(frame.front, parts, bookmarks, firsts)


def _part(section: Section, frame: Frame, start: int) -> bytes:
    """A section's pages stamped with the header and footer of the review's pages from `start` on, its
    structure IDs made the section's own."""
    pdf = pikepdf.open(io.BytesIO(section.pdf))
    pages.stamp(pdf, frame.furniture, first=start - 1)
    tagged.prefix_ids(pdf, f"{section.slug}-")
    return pages.to_bytes(pdf)


def _pdf(kept) -> bytes:
    """Kept PDF bytes, checked to be bytes and to look like a PDF."""
    if not isinstance(kept, bytes) or not kept.startswith(b"%PDF-"):
        raise ValueError("not a kept PDF")
    return kept


def _frame(sections: Sequence[Section], cover: Cover, counts: list[int]) -> Frame:
    """Lay out the cover and contents; the contents' page numbers depend on how many pages the contents
    take, so when a guess is wrong, lay out again. Then the header and footer of every page."""
    length = 2
    for _attempt in range(3):
        starts = list(itertools.accumulate([length + 1, *counts[:-1]]))
        html = pages.ENV.get_template("front.html.j2").render(sections=sections, cover=cover, pages=starts)
        document = pages.render(html)
        if len(document.pages) == length:
            break
        length = len(document.pages)
    titles = [""] * length + [
        s.title for s, count in zip(sections, counts, strict=True) for _page in range(count)
    ]
    furniture = pages.furniture(titles, cover.title, cover.organisation)
    front = pages.stamped(pages.tagged(document), furniture, skip=1)
    return Frame(front, starts, furniture)


def stitch(
    sections: Sequence[Section], cover: Cover, out_dir: str | os.PathLike, cache: Path | None = None
) -> tuple[Path, Path]:
    """Write review.html and review.pdf into out_dir, in the cover's language; return their paths.
    `cache` keeps the PDF's frame."""
    i18n.use(cover.language)
    html = review_html(sections, cover)
    pdf = review_pdf(sections, cover, cache)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = out / "review.html", out / "review.pdf"
    write_atomic(html_path, html.encode("utf-8"))
    write_atomic(pdf_path, pdf)
    return html_path, pdf_path


def write_open_data(staging: Path, slugs: Sequence[str]) -> None:
    """Write the files of every table the sections link into the build's `data/` folder."""
    files = paths.Staging(staging)
    files.data.mkdir(parents=True, exist_ok=True)
    for slug in slugs:
        for name, _title, data in opendata.found(files.section(slug)[3].read_text(encoding="utf-8")):
            write_atomic(files.data / name, data)

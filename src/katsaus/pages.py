"""PDF pages: the running header and footer stamped on laid-out pages, and links added to joined files.

Sections are laid out once, each in its own process, without page numbers; a review is their pages
joined behind the cover and contents, with the header and footer ("Sivu 3 / 34") stamped on afterwards.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link

from katsaus import i18n
from katsaus.paths import TEMPLATES

if TYPE_CHECKING:
    import weasyprint

PT_PER_PX = 0.75  # CSS pixels are 1/96 in, PDF points 1/72 in
_CSS_UNSAFE = re.compile(r'[\\"<>\n]')


def css_string(text: str) -> Markup:
    """text as the inside of a CSS string, safe within a <style> element."""
    return Markup(_CSS_UNSAFE.sub(lambda match: f"\\{ord(match.group()):X} ", text))


ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html.j2"]),
    keep_trailing_newline=True,
    extensions=["jinja2.ext.i18n"],
)
ENV.filters["css_string"] = css_string
ENV.install_gettext_callables(i18n._, i18n.ngettext, newstyle=True)
ENV.globals["language"] = i18n.language


def render(html: str) -> weasyprint.Document:
    """Lay out a self-contained HTML document on pages (page size from its CSS)."""
    import weasyprint  # loaded only where pages are laid out: joining laid-out pages needs none of it

    return weasyprint.HTML(string=html, url_fetcher=_own_assets()).render()


@functools.cache
def _own_assets():
    """A WeasyPrint URL fetcher that fetches only what the review embeds (data: URIs) and the package's
    templates; anything else (the web, other files) is refused and left out of the page."""
    from weasyprint.urls import URLFetcher

    class OwnAssets(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(url2pathname(url[7:])).resolve() if url.startswith("file://") else None
            if not (url.startswith("data:") or (path and path.is_relative_to(TEMPLATES))):
                raise ValueError(f"the review fetches nothing but its own assets: {url[:200]}")
            return super().fetch(url, headers)

    return OwnAssets(allowed_protocols={"data", "file"})


def furniture(count: int, title: str = "", organisation: str = "") -> bytes:
    """count blank pages carrying only the header (title) and footer (organisation, page number)."""
    html = ENV.get_template("furniture.html.j2").render(count=count, title=title, organisation=organisation)
    return render(html).write_pdf()


def stamp(writer: PdfWriter, furnishing: bytes, skip: int = 0, first: int = 0) -> None:
    """Lay the furniture's pages, from page index `first` on, over the writer's pages, leaving the first
    `skip` of these (a cover) bare."""
    overlays = PdfReader(io.BytesIO(furnishing)).pages[first : first + len(writer.pages)]
    for page, overlay in list(zip(writer.pages, overlays, strict=True))[skip:]:
        page.merge_page(overlay)
        page.compress_content_streams()  # merging leaves the page's content uncompressed


def stamped(pdf: bytes, furnishing: bytes, skip: int = 0, first: int = 0) -> bytes:
    """A document's pages with the furniture's pages from index `first` on laid over them (see stamp)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    stamp(writer, furnishing, skip, first)
    return to_bytes(writer)


def numbered(pdf: bytes) -> bytes:
    """A standalone document's pages with "Sivu n / N" in the footer."""
    return stamped(pdf, furniture(len(PdfReader(io.BytesIO(pdf)).pages)))


def anchor_links(document: weasyprint.Document) -> list[tuple[int, tuple[float, ...], str]]:
    """The document's links to '#anchor': (page index, rectangle in PDF points, anchor), one per anchor
    and page. A link whose anchor the document does not hold is laid out by WeasyPrint but not written."""
    links = []
    for number, page in enumerate(document.pages):
        height, seen = page.height * PT_PER_PX, set()
        for kind, anchor, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal" and anchor not in seen:
                seen.add(anchor)
                rect = (x1 * PT_PER_PX, height - y2 * PT_PER_PX, x2 * PT_PER_PX, height - y1 * PT_PER_PX)
                links.append((number, rect, anchor))
    return links


def link_pages(writer: PdfWriter, links: list[tuple[int, tuple[float, ...], str]], targets: dict[str, int]):
    """Put anchor links (see anchor_links) on the writer's pages, each pointing at page targets[anchor]."""
    for number, rect, anchor in links:
        if anchor in targets:
            writer.add_annotation(number, Link(rect=rect, target_page_index=targets[anchor]))


def to_bytes(writer: PdfWriter) -> bytes:
    """The writer's document as PDF bytes."""
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()

"""PDF pages: the running header and footer stamped on laid-out pages, and links added to joined files.

Sections are laid out once, each in its own process, without page numbers; a review is their pages
joined behind the cover and contents, with the header and footer ("Sivu 3 / 34") stamped on afterwards.
"""

import io
import re

import weasyprint
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link

from katsaus.paths import TEMPLATES

PT_PER_PX = 0.75  # CSS pixels are 1/96 in, PDF points 1/72 in
_CSS_UNSAFE = re.compile(r'[\\"<>\n]')


def css_string(text: str) -> Markup:
    """text as the inside of a CSS string, safe within a <style> element."""
    return Markup(_CSS_UNSAFE.sub(lambda match: f"\\{ord(match.group()):X} ", text))


ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html.j2"]),
    keep_trailing_newline=True,
)
ENV.filters["css_string"] = css_string


def render(html: str) -> weasyprint.Document:
    """Lay out a self-contained HTML document on pages (page size from its CSS)."""
    return weasyprint.HTML(string=html).render()


def furniture(count: int, title: str = "", organisation: str = "") -> PdfReader:
    """count blank pages carrying only the header (title) and footer (organisation, page number)."""
    html = ENV.get_template("furniture.html.j2").render(count=count, title=title, organisation=organisation)
    return PdfReader(io.BytesIO(render(html).write_pdf()))


def stamp(writer: PdfWriter, furnishing: PdfReader, skip: int = 0) -> None:
    """Lay the furniture's pages over the writer's, leaving the first `skip` pages (a cover) bare."""
    for page, overlay in list(zip(writer.pages, furnishing.pages, strict=True))[skip:]:
        page.merge_page(overlay)
        page.compress_content_streams()  # merging leaves the page's content uncompressed


def numbered(pdf: bytes) -> bytes:
    """A standalone document's pages with "Sivu n / N" in the footer."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    stamp(writer, furniture(len(writer.pages)))
    return to_bytes(writer)


def link_pages(writer: PdfWriter, document: weasyprint.Document, targets: dict[str, int]) -> None:
    """Make the document's links to '#anchor' point at page targets[anchor] of the writer.

    The document's pages must be the writer's first pages. A link whose anchor the document does not
    hold is laid out by WeasyPrint but not written; this puts it back as a link to a page.
    """
    for number, page in enumerate(document.pages):
        seen = set()
        for kind, anchor, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal" and anchor in targets and anchor not in seen:
                seen.add(anchor)
                height = page.height * PT_PER_PX
                rect = (x1 * PT_PER_PX, height - y2 * PT_PER_PX, x2 * PT_PER_PX, height - y1 * PT_PER_PX)
                writer.add_annotation(number, Link(rect=rect, target_page_index=targets[anchor]))


def to_bytes(writer: PdfWriter) -> bytes:
    """The writer's document as PDF bytes."""
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()

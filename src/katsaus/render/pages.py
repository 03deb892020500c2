"""PDF pages: laid out as tagged PDF/UA-1, and the running header and footer stamped on as artifacts.

Sections are laid out once, each in its own process, without header and footer; a review is their pages joined
behind the cover and contents (katsaus.render.tagged), with the header and footer ("Sivu 3 / 34") stamped on
afterwards. What is stamped is page furniture: it is marked as an artifact, outside the structure tree that
screen readers follow.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.request import url2pathname

import pikepdf
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from katsaus import i18n
from katsaus.paths import TEMPLATES

if TYPE_CHECKING:
    import weasyprint

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


def tagged(document: weasyprint.Document) -> bytes:
    """A laid-out document as PDF/UA-1: structure tree, language, title shown, identification in XMP."""
    return document.write_pdf(pdf_variant="pdf/ua-1")


def furniture(sections: Sequence[str], title: str = "", organisation: str = "") -> bytes:
    """Blank pages, one per entry of `sections` (the title of the section the page belongs to), carrying
    only the header (title, section) and footer (organisation, page number)."""
    html = ENV.get_template("furniture.html.j2").render(
        sections=sections, title=title, organisation=organisation
    )
    return render(html).write_pdf()


def stamp(pdf: pikepdf.Pdf, furnishing: bytes, skip: int = 0, first: int = 0) -> None:
    """Lay the furniture's pages, from page index `first` on, over the document's pages as artifacts,
    leaving the first `skip` of these (a cover) bare."""
    overlays = pikepdf.open(io.BytesIO(furnishing))
    if first + len(pdf.pages) > len(overlays.pages):
        raise ValueError(f"{len(pdf.pages)} pages from {first} on, furniture for {len(overlays.pages)}")
    for number in range(skip, len(pdf.pages)):
        page, form = pdf.pages[number], overlays.pages[first + number].as_form_xobject()
        name = page.add_resource(pdf.copy_foreign(form), pikepdf.Name.XObject)
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"\nQ\n/Artifact BMC q %s Do Q EMC\n" % str(name).encode())


def stamped(pdf: bytes, furnishing: bytes, skip: int = 0, first: int = 0) -> bytes:
    """A document's pages with the furniture's pages from index `first` on laid over them (see stamp)."""
    document = pikepdf.open(io.BytesIO(pdf))
    stamp(document, furnishing, skip, first)
    return to_bytes(document)


def numbered(pdf: bytes, section: str = "") -> bytes:
    """A standalone section's pages with its title in the header and "Sivu n / N" in the footer."""
    return stamped(pdf, furniture([section] * page_count(pdf)))


def page_count(pdf: bytes) -> int:
    """How many pages a PDF has."""
    return len(pikepdf.open(io.BytesIO(pdf)).pages)


def to_bytes(pdf: pikepdf.Pdf) -> bytes:
    """The document as PDF bytes; its streams are written as they are, its objects packed in streams."""
    buffer = io.BytesIO()
    pdf.save(
        buffer,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return buffer.getvalue()

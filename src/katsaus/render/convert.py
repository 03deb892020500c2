"""Turn an executed notebook into a section of the review, as HTML or PDF.

Only what a reader of the review should see is kept: markdown text and cell
outputs. Code, prompts and cells tagged ``remove_cell`` are left out; figures
stay embedded as ``data:`` URIs. The PDF is the same HTML laid out on A4 by
WeasyPrint as tagged PDF/UA-1, with "Sivu n / N" stamped in the footer, or without
header and footer for stitching into the review.
"""

import functools
from os import PathLike

from nbconvert import HTMLExporter
from nbformat import NotebookNode
from traitlets import Bool, default
from traitlets.config import Config

from katsaus import i18n
from katsaus.paths import TEMPLATES
from katsaus.render import pages

Notebook = NotebookNode | str | PathLike


class SectionHTMLExporter(HTMLExporter):
    """A standalone HTML page of one section, with the review stylesheet inlined."""

    export_from_notebook = "Katsaus section (HTML)"

    @property
    def default_config(self):
        config = super().default_config
        config.merge(
            Config(
                SectionHTMLExporter={
                    "template_name": "section",
                    "template_extension": ".html.j2",
                    "extra_template_basedirs": [str(TEMPLATES)],
                    "extra_template_paths": [str(TEMPLATES)],
                    "exclude_input": True,
                    "exclude_input_prompt": True,
                    "exclude_output_prompt": True,
                    "exclude_anchor_links": True,
                    "language_code": i18n.language(),
                    "embed_images": False,  # a page reads no file; its images are data: URIs already
                },
                TagRemovePreprocessor={
                    "enabled": True,
                    "remove_cell_tags": {"remove_cell"},
                },
            )
        )
        return config


class SectionPDFExporter(SectionHTMLExporter):
    """An A4 PDF of one section: the section page rendered by WeasyPrint."""

    export_from_notebook = "Katsaus section (PDF)"
    output_mimetype = "application/pdf"
    page_numbers = Bool(True, help="Stamp 'Sivu n / N' in the footer; off for stitching.").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        """Render the section page and lay it out as PDF bytes."""
        html, resources = super().from_notebook_node(nb, resources, **kw)
        return page_pdf(html, nb.metadata.get("title", "") if self.page_numbers else None), resources


def page_pdf(html: str, numbered: str | None = "") -> bytes:
    """A section page laid out as an A4 PDF/UA-1 document, with the section title `numbered` in the header
    and "Sivu n / N" in the footer unless it is None (pages for stitching)."""
    pdf = pages.tagged(pages.render(html))
    return pdf if numbered is None else pages.numbered(pdf, numbered)


def section_html(nb: Notebook) -> str:
    """Return the standalone HTML page of a section."""
    return _export(_exporter(i18n.language(), "index.html.j2"), nb)


def section_fragment(nb: Notebook) -> str:
    """Return the body of a section as an HTML fragment, for stitching."""
    return _export(_exporter(i18n.language(), "fragment.html.j2"), nb)


@functools.cache
def _exporter(language: str, template_file: str) -> SectionHTMLExporter:
    """The HTML exporter of `template_file` in `language`: one per process, so that its templates are
    compiled once, not for every section (compiling them was most of a conversion to HTML)."""
    return SectionHTMLExporter(template_file=template_file, language_code=language)


def section_pdf(nb: Notebook, page_numbers: bool = True) -> bytes:
    """Return a section as an A4 PDF."""
    return _export(SectionPDFExporter(page_numbers=page_numbers), nb)


def _export(exporter: HTMLExporter, nb: Notebook) -> str | bytes:
    """Run an exporter on a notebook node or a notebook file."""
    if isinstance(nb, NotebookNode):
        output, _ = exporter.from_notebook_node(nb)
    else:
        output, _ = exporter.from_filename(str(nb))
    return output

"""A notebook executed by a kernel becomes an HTML and a PDF section showing only what a reader should see."""

import io
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from pypdf import PdfReader

from katsaus import i18n
from katsaus.render.convert import section_fragment, section_html, section_pdf

pytestmark = pytest.mark.notebook

DISPLAY_CODE = '''
import matplotlib.pyplot as plt
from IPython.display import HTML, display

display(HTML("""
<table class="figures">
<thead><tr><th></th><th>TA 2022</th><th>Toteuma 1-6/2022</th></tr></thead>
<tbody>
<tr class="heading"><th colspan="3">64110000 HALLINTOPALVELUT</th></tr>
<tr><td>TOIMINTATUOTOT</td><td>439 603</td><td>145 569</td></tr>
<tr class="total"><td>TOIMINTAKATE</td><td>-5 375 990</td><td>-2 886 086</td></tr>
</tbody>
</table>
"""))
fig, ax = plt.subplots(figsize=(4, 2))
ax.bar(["TA 2022", "Toteuma"], [5.4, 2.9])
plt.show()
'''


@pytest.fixture(scope="module")
def notebook_path(tmp_path_factory):
    """An executed notebook: a heading, a table and a figure, and a cell tagged remove_cell."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("## Hallintopalvelut\n\nToimintakate toteutui suunnitellusti."),
            new_code_cell(DISPLAY_CODE),
            new_code_cell('print("POISTETTAVA TULOSTE")', metadata={"tags": ["remove_cell"]}),
        ]
    )
    folder = tmp_path_factory.mktemp("notebook")
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    path = folder / "table-figure-and-removed-cell.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def notebook(notebook_path):
    return nbformat.read(notebook_path, as_version=4)


def test_fragment_shows_text_table_and_figure_but_no_code(notebook):
    html = section_fragment(notebook)

    assert "<h2>Hallintopalvelut</h2>" in html
    assert "Toimintakate toteutui suunnitellusti." in html
    assert '<table class="figures">' in html
    assert '<tr class="total"><td>TOIMINTAKATE</td>' in html
    assert "data:image/png;base64," in html
    assert "plt.subplots" not in html
    assert "display(HTML" not in html
    assert "In&nbsp;[" not in html
    assert "<html" not in html


def test_cells_tagged_remove_cell_are_dropped(notebook):
    assert "POISTETTAVA TULOSTE" not in section_fragment(notebook)
    assert "POISTETTAVA TULOSTE" not in section_html(notebook)


def test_page_is_standalone_with_stylesheet_inlined(notebook_path):
    html = section_html(notebook_path)

    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fi">' in html
    assert "table.figures" in html.split("</style>")[0]
    assert "<title>table-figure-and-removed-cell</title>" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "plt.subplots" not in html


def test_a_page_speaks_the_language_spoken_when_it_is_made(notebook):
    section_html(notebook)

    with i18n.speaking("sv"):
        assert '<html lang="sv">' in section_html(notebook)
    assert '<html lang="fi">' in section_html(notebook)


def test_the_templates_are_compiled_once_in_a_process(notebook, monkeypatch):
    section_html(notebook), section_fragment(notebook)
    compiled, compile = [], jinja2.Environment.compile

    def counted(self, *args, **kwargs):
        compiled.append(args[1:2])
        return compile(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    assert "Toimintakate" in section_html(notebook)
    assert "Toimintakate" in section_fragment(notebook)
    assert compiled == []


def _is_a4(page):
    return abs(float(page.mediabox.width) - 595.3) < 1 and abs(float(page.mediabox.height) - 841.9) < 1


def test_pdf_section_is_a4_with_the_outputs(notebook):
    reader = PdfReader(io.BytesIO(section_pdf(notebook)))
    text = "".join(page.extract_text() for page in reader.pages)

    assert all(_is_a4(page) for page in reader.pages)
    assert "TOIMINTAKATE" in text
    assert "Hallintopalvelut" in text
    assert "plt.subplots" not in text
    assert "POISTETTAVA" not in text


def test_a_section_s_fonts_are_subset_by_harfbuzz(notebook, caplog):
    """WeasyPrint subsets the fonts with HarfBuzz (Debian's libharfbuzz-subset0); without it, it warns and
    falls back to fontTools, which took two thirds of a section's layout (docs/performance.md)."""
    with caplog.at_level("WARNING", logger="weasyprint"):
        section_pdf(notebook)

    assert [r.getMessage() for r in caplog.records if "HarfBuzz" in r.getMessage()] == []


def test_pdf_section_is_numbered_unless_it_is_for_stitching(notebook):
    numbered = PdfReader(io.BytesIO(section_pdf(notebook))).pages[0].extract_text()
    bare = PdfReader(io.BytesIO(section_pdf(notebook, page_numbers=False))).pages[0].extract_text()

    assert "Sivu 1 / 1" in numbered
    assert "Sivu" not in bare
    assert "TOIMINTAKATE" in bare


def test_jupyter_nbconvert_to_katsaus_pdf(notebook_path, tmp_path):
    jupyter = Path(sys.executable).with_name("jupyter")
    subprocess.run(
        [jupyter, "nbconvert", "--to", "katsaus_pdf", notebook_path, "--output-dir", tmp_path],
        check=True,
        capture_output=True,
    )

    pdf = tmp_path / "table-figure-and-removed-cell.pdf"
    reader = PdfReader(pdf)
    assert _is_a4(reader.pages[0])
    assert "TOIMINTAKATE" in reader.pages[0].extract_text()

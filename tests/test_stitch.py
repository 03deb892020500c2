"""Executed notebooks stitched into one review: what a reader finds in review.html and review.pdf."""

import re

import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from pypdf import PdfReader

from katsaus.render.convert import section_fragment, section_pdf
from katsaus.render.stitch import Cover, Section, stitch

pytestmark = pytest.mark.notebook

COVER = Cover("KEMIN KAUPUNKI", "TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022", "Kesäkuu 2022")
TITLES = {"yhteenveto": "Talouden yhteenveto", "keskusvirasto": "Keskusvirasto", "strategia": "Strategia"}

SECTION_CODE = '''
import matplotlib.pyplot as plt
from IPython.display import HTML, display

rows = "".join(
    f"<tr><td>Rivi {{i}} ({marker})</td><td>{{i * 1000}}</td></tr>" for i in range({rows})
)
display(HTML(f"""<table class="figures">
<thead><tr><th></th><th>TA 2022</th></tr></thead>
<tbody>{{rows}}<tr class="total"><td>Yhteensä</td><td>0</td></tr></tbody>
</table>"""))
fig, ax = plt.subplots(figsize=(4, 1.5))
ax.plot([1, 3, 2])
plt.show()
'''


def _cells(slug, rows):
    """The cells of one section: a heading, and a table with a marker of the section, and a figure."""
    return [
        new_markdown_cell(f"## Alaotsikko {slug}"),
        new_code_cell(SECTION_CODE.format(marker=f"merkki-{slug}", rows=rows)),
    ]


@pytest.fixture(scope="module")
def sections():
    """Three sections from notebooks run in one kernel; the middle one spans several pages."""
    rows = {"yhteenveto": 3, "keskusvirasto": 90, "strategia": 3}
    nb = new_notebook(cells=[cell for slug, n in rows.items() for cell in _cells(slug, n)])
    NotebookClient(nb, kernel_name="python3").execute()
    parts = [
        new_notebook(cells=nb.cells[2 * i : 2 * i + 2], metadata={"title": TITLES[slug]})
        for i, slug in enumerate(rows)
    ]
    return [
        Section(slug, TITLES[slug], section_fragment(part), section_pdf(part, page_numbers=False))
        for slug, part in zip(rows, parts, strict=True)
    ]


@pytest.fixture(scope="module")
def review(sections, tmp_path_factory):
    out = tmp_path_factory.mktemp("review")
    return stitch(sections, COVER, out)


@pytest.fixture(scope="module")
def soup(review):
    html_path, _ = review
    return BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def pdf(review):
    _, pdf_path = review
    return PdfReader(pdf_path)


def test_writes_only_the_two_files(review):
    html_path, pdf_path = review
    assert sorted(p.name for p in html_path.parent.iterdir()) == ["review.html", "review.pdf"]
    assert pdf_path.read_bytes().startswith(b"%PDF")


def test_html_has_cover_and_contents_linking_to_each_section(soup):
    assert soup.html["lang"] == "fi"
    cover = soup.select_one(".cover").get_text(" ", strip=True)
    assert cover == "KEMIN KAUPUNKI TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022 Kesäkuu 2022"
    toc = [(a["href"], a.get_text()) for a in soup.select("nav.toc a")]
    assert toc == [(f"#{slug}", title) for slug, title in TITLES.items()]
    assert [s["id"] for s in soup.select("section")] == list(TITLES)


def test_each_section_has_previous_contents_and_next_links(soup):
    def links(slug):
        nav = soup.select_one(f"section#{slug} nav.section-nav")
        return [(a.get("rel", [""])[0], a["href"]) for a in nav.select("a")]

    assert links("yhteenveto") == [("", "#sisallys"), ("next", "#keskusvirasto")]
    assert links("keskusvirasto") == [("prev", "#yhteenveto"), ("", "#sisallys"), ("next", "#strategia")]
    assert links("strategia") == [("prev", "#keskusvirasto"), ("", "#sisallys")]
    assert soup.select_one("#sisallys").name == "nav"


def test_html_is_self_contained_with_the_outputs(soup, review):
    html = review[0].read_text(encoding="utf-8")
    assert "table.figures" in soup.style.string
    assert len(soup.select('section img[src^="data:image/png;base64,"]')) == 3
    assert soup.select("section table.figures tr.total")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "plt.subplots" not in html


def test_pdf_pages_are_a4(pdf):
    for page in pdf.pages:
        assert abs(float(page.mediabox.width) - 595.3) < 1
        assert abs(float(page.mediabox.height) - 841.9) < 1


def _section_pages(pdf):
    return [pdf.get_destination_page_number(item) for item in pdf.outline]


def test_pdf_has_one_bookmark_per_section(pdf):
    assert [item.title for item in pdf.outline] == list(TITLES.values())


def test_each_section_starts_on_a_new_page(pdf):
    starts = _section_pages(pdf)
    assert starts[0] >= 2  # after the cover and the contents
    assert starts == sorted(set(starts))
    assert starts[2] - starts[1] >= 2  # the long section spans pages
    slugs = list(TITLES)
    for i, start in enumerate(starts):
        text = pdf.pages[start].extract_text()
        assert TITLES[slugs[i]] in text
        assert f"merkki-{slugs[i]}" in text
        if i:
            assert f"merkki-{slugs[i - 1]}" not in text


def test_contents_give_each_section_page_number(pdf):
    contents = pdf.pages[1].extract_text()
    assert "Sisällys" in contents
    for title, start in zip(TITLES.values(), _section_pages(pdf), strict=True):
        assert re.search(rf"{re.escape(title)}[ .…]*{start + 1}\b", contents)


def test_page_numbers_run_through_but_not_on_cover(pdf):
    total = len(pdf.pages)
    assert "Sivu" not in pdf.pages[0].extract_text()
    assert f"Sivu {total} / {total}" in pdf.pages[-1].extract_text()
    assert f"Sivu 3 / {total}" in pdf.pages[2].extract_text()


def test_header_and_footer_name_the_review_and_the_section(pdf):
    start = _section_pages(pdf)[1]
    text = pdf.pages[start + 1].extract_text()
    assert COVER.title in text and COVER.organisation in text and "Keskusvirasto" in text
    assert "Sivu" not in "".join(page.extract_text() for page in pdf.pages[:1])


def test_contents_link_to_the_sections_pages(pdf):
    links = [annot.get_object() for annot in pdf.pages[1]["/Annots"]]
    targets = [pdf.get_page_number(link["/Dest"][0]) for link in links if link["/Subtype"] == "/Link"]
    assert list(dict.fromkeys(targets)) == _section_pages(pdf)  # a link may be drawn in several pieces
    assert {str(link["/Contents"]) for link in links} == set(TITLES.values())


def test_pdf_names_its_title_and_author(pdf):
    assert pdf.metadata.title == f"{COVER.organisation} – {COVER.title}"
    assert pdf.metadata.author == COVER.organisation


def test_duplicate_slugs_are_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match="yhteenveto"):
        stitch([Section("yhteenveto", "A", "", b""), Section("yhteenveto", "B", "", b"")], COVER, tmp_path)
    assert not any(tmp_path.iterdir())


def _texts(pdf):
    return [page.extract_text() for page in pdf.pages]


def test_a_kept_frame_serves_only_the_same_titles_and_page_counts(sections, pdf, tmp_path):
    frames = tmp_path / "frames"
    for name in ("first", "again"):
        _, path = stitch(sections, COVER, tmp_path / name, frames)
        assert _texts(PdfReader(path)) == _texts(pdf)
    assert len(list(frames.iterdir())) == 1 + 3 + 3  # the frame, each section's stamped pages and count

    long = sections[1]
    shorter = [sections[0], Section(long.slug, long.title, long.html, sections[2].pdf), sections[2]]
    _, path = stitch(shorter, COVER, tmp_path / "shorter", frames)
    short = PdfReader(path)
    total = len(short.pages)
    assert len(list(frames.iterdir())) == 2 * (1 + 3) + 3  # the same three sections' page counts
    assert total < len(pdf.pages)
    assert f"Sivu {total} / {total}" in short.pages[-1].extract_text()
    assert [short.get_destination_page_number(item) for item in short.outline] == [2, 3, 4]

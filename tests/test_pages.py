"""Page furniture: the running header and footer stamped on laid-out pages, as artifacts."""

import io

import pikepdf
import pytest
from pypdf import PdfReader

from katsaus.render.pages import css_string, furniture, stamp, to_bytes

pytestmark = pytest.mark.unit


def test_css_string_cannot_end_the_string_or_the_style_element():
    assert str(css_string('a "b" \\ </style>\nc')) == "a \\22 b\\22  \\5C  \\3C /style\\3E \\A c"


def test_furniture_carries_title_section_organisation_and_page_numbers():
    titles = ["", "Keskusvirasto", "Keskusvirasto"]
    laid_out = furniture(titles, 'OSAVUOSIKATSAUS "1-6/2022" </style>', "KEMIN KAUPUNKI")
    pages = PdfReader(io.BytesIO(laid_out)).pages

    assert len(pages) == 3
    text = pages[1].extract_text()
    assert 'OSAVUOSIKATSAUS "1-6/2022" </style>' in text
    assert "KEMIN KAUPUNKI" in text and "Keskusvirasto" in text
    assert "Sivu 2 / 3" in text
    assert "Keskusvirasto" not in pages[0].extract_text()


def test_stamp_leaves_the_skipped_pages_bare_and_marks_the_rest_as_artifacts():
    pdf = pikepdf.new()
    for _ in range(2):
        pdf.add_blank_page(page_size=(595.28, 841.89))
    stamp(pdf, furniture(["", ""], "OTSIKKO", "KAUPUNKI"), skip=1)
    pages = PdfReader(io.BytesIO(to_bytes(pdf))).pages

    assert pages[0].extract_text() == ""
    assert "Sivu 2 / 2" in pages[1].extract_text()
    operators = [str(op) for _, op in pikepdf.parse_content_stream(pdf.pages[1])]
    assert operators[-5:] == ["BMC", "q", "Do", "Q", "EMC"]
    assert pikepdf.parse_content_stream(pdf.pages[1])[-5][0] == [pikepdf.Name.Artifact]

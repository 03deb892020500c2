"""Page furniture: the running header and footer stamped on laid-out pages."""

import io

from pypdf import PdfReader, PdfWriter

from katsaus.pages import css_string, furniture, stamp


def test_css_string_cannot_end_the_string_or_the_style_element():
    assert str(css_string('a "b" \\ </style>\nc')) == "a \\22 b\\22  \\5C  \\3C /style\\3E \\A c"


def test_furniture_carries_title_organisation_and_page_numbers():
    pages = PdfReader(io.BytesIO(furniture(3, 'OSAVUOSIKATSAUS "1-6/2022" </style>', "KEMIN KAUPUNKI"))).pages

    assert len(pages) == 3
    text = pages[1].extract_text()
    assert 'OSAVUOSIKATSAUS "1-6/2022" </style>' in text
    assert "KEMIN KAUPUNKI" in text
    assert "Sivu 2 / 3" in text


def test_stamp_leaves_the_skipped_pages_bare():
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595.28, 841.89)
    stamp(writer, furniture(2, "OTSIKKO", "KAUPUNKI"), skip=1)

    assert writer.pages[0].extract_text() == ""
    assert "Sivu 2 / 2" in writer.pages[1].extract_text()

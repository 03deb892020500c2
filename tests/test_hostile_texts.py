"""Text that comes from the data reaches the review as text: a '$' in a unit's name is a dollar sign in a
chart, an image is shown only from the data folder (embedded), and laying out a page fetches nothing but
the review's own assets, so the review's HTML loads nothing from elsewhere when it is opened."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from katsaus.display import charts
from katsaus.inputs.texts import parse_text, render_markdown
from katsaus.period import Period
from katsaus.render import pages
from reviews import edit, katsaus

pytestmark = pytest.mark.e2e

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
EXTERNAL = re.compile(
    r"""\b(?:src|srcset|poster|data)\s*=\s*["']?\s*(?:https?:|//|file:)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:|//|file:)"""
    r"""|url\(\s*["']?\s*(?:https?:|//|file:)|@import\s+["']?(?:https?:|//|file:)""",
    re.IGNORECASE,
)  # what makes a browser load something when the page is opened


def test_a_dollar_in_a_unit_name_is_printed_as_written():
    names = {"64110000": r"Yksikkö $\undefinedmacro{x}$ 5 $", "64120000": "Palvelut $x^2$"}
    heading = {"kind": "heading", "ta": None, "actual": None, "forecast": None}
    costs = {"label": "TOIMINTAKULUT", "kind": "line", "ta": -1e5, "actual": -4e4, "forecast": -9e4}
    rows = pd.DataFrame(
        [{**heading, "code": code, "label": name} for code, name in names.items()]
        + [{**costs, "code": code} for code in names]
    )
    figure = charts.expenses_by_unit(rows, Period(2022, 6))
    assert charts.png(figure).startswith(b"\x89PNG")  # drawing it does not parse the names as mathtext
    labels = {label.get_text().replace("\n", " ") for label in figure.axes[0].get_yticklabels()}
    assert labels == set(names.values())


def test_markdown_shows_no_image_it_was_not_given():
    html = render_markdown("Kuva: ![kaavio](http://example.org/x.png) ja ![toinen](kuva.png)")
    assert "<img" not in html and "example.org" not in html and "kaavio" in html


def test_an_image_of_the_data_folder_is_embedded(tmp_path):
    folder = tmp_path / "texts" / "2022-06"
    folder.mkdir(parents=True)
    (folder / "kaavio.png").write_bytes(PNG)
    text = parse_text(
        "---\ndepartment: '1'\nresponsible: N.N.\n---\nKuva ![kaavio](kaavio.png)\n",
        folder / "x.md",
        tmp_path,
    )
    html = render_markdown(text.narrative, text.images)
    assert '<img src="data:image/png;base64,' in html and "kaavio.png" not in html


def test_laying_out_a_page_fetches_nothing_from_the_web_or_other_files(server, tmp_path):
    address, hits = server
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    document = pages.render(
        f'<html><head><link rel="stylesheet" href="{address}/style.css">'
        f'<style>@import url("{address}/i.css");'
        f'p {{ background: url("{address}/bg.png") }}</style></head><body><img src="{address}/x.png">'
        f'<img src="file://{secret}"><p>Sivu</p></body></html>'
    )
    assert len(document.pages) == 1
    assert hits == []


def test_a_local_image_is_embedded_in_the_review_and_nothing_else_is_loaded(published, server):
    """A narrative's image from the data folder is in the review as a data: URI; the review's HTML, its
    sections' pages and fragments refer to nothing outside themselves."""
    data, output, _ = published
    _, hits = server
    (data / "texts" / "2022-06" / "kaavio.png").write_bytes(PNG)
    edit(
        data / "texts" / "2022-06" / "keskusvirasto.md",
        "Keskusviraston osalta",
        "![Kaavio](kaavio.png)\n\nKeskusviraston osalta",
    )
    result = katsaus("report", "--period", "2022-06", data=data, output=output)
    assert result.returncode == 0, result.stderr[-3000:]
    review = output / "2022-06"
    html = (review / "review.html").read_text(encoding="utf-8")
    assert re.search(
        r'<img (alt="Kaavio" src="data:image/png;base64,|src="data:image/png;base64,[^"]*" alt="Kaavio")',
        html,
    )
    for page in [review / "review.html", *review.glob("sections/*.html"), *review.glob("fragments/*.html")]:
        found = EXTERNAL.findall(page.read_text(encoding="utf-8"))
        assert not found, (page.name, found[:3])
    assert hits == []

import json
import math

import pytest

from katsaus.display.texts import proposal_table, text_part
from katsaus.errors import InputError
from katsaus.inputs.tables import load_table
from katsaus.inputs.texts import MARKDOWN, load_texts, parse_amount, parse_text, render_markdown
from katsaus.paths import DATA, ROOT

pytestmark = pytest.mark.unit

SEED = ROOT / "tests" / "fixtures" / "seed"

FRONT = '---\ndepartment: "64400000"\nresponsible: Liisa Niiranen\n'
PROPOSAL_FRONT = (
    FRONT + "proposal:\n  netto: menot - tulot\n  units:\n"
    '    Ikäihmisten palvelut: ["64440000"]\n    Muut: "64450000"\n---\n'
)
TABLE = (
    "Lautakunta esittää muutokset:\n\n"
    "|  | Menot | Tulot | Netto |\n|---|---|---|---|\n"
    "| Ikäihmisten palvelut | + 2 000 000 | +950 000 | + 1 050 000 |\n"
    "| Muut | -20 200 | 541,8 |  |\n"
    "| Yhteensä | + 1 979 800 | 950 541,8 | + 1 050 000 |\n"
)


def test_a_text_without_proposal():
    text = parse_text(FRONT + "---\n## Otsikko\n\nEnsimmäinen kappale.\n\nToinen kappale.\n")
    assert (text.department, text.responsible, text.proposal) == ("64400000", "Liisa Niiranen", None)
    assert text.narrative == "## Otsikko\n\nEnsimmäinen kappale.\n\nToinen kappale."


def test_raw_html_and_scripts_come_out_as_text():
    source = (
        FRONT
        + "---\n<script>alert(1)</script>\n\nKuva <img src=x onerror=alert(1)> [a](javascript:alert(1))\n"
    )
    html = text_part(parse_text(source), "esitys", "Esitys")._repr_html_()
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_responsible_person_is_escaped():
    html = text_part(
        parse_text('---\ndepartment: "1"\nresponsible: <b onmouseover=x>Nimi</b>\n---\nTeksti.'),
        "esitys",
        "Esitys",
    )._repr_html_()
    assert "<b" not in html and "&lt;b onmouseover=x&gt;Nimi&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('---\ndepartment: "64400000"\n---\nTeksti.', "lacks 'responsible'"),
        ("---\nresponsible: Liisa Niiranen\n---\nTeksti.", "lacks 'department'"),
        ("Teksti ilman etutietoja.", "lacks 'department'"),
        ('---\ndepartment: "1\nresponsible: [x\n---\nTeksti.', "not valid YAML"),
    ],
)
def test_front_matter_errors_name_the_file_and_the_problem(source, message):
    with pytest.raises(InputError, match=message) as error:
        parse_text(source, "texts/2022-06/perusturvatoimiala.md")
    assert str(error.value).startswith("texts/2022-06/perusturvatoimiala.md")


def test_a_proposal_table_keeps_its_cells_as_written():
    text = parse_text(PROPOSAL_FRONT + "## Otsikko\n\nKappale.\n\n" + TABLE + "\nLopuksi.\n")
    proposal = text.proposal
    assert text.narrative == "## Otsikko\n\nKappale."
    assert text.closing == "Lopuksi."
    assert proposal.intro == "Lautakunta esittää muutokset:"
    assert proposal.netto == "menot - tulot"
    assert proposal.units == {"Ikäihmisten palvelut": ["64440000"], "Muut": ["64450000"]}
    assert list(proposal.table.columns) == ["", "Menot", "Tulot", "Netto"]
    assert proposal.table.values.tolist()[0] == [
        "Ikäihmisten palvelut",
        "+ 2 000 000",
        "+950 000",
        "+ 1 050 000",
    ]
    amounts = proposal.amounts()
    assert amounts.loc["Muut", "Tulot"] == 541.8 and math.isnan(amounts.loc["Muut", "Netto"])
    assert amounts.loc["Yhteensä", "Menot"] == 1979800


def test_the_proposal_table_marks_the_total_and_escapes_cells():
    source = PROPOSAL_FRONT.replace("Muut", "<script>x</script>") + TABLE.replace(
        "Muut", "<script>x</script>"
    )
    html = proposal_table(parse_text(source).proposal, "esitys", "Esitys")._repr_html_()
    assert html.startswith('<table class="proposal">')
    assert '<tr class="total"><td>Yhteensä</td>' in html
    assert "<script>" not in html and "<td>&lt;script&gt;x&lt;/script&gt;</td>" in html
    assert "<td>+ 2 000 000</td>" in html


@pytest.mark.parametrize(
    ("front", "table", "message"),
    [
        (
            PROPOSAL_FRONT,
            TABLE.replace("| Muut | -20 200 | 541,8 |  |", "| Muut | -20 200 |"),
            "'Muut' has 2 cells",
        ),
        (PROPOSAL_FRONT, TABLE.replace("| Muut | -20 200 | 541,8 |  |\n", ""), "rows without units: \\[\\]"),
        (PROPOSAL_FRONT.replace("    Muut", "    Ikäihmiset"), TABLE, "rows without units: \\['Muut'\\]"),
        (PROPOSAL_FRONT, TABLE.replace("541,8", "n. 500"), "not a number"),
        (PROPOSAL_FRONT.replace("menot - tulot", "netto"), TABLE, "'netto' must be"),
        (FRONT + "---\n", TABLE, "lacks 'proposal'"),
        (PROPOSAL_FRONT, "Ei taulukkoa.", "no proposal table"),
    ],
)
def test_proposal_errors(front, table, message):
    with pytest.raises(InputError, match=message):
        parse_text(front + table, "x.md")


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("+ 1 310 855", 1310855),
        ("+1 421 212", 1421212),
        ("-20 200", -20200),
        ("\u2212 631 000", -631000),
        ("0", 0),
        ("672700", 672700),
        ("541,8", 541.8),
        ("1\u00a0175\u00a0000", 1175000),
    ],
)
def test_parse_amount(cell, value):
    assert parse_amount(cell) == value


@pytest.mark.parametrize("cell", ["n. 500", "1 2", "1.5", "+-1", "12 €"])
def test_parse_amount_refuses_what_is_not_a_number(cell):
    with pytest.raises(ValueError):
        parse_amount(cell)


def test_load_texts(tmp_path):
    folder = tmp_path / "texts" / "2022-06"
    assert load_texts(tmp_path, "2022-06") == {}
    folder.mkdir(parents=True)
    (folder / "perusturvatoimiala.md").write_bytes(("\ufeff" + FRONT + "---\nTeksti.\n").encode())
    (folder / "muistio.txt").write_text("ei lueta")
    texts = load_texts(tmp_path, "2022-06")
    assert list(texts) == ["64400000"] and texts["64400000"].narrative == "Teksti."
    (folder / "kopio.md").write_text(FRONT + "---\nToinen.\n", encoding="utf-8")
    with pytest.raises(InputError, match="another file"):
        load_texts(tmp_path, "2022-06")


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    folder = tmp_path / "texts" / "2022-06"
    folder.mkdir(parents=True)
    (folder / "ymparistotoimiala.md").write_bytes((FRONT + "---\nYmpäristö\n").encode("latin-1"))
    with pytest.raises(InputError, match="ymparistotoimiala.md.*not UTF-8"):
        load_texts(tmp_path, "2022-06")


def test_render_markdown_shows_tables():
    assert "<table>" in render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n")


# The sample data against the published review


def paragraphs(markdown: str) -> tuple[list[str], list[str]]:
    """The headings and paragraphs of Markdown, as inline source."""
    tokens = MARKDOWN.parse(markdown)
    pairs = [(tokens[i - 1].type, token.content) for i, token in enumerate(tokens) if token.type == "inline"]
    return [c for t, c in pairs if t == "heading_open"], [c for t, c in pairs if t == "paragraph_open"]


def test_the_sample_texts_reproduce_the_published_review():
    seed = json.loads((SEED / "narratives.json").read_text(encoding="utf-8"))["departments"]
    organisation = load_table(DATA, "organisation")
    codes = dict(zip(organisation["name"], organisation["code"], strict=True))
    texts = load_texts(DATA, "2022-06")
    assert sorted(texts) == sorted(codes[d["department"]] for d in seed)
    for department in seed:
        text = texts[codes[department["department"]]]
        assert text.responsible == department["responsible_person"]
        headings, paras = paragraphs(text.narrative)
        assert headings == [department["heading"]]
        published = department["budget_change_proposal"]
        if published is None:
            assert text.proposal is None
            assert paras == department["paragraphs"]
            continue
        proposal = text.proposal
        assert paras + [proposal.intro] == department["paragraphs"]
        assert proposal.intro == published["intro"]
        assert list(proposal.table.columns) == published["header"]
        assert proposal.table.values.tolist() == [[row["label"], *row["cells"]] for row in published["rows"]]
        amounts = proposal.amounts()
        for row in published["rows"]:
            assert dict(zip(published["columns"], amounts.loc[row["label"]], strict=True)) == row["values"]

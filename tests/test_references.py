"""A text names a figure instead of typing it: the build prints it from the tables' figures, refuses an
unknown one with the file and line, and rebuilds the text when the figure changes."""

import json

import pytest

from katsaus.build.steps import build_section
from katsaus.display.review import Review
from katsaus.errors import InputError
from katsaus.figures import references
from katsaus.inputs.tables import load_inputs
from katsaus.inputs.texts import parse_text
from katsaus.organisation import Organisation
from katsaus.paths import ROOT
from katsaus.period import Period
from reviews import edit, katsaus, snapshot
from test_incremental import change_ledger_amount, data, keys  # noqa: F401 (data is a fixture)
from test_validation import PERIOD, check, write

pytestmark = pytest.mark.e2e

FRONT = '---\ndepartment: "1100"\nresponsible: Anna A\n---\n'
SEED = json.loads((ROOT / "tests" / "fixtures" / "seed" / "operating.json").read_text(encoding="utf-8"))


def review_of(folder) -> Review:
    inputs = load_inputs(folder)
    return Review.compute_from(inputs, PERIOD, Organisation(inputs.organisation))


@pytest.fixture
def small(tmp_path):
    return review_of(write(tmp_path))


def fill(review, body: str) -> str:
    text = parse_text(FRONT + body, "toimiala-a.md")
    return references.fill(text, review.figures, review.organisation).narrative


@pytest.mark.parametrize(
    ("reference", "printed"),
    [
        ("1100 TOIMINTAKULUT toteuma", "-460"),  # 1110: -200 - 210, 1120: -50
        ("1100 toimintakulut ylitys", "50"),  # TA -3 000, TP-ennuste -3 050
        ("1100 TOIMINTATUOTOT ylitys", "100"),  # TA 1 200, TP-ennuste 1 300
        ("1100 TOIMINTAKATE ennuste-ta", "50"),  # -1 800 → -1 750
        ("1100 TOIMINTAKATE ta tuhatta 2", "-1,80"),
        ("1100 TOIMINTAKULUT ennuste milj 3", "-0,003"),
        ("1110 TOIMINTAKULUT toteuma-%", "17 %"),  # 410 / 2 400
        ("1120 TOIMINTATUOTOT ta", "0"),
    ],
)
def test_a_reference_prints_the_figure_in_the_review_format(small, reference, printed):
    assert fill(small, f"Luku on {{{{ {reference} }}}} euroa.") == f"Luku on {printed} euroa."


def test_every_reference_of_the_text_is_filled(small):
    body = "Menot {{1100 TOIMINTAKULUT ylitys}} €.\n\nTulot {{ 1100 TOIMINTATUOTOT toteuma }} €."
    assert fill(small, body) == "Menot 50 €.\n\nTulot 100 €."


def test_a_figure_the_period_does_not_have_is_printed_as_missing(tmp_path):
    review = review_of(write(tmp_path, forecast_2022_csv="year,made_month,cost_centre,account,amount\n"))
    assert fill(review, "{{ 1100 TOIMINTAKULUT ylitys }}") == references.MISSING


@pytest.mark.parametrize(
    ("reference", "named"),
    [
        ("1199 TOIMINTAKULUT ylitys", "no such cost centre"),
        ("1100 VEROTULOT ylitys", "no such line"),
        ("1100 TOIMINTAKULUT budjetti", "no such quantity"),
        ("1100 TOIMINTAKULUT ta miljoonaa", "no such scale"),
        ("1100 TOIMINTAKULUT ta euroa 3", "decimals are a whole number from 0 to 2"),
        ("1100 TOIMINTAKULUT", "write a cost centre, a line, a quantity"),
    ],
)
def test_an_unknown_reference_names_the_file_and_line(small, reference, named):
    text = parse_text(FRONT + f"Ensin.\n\nLuku {{{{ {reference} }}}}.\n", "toimiala-a.md")
    with pytest.raises(InputError) as raised:
        references.fill(text, small.figures, small.organisation)
    assert str(raised.value).startswith("toimiala-a.md, row 7: {{ " + reference + " }}: " + named)


def test_the_checks_list_every_unknown_reference_as_an_error(tmp_path):
    body = (
        FRONT
        + "Luku {{ 1199 TOIMINTAKULUT ta }}.\n\nToinen {{ 1100 TOIMINTAKULUT ta }} ja {{ 1100 X ta }}.\n"
    )
    outcome = check(write(tmp_path, texts_2022_06_toimiala_a_md=body))
    errors = [e for e in outcome.errors if e.rule == references.RULE]
    assert [(e.file.rsplit("/", 1)[-1], e.row, e.value) for e in errors] == [
        ("toimiala-a.md", 5, "1199"),
        ("toimiala-a.md", 7, "X"),
    ]


def test_a_build_with_an_unknown_reference_stops_and_leaves_the_review(published):
    folder, output, before = published
    text = folder / "texts" / "2022-06" / "perusturvatoimiala.md"
    edit(text, "453 353 euroa", "{{ 64490000 TOIMINTAKATE ylitys }} euroa")
    result = katsaus("report", "--period", "2022-06", data=folder, output=output)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        "perusturvatoimiala.md, row 26: {{ 64490000 TOIMINTAKATE ylitys }}: no such cost centre"
        in result.stderr
    )
    assert snapshot(output) == before


def test_a_text_naming_another_units_figure_is_rebuilt_when_that_figure_changes(data, tmp_path):  # noqa: F811
    text = data / "texts" / "2022-06" / "ymparistotoimiala.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n{{ 64410000 TOIMINTAKATE toteuma }}\n", "utf-8")
    before = keys(data, tmp_path, "before")
    change_ledger_amount(data, "64410000")
    after = keys(data, tmp_path, "after")
    assert sorted(name for name in before if before[name] != after[name]) == [
        "perusturvatoimiala",
        "yhteenveto",
        "ymparistotoimiala",
    ]


def published_figure(code: str, line: str, column: str) -> int:
    return next(r[column] for r in SEED["records"] if (r["cost_center"], r["line"]) == (code, line))


def test_a_text_rewritten_with_references_rebuilds_with_the_right_figures(data, tmp_path):  # noqa: F811
    """One euro more in a ledger row of 64310000: the rebuilt section prints its new margin to date."""
    text = data / "texts" / "2022-06" / "hyvinvointitoimiala.md"
    edit(text, "906 298 euroa", "{{ 64300000 TOIMINTAKULUT ylitys }} euroa")
    edit(text, "1,17 milj.", "{{ 64300000 TOIMINTATUOTOT ylitys milj 2 }} milj.")
    edit(
        text,
        "Hallintopalvelujen tuloalitus",
        "Hallintopalvelujen kate {{ 64310000 TOIMINTAKATE toteuma }} €;",
    )
    margin = published_figure("64310000", "TOIMINTAKATE", "actual")

    def built() -> str:
        (html,) = [
            p
            for p in build_section(Period(2022, 6), "hyvinvointitoimiala", data, tmp_path / "out")
            if p.suffix == ".html"
        ]
        return html.read_text(encoding="utf-8")

    first = built()
    assert "menot ylittyisivät 906 298 euroa" in first and "ylittyvät ennusteen mukaan 1,17 milj." in first
    assert f"Hallintopalvelujen kate {margin:,} €;".replace(",", " ") in first
    change_ledger_amount(data, "64310000")
    second = built()
    assert f"Hallintopalvelujen kate {margin + 1:,} €;".replace(",", " ") in second
    assert "{{" not in second

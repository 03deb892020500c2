"""Typed figures of the texts and the KPI tables' sums are checked against the tables; the sample's
published contradictions (tests/fixtures/contradictions.json, read off the seed) are all flagged."""

import json

import pytest

from katsaus.checks import quotes
from katsaus.checks.kpi_sums import DECLARED_RULE, SUM_RULE
from katsaus.checks.proposals import TOTAL_RULE
from katsaus.display.review import Review
from katsaus.inputs.tables import load_inputs
from katsaus.inputs.texts import parse_text
from katsaus.organisation import Organisation
from katsaus.paths import DATA, ROOT
from test_validation import PERIOD, check, write

pytestmark = pytest.mark.unit

EXPECTED = json.loads((ROOT / "tests" / "fixtures" / "contradictions.json").read_text(encoding="utf-8"))
FRONT = '---\ndepartment: "1100"\nresponsible: Anna A\n---\n'


@pytest.fixture(scope="module")
def sample():
    return check(DATA)


def place(finding) -> tuple[str, int]:
    return finding.file.split("data/", 1)[-1], finding.row


def test_every_typed_figure_the_published_tables_contradict_is_flagged_with_the_figure_it_should_be(sample):
    warnings = {(place(w), w.value): w for w in sample.warnings if w.rule == quotes.RULE}
    for item in EXPECTED["narratives"]:
        warning = warnings[((item["file"], item["line"]), item["quoted"])]
        assert f"'{item['quoted']}'" in warning.message
        assert f"{item['should_be']} €" in warning.message, warning.message


def test_correct_quotes_raise_no_warning(sample):
    """Only the contradicted figures and the two that no figure of the tables shows are flagged."""
    flagged = sorted((*place(w), w.value) for w in sample.warnings if w.rule == quotes.RULE)
    expected = [
        (i["file"], i["line"], i["quoted"]) for i in EXPECTED["narratives"] + EXPECTED["not_in_tables"]
    ]
    assert flagged == sorted(expected)
    assert sample.errors == []
    checked = next(c for c in sample.checked if c.rule == quotes.RULE).checked
    assert checked > 3 * len(expected)  # the agreeing quotes were compared too


def test_every_kpi_sum_and_proposal_total_the_rows_contradict_is_flagged(sample):
    for rule, items in ((SUM_RULE, EXPECTED["kpis"]), (TOTAL_RULE, EXPECTED["proposals"])):
        found = {(place(w), w.column): w for w in sample.warnings if w.rule == rule}
        for item in items:
            warning = found[((item["file"], item.get("row", item.get("line"))), item["column"])]
            assert warning.value == item["quoted"] and item["should_be"] in warning.message
    flagged = sorted((*place(w), w.column) for w in sample.warnings if w.rule == SUM_RULE)
    assert flagged == sorted((i["file"], i["row"], i["column"]) for i in EXPECTED["kpis"])


@pytest.mark.parametrize(
    ("written", "value", "tolerance"),
    [
        ("1,2 milj. euroa", 120_000_000, 5_000_000),
        ("345 000 euroa", 34_500_000, 50_000),
        ("12 tuhatta euroa", 1_200_000, 50_000),
        ("94 766 euron", 9_476_600, 100),
        ("noin 2 miljoonaa", 200_000_000, 50_000_000),
    ],
)
def test_amounts_are_read_with_their_unit_and_rounding(written, value, tolerance):
    (quote,) = quotes.quotes(parse_text(FRONT + f"Menot ylittyvät {written}.\n", "x.md"))
    assert (quote.line, quote.value, quote.at(quote.scale)[1]) == (5, value, tolerance)


def test_percentages_dates_and_counts(tmp_path):
    text = parse_text(
        FRONT + "Käynnit 30.5.2022: 23 työntekijää,\n\ntoteuma 12 % ja 12,5 prosenttia.\n", "x.md"
    )
    assert [(q.text, q.line, q.value, q.scale) for q in quotes.quotes(text)] == [
        ("12 %", 7, 12, "%"),
        ("12,5 prosenttia", 7, 12.5, "%"),
    ]


def small(tmp_path, sentence: str):
    """The small data set of test_validation with a text of department 1100 saying `sentence`."""
    folder = write(tmp_path, texts_2022_06_toimiala_a_md=FRONT + sentence + "\n")
    inputs = load_inputs(folder)
    review = Review.compute_from(inputs, PERIOD, Organisation(inputs.organisation))
    text = parse_text((folder / "texts/2022-06/toimiala-a.md").read_text(encoding="utf-8"), "toimiala-a.md")
    return quotes.quote_checks([text], review.figures, review.organisation)


def test_quotes_that_agree_with_the_figures_do_not_warn(tmp_path):
    """1100's expenses: TA -3 000 €, to date -460 € (15 %), forecast -3 050 €; income forecast 1 300 €."""
    checked, findings = small(
        tmp_path, "Menot ylittyvät 50 euroa, toteuma 15 %, tulot 1 300 euroa ja kate -1,75 tuhatta euroa."
    )
    assert (checked.checked, findings) == (4, [])


def test_a_quote_that_matches_no_figure_names_the_nearest(tmp_path):
    checked, findings = small(tmp_path, "Tulot ovat 1 250 euroa.\n\nToteuma on 25 %.")
    amount, share = findings
    assert (amount.file, amount.row, amount.value) == ("toimiala-a.md", 5, "1 250 euroa")
    assert "'1 250 euroa' matches none" in amount.message
    assert "the nearest is TOIMINTATUOTOT TP-ennuste − TP of 1100 TOIMIALA A: 1 210 €" in amount.message
    assert (share.row, share.value) == (7, "25 %")


def test_a_quote_in_the_wrong_unit_names_the_figure_read_in_another(tmp_path):
    checked, (finding,) = small(tmp_path, "Tulot ylittyvät 1,3 euroa.")
    assert "1 300 €" in finding.message and "read in 1000 €" in finding.message


KPIS = """department,result_area,responsible,label,tp,ta,actual,forecast,sum_of
1100,Hallinto,Anna A,Asiakkaat,10,"12,5",6,12,2
1100,Hallinto,Anna A,alle 18 v.,4,"2,5",-,5,
1100,Hallinto,Anna A,18 v. täyttäneet,6,10,3,8,
1100,Hallinto,Anna A,Käynnit,,1 000,,,3
"""


def test_a_kpi_row_declared_a_sum_is_checked_against_the_rows_below_it(tmp_path):
    """tp and ta add up, actual has a text cell and is not compared, forecast is 12 against 13."""
    outcome = check(write(tmp_path, kpis_2022_06_csv=KPIS))
    (forecast,) = [w for w in outcome.warnings if w.rule == SUM_RULE]
    assert (forecast.row, forecast.column, forecast.value) == (2, "forecast", "12")
    assert forecast.message == "'Asiakkaat' is 12 but the 2 rows below it sum to 13"
    (beyond,) = [e for e in outcome.errors if e.rule == DECLARED_RULE]
    assert (beyond.row, beyond.column, beyond.value) == (5, "sum_of", "3")


def test_a_kpi_file_without_sum_of_is_read_as_before(tmp_path):
    outcome = check(write(tmp_path))
    assert next(c for c in outcome.checked if c.rule == SUM_RULE).checked == 0

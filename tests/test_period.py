import pytest

from katsaus.errors import ParameterError
from katsaus.period import Period

pytestmark = pytest.mark.unit


def test_labels_follow_the_period():
    """The half-year review is titled and headed as the published one."""
    period = Period.parse("2022-06")
    assert period.title == "TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022"
    assert period.month_name == "Kesäkuu 2022"
    assert period.heads == {
        "tp": "TP 2021",
        "ta": "TA 2022",
        "actual": "Toteuma 1-6/2022",
        "pct": "Toteuma-%",
        "forecast": "TP-ENNUSTE 2022",
    }
    assert period.kpi_heads[3] == "TOTEUMA 1-6/2022"


@pytest.mark.parametrize(
    ("text", "title", "months"),
    [
        ("2022-03", "TAMMI-MAALISKUUN OSAVUOSIKATSAUS 2022", "1-3/2022"),
        ("2022-12", "TILINPÄÄTÖSKATSAUS 2022", "1-12/2022"),
        ("2023-01", "TAMMIKUUN OSAVUOSIKATSAUS 2023", "1/2023"),
    ],
)
def test_other_periods(text, title, months):
    period = Period.parse(text)
    assert (period.title, period.months, str(period)) == (title, months, text)


@pytest.mark.parametrize("text", ["2022-13", "2022-00", "2022-6", "22-06", "2022-06; rm -rf /", ""])
def test_a_malformed_period_is_refused_with_the_expected_form(text):
    with pytest.raises(ParameterError, match="YYYY-MM"):
        Period.parse(text)

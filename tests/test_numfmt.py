import pytest

from katsaus.figures.numbers import number, pct, percent, round_cents

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("cents", "unit", "expected"),
    [(150, 100, 2), (-150, 100, -2), (149, 100, 1), (-149, 100, -1), (3_754_499_99, 100_000, 3754)],
)
def test_rounding_is_half_away_from_zero(cents, unit, expected):
    assert round_cents(cents, unit) == expected


@pytest.mark.parametrize(
    ("actual", "budget", "expected"),
    [
        (1946, 3458, 56),
        (-3306, -2746, 120),
        (6037, -2932 * 1, -206),
        (1, 0, None),
        (0, 0, None),
        (0, 5, 0),
        (1, 200, 1),
    ],
)
def test_percent_of_budget(actual, budget, expected):
    assert percent(actual, budget) == expected


def test_finnish_number_format():
    assert number(-9692876) == "-9 692 876"
    assert number(0) == "0"
    assert number(None) == ""
    assert pct(56) == "56 %"
    assert pct(-121) == "-121 %"
    assert pct(999) == "999 %"


@pytest.mark.parametrize(("value", "printed"), [(1000, ">999 %"), (-83414, "<-999 %"), (-999, "-999 %")])
def test_a_percentage_beyond_three_digits_is_capped(value, printed):
    assert pct(value) == printed

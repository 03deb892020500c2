"""Actuals by month or as the year's totals: a full year builds from either, an interim period needs months.

Each test writes a small data folder (CSV files) and computes the figures it expects itself."""

from __future__ import annotations

import pytest

from katsaus.cli import main
from katsaus.errors import InputError
from katsaus.inputs.folder import check_period
from katsaus.inputs.tables import load_inputs
from katsaus.period import Period
from test_availability import POSTINGS, folder, printed, review, thousands, write

pytestmark = pytest.mark.unit


def annual(year: int) -> list[tuple]:
    return [(year, centre, account, euros) for account, centre, euros in POSTINGS]


def test_annual_only_actuals_build_the_full_year(tmp_path):
    data = folder(tmp_path)
    header = ["year", "cost_centre", "account", "amount"]  # no month column: the year's totals
    write(data / "ledger" / "2022.csv", header, annual(2022))
    write(data / "ledger" / "2021.csv", ["year", "month", "cost_centre", "account", "amount"],
          [(2021, "", c, a, e) for _, c, a, e in annual(2021)], ";")  # fmt: skip
    inputs = load_inputs(data)
    assert set(inputs.ledger["month"]) == {0}
    check_period(inputs, Period(2022, 12))
    summary = printed(review(data, "2022-12").summary_table())
    expenses = thousands(-6000)
    assert summary["TOIMINTAKULUT"][0] == expenses and summary["TOIMINTAKULUT"][2] == expenses
    assert summary["TOIMINTAKULUT"][3] == f"{round(100 / 1.1)} %"


def test_an_interim_period_from_annual_actuals_is_refused(tmp_path, capsys):
    data = folder(tmp_path)
    write(data / "ledger" / "2022.csv", ["year", "cost_centre", "account", "amount"], annual(2022))
    with pytest.raises(InputError) as error:
        check_period(load_inputs(data), Period(2022, 6))
    text = str(error.value)
    assert (
        "2022.csv" in text and "row 2" in text and "[rule: an interim period needs monthly actuals]" in text
    )
    status = main(["validate", "--period", "2022-06", "--data", str(data), "--output", str(tmp_path / "out")])
    assert status == 2
    assert "an interim period needs monthly actuals" in capsys.readouterr().err

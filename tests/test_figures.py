import pandas as pd
import pytest

from katsaus.figures.lines import operating_rows, period_figures, summary_rows
from katsaus.inputs.tables import Inputs
from katsaus.organisation import Organisation
from katsaus.period import Period

pytestmark = pytest.mark.unit


def frame(columns, rows):
    return pd.DataFrame(rows, columns=columns)


@pytest.fixture
def inputs():
    """A city with one department of two units, a ledger over two years, a budget and two forecasts."""
    org = frame(
        ["code", "name", "parent", "order"],
        [("1", "CITY", "", 1), ("10", "DEPT", "1", 1), ("11", "UNIT A", "10", 1), ("12", "UNIT B", "10", 2)],
    )
    accounts = frame(
        ["account", "name", "line"],
        [
            ("3000", "Myynti", "TOIMINTATUOTOT"),
            ("4000", "Palkat", "TOIMINTAKULUT"),
            ("5000", "Vero", "Verotulot"),
        ],
    )
    ledger = frame(
        ["year", "month", "cost_centre", "account", "amount"],
        [
            (2021, 5, "11", "3000", 100.0),
            (2022, 1, "11", "3000", 50.4),
            (2022, 2, "11", "4000", -200.0),
            (2022, 7, "11", "4000", -999.0),
            (2022, 3, "12", "4000", -10.2),
            (2022, 1, "1", "5000", 1000.0),
        ],
    )
    budget = frame(
        ["year", "cost_centre", "account", "amount"],
        [(2022, "11", "3000", 100.0), (2022, "11", "4000", -400.0), (2022, "12", "4000", 0.0)],
    )
    forecast = frame(
        ["year", "made_month", "cost_centre", "account", "amount"],
        [(2022, 3, "11", "4000", -390.0), (2022, 6, "11", "4000", -420.0)],
    )
    return Inputs(org, accounts, ledger, budget, forecast)


def test_figures_roll_up_the_hierarchy(inputs):
    org = Organisation(inputs.organisation)
    figures = period_figures(inputs, Period(2022, 6), org)
    assert figures.loc[("11", "TOIMINTAKULUT"), "actual"] == -20000
    assert figures.loc[("10", "TOIMINTAKULUT"), "actual"] == -21020
    assert figures.loc[("1", "TOIMINTATUOTOT"), "tp"] == 10000
    assert figures.loc[("1", "Verotulot"), "actual"] == 100000
    assert figures.loc[("10", "TOIMINTAKULUT"), "forecast"] == -42000


def test_the_latest_forecast_made_by_the_period_is_used(inputs):
    org = Organisation(inputs.organisation)
    assert period_figures(inputs, Period(2022, 4), org).loc[("11", "TOIMINTAKULUT"), "forecast"] == -39000
    assert period_figures(inputs, Period(2022, 2), org)["forecast"].isna().all()


def test_operating_table_rows(inputs):
    org = Organisation(inputs.organisation)
    rows = operating_rows(period_figures(inputs, Period(2022, 6), org), org, ["11", "12", "10"])
    assert rows["label"].tolist() == [
        "11 UNIT A", "TOIMINTATUOTOT", "TOIMINTAKULUT", "TOIMINTAKATE",
        "12 UNIT B", "TOIMINTAKULUT", "TOIMINTAKATE",
        "10 DEPT", "TOIMINTATUOTOT", "TOIMINTAKULUT", "TOIMINTAKATE",
    ]  # fmt: skip
    margin = rows.iloc[3]
    assert (margin["ta"], margin["actual"], margin["pct"], margin["forecast"]) == (-300, -150, 50, -420)
    assert rows.iloc[1]["actual"] == 50  # 50.40 € prints as 50
    assert pd.isna(rows.iloc[5]["pct"]) and rows.iloc[5]["missing"]["pct"]  # a budget of 0: no %, a reason
    kemi = operating_rows(period_figures(inputs, Period(2022, 6), org), org, ["12"], zero_budget="0 %")
    assert kemi.iloc[1]["pct"] == 0 and "pct" not in kemi.iloc[1]["missing"]  # the published convention


def test_summary_in_thousands(inputs):
    org = Organisation(inputs.organisation)
    rows = summary_rows(period_figures(inputs, Period(2022, 6), org), org).set_index("label")
    assert rows.loc["Verotulot", "actual"] == 1
    assert rows.loc["VUOSIKATE", "kind"] == "total"
    assert "YLIJÄÄMÄ / ALIJÄÄMÄ" in rows.index

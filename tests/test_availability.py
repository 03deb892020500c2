"""What the data lacks is printed as missing, with a reason, and reported once by the checks.

Each test writes a small data folder (CSV files) and computes the figures it expects itself."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from htmltables import tables
from katsaus.checks import rules
from katsaus.display.review import Review
from katsaus.figures import lines
from katsaus.inputs.tables import load_inputs
from katsaus.organisation import Organisation
from katsaus.period import Period
from katsaus.plan import Tables

pytestmark = pytest.mark.e2e

ORGANISATION = [("1", "KAUPUNKI", "", 1), ("10", "TOIMIALA", "1", 1), ("11", "YKSIKKÖ A", "10", 1)]
ACCOUNTS = [
    ("3000", "Myyntituotot", "TOIMINTATUOTOT"),
    ("4000", "Palkat", "TOIMINTAKULUT"),
    ("5000", "Kunnan tulovero", "Verotulot"),
    ("5500", "Valtionosuudet", "Valtionosuudet"),
    ("5600", "Korkotuotot", "Rahoitustuotot ja -kulut"),
    ("6000", "Poistot", "Poistot ja arvonalentumiset"),
]
# (account, cost centre, euros) of a year, posted evenly over its months in the monthly ledger.
POSTINGS = [
    ("3000", "11", 1200.0),
    ("4000", "11", -6000.0),
    ("5000", "1", 4800.0),
    ("5500", "1", 2400.0),
    ("5600", "1", 120.0),
    ("6000", "1", -600.0),
]
BUDGET = [(account, centre, euros * 1.1) for account, centre, euros in POSTINGS]


def write(path: Path, header: list[str], rows: list[tuple], separator: str = ",") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = [separator.join(header), *(separator.join(str(v) for v in row) for row in rows)]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")


def monthly(year: int, postings=POSTINGS) -> list[tuple]:
    return [
        (year, m, centre, account, euros / 12) for m in range(1, 13) for account, centre, euros in postings
    ]


def folder(
    tmp_path: Path,
    accounts=ACCOUNTS,
    ledger=None,
    budget=BUDGET,
    forecast=True,
) -> Path:
    """A data folder: by default a ledger of 2022 only (no previous year), a budget and a forecast of 2022."""
    data = tmp_path / "data"
    write(data / "organisation.csv", ["code", "name", "parent", "order"], ORGANISATION)
    write(data / "accounts.csv", ["account", "name", "line"], accounts)
    write(
        data / "ledger" / "2022.csv",
        ["year", "month", "cost_centre", "account", "amount"],
        ledger or monthly(2022),
    )
    write(
        data / "budget" / "2022.csv",
        ["year", "cost_centre", "account", "amount"],
        [(2022, *r[1::-1], r[2]) for r in budget],
    )
    rows = [(2022, 6, centre, account, euros) for account, centre, euros in BUDGET] if forecast else []
    (data / "forecast").mkdir()
    if rows:
        write(
            data / "forecast" / "2022.csv", ["year", "made_month", "cost_centre", "account", "amount"], rows
        )
    return data


def review(data: Path, period: str, tables: Tables | None = None, note_at: str | None = "summary") -> Review:
    inputs = load_inputs(data)
    return Review.compute_from(
        inputs, Period.parse(period), Organisation(inputs.organisation), tables, note_at
    )


def thousands(euros: float) -> str:
    value = int((Decimal(str(euros)) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{value:,}".replace(",", " ")


def printed(table) -> dict[str, list[str]]:
    """A figure table's rows by label, as the review prints it: the cells after the label."""
    [table] = tables(table._repr_html_())
    return {row[0]: row[1:] for row in table["rows"][1:] if len(row) > 1}


def gap_warnings(data: Path, period: str) -> list:
    inputs = load_inputs(data)
    _, gaps = lines.compute(inputs, Period.parse(period), Organisation(inputs.organisation))
    check, findings = rules.gaps(gaps, inputs)
    assert check.failed == len(findings)
    return findings


def test_a_year_without_ledger_data_leaves_the_tp_column_missing(tmp_path):
    data = folder(tmp_path)
    built = review(data, "2022-06")
    summary = printed(built.summary_table())
    assert all(cells[0] == "–" for cells in summary.values())  # TP 2021: no 0 anywhere
    income = sum(euros for account, _, euros in POSTINGS if account == "3000") / 2
    assert summary["TOIMINTATUOTOT"][2] == thousands(income)  # the half year's actuals are there
    city = printed(built.city_table())
    assert all(cells[0] == "–" for cells in city.values())
    [warning] = gap_warnings(data, "2022-06")
    assert warning.file.endswith("ledger/") and warning.column == "tp" and "2021" in warning.message
    assert "TP 2021" in built.gaps_note()


def test_no_forecast_leaves_the_column_missing_everywhere_and_is_noted_once(tmp_path):
    data = folder(tmp_path, forecast=False)
    built = review(data, "2022-06")
    summary = printed(built.summary_table())
    assert set(summary) >= {"Verotulot", "Valtionosuudet", "Rahoitustuotot ja -kulut", "VUOSIKATE"}
    assert all(cells[-1] == "–" for cells in summary.values())  # financing rows included
    assert all(cells[-1] == "–" for cells in printed(built.department_table("10")).values())
    assert "TP-ennustetta ei ole vielä tehty kaudelle 1-6/2022" in built.gaps_note()
    assert built.gaps_note("10") == ""  # said where the reader first meets it, not again
    assert "TP-ennustetta" in review(data, "2022-06", note_at=None).gaps_note("10")  # a section alone
    assert [w.column for w in gap_warnings(data, "2022-06")] == ["tp", "forecast"]


def test_the_chart_legend_lists_only_series_with_data(tmp_path):
    from katsaus.display import charts

    built = review(folder(tmp_path, forecast=False), "2022-06")
    fig = charts.expenses_by_unit(built.operating_rows(["11"], "department"), built.period)
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert legend == ["TA 2022", "Toteuma 1-6/2022"]


def test_a_chart_is_drawn_once_for_the_same_figures_and_again_when_they_or_the_language_change(
    tmp_path, monkeypatch
):
    from katsaus import i18n
    from katsaus.display import charts

    built = review(folder(tmp_path), "2022-06")
    rows = built.operating_rows(["11"], "department")
    drawn = []
    draw = charts.expenses_by_unit
    monkeypatch.setattr(charts, "expenses_by_unit", lambda *args: drawn.append(args) or draw(*args))
    monkeypatch.setattr(charts, "_drawn", {})

    first = charts.expenses_png(rows, built.period)
    assert charts.expenses_png(rows.copy(), built.period) == first and len(drawn) == 1
    changed = rows.copy()
    changed.loc[changed["kind"] == "line", "actual"] -= 1000
    assert charts.expenses_png(changed, built.period) != first and len(drawn) == 2
    with i18n.speaking("sv"):
        assert charts.expenses_png(rows, built.period) != first and len(drawn) == 3


def test_a_line_without_accounts_is_missing_and_so_is_every_total_over_it(tmp_path):
    accounts = [row for row in ACCOUNTS if row[2] != "Verotulot"]
    postings = [row for row in POSTINGS if row[0] != "5000"]
    data = folder(
        tmp_path, accounts, monthly(2021, postings) + monthly(2022, postings), BUDGET[:2] + BUDGET[3:]
    )
    summary = printed(review(data, "2022-12").summary_table())
    assert summary["Verotulot"] == ["–"] * 5
    for total in ("VUOSIKATE", "TILIKAUDEN TULOS", "YLIJÄÄMÄ / ALIJÄÄMÄ"):
        assert summary[total] == ["–"] * 5, total
    margin = sum(euros for account, _, euros in postings if account in ("3000", "4000"))
    assert summary["TOIMINTAKATE YHTEENSÄ"][:3] == [
        thousands(margin),
        thousands(margin * 1.1),
        thousands(margin),
    ]
    assert summary["Valtionosuudet"][2] == thousands(2400)
    [warning] = gap_warnings(data, "2022-12")
    assert warning.file.endswith("accounts.csv") and "Verotulot" in warning.message


def test_a_line_without_postings_in_a_column_is_missing_there(tmp_path):
    budget = [row for row in BUDGET if row[0] != "5500"]  # no state grants budgeted
    data = folder(tmp_path, ledger=monthly(2021) + monthly(2022), budget=budget)
    summary = printed(review(data, "2022-12").summary_table())
    assert summary["Valtionosuudet"][:3] == [thousands(2400), "–", thousands(2400)]
    assert summary["Valtionosuudet"][3] == "–"  # no Toteuma-% of a missing budget
    assert summary["VUOSIKATE"][1] == "–" and summary["VUOSIKATE"][0] != "–"
    assert summary["TOIMINTAKATE YHTEENSÄ"][1] == thousands(-4800 * 1.1)
    [warning] = gap_warnings(data, "2022-12")
    assert warning.column == "ta" and "Valtionosuudet" in warning.message and warning.file.endswith("budget/")


def test_an_optional_line_without_accounts_is_left_out_and_the_totals_stand(tmp_path):
    data = folder(tmp_path, ledger=monthly(2021) + monthly(2022))
    summary = printed(review(data, "2022-12").summary_table())
    assert "Satunnaiset erät" not in summary and "Varausten ja rahastojen muutos" not in summary
    result = sum(euros for _, _, euros in POSTINGS)
    assert summary["TILIKAUDEN TULOS"][:3] == [thousands(result), thousands(result * 1.1), thousands(result)]
    assert summary["YLIJÄÄMÄ / ALIJÄÄMÄ"] == summary["TILIKAUDEN TULOS"]
    assert gap_warnings(data, "2022-12") == []


@pytest.mark.parametrize(
    ("budget", "actual", "zero_budget", "expected"),
    [
        (0.0, 500.0, "–", "–"),  # nothing to compare with: not 0 %
        (0.0, 500.0, "0 %", "0 %"),  # the published convention, where the plan keeps it
        (0.01, -834.14, "–", "<-999 %"),  # a budget near 0: no five-digit percentage
        (1000.0, 560.0, "–", "56 %"),
    ],
)
def test_realisation_percentages(tmp_path, budget, actual, zero_budget, expected):
    postings = [("3000", "11", actual), ("4000", "11", -1000.0)]
    budgets = [("3000", "11", budget), ("4000", "11", -1000.0)]
    ledger = [(2022, 1, c, a, e) for a, c, e in postings]
    data = folder(tmp_path, ACCOUNTS[:2], ledger, budgets)
    rows = review(data, "2022-06", Tables(zero_budget=zero_budget)).department_table("10")._repr_html_()
    [table] = tables(rows)
    assert table["rows"][2][0] == "TOIMINTATUOTOT" and table["rows"][2][4] == expected
    if expected == "–":
        assert 'title="TA on 0' in rows


def test_accounts_map_to_sub_lines_and_the_plan_chooses_the_detail(tmp_path):
    accounts = [
        ("3000", "Myynti", "Myyntituotot"),
        ("3200", "Maksut", "MAKSUTUOTOT"),
        ("3900", "Muut", "TOIMINTATUOTOT"),
        ("4000", "Palkat", "Henkilöstökulut"),
        ("4300", "Ostot", "Palvelujen ostot"),
        ("4800", "Varastojen muutos", "Varastojen muutos"),
        *ACCOUNTS[2:],
    ]
    postings = [("3000", "11", 100.0), ("3200", "11", 50.0), ("3900", "11", 7.0), ("4000", "11", -300.0),
                ("4300", "11", -200.0), ("4800", "11", -20.0)]  # fmt: skip
    ledger = [(2022, 1, c, a, e) for a, c, e in postings + POSTINGS[2:]]
    data = folder(tmp_path, accounts, ledger, [(a, c, e) for a, c, e in postings + POSTINGS[2:]])
    main_lines = printed(review(data, "2022-06").department_table("10"))
    assert list(main_lines) == ["TOIMINTATUOTOT", "TOIMINTAKULUT", "Varastojen muutos", "TOIMINTAKATE"]
    assert main_lines["TOIMINTAKATE"][2] == "-363"  # 157 - 500 - 20: the inventory change is in the margin
    detailed = printed(
        review(data, "2022-06", Tables(detail={"department": "sublines"})).department_table("10")
    )
    assert detailed["Myyntituotot"][2] == "100" and detailed["Maksutuotot"][2] == "50"
    assert detailed["muut, erittelemättä"][2] == "7"  # the income mapped to no sub-line
    assert detailed["Henkilöstökulut"][2] == "-300" and detailed["Palvelujen ostot"][2] == "-200"
    assert detailed["TOIMINTATUOTOT"][2] == "157" and detailed["TOIMINTAKATE"][2] == "-363"


def plan_tables(tmp_path, text: str) -> Tables:
    from katsaus.plan import load_plan

    (tmp_path / "review.yaml").write_text(f"sections: []\n{text}", encoding="utf-8")
    return load_plan(Period(2022, 6), {}, tmp_path).tables


def test_the_plan_chooses_the_tables_detail_and_the_zero_budget_convention(tmp_path):
    tables = plan_tables(tmp_path, "tables:\n  detail: {department: sublines}\n  zero_budget: 0 %\n")
    assert (tables.of("department"), tables.of("summary"), tables.zero_budget) == ("sublines", "lines", "0 %")
    assert plan_tables(tmp_path, "") == Tables({}, "–")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("tables:\n  detail: {department: all}\n", "department: 'all'"),
        ("tables:\n  detail: {units: lines}\n", "the tables are summary, city and department"),
        ("tables:\n  zero_budget: '0'\n", "must be one of –, 0 %"),
        ("tables: [lines]\n", "expected keys 'detail'"),
    ],
)
def test_a_plan_with_unknown_table_settings_is_refused(tmp_path, text, words):
    from katsaus.errors import ParameterError

    with pytest.raises(ParameterError, match=re.escape(words)):
        plan_tables(tmp_path, text)

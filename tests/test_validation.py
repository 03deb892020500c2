import json
import math
from dataclasses import replace

import pytest

from katsaus.checks.gate import validate
from katsaus.checks.suites import run_suites
from katsaus.errors import InputError, ParameterError, ValidationFailed
from katsaus.figures.lines import period_figures
from katsaus.figures.references import RULE as REFERENCE_RULE
from katsaus.findings import Table
from katsaus.inputs.kpis import load_kpi_table
from katsaus.inputs.tables import load_inputs
from katsaus.inputs.texts import load_text_files
from katsaus.organisation import Organisation
from katsaus.paths import DATA, EXPECTATIONS
from katsaus.period import Period

pytestmark = pytest.mark.unit

PERIOD = Period(2022, 6)
TEXT = """---
department: "1100"
responsible: Anna A
proposal:
  netto: tulot - menot
  units:
    A1: ["1110"]
    A2: ["1120"]
---
Teksti.

Lautakunta esittää muutokset:

|  | tulot | menot | netto |
| --- | --- | --- | --- |
| A1 | +100 | +100 | 0 |
| A2 | 0 | -50 | +50 |
| Yhteensä | +100 | +50 | +50 |
"""
FILES = {
    "organisation.csv": """code,name,parent,order
1000,KAUPUNKI,,1
1100,TOIMIALA A,1000,1
1110,YKSIKKÖ A1,1100,1
1120,YKSIKKÖ A2,1100,2
1200,TOIMIALA B,1000,2
1210,YKSIKKÖ B1,1200,1
""",
    "accounts.csv": """account,name,line
300000,Myyntituotot,TOIMINTATUOTOT
400000,Palkat,TOIMINTAKULUT
500000,Kunnan tulovero,Verotulot
550000,Valtionosuudet,Valtionosuudet
560000,Korkotuotot,Rahoitustuotot ja -kulut
600000,Poistot,Poistot ja arvonalentumiset
""",
    "ledger/2021.csv": """year;month;cost_centre;account;amount
2021;1;1110;300000;90,00
2021;1;1110;400000;-180,00
2021;1;1120;400000;-40,00
2021;1;1210;400000;-60,00
2021;1;1000;500000;900,00
2021;1;1000;550000;300,00
2021;1;1000;560000;5,00
2021;1;1000;600000;-50,00
""",
    "ledger/2022.csv": """year;month;cost_centre;account;amount
2022;1;1110;300000;100,00
2022;1;1110;400000;-200,00
2022;1;1120;400000;-50,00
2022;1;1210;400000;-70,00
2022;1;1000;500000;1000,00
2022;2;1110;400000;-210,00
2022;1;1000;550000;310,00
2022;1;1000;560000;6,00
2022;1;1000;600000;-55,00
""",
    "budget/2022.csv": """year,cost_centre,account,amount
2022,1110,300000,1200
2022,1110,400000,-2400
2022,1120,400000,-600
2022,1210,400000,-800
2022,1000,500000,12000
2022,1000,550000,3700
2022,1000,560000,70
2022,1000,600000,-660
""",
    "forecast/2022.csv": """year,made_month,cost_centre,account,amount
2022,6,1110,300000,1300
2022,6,1110,400000,-2500
2022,6,1120,400000,-550
2022,6,1210,400000,-800
2022,6,1000,500000,12000
2022,6,1000,550000,3700
2022,6,1000,560000,70
2022,6,1000,600000,-660
""",
    "kpis/2022-06.csv": """department,result_area,responsible,label,tp,ta,actual,forecast
1100,Hallinto,Anna A,Asiakkaat,10,12,6,12
""",
    "texts/2022-06/toimiala-a.md": TEXT,
}


def write(folder, **changes):
    """The small data set, with files replaced (name → text) or edited (name → (old, new))."""
    for name, text in FILES.items():
        change = changes.get(name.replace("/", "_").replace(".", "_").replace("-", "_"))
        if isinstance(change, tuple):
            assert change[0] in text
            text = text.replace(*change)
        elif change is not None:
            text = change
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def check(folder, inputs=None):
    inputs = inputs or load_inputs(folder)
    return validate(inputs, PERIOD, load_text_files(folder, PERIOD), load_kpi_table(folder, PERIOD))


def expectations(outcome) -> int:
    """How many expectations the suites of the tables the outcome checked hold, read off the suites."""
    tables = {c.table for c in outcome.checked if c.kind != "computed"}
    suites = [json.loads((EXPECTATIONS / f"{table}.json").read_text(encoding="utf-8")) for table in tables]
    return sum(len(suite["expectations"]) for suite in suites)


def only(findings, rule):
    found = [f for f in findings if rule in f.rule]
    assert found, [str(f) for f in findings]
    return found


def test_the_sample_data_passes_and_the_published_table_that_does_not_add_up_is_a_warning():
    outcome = check(DATA)
    assert outcome.errors == [], [str(e) for e in outcome.errors]
    outcome.raise_for_errors()
    menot = [w for w in outcome.warnings if w.column == "menot" and "hyvinvointitoimiala.md" in w.file]
    assert len(menot) == 1
    path = DATA / "texts/2022-06/hyvinvointitoimiala.md"
    assert str(menot[0]) == (
        f"{path}, row {line_of(path, '| Yhteensä')}, column 'menot': Yhteensä menot is -906 298 but the rows"
        " sum to +906 299 [rule: a proposal's rows add up to its Yhteensä row]"
    )
    tables = {"organisation", "accounts", "ledger", "budget", "forecast", "codes", "coverage"} | {
        "kpis",
        "texts",
    }
    assert {c.table for c in outcome.checked if c.kind != "computed"} == tables  # no investment table
    assert len([c for c in outcome.checked if c.kind != "computed"]) == expectations(outcome)
    assert all(c.success for c in outcome.checked if c.severity == "error")
    # no rule passes for want of rows, but the references', as the sample's texts name no figure
    assert [(c.table, c.rule) for c in outcome.checked if not c.checked] == [("texts", REFERENCE_RULE)]


def line_of(path, start):
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))


def test_a_small_clean_data_set_has_no_errors_and_no_warnings(tmp_path):
    outcome = check(write(tmp_path))
    assert [str(f) for f in outcome.findings] == []


def test_figures_computed_already_are_checked_as_given(tmp_path):
    """A build hands over the figures it computed; the checks read those, not figures of their own."""
    folder = write(tmp_path)
    inputs = load_inputs(folder)
    computed = period_figures(inputs, PERIOD, Organisation(inputs.organisation))
    computed.loc[("1110", "TOIMINTAKULUT"), "actual"] -= 100
    texts, kpis = load_text_files(folder, PERIOD), load_kpi_table(folder, PERIOD)
    outcome = validate(inputs, PERIOD, texts, kpis, computed=computed)
    (warning,) = only(outcome.warnings, "the sum of its units")
    assert warning.message.startswith(
        "TOIMINTAKULUT of 1100 TOIMIALA A is -460.00 € but its units sum to -461.00 €"
    )
    assert len([c for c in outcome.checked if c.kind != "computed"]) == expectations(outcome)
    # what checks no row: the text names and types no figure, and the KPI table declares no sum
    empty = sorted(c.table for c in outcome.checked if not c.checked)
    assert empty == ["kpis", "kpis", "texts", "texts"]


def test_the_reports(tmp_path):
    outcome = check(write(tmp_path, ledger_2022_csv=("2022;2;1110", "2022;2;<b>9999</b>")))
    folder = outcome.write(tmp_path / "out")
    result = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    assert set(result["seconds"]) >= {"import", "setup", "run", "checks"}
    assert result["success"] is False and result["errors"] == 1
    assert all({"rule", "severity", "success", "checked", "failed"} <= set(c) for c in result["checks"])
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;9999&lt;/b&gt;" in page and "<b>9999" not in page
    assert "<li>" in outcome.appendix_html() and "<b>pääkirja</b>" in outcome.appendix_html()  # in Finnish


def test_an_unknown_cost_centre_in_the_ledger(tmp_path):
    outcome = check(write(tmp_path, ledger_2022_csv=("2022;1;1120;400000", "2022;1;64999999;400000")))
    (error,) = outcome.errors
    assert str(error) == (
        f"{tmp_path}/ledger/2022.csv, row 4, column 'cost_centre': cost centre 64999999 is not in the"
        " organisation [rule: cost centres exist in organisation.csv]"
    )
    assert error.value == "64999999"


def test_an_unknown_account(tmp_path):
    outcome = check(write(tmp_path, ledger_2021_csv=("2021;1;1120;400000", "2021;1;1120;499999")))
    (error,) = only(outcome.errors, "accounts exist in accounts.csv")
    assert (error.file, error.row, error.column, error.value) == (
        f"{tmp_path}/ledger/2021.csv",
        4,
        "account",
        "499999",
    )


def test_an_account_on_no_known_line(tmp_path):
    outcome = check(write(tmp_path, accounts_csv=("Palkat,TOIMINTAKULUT", "Palkat,Toimintakulut")))
    (error,) = only(outcome.errors, "income-statement line")
    assert (error.row, error.column, error.value) == (3, "line", "Toimintakulut")


def test_month_13(tmp_path):
    outcome = check(write(tmp_path, ledger_2022_csv=("2022;2;1110", "2022;13;1110")))
    (error,) = outcome.errors
    assert (error.file, error.row, error.column, error.value) == (
        f"{tmp_path}/ledger/2022.csv",
        7,
        "month",
        13,
    )
    assert "month 13 is not 1–12" in str(
        error
    ) and "[rule: 'month' is a month 1–12, or empty for the year's total]" in str(error)


def test_a_duplicated_ledger_row(tmp_path):
    outcome = check(write(tmp_path, ledger_2022_csv=("2022;2;1110;400000", "2022;1;1110;400000")))
    (error,) = outcome.errors
    assert (error.row, error.column) == (3, "year, month, cost_centre, account")
    assert (
        "another row has the same key (year 2022, month 1, cost_centre 1110, account 400000)" in error.message
    )
    assert "(also row 7)" in error.message


def test_a_budget_for_a_cost_centre_that_does_not_exist(tmp_path):
    outcome = check(write(tmp_path, budget_2022_csv=("2022,1210,400000", "2022,1299,400000")))
    (error,) = only(outcome.errors, "cost centres exist")
    assert (error.file, error.row, error.column, error.value) == (
        f"{tmp_path}/budget/2022.csv",
        5,
        "cost_centre",
        "1299",
    )


def test_actuals_without_a_budget_and_a_budget_without_forecast_are_warnings(tmp_path):
    outcome = check(
        write(
            tmp_path,
            budget_2022_csv=("2022,1210,400000,-800\n", ""),
            forecast_2022_csv=("2022,6,1120,400000,-550\n", ""),
        )
    )
    assert outcome.errors == []
    (budget,) = only(outcome.warnings, "has a budget (TA)")
    assert (budget.file, budget.row, budget.column, budget.value) == (
        f"{tmp_path}/ledger/2022.csv",
        5,
        "cost_centre",
        "1210",
    )
    (forecast,) = only(outcome.warnings, "has a TP-ennuste")
    assert (forecast.file, forecast.row, forecast.value) == (f"{tmp_path}/budget/2022.csv", 4, "1120")


def test_a_hierarchy_cycle(tmp_path):
    outcome = check(write(tmp_path, organisation_csv=("1200,TOIMIALA B,1000", "1200,TOIMIALA B,1210")))
    (error,) = only(outcome.errors, "no cycle")
    assert str(error) == (
        f"{tmp_path}/organisation.csv, row 6, column 'parent': cost centre 1200 is its own ancestor:"
        " 1200 → 1210 → 1200 [rule: the hierarchy has no cycle (no cost centre is its own ancestor)]"
    )


def test_an_orphan_parent_and_a_second_root(tmp_path):
    organisation = FILES["organisation.csv"].replace("1120,YKSIKKÖ A2,1100", "1120,YKSIKKÖ A2,1999")
    organisation = organisation.replace("1200,TOIMIALA B,1000", "1200,TOIMIALA B,")
    outcome = check(write(tmp_path, organisation_csv=organisation))
    (orphan,) = only(outcome.errors, "a parent is a cost centre")
    assert (orphan.row, orphan.column, orphan.value) == (5, "parent", "1999")
    assert "parent 1999 is not a cost centre of the organisation" in str(orphan)
    (root,) = only(outcome.errors, "exactly one root")
    assert (root.row, root.value) == (6, "1200")


def test_a_proposal_that_does_not_add_up_is_a_warning(tmp_path):
    text = TEXT.replace("| Yhteensä | +100 | +50 | +50 |", "| Yhteensä | +100 | -50 | +50 |")
    outcome = check(write(tmp_path, texts_2022_06_toimiala_a_md=text))
    assert outcome.errors == []
    file = f"{tmp_path}/texts/2022-06/toimiala-a.md"
    total = [w for w in outcome.warnings if "Yhteensä row" in w.rule]
    assert [(w.file, w.row, w.column, w.value) for w in total] == [(file, 18, "menot", "-50")]
    assert "Yhteensä menot is -50 but the rows sum to +50" in str(total[0])
    (netto,) = only(outcome.warnings, "netto follows")
    assert (netto.row, netto.column) == (18, "netto")
    outcome.raise_for_errors()


def test_a_proposal_far_from_the_forecast_is_a_warning(tmp_path):
    text = TEXT.replace("| A2 | 0 | -50 | +50 |", "| A2 | 0 | -5 050 | +5 050 |")
    text = text.replace("| Yhteensä | +100 | +50 | +50 |", "| Yhteensä | +100 | -4 950 | +5 050 |")
    outcome = check(write(tmp_path, texts_2022_06_toimiala_a_md=text))
    (warning,) = outcome.warnings
    assert (warning.row, warning.column, warning.value) == (17, "menot", "-5 050")
    assert "TP-ennuste - TA of 1120 is -50" in warning.message


def test_a_narrative_and_kpis_for_an_unknown_department(tmp_path):
    outcome = check(
        write(
            tmp_path,
            texts_2022_06_toimiala_a_md=TEXT.replace('department: "1100"', 'department: "1110"'),
            kpis_2022_06_csv=("1100,Hallinto", "1300,Hallinto"),
        )
    )
    kpi, text = only(outcome.errors, "belong")
    assert (text.file, text.row, text.column, text.value) == (
        f"{tmp_path}/texts/2022-06/toimiala-a.md",
        2,
        "department",
        "1110",
    )
    assert (kpi.file, kpi.row, kpi.value) == (f"{tmp_path}/kpis/2022-06.csv", 2, "1300")


def test_a_non_finite_amount(tmp_path):
    inputs = load_inputs(write(tmp_path))
    ledger, budget = (frame["amount"].to_numpy(copy=True) for frame in (inputs.ledger, inputs.budget))
    ledger[2], budget[0] = math.inf, math.nan
    inputs = replace(
        inputs, ledger=inputs.ledger.assign(amount=ledger), budget=inputs.budget.assign(amount=budget)
    )
    outcome = check(tmp_path, inputs)
    infinite, empty = outcome.errors
    assert (infinite.file, infinite.row, infinite.column) == (f"{tmp_path}/ledger/2021.csv", 4, "amount")
    assert "amount inf is not a finite amount of euros" in str(infinite)
    assert (empty.file, empty.row, empty.column) == (f"{tmp_path}/budget/2022.csv", 2, "amount")
    assert "the amount is empty [rule: every row has an amount]" in str(empty)


@pytest.mark.parametrize("amount", [-2e12, 3e12])
def test_an_amount_out_of_range_at_either_end(tmp_path, amount):
    """The amounts are first checked by their smallest and largest value: either one breaking the range
    is found, and named at its row."""
    inputs = load_inputs(write(tmp_path))
    ledger = inputs.ledger["amount"].to_numpy(copy=True)
    ledger[3] = amount
    outcome = check(tmp_path, replace(inputs, ledger=inputs.ledger.assign(amount=ledger)))
    (error,) = outcome.errors
    assert (error.file, error.row, error.column) == (f"{tmp_path}/ledger/2021.csv", 5, "amount")
    assert "finite euros" in error.rule


def test_postings_on_a_department_itself_are_a_warning(tmp_path):
    outcome = check(write(tmp_path, ledger_2022_csv=("2022;1;1120;400000", "2022;1;1100;400000")))
    assert outcome.errors == []
    (total,) = only(outcome.warnings, "sum of its units")
    assert (total.file, total.row, total.column) == ("figures", None, "actual")
    assert total.message.startswith(
        "TOIMINTAKULUT of 1100 TOIMIALA A is -460.00 € but its units sum to -410.00 €"
    )
    (budget,) = only(outcome.warnings, "has a budget (TA)")
    assert budget.value == "1100"


def test_errors_stop_the_build_with_at_most_twenty_listed(tmp_path):
    rows = "".join(f"2022;3;9{n:03d};400000;-1,00\n" for n in range(25))
    outcome = check(write(tmp_path, ledger_2022_csv=FILES["ledger/2022.csv"] + rows))
    with pytest.raises(ValidationFailed) as raised:
        outcome.raise_for_errors()
    assert isinstance(raised.value, InputError)
    text = str(raised.value)
    assert text.startswith("25 input errors stop the build:")
    assert text.count("is not in the organisation") == 20
    assert text.endswith("… and 5 more")
    outcome.write(tmp_path / "out")
    with pytest.raises(ValidationFailed, match=r"problem found: .*/out/validation/index.html$"):
        outcome.raise_for_errors()


def test_an_invalid_suite_is_named(tmp_path):
    (tmp_path / "accounts.json").write_text(
        json.dumps(
            {"name": "accounts", "expectations": [{"type": "expect_no_such_thing", "meta": {"rule": "r"}}]}
        ),
        encoding="utf-8",
    )
    inputs = load_inputs(write(tmp_path / "data"))
    with pytest.raises(ParameterError, match="accounts.json: expectation 1 is not valid"):
        run_suites([Table("accounts", inputs.accounts)], {}, folder=tmp_path)

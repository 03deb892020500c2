"""The data-validation gate: every rule of the data contract checked once per build, before the review.

    outcome = validate(inputs, period, load_text_files(data_dir, period), load_kpi_table(data_dir, period))
    outcome.write(folder)          # folder/validation/result.json and index.html
    outcome.raise_for_errors()     # stop the build on an error; warnings go to the review's appendix

The table rules are Great Expectations suites (expectations/<table>.json, run by katsaus.checks.suites); the
tables' keys, the hierarchy's shape, the figures' totals, the proposal tables, the figures named and typed in
the texts and the KPI tables' sums are checked in pandas (katsaus.checks.rules, katsaus.checks.proposals,
katsaus.figures.references, katsaus.checks.quotes, katsaus.inputs.kpis). What reads the figures is checked
only when the tables have no error.

Only the rows the review reads are checked: the ledger of the year and of the year before (TP), the
budget and the forecasts of the year. Older files may use codes the organisation has since dropped.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from katsaus import i18n, paths
from katsaus.checks import quotes, rules
from katsaus.checks.findings import Table
from katsaus.checks.outcome import Outcome
from katsaus.checks.proposals import proposal_checks
from katsaus.checks.suites import import_in_background, run_suites
from katsaus.figures import investments, lines, references
from katsaus.inputs import kpis
from katsaus.inputs.kpis import load_kpi_table
from katsaus.inputs.tables import SCHEMAS, Inputs, load_inputs
from katsaus.inputs.texts import TextFile, load_text_files
from katsaus.organisation import Organisation
from katsaus.period import Period


def validate(
    inputs: Inputs,
    period: Period,
    texts: list[TextFile] = (),
    kpi_table: pd.DataFrame | None = None,
    cache: Path | None = None,
    computed: pd.DataFrame | None = None,
) -> Outcome:
    """Check the rows the period's review reads; the outcome lists every rule checked and every problem.

    With a `cache` folder, tables validated before are not validated again (katsaus.checks.suite_cache).
    `computed` is the period's figures (katsaus.figures.lines.period_figures) when the caller has them
    already.
    """
    started = time.perf_counter()
    if cache is None:
        import_in_background()  # GX loads while the tables are prepared and their keys checked
    inputs = period_rows(inputs, period)
    org = Organisation(inputs.organisation)
    made = lines.forecast_month(inputs, period)
    tables, parameters = _tables(inputs, period, made, texts, kpi_table), _parameters(inputs, org)
    prepared = time.perf_counter()
    table_checks = [
        *rules.unique_keys(tables),
        *rules.hierarchy(inputs.organisation),
        *investments.gaps(inputs.investments, period),
    ]
    keyed = time.perf_counter()
    run = run_suites(tables, parameters, cache=cache)
    seconds = {"prepare": prepared - started, "keys": keyed - prepared, **run.seconds}
    outcome = Outcome(run.checks, run.findings, seconds)
    started = time.perf_counter()
    outcome.add(*table_checks)
    if not outcome.errors:
        if computed is None:
            computed = lines.period_figures(inputs, period, org)
        gaps = lines.find_gaps(inputs, period)
        outcome.add(rules.gaps(gaps, inputs), *rules.figure_totals(computed, org, gaps))
        outcome.add(*proposal_checks(list(texts), computed, org))
        prose = [file.text for file in texts]
        outcome.add(references.checks(prose, computed, org), quotes.quote_checks(prose, computed, org))
    if kpi_table is not None:
        outcome.add(*kpis.subtotals(kpi_table))
    outcome.seconds["checks"] = time.perf_counter() - started
    return outcome


def period_rows(inputs: Inputs, period: Period) -> Inputs:
    """The ledger of the year and the year before (TP), and the budget, forecasts and investments of the
    year."""
    ledger, budget, forecast = inputs.ledger, inputs.budget, inputs.forecast
    return Inputs(
        inputs.organisation,
        inputs.accounts,
        _where(ledger, ledger["year"].between(period.year - 1, period.year)),
        _where(budget, budget["year"] == period.year),
        _where(forecast, forecast["year"] == period.year),
        _where(inputs.investments, inputs.investments["year"] == period.year),
    )


def _where(frame: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """The rows of `frame` where `rows` holds, without copying a frame that keeps them all."""
    return frame if rows.all() else frame[rows]


def _tables(inputs: Inputs, period: Period, made: int | None, texts, kpi_table) -> list[Table]:
    tables = [Table(name, getattr(inputs, name)) for name in SCHEMAS if name != "investments"]
    if len(inputs.investments):  # the optional table is checked where the data has one
        tables.append(Table("investments", inputs.investments))
    tables += [Table("codes", _codes(inputs)), Table("coverage", _coverage(inputs, period, made))]
    if kpi_table is not None:
        tables.append(Table("kpis", kpi_table))
    if texts:
        tables.append(Table("texts", _text_table(texts)))
    return tables


def _parameters(inputs: Inputs, org: Organisation) -> dict[str, list]:
    """The `$PARAMETER` values of the suites."""
    codes = sorted(org.names)
    return {
        "cost_centres": codes,
        "parent_codes": ["", *codes],
        "accounts": sorted(set(inputs.accounts["account"])),
        "lines": list(lines.LINES),
        "departments": org.departments() if org.root is not None else [],
    }


def _codes(inputs: Inputs) -> pd.DataFrame:
    """The first row of each cost centre in the ledger, the budget and the forecast: their cost centres
    are checked against the organisation by one rule, as GX takes about a second per rule that carries
    a value set of thousands of codes."""
    tables = (inputs.ledger, inputs.budget, inputs.forecast, inputs.investments)
    first = pd.concat([_first_rows(table, table["cost_centre"]) for table in tables], ignore_index=True)
    return first.astype({"cost_centre": "str", "_file": "str"})


def _coverage(inputs: Inputs, period: Period, made: int | None) -> pd.DataFrame:
    """The first row of each cost centre in the year's ledger and (when forecast) in its budget, with the
    cost centre's number of budget rows and of rows in the forecast the review uses."""
    ledger, budget, forecast = inputs.ledger, inputs.budget, inputs.forecast
    sources = {"ledger": _first_rows(ledger, ledger.loc[ledger["year"] == period.year, "cost_centre"])}
    if made is not None:
        sources["budget"] = _first_rows(budget, budget["cost_centre"])
    counted = {"budget_rows": budget, "forecast_rows": forecast[forecast["made_month"] == made]}
    counts = {name: _counts(table) for name, table in counted.items()}
    frames = []
    for source, first in sources.items():
        codes = first["cost_centre"].astype("str")
        rows = {name: codes.map(count).fillna(0).astype("int64") for name, count in counts.items()}
        frames.append(first.assign(cost_centre=codes, source=source, **rows))
    return pd.concat(frames, ignore_index=True).astype({"_file": "str", "source": "str"})


def _first_rows(table: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """The place of each cost centre's first row in `codes` (the cost centres of some rows of `table`)."""
    return table.loc[codes.drop_duplicates().index, ["cost_centre", "_file", "_row"]]


def _counts(table: pd.DataFrame) -> pd.Series:
    """How many rows of `table` each cost centre has."""
    counts = table["cost_centre"].value_counts()
    return counts.set_axis(counts.index.astype("str"))


def _text_table(texts: list[TextFile]) -> pd.DataFrame:
    """One row per text file: its front matter's department and responsible."""
    rows = [
        {
            "department": file.text.department,
            "responsible": file.text.responsible,
            "_file": str(file.path),
            "_row": _front_matter_line(file.source, "department:"),
        }
        for file in texts
    ]
    return pd.DataFrame(rows).astype({"department": "str", "responsible": "str"})


def _front_matter_line(source: str, key: str) -> int:
    lines = source.splitlines()
    return next((n for n, line in enumerate(lines, start=1) if line.startswith(key)), 1)


def save_appendix(prepared: Path, html: str) -> None:
    """Write the data checks' appendix for the notebooks of one build."""
    (prepared / paths.CHECKS).write_text(html, encoding="utf-8")


def appendix_html(
    period: str, data_dir: str | Path, checks: str | Path = "", language: str = i18n.DEFAULT
) -> str:
    """What the data checks covered and every warning, in `language`: the build's (the file `checks`, given
    to a section that reads them), or checked afresh."""
    i18n.use(language)
    if checks:
        return Path(checks).read_text(encoding="utf-8")
    inputs, period = load_inputs(Path(data_dir)), Period.parse(period)
    texts = load_text_files(Path(data_dir), period, language)
    kpis = load_kpi_table(Path(data_dir), period)
    return validate(inputs, period, texts, kpis).appendix_html()

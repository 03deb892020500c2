"""The data-validation gate: every rule of the data contract checked once per build, before the review.

    outcome = check_data(data_dir, period, language)  # or check_folder(data), validate(inputs, period)
    outcome.write(folder)          # folder/validation/result.json and index.html
    outcome.raise_for_errors()     # stop the build on an error; warnings go to the review's appendix

The table rules are Great Expectations suites (expectations/<table>.json, run by katsaus.checks.suites on
the tables of katsaus.checks.tables); the tables' keys and the hierarchy's shape are checked in pandas
(katsaus.checks.rules), and so is what reads the figures (katsaus.checks.consistency): the figures' totals,
the proposal tables, the figures named and typed in the texts, the KPI tables' sums. What reads the figures
is checked only when the tables have no error.

Only the rows the review reads are checked: the ledger of the year and of the year before (TP), the
budget and the forecasts of the year. Older files may use codes the organisation has since dropped.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from katsaus.checks import consistency, rules, tables
from katsaus.checks.outcome import Outcome
from katsaus.checks.suites import import_in_background, run_suites
from katsaus.errors import ValidationFailed
from katsaus.figures import investments, lines
from katsaus.inputs.folder import DataFolder
from katsaus.organisation import Organisation

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from katsaus.inputs.tables import Inputs
    from katsaus.inputs.texts import TextFile
    from katsaus.period import Period


def check_data(data_dir: Path, period: Period, language: str) -> Outcome:
    """Check the data folder at `data_dir` for the period's review, in `language` (check_folder)."""
    return check_folder(DataFolder.read(data_dir, period, language))


def check_folder(
    data: DataFolder, cache: Path | None = None, computed: pd.DataFrame | None = None
) -> Outcome:
    """Check what a data folder read for its period holds (validate)."""
    return validate(data.tables, data.period, data.texts, data.kpi_table, cache, computed)


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
    inputs = tables.period_rows(inputs, period)
    org = Organisation(inputs.organisation)
    made = lines.forecast_month(inputs, period)
    checked = tables.suite_tables(inputs, period, made, texts, kpi_table)
    prepared = time.perf_counter()
    table_checks = [
        *rules.unique_keys(checked),
        *rules.hierarchy(inputs.organisation),
        *investments.gaps(inputs.investments, period),
    ]
    keyed = time.perf_counter()
    run = run_suites(checked, tables.parameters(inputs, org), cache=cache)
    seconds = {"prepare": prepared - started, "keys": keyed - prepared, **run.seconds}
    outcome = Outcome(run.checks, run.findings, seconds)
    started = time.perf_counter()
    outcome.add(*table_checks)
    if not outcome.errors:
        if computed is None:
            computed = lines.period_figures(inputs, period, org)
        outcome.add(*consistency.figure_checks(inputs, period, org, computed, list(texts)))
    outcome.add(*consistency.kpi_checks(kpi_table))
    outcome.seconds["checks"] = time.perf_counter() - started
    return outcome


def admit(data_dir: Path, period: Period, language: str) -> DataFolder:
    """The data folder at `data_dir` read for the period's build, refused at once when its hierarchy has
    not exactly one root, or has a cycle: before anything walks it. The rest is checked by check_folder."""
    data = DataFolder.read(data_dir, period, language)
    findings = [finding for _, found in rules.hierarchy(data.tables.organisation) for finding in found]
    if findings:
        raise ValidationFailed(findings)
    return data

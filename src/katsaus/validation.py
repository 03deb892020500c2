"""The data-validation gate: every rule of the data contract checked once per build, before the review.

    outcome = validate(inputs, period, load_text_files(data_dir, period), load_kpi_table(data_dir, period))
    outcome.write(folder)          # folder/validation/result.json and index.html
    outcome.raise_for_errors()     # stop the build on an error; warnings go to the review's appendix

The table rules are Great Expectations suites (expectations/<table>.json, run by katsaus.suites); the
hierarchy's shape, the figures' totals and the proposal tables are checked in pandas (katsaus.checks,
katsaus.proposals). The figures and proposals are checked only when the tables have no error.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from katsaus import checks, figures, kpis
from katsaus.errors import InputError
from katsaus.inputs import Inputs
from katsaus.organisation import Organisation
from katsaus.outcome import Outcome, ValidationFailed
from katsaus.period import Period
from katsaus.proposals import TextFile, proposal_checks
from katsaus.readers import read_table
from katsaus.suites import Table, run_suites
from katsaus.texts import parse_text

__all__ = ["Outcome", "TextFile", "ValidationFailed", "load_kpi_table", "load_text_files", "validate"]


def validate(
    inputs: Inputs, period: Period, texts: list[TextFile] = (), kpi_table: pd.DataFrame | None = None
) -> Outcome:
    """Check the period's inputs; the outcome lists every rule checked and every problem found."""
    org = Organisation(inputs.organisation)
    made = figures.forecast_month(inputs, period)
    run = run_suites(_tables(inputs, period, made, texts, kpi_table), _parameters(inputs, period, org, made))
    outcome = Outcome(run.checks, run.findings, run.seconds)
    started = time.perf_counter()
    outcome.add(*checks.hierarchy(inputs.organisation), checks.forecast_made(made, period, inputs.forecast))
    if not outcome.errors:
        computed = figures.period_figures(inputs, period, org)
        outcome.add(*checks.figure_totals(computed, org), *proposal_checks(list(texts), computed, org))
    outcome.seconds["checks"] = time.perf_counter() - started
    return outcome


def load_text_files(data_dir: Path, period: Period | str) -> list[TextFile]:
    """The department texts of `texts/<period>/`, each with its file (empty if there are none)."""
    files = []
    for path in sorted((Path(data_dir) / "texts" / str(period)).glob("*.md")):
        try:
            source = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(
                path, "the file is not UTF-8 text; save it as UTF-8", rule="UTF-8 encoding"
            ) from None
        files.append(TextFile(path, source, parse_text(source, path)))
    return files


def load_kpi_table(data_dir: Path, period: Period | str) -> pd.DataFrame | None:
    """The rows of `kpis/<period>.csv` as read (None if the period has no KPI file)."""
    path = Path(data_dir) / "kpis" / f"{period}.csv"
    return read_table(path, kpis.COLUMNS) if path.exists() else None


def _tables(inputs: Inputs, period: Period, made: int | None, texts, kpi_table) -> list[Table]:
    tables = [Table(name, getattr(inputs, name)) for name in ("organisation", "accounts", "ledger", "budget")]
    tables += [Table("forecast", inputs.forecast), Table("coverage", _coverage(inputs, period, made))]
    if kpi_table is not None:
        tables.append(Table("kpis", kpi_table))
    if texts:
        tables.append(Table("texts", _text_table(texts)))
    return tables


def _parameters(inputs: Inputs, period: Period, org: Organisation, made: int | None) -> dict[str, list]:
    """The `$PARAMETER` values of the suites."""
    budget = inputs.budget[inputs.budget["year"] == period.year]
    forecast = inputs.forecast[
        (inputs.forecast["year"] == period.year) & (inputs.forecast["made_month"] == made)
    ]
    codes = sorted(org.names)
    return {
        "cost_centres": codes,
        "parent_codes": ["", *codes],
        "accounts": sorted(set(inputs.accounts["account"])),
        "lines": list(figures.LINES),
        "departments": org.departments() if org.root is not None else [],
        "budgeted_cost_centres": sorted(set(budget["cost_centre"])),
        "forecast_cost_centres": sorted(set(forecast["cost_centre"])),
    }


def _coverage(inputs: Inputs, period: Period, made: int | None) -> pd.DataFrame:
    """The first row of each cost centre in the ledger of the year and, when forecast, in its budget."""
    sources = {"ledger": inputs.ledger[inputs.ledger["year"] == period.year]}
    if made is not None:
        sources["budget"] = inputs.budget[inputs.budget["year"] == period.year]
    frames = [
        rows.drop_duplicates("cost_centre")[["cost_centre", "_file", "_row"]].assign(source=source)
        for source, rows in sources.items()
    ]
    frame = pd.concat(frames, ignore_index=True)
    return frame.astype({"_file": "str", "source": "str"})


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

"""A data folder read once for a period: its tables, and the period's department texts and KPI table as
read. A build hands it to the checks, the figures and the sections' keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from katsaus.errors import InputError, ParameterError
from katsaus.inputs import kpis, strategy
from katsaus.inputs.tables import Inputs, load_inputs
from katsaus.inputs.texts import TextFile, by_department, load_text_files

if TYPE_CHECKING:
    from katsaus.inputs.texts import DepartmentText
    from katsaus.period import Period


@dataclass(frozen=True)
class DataFolder:
    """What a period's review reads from a data folder (docs/data.md)."""

    path: Path
    period: Period
    tables: Inputs
    texts: list[TextFile]
    kpi_table: pd.DataFrame | None

    @classmethod
    def read(cls, path: Path, period: Period, language: str) -> DataFolder:
        """Read the folder at `path`, the texts the review in `language` prints; refuse a period the
        tables cannot build."""
        tables = load_inputs(Path(path))
        check_period(tables, period)
        texts = load_text_files(Path(path), period, language)
        return cls(Path(path), period, tables, texts, kpis.load_kpi_table(path, period))

    def department_texts(self) -> dict[str, DepartmentText]:
        """The texts keyed by department code: one text a department."""
        return by_department(self.texts)

    def kpis(self) -> dict[str, list[kpis.ResultArea]]:
        """The KPI tables' result areas by department code."""
        return kpis.group_kpis(self.kpi_table)

    def check_strategy(self, departments: list[str]) -> None:
        """Refuse a strategy table with a row for a department not among `departments`."""
        strategy.check_strategy(self.path, str(self.period), departments)


def check_period(inputs: Inputs, period: Period) -> None:
    """Refuse a period whose year has no ledger or no budget."""
    for name, table in (("ledger", inputs.ledger), ("budget", inputs.budget)):
        if not (table["year"] == period.year).any():
            raise ParameterError(f"no {name} data for {period.year} (PERIOD={period}); see docs/data.md")
    annual = inputs.ledger[(inputs.ledger["year"] == period.year) & (inputs.ledger["month"] == 0)]
    if period.month < 12 and len(annual):
        raise InputError(
            annual["_file"].iloc[0],
            f"the ledger of {period.year} holds the year's totals (no month), so the period {period.months}"
            f" cannot be built from it; build {period.year}-12, or give the actuals by month",
            row=int(annual["_row"].iloc[0]),
            column="month",
            rule="an interim period needs monthly actuals",
        )

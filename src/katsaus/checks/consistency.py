"""The checks of what reads the figures, made once the tables have no error: the figures' gaps and
totals, the budget-change proposals, the figures the texts name and type, and the KPI tables' sums."""

from __future__ import annotations

from typing import TYPE_CHECKING

from katsaus.checks import kpi_sums, proposals, quotes, rules
from katsaus.figures import lines, references

if TYPE_CHECKING:
    import pandas as pd

    from katsaus.findings import Result
    from katsaus.inputs.tables import Inputs
    from katsaus.inputs.texts import TextFile
    from katsaus.organisation import Organisation
    from katsaus.period import Period


def figure_checks(
    inputs: Inputs, period: Period, org: Organisation, computed: pd.DataFrame, texts: list[TextFile]
) -> list[Result]:
    """The gaps and totals of the period's figures `computed`, and the texts' proposals and figures."""
    gaps = lines.find_gaps(inputs, period)
    prose = [file.text for file in texts]
    return [
        rules.gaps(gaps, inputs),
        *rules.figure_totals(computed, org, gaps),
        *proposals.proposal_checks(list(texts), computed, org),
        references.checks(prose, computed, org),
        quotes.quote_checks(prose, computed, org),
    ]


def kpi_checks(kpi_table: pd.DataFrame | None) -> list[Result]:
    """The KPI rows declared as sums of others, against them (none without a KPI table)."""
    return [] if kpi_table is None else kpi_sums.subtotals(kpi_table)

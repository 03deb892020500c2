"""The parts of the review written by the departments, as the notebooks show them: a department's text
(with the figures it names filled in) and KPI tables, and the strategy tables of every goal. Each is a
`Part` (katsaus.display.texts), a list of its tables as pandas Stylers that displays as the review prints
it:

    kpis = departments.kpi_tables(review, "64400000", data_dir)
    kpis[0].data  # the first result area's table, its cells as written
    display(kpis)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from katsaus import i18n
from katsaus.display.review import note
from katsaus.display.texts import Part, kpi_table, strategy_table, text_part
from katsaus.figures.references import fill, resolved
from katsaus.i18n import _
from katsaus.inputs.kpis import load_kpis
from katsaus.inputs.strategy import load_strategy
from katsaus.inputs.texts import load_texts

if TYPE_CHECKING:
    import pandas as pd

    from katsaus.display.review import Review
    from katsaus.inputs.texts import DepartmentText


def text(review: Review, code: str, data_dir: str | Path) -> Part:
    """Responsible person, budget realisation text and budget-change proposal of a department, with the
    figures its text names filled in; the proposal table, where there is one, is the part's table."""
    period = review.period
    written = load_texts(Path(data_dir), str(period), i18n.language()).get(code)
    if written is None:
        return Part(empty=note(_("No department text has been given for {months}.", months=period.months)))
    title = _("{name}: budget change proposal", name=review.name(code))
    part = text_part(fill(written, review.figures, review.organisation), f"esitys-{code}", title)
    if written.language == i18n.language():
        return part
    finnish = note(_("This text is available in Finnish only."))  # texts fall back to their <name>.md
    return Part(part, f'{finnish}<div lang="{written.language}">{part.before}', f"{part.after}</div>")


def named_figures(review: Review, written: DepartmentText) -> list[tuple[str, str]]:
    """Each figure a department's text names, as `text` fills it in, with its printed value; an unknown
    one is an error naming the file and line (katsaus.figures.references)."""
    return resolved(written, review.figures, review.organisation)


def kpi_tables(review: Review, code: str, data_dir: str | Path) -> Part:
    """The department's Suoritteet/Tunnusluvut tables, one per result area, or a note when none are given."""
    period = review.period
    areas = load_kpis(Path(data_dir), str(period)).get(code, [])
    tables = [
        kpi_table(area, period.kpi_heads, f"suoritteet-{code}-{number}")
        for number, area in enumerate(areas, start=1)
    ]
    missing = note(_("No outputs have been given for {months}.", months=period.months))
    return Part(tables, review.heading(_("Outputs/Key figures")), empty=missing)


def strategy_tables(review: Review, data_dir: str | Path) -> Part:
    """Every strategic goal, each a part of its departments' tables, or a note when none are given."""
    period = review.period
    goals = load_strategy(Path(data_dir), str(period))
    parts = [_goal(review, number, goal, tables) for number, (goal, tables) in enumerate(goals.items(), 1)]
    missing = _("No strategy outcome has been given for {months}.", months=period.months)
    return Part(parts, empty=note(missing))


def _goal(review: Review, number: int, goal: str, tables: dict[str, pd.DataFrame]) -> Part:
    """The strategic goal `number` under its heading: each department's table under its name."""
    tables = [
        strategy_table(
            table,
            review.period.months,
            f"strategia-{number}-{code}",
            f"{goal}: {review.name(code)}",
            review.heading(review.name(code), 3),
        )
        for code, table in tables.items()
    ]
    return Part(tables, review.heading(_("Strategic goal: {goal}", goal=goal)))

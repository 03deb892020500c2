"""The parts of the review written by the departments, as the notebooks show them: a department's text
(with the figures it names filled in) and KPI tables, and the strategy tables of every goal.

    display(HTML(departments.narrative_html(review, "64400000", data_dir)))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from katsaus import i18n
from katsaus.display.review import note
from katsaus.display.texts import kpi_html, strategy_html, text_html
from katsaus.figures.references import fill
from katsaus.i18n import _
from katsaus.inputs.kpis import load_kpis
from katsaus.inputs.strategy import load_strategy
from katsaus.inputs.texts import load_texts

if TYPE_CHECKING:
    from katsaus.display.review import Review


def narrative_html(review: Review, code: str, data_dir: str | Path) -> str:
    """Responsible person, budget realisation text and budget-change proposal of a department, with the
    figures its text names filled in."""
    period = review.period
    text = load_texts(Path(data_dir), str(period), i18n.language()).get(code)
    if text is None:
        return note(_("No department text has been given for {months}.", months=period.months))
    title = _("{name}: budget change proposal", name=review.name(code))
    html = text_html(fill(text, review.figures, review.organisation), f"esitys-{code}", title)
    if text.language == i18n.language():
        return html
    finnish = note(_("This text is available in Finnish only."))  # texts fall back to their <name>.md
    return finnish + f'<div lang="{text.language}">{html}</div>'


def kpis_html(review: Review, code: str, data_dir: str | Path) -> str:
    """The department's Suoritteet/Tunnusluvut tables, or a note when none are given."""
    period = review.period
    areas = load_kpis(Path(data_dir), str(period)).get(code, [])
    tables = "".join(
        kpi_html(area, period.kpi_heads, f"suoritteet-{code}-{number}")
        for number, area in enumerate(areas, start=1)
    )
    missing = note(_("No outputs have been given for {months}.", months=period.months))
    return review.heading(_("Outputs/Key figures")) + (tables or missing)


def goals_html(review: Review, data_dir: str | Path) -> str:
    """Every strategic goal with each department's table, or a note when none are given."""
    period, name = review.period, review.name
    goals = load_strategy(Path(data_dir), str(period))
    parts = [
        review.heading(_("Strategic goal: {goal}", goal=goal))
        + "".join(
            review.heading(name(code), 3)
            + strategy_html(table, period.months, f"strategia-{number}-{code}", f"{goal}: {name(code)}")
            for code, table in departments.items()
        )
        for number, (goal, departments) in enumerate(goals.items(), start=1)
    ]
    missing = _("No strategy outcome has been given for {months}.", months=period.months)
    return "".join(parts) or note(missing)

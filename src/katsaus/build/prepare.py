"""A build's first steps, on the data: read the data folder once, compute and write the figures every
section reads (the prepared folder), check the data, and key each section by what it reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from katsaus import i18n, paths
from katsaus.build.keys import Dependencies
from katsaus.checks import gate
from katsaus.display.review import Review
from katsaus.errors import ParameterError
from katsaus.plan import plan_and_organisation, plan_language

if TYPE_CHECKING:
    from katsaus.inputs.folder import DataFolder
    from katsaus.period import Period
    from katsaus.plan import Plan


@dataclass(frozen=True)
class Prepared:
    """A build's data, read once: the plan, the data folder as read, the period's figures and what each
    section reads."""

    plan: Plan
    data: DataFolder
    review: Review
    dependencies: Dependencies


def prepare(
    period: Period, data_dir: Path, params_dir: Path, folder: Path, language: str | None = None
) -> Prepared:
    """Load the data once and write into `folder` the period's figures every section reads; `params_dir`
    holds the review's plan. From here on this process speaks the review's language (`language`, else
    the plan's)."""
    language = language or plan_language(period, params_dir)
    data = gate.admit(data_dir, period, language)
    plan, org = plan_and_organisation(period, data.tables.organisation, language, params_dir)
    if not plan.sections:
        plan_file = params_dir / "review.yaml"
        raise ParameterError(f"{plan_file}: 'sections' must be a list of the review's sections (found none)")
    i18n.use(plan.language)
    data.check_strategy(org.departments())
    review = Review.compute_from(data.tables, period, org, plan.tables, _first_figures(plan))
    review.save(folder)
    return Prepared(plan, data, review, Dependencies(review, data))


def _first_figures(plan: Plan) -> str | None:
    """The section where the reader first meets the figures: "summary" or a department's code."""
    for section in plan.sections:
        if {"summary", "department"} & set(section.reads):
            return section.parameters.get("department", "summary")
    return None


def check(ready: Prepared, period: Period, folder: Path, failed: Path, cache=None) -> str:
    """Validate the data and return the checks' appendix, also written into `folder` for the notebooks.

    The report goes beside `folder`, or under `failed` when an error stops the build. `cache` is a folder
    of the suites' outcomes (katsaus.checks.suite_cache). The appendix is in the review's language, whichever
    process checks.
    """
    i18n.use(ready.plan.language)
    outcome = gate.check_folder(ready.data, cache, ready.review.figures)
    outcome.write(failed if outcome.errors else folder.parent)
    outcome.raise_for_errors()
    html = outcome.appendix_html()
    (folder / paths.CHECKS).write_text(html, encoding="utf-8")  # katsaus.checks.appendix reads it
    return html


def section_keys(ready: Prepared, names: list[str] | None, checks: str | None) -> tuple[Plan, dict[str, str]]:
    """The plan and the cache keys of its sections (or those named): without the checks' appendix
    `checks`, of the sections that do not read the checks; with it, of those that do."""
    plan = ready.plan
    sections = plan.sections if names is None else [plan.section(name) for name in names]
    return plan, {
        s.name: ready.dependencies.key(s, checks or "")
        for s in sections
        if ("checks" in s.reads) == (checks is not None)
    }

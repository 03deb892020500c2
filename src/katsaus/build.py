"""Build a period's review: prepare the figures once, run the changed sections in parallel, stitch, and
publish the result in one atomic step so `output/<period>/` never holds a half-built review."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from katsaus import paths, publish, stitch
from katsaus.cache import Cache, digest, tree_digest
from katsaus.dependencies import Dependencies
from katsaus.errors import ParameterError
from katsaus.inputs import Inputs, load_inputs
from katsaus.organisation import Organisation
from katsaus.period import Period
from katsaus.review import Review
from katsaus.runner import outputs, run_section
from katsaus.sections import Plan, Section, load_plan
from katsaus.validation import load_kpi_table, load_text_files, validate


def check_period(inputs: Inputs, period: Period) -> None:
    """Refuse a period whose year has no ledger or no budget."""
    for name, table in (("ledger", inputs.ledger), ("budget", inputs.budget)):
        if not (table["year"] == period.year).any():
            raise ParameterError(f"no {name} data for {period.year} (PERIOD={period}); see docs/data.md")


def prepare(period: Period, data_dir: Path, folder: Path, failed: Path) -> tuple[Plan, dict[str, str]]:
    """Load the data once and check it; write the figures and the checks' appendix every section reads;
    return the plan and the sections' cache keys. The validation report goes beside the prepared
    figures, or under `failed` when an error stops the build."""
    inputs = load_inputs(data_dir)
    check_period(inputs, period)
    outcome = validate(inputs, period, load_text_files(data_dir, period), load_kpi_table(data_dir, period))
    outcome.write(failed if outcome.errors else folder.parent)
    outcome.raise_for_errors()
    org = Organisation(inputs.organisation)
    plan = load_plan(period, org.names)
    review = Review.compute_from(inputs, period, org)
    appendix = outcome.appendix_html()
    review.save(folder, inputs.organisation, appendix)
    dependencies = Dependencies(review, data_dir, tree_digest(paths.PACKAGE), appendix)
    return plan, {section.name: dependencies.key(section) for section in plan.sections}


def build_report(period_text: str, data_dir: Path, output: Path, jobs: int | None = None) -> Path:
    """Build output/<period>/review.html and review.pdf; return the published folder."""
    period = str(Period.parse(period_text))
    target, cache, failed = output / period, Cache(output / ".cache"), output / "failed" / period
    with publish.lock(output, period):
        stamp = publish.fingerprint(period, data_dir)
        if publish.up_to_date(target, stamp):
            print(f"{target}: up to date, nothing to build")
            return target
        with publish.staged(output, period) as staging:
            plan, keys = prepare(Period.parse(period), data_dir, staging / "prepared", failed)
            run_sections(plan.sections, keys, period, data_dir, staging, output, cache, jobs)
            _stitch(plan, Period.parse(period), keys, staging, cache)
            publish.record(staging, stamp, keys)
            return publish.publish(staging, target)


def build_section(period_text: str, name: str, data_dir: Path, output: Path) -> list[Path]:
    """Build one section alone into output/sections/<period>/ (notebook, HTML, PDF)."""
    period = str(Period.parse(period_text))
    output.mkdir(parents=True, exist_ok=True)
    folder = output / "sections" / period
    with tempfile.TemporaryDirectory(dir=output, prefix=".section-") as tmp:
        staging = Path(tmp)
        plan, keys = prepare(Period.parse(period), data_dir, staging / "prepared", output / "failed" / period)
        section = plan.section(name)
        run_sections([section], keys, period, data_dir, staging, output, Cache(output / ".cache"))
        folder.mkdir(parents=True, exist_ok=True)
        built = outputs(staging, name)[:3]
        for path in built:
            os.replace(path, folder / path.name)
    return [folder / path.name for path in built]


def run_sections(sections, keys, period, data_dir, staging, output, cache, jobs=None) -> None:
    """Take unchanged sections from the cache; run the others in parallel, one process per core."""
    todo = [s for s in sections if not cache.fetch(keys[s.name], outputs(staging, s.name))]
    started, failed = time.monotonic(), output / "failed" / period
    with tqdm(total=len(sections), initial=len(sections) - len(todo), unit="section") as bar:
        bar.set_description(f"{len(sections) - len(todo)} unchanged")
        if todo:
            _run_parallel(todo, keys, period, data_dir, staging, failed, cache, bar, jobs)
    tqdm.write(f"{len(todo)} of {len(sections)} sections run in {time.monotonic() - started:.1f} s")


def _run_parallel(todo, keys, period, data_dir, staging, failed, cache, bar, jobs) -> None:
    jobs = min(jobs or os.cpu_count() or 1, len(todo))
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(run_section, s, period, data_dir, staging, failed): s for s in todo}
        for future in as_completed(futures):
            section = futures[future]
            future.result()
            cache.store(keys[section.name], outputs(staging, section.name))
            bar.set_description(f"{section.name} done")
            bar.update()


def _stitch(plan: Plan, period: Period, keys: dict[str, str], staging: Path, cache: Cache) -> None:
    """The review from its sections, or from the cache when no section and no title changed."""
    cover = stitch.Cover(plan.organisation, period.title, period.month_name)
    key = digest(repr(cover), *(f"{s.name}/{s.title}/{keys[s.name]}" for s in plan.sections))
    targets = [staging / "review.html", staging / "review.pdf"]
    if cache.fetch(key, targets):
        return
    stitch.stitch([_part(s, staging) for s in plan.sections], cover, staging)
    cache.store(key, targets)


def _part(section: Section, staging: Path) -> stitch.Section:
    *_, fragment, pdf = outputs(staging, section.name)
    return stitch.Section(section.name, section.title, fragment.read_text(encoding="utf-8"), pdf.read_bytes())

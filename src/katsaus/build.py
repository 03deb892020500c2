"""Build a period's review: prepare the figures once, run the changed sections in parallel while the data
is checked, stitch, and publish the result in one atomic step so `output/<period>/` never holds a
half-built review."""

from __future__ import annotations

import multiprocessing.pool
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from katsaus import i18n, opendata, paths, publish, workers
from katsaus.cache import Cache, digest, tree_digest
from katsaus.checks import hierarchy
from katsaus.dependencies import Dependencies
from katsaus.errors import InputError, ParameterError
from katsaus.inputs import Inputs, load_inputs
from katsaus.organisation import Organisation
from katsaus.period import Period
from katsaus.review import Review, save_appendix
from katsaus.sections import Plan, Section, load_plan, outputs, outputs_of, plan_language, translations
from katsaus.strategy import check_strategy
from katsaus.validation import ValidationFailed, load_kpi_table, load_text_files, validate


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


def check_organisation(inputs: Inputs) -> None:
    """Refuse a hierarchy without exactly one root, or with a cycle, before anything walks it."""
    findings = [finding for _, found in hierarchy(inputs.organisation) for finding in found]
    if findings:
        raise ValidationFailed(findings)


@dataclass(frozen=True)
class Prepared:
    """A build's data, read once: the plan, the input tables, the period's figures and what each section
    reads."""

    plan: Plan
    inputs: Inputs
    review: Review
    dependencies: Dependencies


def prepare(period: Period, data_dir: Path, folder: Path, language: str | None = None) -> Prepared:
    """Load the data once and write into `folder` the period's figures every section reads; from here on
    this process speaks the review's language (`language`, else the plan's)."""
    inputs = load_inputs(data_dir)
    check_period(inputs, period)
    check_organisation(inputs)
    language = language or plan_language(period)
    plan = load_plan(period, Organisation(inputs.organisation, language=language).names, language)
    if not plan.sections:
        plan_file = paths.PARAMS / "review.yaml"
        raise ParameterError(f"{plan_file}: 'sections' must be a list of the review's sections (found none)")
    i18n.use(plan.language)
    org = Organisation(inputs.organisation, plan.names, plan.codes, language)
    check_strategy(data_dir, str(period), org.departments())
    review = Review.compute_from(inputs, period, org, plan.tables, _first_figures(plan))
    review.save(folder)
    dependencies = Dependencies(review, data_dir, tree_digest(paths.PACKAGE), plan.language)
    return Prepared(plan, inputs, review, dependencies)


def _first_figures(plan: Plan) -> str | None:
    """The section where the reader first meets the figures: "summary" or a department's code."""
    for section in plan.sections:
        if section.notebook.stem == "summary" or "department" in section.parameters:
            return section.parameters.get("department", "summary")
    return None


def check(ready: Prepared, period: Period, data_dir: Path, folder: Path, failed: Path, cache=None) -> str:
    """Validate the data and return the checks' appendix, also written into `folder` for the notebooks.

    The report goes beside `folder`, or under `failed` when an error stops the build. `cache` is a folder
    of the suites' outcomes (katsaus.suite_cache).
    """
    texts, kpis = load_text_files(data_dir, period, ready.plan.language), load_kpi_table(data_dir, period)
    outcome = validate(ready.inputs, period, texts, kpis, cache, ready.review.figures)
    outcome.write(failed if outcome.errors else folder.parent)
    outcome.raise_for_errors()
    appendix = outcome.appendix_html()
    save_appendix(folder, appendix)
    return appendix


class Build:
    """One build in progress: its folders, its cache, and worker processes, one per core, that run the
    sections and the stitch. This process only reads, checks and aggregates the data."""

    def __init__(
        self,
        period: Period,
        data_dir: Path,
        staging: Path,
        failed: Path,
        cache: Cache,
        pool=None,
        language=None,
    ):
        """`pool` is workers started already (katsaus.workers.start), else they are started here; the
        review is in `language`, else in the plan's."""
        self.starting = pool or workers.start()
        self.period, self.data_dir, self.cache, self.language = period, data_dir, cache, language
        self.staging, self.failed = staging, failed
        self.running = []

    def sections(self, names: list[str] | None = None) -> tuple[Plan, dict[str, str]]:
        """Run the plan's sections, or those named; return the plan and the sections' keys.

        The sections that do not show the data checks run while the data is being checked; the appendix after.
        """
        prepared = self.staging / "prepared"
        ready = prepare(self.period, self.data_dir, prepared, self.language)
        plan, started = ready.plan, time.monotonic()
        sections = plan.sections if names is None else [plan.section(name) for name in names]
        checker = ThreadPoolExecutor(1)
        try:
            with tqdm(total=len(sections), unit="section") as bar:
                checks = self.cache.root / "checks"
                args = (ready, self.period, self.data_dir, prepared, self.failed, checks)
                checking = checker.submit(check, *args)
                first = [s for s in sections if not Dependencies.reads_checks(s)]
                keys = {s.name: ready.dependencies.key(s) for s in first}
                self._start(first, keys, bar)
                appendix = checking.result()
                later = [s for s in sections if Dependencies.reads_checks(s)]
                keys |= {s.name: ready.dependencies.key(s, appendix) for s in later}
                self._start(later, keys, bar)
                self._wait(keys)
        finally:
            checker.shutdown(wait=False)  # a stopped build stops its workers without waiting for the checks
        took = time.monotonic() - started
        tqdm.write(f"{len(self.running)} of {len(sections)} sections run in {took:.1f} s")
        return plan, keys

    def stitch(self, plan: Plan, keys: dict[str, str]) -> None:
        """The review from its sections, or from the cache when no section and no title changed."""
        cover = (
            plan.organisation,
            plan.title(self.period),
            self.period.month_name,
            plan.language,
            translations(plan, self.period),
        )
        key = digest(repr(cover), *(f"{s.slug}/{s.title}/{keys[s.name]}" for s in plan.sections))
        targets = [self.staging / "review.html", self.staging / "review.pdf"]
        if not self.cache.fetch(key, self.staging, targets):
            frames = self.cache.root / "frames"
            self.pool.apply(workers.call, ("stitch_review", self.staging, plan.sections, cover, frames))
            self.cache.store(key, self.staging, targets)
        for section in plan.sections:
            fragment = outputs(self.staging, section.slug)[3]
            opendata.write(self.staging / "data", fragment.read_text(encoding="utf-8"))

    @property
    def pool(self) -> multiprocessing.pool.Pool:
        """The worker processes, once they are up."""
        return self.starting.result()

    def _start(self, sections: list[Section], keys: dict[str, str], bar: tqdm) -> None:
        """Start the sections that are not in the cache."""
        for section in sections:
            if self.cache.fetch(keys[section.name], self.staging, outputs(self.staging, section.slug)):
                bar.update()
                continue
            args = ("run_section", section, str(self.period), self.data_dir, self.staging, self.failed)
            done = _progress(bar, section.name)
            self.running.append((section, self.pool.apply_async(workers.call, args, callback=done)))

    def _wait(self, keys: dict[str, str]) -> None:
        """Wait for the sections started; raise the first failure; keep the new sections in the cache."""
        for section, result in self.running:
            result.get()
            self.cache.store(keys[section.name], self.staging, outputs(self.staging, section.slug))

    def __enter__(self) -> Build:
        return self

    def __exit__(self, kind, *_) -> None:
        """On an error, stop what is still running; otherwise let the workers finish."""
        self.pool.terminate() if kind else self.pool.close()
        self.pool.join()


def _progress(bar: tqdm, name: str):
    """A callback that counts one finished section on the bar."""

    def update(_) -> None:
        bar.set_description(f"{name} done")
        bar.update()

    return update


def build_report(
    period_text: str, data_dir: Path, output: Path, pool=None, language: str | None = None
) -> Path:
    """Build output/<period>/review.html and review.pdf; return the published folder.

    `pool` is workers started already (katsaus.workers.start), else they are started when needed. A
    review in another language than the plan's is built in output/<language>/ (katsaus.sections.outputs_of).
    """
    with i18n.speaking(i18n.language()):  # the build's language is this process's only while it runs
        return _build_report(Period.parse(period_text), data_dir, output, pool, language)


def _build_report(period: Period, data_dir: Path, output: Path, pool, language: str | None) -> Path:
    output = outputs_of(output, period, language)
    target, cache, failed = output / str(period), Cache(output / ".cache"), output / "failed" / str(period)
    with publish.lock(output, str(period)):
        stamp = publish.fingerprint(str(period), data_dir)
        if publish.up_to_date(target, stamp):
            print(f"{target}: up to date, nothing to build")
            return target
        publish.publishable(target)
        publish.own_folder(cache.root)
        with publish.staged(output, str(period)) as staging:
            with Build(period, data_dir, staging, failed, cache, pool, language) as build:
                plan, keys = build.sections()
                build.stitch(plan, keys)
            publish.record(staging, stamp, keys)
            return publish.publish(staging, target)


def build_section(
    period_text: str, name: str, data_dir: Path, output: Path, language: str | None = None
) -> list[Path]:
    """Build one section alone into output/sections/<period>/ (notebook, HTML, PDF), in `language` (else
    the plan's) under output/<language>/ as a review (build_report)."""
    period = Period.parse(period_text)
    output = outputs_of(output, period, language)
    publish.writable_folder(output)
    folder, failed = output / "sections" / str(period), output / "failed" / str(period)
    with tempfile.TemporaryDirectory(dir=output, prefix=".section-") as tmp:
        staging = Path(tmp)
        with Build(period, data_dir, staging, failed, Cache(output / ".cache"), language=language) as build:
            plan, _ = build.sections([name])
        folder.mkdir(parents=True, exist_ok=True)
        built = outputs(staging, plan.section(name).slug)[:3]
        for path in built:
            os.replace(path, folder / path.name)
    return [folder / path.name for path in built]

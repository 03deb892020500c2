"""Build a period's review: prepare its data once (katsaus.build.prepare), run the changed sections in
parallel while the data is checked, stitch, and publish the result in one atomic step so
`output/<period>/` never holds a half-built review."""

from __future__ import annotations

import multiprocessing.pool
import os
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from katsaus import i18n, paths
from katsaus.build import runner, workers
from katsaus.build.prepare import Prepared, check, prepare, section_keys
from katsaus.paths import Layout, Staging
from katsaus.plan import outputs_of, translations
from katsaus.publish import atomic
from katsaus.publish.cache import Cache, digest

if TYPE_CHECKING:
    from katsaus.period import Period
    from katsaus.plan import Plan


class Local:
    """Where a single build runs its steps: the data in this process (the checks on a thread beside the
    sections), the sections and the stitch in worker processes, one per core."""

    def __init__(self, pool: Future[multiprocessing.pool.Pool] | None = None):
        """`pool` is workers started already (katsaus.build.workers.start), else they are started here."""
        self.starting = pool or workers.start()
        self.checker = ThreadPoolExecutor(1)

    quiet = False  # a build's own progress bar

    prepare = staticmethod(prepare)
    keys = staticmethod(section_keys)

    def check(self, ready: Prepared, *args) -> Future[str]:
        return self.checker.submit(check, ready, *args)

    def run(self, function, *args) -> Future:
        """Run `function` (one of katsaus.build.runner's) in a worker."""
        future = Future()
        self.pool.apply_async(function, args, callback=future.set_result, error_callback=future.set_exception)
        return future

    @property
    def pool(self) -> multiprocessing.pool.Pool:
        """The worker processes, once they are up."""
        return self.starting.result()

    def close(self, failed: bool) -> None:
        """After a failure, stop what is still running; otherwise let the workers finish."""
        self.checker.shutdown(wait=False)  # a stopped build stops its workers without waiting for the checks
        self.pool.terminate() if failed else self.pool.close()
        self.pool.join()


class Build:
    """One build in progress: its folders, its cache, and the engine that runs its steps (`Local`, or
    katsaus.build.batch's on a Dask cluster)."""

    def __init__(
        self,
        period: Period,
        data_dir: Path,
        params_dir: Path,
        staging: Path,
        failed: Path,
        cache: Cache,
        engine,
        language: str | None = None,
    ):
        """The review is in `language`, else in the plan's."""
        self.period, self.data_dir, self.params_dir, self.cache = period, data_dir, params_dir, cache
        self.staging, self.failed, self.engine, self.language = staging, failed, engine, language
        self.files = Staging(staging)
        self.running = []

    def sections(self, names: list[str] | None = None) -> tuple[Plan, dict[str, str]]:
        """Run the plan's sections, or those named; return the plan and the sections' keys.

        The sections that do not show the data checks run while the data is being checked; the appendix after.
        """
        prepared = self.files.prepared
        ready = self.engine.prepare(self.period, self.data_dir, self.params_dir, prepared, self.language)
        started, checks = time.monotonic(), self.cache.root / "checks"
        checking = self.engine.check(ready, self.period, prepared, self.failed, checks)
        plan, keys = self.engine.keys(ready, names, None)
        total = len(plan.sections if names is None else names)
        with tqdm(total=total, unit="section", disable=self.engine.quiet) as bar:
            self._start(plan, keys, bar)
            later = self.engine.keys(ready, names, checking.result())[1]
            del ready  # on a cluster, the loaded data is released once the keys are known
            self._start(plan, later, bar)
            keys |= later
            self._wait(keys)
        if not self.engine.quiet:
            took = time.monotonic() - started
            tqdm.write(f"{len(self.running)} of {total} sections run in {took:.1f} s")
        return plan, keys

    def stitch(self, plan: Plan, keys: dict[str, str]) -> None:
        """The review from its sections, or from the cache when no section and no title changed."""
        cover = (
            plan.organisation,
            plan.title(self.period),
            self.period.month_name,
            plan.language,
            translations(plan, self.period, self.params_dir),
        )
        key = digest(repr(cover), *(f"{s.slug}/{s.title}/{keys[s.name]}" for s in plan.sections))
        targets = [self.staging / "review.html", self.staging / "review.pdf"]
        stitching = None
        if not self.cache.fetch(key, self.staging, targets):
            frames = self.cache.root / "frames"
            stitching = self.engine.run(runner.stitch_review, self.staging, plan.sections, cover, frames)
        from katsaus.render.stitch import write_open_data  # loaded once the sections are done

        write_open_data(self.staging, [section.slug for section in plan.sections])  # while it stitches
        if stitching is not None:
            stitching.result()
            self.cache.store(key, self.staging, targets)

    def _start(self, plan: Plan, keys: dict[str, str], bar: tqdm) -> None:
        """Start the sections of `keys` that are not in the cache: those it has no entry of first, before
        the others' entries are read."""
        chosen = [section for section in plan.sections if section.name in keys]
        for section in sorted(chosen, key=lambda s: self.cache.holds(keys[s.name])):
            if self.cache.fetch(keys[section.name], self.staging, self.files.section(section.slug)):
                bar.update()
                continue
            args = (section, self.period, self.data_dir, self.staging, self.failed)
            running = self.engine.run(runner.run_section, *args)
            running.add_done_callback(_progress(bar, section.name))
            self.running.append((section, running))

    def _wait(self, keys: dict[str, str]) -> None:
        """Wait for the sections started; raise the first failure; keep the new sections in the cache."""
        for section, running in self.running:
            running.result()
            self.cache.store(keys[section.name], self.staging, self.files.section(section.slug))

    def __enter__(self) -> Build:
        return self

    def __exit__(self, kind, *_) -> None:
        self.engine.close(failed=kind is not None)


def _progress(bar: tqdm, name: str):
    """A callback that counts one finished section on the bar."""

    def update(running: Future) -> None:
        if not (running.cancelled() or running.exception()):
            bar.set_description(f"{name} done")
            bar.update()

    return update


def build_report(
    period: Period,
    data_dir: Path,
    output: Path,
    params_dir: Path = paths.PARAMS,
    engine=None,
    language: str | None = None,
) -> Path:
    """Build output/<period>/review.html and review.pdf from the plan in `params_dir`; return the published
    folder.

    `engine` runs the build's steps (`Local`, the default, or katsaus.build.batch's); it is used for this
    build only, and only when there is something to build. A review in another language than the plan's is
    built in output/<language>/ (katsaus.plan.outputs_of).
    """
    with i18n.speaking(i18n.language()):  # the build's language is this process's only while it runs
        return _build_report(period, data_dir, output, params_dir, engine, language)


def published(folder: Path) -> str:
    """The lines that say where a built review is."""
    return f"review: {folder / 'review.html'}\n        {folder / 'review.pdf'}"


def _build_report(
    period: Period, data_dir: Path, output: Path, params_dir: Path, engine, language: str | None
) -> Path:
    output = outputs_of(output, period, params_dir, language)
    layout = Layout(output)
    target, cache, failed = layout.review(period), Cache(layout.cache), layout.failed(period)
    with atomic.lock(output, str(period)):
        stamp = atomic.fingerprint(str(period), data_dir, params_dir)
        if atomic.up_to_date(target, stamp):
            print(f"{target}: up to date, nothing to build")
            return target
        atomic.publishable(target)
        atomic.own_folder(cache.root)
        with atomic.staged(output, str(period)) as staging:
            with Build(
                period, data_dir, params_dir, staging, failed, cache, engine or Local(), language
            ) as build:
                plan, keys = build.sections()
                build.stitch(plan, keys)
            atomic.record(staging, stamp, keys)
            return atomic.publish(staging, target)


def build_section(
    period: Period,
    name: str,
    data_dir: Path,
    output: Path,
    params_dir: Path = paths.PARAMS,
    language: str | None = None,
) -> list[Path]:
    """Build one section alone into output/sections/<period>/ (notebook, HTML, PDF), in `language` (else
    the plan's) under output/<language>/ as a review (build_report)."""
    output = outputs_of(output, period, params_dir, language)
    atomic.writable_folder(output)
    layout = Layout(output)
    folder, failed = layout.sections(period), layout.failed(period)
    with tempfile.TemporaryDirectory(dir=output, prefix=".section-") as tmp:
        staging = Path(tmp)
        cache = Cache(layout.cache)
        with Build(period, data_dir, params_dir, staging, failed, cache, Local(), language) as build:
            plan, _ = build.sections([name])
        folder.mkdir(parents=True, exist_ok=True)
        built = Staging(staging).section(plan.section(name).slug)[:3]
        for path in built:
            os.replace(path, folder / path.name)
    return [folder / path.name for path in built]

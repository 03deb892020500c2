"""Keep a review up to date while its inputs are edited: build it, then again whenever the data, the plan,
the notebooks or the checks change (watchfiles), on workers kept running from one build to the next.

Each build is the one `katsaus report` makes (same checks, cache keys, atomic publish); it finds its
workers up and their kernels warm from the build before (a worker here runs every build's notebooks in
one kernel, its state reset before each notebook, as the sections of one build share a kernel), so a
changed narrative costs its one section and the stitch, not the start of a dozen processes. A change to
the package itself or to the lock file starts the command again, kernels included, so that no build
runs code older than what is on disk.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import watchfiles

from katsaus import paths
from katsaus.build import workers
from katsaus.build.steps import Local, build_report, published
from katsaus.errors import KatsausError
from katsaus.publish import atomic
from katsaus.publish.cache import tree_digest

if TYPE_CHECKING:
    from katsaus.period import Period


class Resident(Local):
    """`Local`'s workers, kept from one build to the next with their kernels; a failed build's workers are
    stopped, and new ones started for the build after it."""

    def __init__(self, jobs: int | None = None):
        self.jobs = jobs
        super().__init__(workers.start(jobs, one_review=True))

    def close(self, failed: bool) -> None:
        if failed:
            super().close(failed=True)
            self.starting, self.checker = workers.start(self.jobs, one_review=True), ThreadPoolExecutor(1)

    def stop(self) -> None:
        """Stop the workers and their kernels."""
        super().close(failed=True)


def watch(
    period: Period, data_dir: Path, output: Path, params_dir: Path, languages: list[str | None], jobs=None
) -> None:
    """Build the review in each of `languages` (None: the plan's), then again after every change, until
    interrupted; a build that fails says why, and the next change is built again. Once the package has
    changed, the workers are stopped and the command starts again."""
    importlib.import_module("katsaus.render.stitch")  # which a build loads as it stitches: now, not then
    engine = Resident(jobs)
    try:
        _rebuild(period, data_dir, output, params_dir, languages, engine)
    finally:
        engine.stop()
    print("the package changed: starting again", flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "katsaus", *sys.argv[1:]])


def _rebuild(period, data_dir, output, params_dir, languages, engine: Resident) -> None:
    """Build at first and after each change, until the package changes."""
    code, sources = _code(), atomic.sources(data_dir, params_dir)
    for _ in _changes(sources, output):
        if _code() != code:
            return
        for language in languages:
            _build(period, data_dir, output, params_dir, engine, language)
        print("watching the review's inputs for changes (Ctrl-C stops)", flush=True)
        _collect()


def _collect() -> None:
    """Collect the builds' garbage while nothing is built, and keep what is left out of the collector's
    way: a full collection in the next build would walk all of it (everything imported), in its way."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _changes(sources: list[Path], output: Path):
    """Once as soon as `sources` are watched, then for each set of changes under them (the output's own
    left out); what changes during a build is in the next set."""
    ignored = watchfiles.DefaultFilter(ignore_paths=[Path(output).resolve()])
    watching = watchfiles.watch(
        *sources, watch_filter=ignored, debounce=200, step=20, rust_timeout=200, yield_on_timeout=True
    )
    yield next(watching)  # empty unless a change came in its first 0.2 s
    yield from filter(None, watching)


def _build(period, data_dir, output, params_dir, engine: Resident, language: str | None) -> None:
    """One build; its failure printed as `katsaus report` prints it, and the watch goes on."""
    try:
        folder = build_report(period, data_dir, output, params_dir, engine, language)
    except KatsausError as error:
        print(error.said(), file=sys.stderr, flush=True)
    else:
        print(published(folder), flush=True)


def _code() -> str:
    """Digest of the package and the lock file: what the running processes have imported."""
    return tree_digest(*(p for p in (paths.PACKAGE, paths.LOCK) if p.exists()))

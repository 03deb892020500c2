"""Many reviews at once: the organisations × periods of a batch file, built on a Dask cluster.

Every review is built as `katsaus report` builds it (katsaus.build.steps: the same checks, cache keys, lock
and atomic publish); only the engine differs: its steps are tasks on the cluster's workers, one kind of task
per step (prepare, check, section_keys, run_section, stitch_review), so the sections of a large organisation
spread over the workers while the others' go on. This process keeps each review's lock, cache and publish, and
waits on its tasks in a thread of its own; the workers read and write the same folders, so they must see them
at the same paths (one machine, or a shared file system).
"""

from __future__ import annotations

import importlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import dask.config
from distributed import Client, Future, LocalCluster, WorkerPlugin
from tqdm import tqdm

from katsaus.build import kernels, prepare, runner, steps, workers
from katsaus.checks import suites
from katsaus.errors import KatsausError, StepFailed
from katsaus.paths import Layout
from katsaus.publish import atomic

if TYPE_CHECKING:
    from katsaus.plan import Job


@dataclass(frozen=True)
class Result:
    """How one review of the batch went: `message` is its failure, if it failed."""

    job: Job
    status: str
    seconds: float
    warnings: int | None = None
    message: str = ""


class Preload(WorkerPlugin):
    """Loads what a build's worker needs (papermill, the stitch) in every worker as it joins the cluster,
    as katsaus.build.workers does for a single build's workers; shuts its kernel down as it leaves."""

    def setup(self, worker) -> None:
        for module in workers.PRELOAD:
            importlib.import_module(module)

    def teardown(self, worker) -> None:
        kernels.shutdown()


def dask_setup(worker) -> None:
    """Dask's hook for the workers of a standing cluster, started with `dask worker ADDRESS --preload
    katsaus.build.batch`: as it starts, a worker also loads Great Expectations (seconds of imports) and
    warms its converters (katsaus.build.runner), both on threads, so that each batch finds it ready."""
    Preload().setup(worker)
    suites.import_in_background()
    runner.converters()


# Dask's statistical profiler samples every worker's threads 100 times a second, 4 % of a batch's CPU:
# the local cluster's workers run without it (its dashboard shows no profile)
LOCAL_WORKERS = {"distributed.worker.profile.enabled": False}


@contextmanager
def connect(address: str | None = None) -> Iterator[Client]:
    """A client of the cluster at `address`, else of a new local cluster with one worker process per
    core; the workers preload what the builds need."""
    if address:
        client = Client(address)
    else:
        with dask.config.set(LOCAL_WORKERS):
            cluster = LocalCluster(n_workers=os.cpu_count(), threads_per_worker=1, processes=True)
        client = Client(cluster)
    try:
        client.register_plugin(Preload(), name="katsaus-preload")
        yield client
    finally:
        client.close()
        if not address:
            cluster.close()


class OnCluster:
    """The engine of one review's build (katsaus.build.steps.Build) on a Dask cluster: each step a task. The
    steps a review waits on to go on come before the sections, which keep the workers busy meanwhile.

    A review's tasks go to one worker first, where its sections share one kernel (katsaus.build.kernels),
    and a worker runs the sections of the batch's earlier reviews before those of later ones; a worker with
    nothing to do takes tasks over from a busy one (Dask's work stealing)."""

    quiet = True  # the batch shows its own progress

    def __init__(self, client: Client, worker: str | None = None, order: int = 0):
        """`worker` is the address of the worker the review's tasks go to first; `order` its place in the
        batch."""
        self.client, self.running, self.order = client, [], order
        self.where = {"workers": [worker], "allow_other_workers": True} if worker else {}

    def prepare(self, *args) -> Future:
        return self._submit(prepare.prepare, *args)

    def check(self, ready: Future, *args) -> Future:
        return self._submit(prepare.check, ready, *args)

    def keys(self, ready: Future, names, appendix):
        return self._submit(prepare.section_keys, ready, names, appendix).result()

    def run(self, function, *args) -> Future:
        """Run `function` (one of katsaus.build.runner's) on a worker."""
        running = self._submit(function, *args, priority=-self.order)
        self.running.append(running)
        return running

    def close(self, failed: bool) -> None:
        """After a failure, cancel this review's tasks that are still to run."""
        if failed:
            self.client.cancel(self.running)

    def _submit(self, function, *args, priority: int = 1) -> Future:
        key = f"{function.__name__}-{self.order}-{uuid.uuid4().hex}"  # the step, the review, this task
        return self.client.submit(
            _on_worker, function, *args, key=key, priority=priority, pure=False, **self.where
        )


def _on_worker(function, *args):
    """Run one step on a worker. A problem with the input comes back as its message; the worker's stderr,
    which a section sends to its log (katsaus.build.runner), is given back to the worker after."""
    stderr = os.dup(2)
    try:
        return function(*args)
    except KatsausError as error:
        raise StepFailed(str(error)) from None
    finally:
        os.dup2(stderr, 2)
        os.close(stderr)


def run_batch(jobs: list[Job], client: Client) -> list[Result]:
    """Build every review of `jobs` on the cluster of `client`, a few at a time per worker thread; one
    that fails does not stop the others. The results in the order of `jobs`."""
    threads = client.nthreads()
    addresses = list(threads) or [None]  # a review goes first to the next worker in turn
    at_once = min(len(jobs), max(4, 2 * sum(threads.values()) + 2))
    reviews = ThreadPoolExecutor(at_once)
    try:
        futures = [
            reviews.submit(build_one, job, OnCluster(client, addresses[order % len(addresses)], order))
            for order, job in enumerate(jobs)
        ]
        with tqdm(total=len(jobs), unit="review") as bar:
            for future in as_completed(futures):
                result = future.result()
                bar.set_description(f"{result.job.organisation} {result.job.period} {result.status}")
                bar.update()
        return [future.result() for future in futures]
    finally:  # when interrupted, the reviews not started are dropped; closing the client stops the others
        reviews.shutdown(wait=False, cancel_futures=True)


def build_one(job: Job, engine: OnCluster) -> Result:
    """Build one review of the batch as `katsaus report` does, on `engine`; its failure is its result."""
    started = time.monotonic()
    target = Layout(job.output).review(job.period)
    try:
        if atomic.up_to_date(target, atomic.fingerprint(str(job.period), job.data, job.params)):
            status = "up to date"
        else:
            steps.build_report(job.period, job.data, job.output, job.params, engine)
            status = "built"
    except KatsausError as error:
        return Result(job, "failed", time.monotonic() - started, message=str(error))
    except Exception as error:  # e.g. a task whose workers kept dying (distributed's KilledWorker)
        return Result(job, "failed", time.monotonic() - started, message=f"{type(error).__name__}: {error}")
    return Result(job, status, time.monotonic() - started, _warnings(target))


def _warnings(review: Path) -> int | None:
    """The number of warnings the data checks of a published review found."""
    record = review / "validation" / "result.json"
    return json.loads(record.read_text(encoding="utf-8"))["warnings"] if record.is_file() else None


def table(results: list[Result]) -> str:
    """The batch's outcome: one row per review, then each failure's message."""
    head = ("organisation", "period", "status", "seconds", "warnings", "review")
    rows = [head] + [
        (
            r.job.organisation,
            str(r.job.period),
            r.status,
            f"{r.seconds:.1f}",
            "" if r.warnings is None else str(r.warnings),
            "" if r.message else str(Layout(r.job.output).review(r.job.period) / "review.pdf"),
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    for r in results:
        if r.message:
            lines.append(f"\n{r.job.organisation} {r.job.period} failed: {r.message}")
    return "\n".join(lines)

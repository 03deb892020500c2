"""A build's worker processes, one per core. They are forks of a server that imported papermill and the
stitch (pypdf) in advance, so the building process itself needs none of it; a worker starts a kernel as it
comes up (katsaus.build.kernels) and loads nbconvert and WeasyPrint while its first notebook runs
(katsaus.build.runner)."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
from concurrent.futures import Future, ThreadPoolExecutor

# what every worker imports before its first section
PRELOAD = ["papermill", "nbformat", "katsaus.build.kernels", "katsaus.build.runner", "katsaus.render.stitch"]


def start(jobs: int | None = None, one_review: bool = False) -> Future[multiprocessing.pool.Pool]:
    """Start the workers in the background; the future gives the pool once they are up. With
    `one_review`, each worker runs all its builds' notebooks in one kernel (katsaus.build.kernels)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    starter = ThreadPoolExecutor(1)
    pool = starter.submit(context.Pool, jobs or os.cpu_count(), _start_worker, (one_review,))
    starter.shutdown(wait=False)  # its thread ends once the pool is up
    return pool


def _start_worker(one_review: bool) -> None:
    """Ctrl-C reaches every process of the terminal: the build stops its workers, which do not stop on
    their own halfway (and print nothing on the terminal). When the build stops them (SIGTERM), they shut
    their kernels down and exit, whatever their threads are doing. A worker starts its first kernel at once.

    Both signals are blocked before the worker has a thread, so every thread it starts has them blocked:
    SIGTERM goes to `_stop_when_told` alone. Delivered to a thread of its own choosing, it would leave the
    worker's main thread waiting for the pool's queue, a wait no handler interrupts then."""
    from katsaus.build import kernels, runner  # here: the build process imports neither

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    gc.freeze()  # what the worker imported stays: a full collection would walk it all, each time
    threading.Thread(target=_stop_when_told, daemon=True).start()
    if one_review:  # the first build's notebook finds its kernel and the converters warm
        kernels.serve_one_review()
        runner.converters()
    kernels.start_spare()


def _stop_when_told() -> None:
    """Wait for SIGTERM, then shut this worker's kernels down and end it."""
    from katsaus.build import kernels

    signal.sigwait({signal.SIGTERM})
    kernels.shutdown()
    os._exit(128 + signal.SIGTERM)

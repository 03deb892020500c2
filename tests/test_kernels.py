"""Kernels started at the same moment each get their own connection and never collide; a worker runs the
sections of one build in one kernel, reset before each, and never a section of another build in it."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from katsaus import paths
from katsaus.build import kernels, runner, workers
from reviews import alive, all_ended, descendants

pytestmark = pytest.mark.notebook

KERNELS = 8
PROBE = (
    "from ipykernel.kernelapp import IPKernelApp\n"
    "kernel = IPKernelApp.instance()\n"
    "print(kernel.transport, kernel.ip)"
)


def _probe(notebook: Path, folder: Path, index: int) -> str:
    """Run the probe notebook with this process's and its kernel's stderr in a log of its own."""
    with open(folder / f"{index}.log", "w") as log:
        os.dup2(log.fileno(), 2)
    executed = folder / f"{index}.ipynb"
    runner.execute(notebook, executed, {"index": index}, build=str(index))
    kernels.shutdown()
    return nbformat.read(executed, as_version=4).cells[-1].outputs[0]["text"]


def _notebook(folder: Path, name: str, *cells: str) -> Path:
    """A notebook on the project's kernel with a parameters cell and `cells`."""
    kernelspec = {"name": kernels.KERNEL, "language": "python", "display_name": "katsaus"}
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": kernelspec})
    notebook.cells = [nbformat.v4.new_code_cell("index = 0", metadata={"tags": ["parameters"]})]
    notebook.cells += [nbformat.v4.new_code_cell(cell) for cell in cells]
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


def test_kernels_started_at_once_each_have_their_own_sockets(tmp_path):
    path = _notebook(tmp_path, "probe", PROBE)
    context = multiprocessing.get_context("spawn")
    with context.Pool(KERNELS) as pool:
        printed = pool.starmap(_probe, [(path, tmp_path, i) for i in range(KERNELS)])
    transports = [line.split()[0] for line in printed]
    addresses = {line.split()[1] for line in printed}
    assert transports == ["ipc"] * KERNELS
    assert len(addresses) == KERNELS
    assert not any(Path(address).parent.exists() for address in addresses)  # removed after each run
    for index in range(KERNELS):
        assert "ZMQError" not in (tmp_path / f"{index}.log").read_text()


def test_no_section_log_of_a_build_holds_a_socket_error(built):
    """The sample's three builds ran their sections in parallel; no kernel failed to bind."""
    logs = list(built.glob("2022-*/logs/*.log"))
    assert logs
    for log in logs:
        assert "ZMQError" not in log.read_text(), log


SEEN = (
    "import gc, os, signal\n"
    "blocked = signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, [])\n"
    "print(os.getpid(), os.getcwd(), 'left' in globals(), blocked, gc.get_freeze_count(), sep='|')"
)
LEAVE = "left = index\nos.chdir('/')"


@pytest.fixture
def probes(tmp_path):
    """Run probe notebooks in this process's kernels, shut down after the test; each run gives what its
    kernel saw: its pid, its folder, whether a name set before is defined, the execution counts, and how
    many objects the garbage collector leaves alone (those of the warm-up's imports)."""

    def run(build: str, index: int = 0) -> tuple[int, str, bool, list[int], int]:
        executed = tmp_path / f"{build}-{index}.ipynb"
        runner.execute(_notebook(tmp_path, "probe", SEEN, LEAVE), executed, {"index": index}, build)
        cells = nbformat.read(executed, as_version=4).cells
        pid, folder, left, _, frozen = cells[-2].outputs[0]["text"].strip().split("|")
        return int(pid), folder, left == "True", [cell.execution_count for cell in cells], int(frozen)

    yield run
    kernels.shutdown()


def test_the_sections_of_one_build_share_a_kernel_with_a_clean_namespace(probes):
    first, second = probes("a", 1), probes("a", 2)
    assert second[0] == first[0]
    assert not first[2] and not second[2], "a name the notebook before set is not defined"
    assert second[1] == first[1] == str(paths.NOTEBOOKS)
    assert second[3] == first[3] == [1, 2, 3, 4]  # the parameters papermill injects are the 2nd
    assert first[4] > 100_000, "the imports are out of the way of the collection each reset makes"


def test_a_section_of_another_build_gets_a_fresh_kernel(probes):
    first = probes("a")[0]
    other = probes("b")[0]
    assert other != first
    assert not alive(first), "the kernel of the build before is shut down"
    assert probes("a")[0] not in (first, other), "a build never gets another's kernel back"


def test_a_failing_notebook_fails_as_in_a_fresh_kernel_and_its_kernel_ends(probes, tmp_path):
    pid = probes("a")[0]
    raises = _notebook(tmp_path, "raises", "x = 1", "raise ValueError('laskenta')")
    with pytest.raises(PapermillExecutionError) as failed:
        runner.execute(raises, tmp_path / "raised.ipynb", {}, "a")
    assert (failed.value.exec_count, failed.value.ename, failed.value.evalue) == (3, "ValueError", "laskenta")
    assert not alive(pid)


def _kernels_below(pid: int) -> set[int]:
    """The kernel processes among the descendants of `pid`."""
    return {p for p in descendants(pid) if b"ipykernel" in Path(f"/proc/{p}/cmdline").read_bytes()}


@pytest.mark.parametrize("stop", ["close", "terminate"])
def test_a_build_s_workers_share_a_kernel_per_build_and_end_theirs(tmp_path, stop):
    """As `make report` runs its sections: a kernel per worker, started with the worker and ended with it,
    whether the build ends or is stopped."""
    notebook = _notebook(tmp_path, "probe", SEEN, LEAVE)
    pool = workers.start(1).result()
    run = [(notebook, tmp_path / f"{i}.ipynb", {"index": i}, "build") for i in range(2)]
    pool.starmap(runner.execute, run)
    seen = {
        tuple(nbformat.read(path, as_version=4).cells[-2].outputs[0]["text"].split("|"))
        for _, path, *_ in run
    }
    started = _kernels_below(os.getpid())
    assert len(seen) == 1 and {int(pid) for pid, *_ in seen} == started
    assert [blocked for *_, blocked, _ in seen] == ["False"], "the kernel takes the signals its worker blocks"
    getattr(pool, stop)()
    pool.join()
    assert all_ended(started, 10)


def test_a_worker_stopped_while_its_notebook_runs_ends_with_its_kernel(tmp_path):
    """The build stops its workers (SIGTERM) in the middle of a notebook: the worker ends, and its kernel."""
    notebook = _notebook(tmp_path, "slow", "print('started', flush=True)", "import time\ntime.sleep(120)")
    pool = workers.start(1).result()
    pool.apply_async(runner.execute, (notebook, tmp_path / "slow-run.ipynb", {}, "build"))
    deadline = time.monotonic() + 60
    while not (started := _kernels_below(os.getpid())) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(5)  # the notebook is running by now
    stopper = threading.Thread(target=lambda: (pool.terminate(), pool.join()))
    stopper.start()
    stopper.join(30)
    assert not stopper.is_alive(), "the stopped worker ended"
    assert started and all_ended(started, 10)


def _keep_stops_and_wait(seconds: float) -> None:
    """What a library may do on a worker's main thread: a handler that keeps SIGTERM to itself, a thread
    of its own, and then a wait that no signal interrupts."""
    signal.signal(signal.SIGTERM, lambda *_: None)
    threading.Thread(target=time.sleep, args=(seconds,), daemon=True).start()
    waiting = threading.Lock()
    waiting.acquire()
    waiting.acquire(timeout=seconds)


def test_a_stop_ends_a_worker_whatever_its_main_thread_is_doing():
    pool = workers.start(1).result()
    deadline = time.monotonic() + 60
    while not (started := _kernels_below(os.getpid())) and time.monotonic() < deadline:
        time.sleep(0.2)
    pool.apply_async(_keep_stops_and_wait, (120,))
    time.sleep(2)
    stopper = threading.Thread(target=lambda: (pool.terminate(), pool.join()))
    stopper.start()
    stopper.join(30)
    assert not stopper.is_alive(), "the stopped worker ended"
    assert started and all_ended(started, 10)

"""A worker's kernel: the sections of one build run one after another in the same kernel, its state reset
before each, so that only the first pays for the kernel's start and imports. A kernel serves one build
only: a section of another build gets a fresh kernel, and the one before is shut down. The workers of
`katsaus watch`, which build one review again and again, keep one kernel for all its builds
(`serve_one_review`); the command starts again when the package changes, kernels included.

A worker may start a kernel before its first section (`start_spare`); it has imported what the notebooks
import and run nothing else, and goes to the first build that needs one. Kernels are shut down when their
worker ends, or when a notebook fails or is interrupted (`shutdown`).
"""

from __future__ import annotations

import atexit
import functools
import multiprocessing.util
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import Type
from traitlets.config import Config

from katsaus import paths

KERNEL = "katsaus"
TIMEOUT = 120  # seconds a kernel may take to start and import, or to reset
# what a kernel does before its first notebook: it imports what the notebooks use (the package's display
# modules, and what these load on first use: parquet for the figures, openpyxl for the open data), draws
# a figure as the charts are drawn (matplotlib loads its fonts and renderer on the first one), takes
# the signals a worker blocks, and keeps what it imported out of the garbage collector's way (a reset
# collects garbage, RESET)
WARM_UP = (
    "import gc, signal, IPython.display, katsaus.display.review, katsaus.display.charts\n"
    "import katsaus.display.departments, katsaus.checks.appendix\n"
    "import matplotlib.figure, openpyxl, pyarrow.dataset, pyarrow.parquet\n"
    "katsaus.display.charts.png(matplotlib.figure.Figure())\n"
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})\n"
    "gc.freeze()"
)
# before each notebook: an empty namespace, execution counts from 1, no figures, the notebooks' folder
RESET = (
    "import os, sys\n"
    "os.chdir({folder!r})\n"
    "if 'matplotlib.pyplot' in sys.modules:\n"
    "    sys.modules['matplotlib.pyplot'].close('all')\n"
    "get_ipython().reset(new_session=True)"
)


class ReadyClient(AsyncKernelClient):
    """The client papermill is given of a kernel here. jupyter_client's wait for a new client's kernel to be
    ready (a kernel_info request, answered on the shell channel while IOPub carries its messages) ends by
    listening to IOPub until it has been silent for 0.2 s, 0.2 s of every notebook's run; this one waits
    for the same answer and no longer, as nbclient takes from IOPub only the messages of the cell it runs."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout or TIMEOUT)
        while time.monotonic() < deadline:
            self.kernel_info()
            try:
                reply = await self.get_shell_msg(timeout=1)
                await self.get_iopub_msg(timeout=0.2)  # IOPub is connected once it carries a message
            except Empty:
                if not await self._async_is_alive():
                    raise RuntimeError("the kernel died before it answered") from None
                continue
            if reply["msg_type"] == "kernel_info_reply":
                self._handle_kernel_info_reply(reply)
                return
        raise RuntimeError(f"the kernel did not answer in {timeout or TIMEOUT} s")


class Manager(AsyncKernelManager):
    """A kernel manager that gives out ReadyClients (papermill's among them), and keeps them to close
    them."""

    client_factory = Type(ReadyClient, klass=AsyncKernelClient)

    def client(self, **kwargs):
        client = super().client(**kwargs)
        self.clients = [*getattr(self, "clients", []), client]
        return client

    def close_clients(self) -> None:
        for client in getattr(self, "clients", []):
            client.stop_channels()
        self.clients = []


class Kernel:
    """A running kernel reached through Unix sockets in a folder of its own: kernels started at once never
    race for the same TCP port (papermill#511)."""

    def __init__(self):
        _shut_down_at_exit()
        self.sockets = tempfile.TemporaryDirectory(prefix="katsaus-kernel-")
        self.manager = Manager(kernel_name=KERNEL, config=_ipc(Path(self.sockets.name)))
        history = "--HistoryManager.hist_file=:memory:"  # as nbclient starts its kernels
        self.folder = str(paths.NOTEBOOKS)
        run_sync(self.manager.start_kernel)(cwd=self.folder, extra_arguments=[history])
        self.client = self.manager.blocking_client()
        self.client.start_channels()
        self.client.execute(WARM_UP, silent=True, store_history=False)  # runs while the worker goes on

    def reset(self) -> None:
        """Run RESET after whatever the kernel was given before; raise if it fails."""
        self.manager.close_clients()
        sent = self.client.execute(RESET.format(folder=self.folder), silent=True, store_history=False)
        reply = self.client.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"]["msg_id"] != sent:  # the warm-up's
            reply = self.client.get_shell_msg(timeout=TIMEOUT)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kernel could not be reset: {reply['content'].get('evalue')}")

    def shutdown(self) -> None:
        try:
            run_sync(self.manager.shutdown_kernel)(now=True)
        finally:
            self.client.stop_channels()
            self.manager.close_clients()
            self.sockets.cleanup()


_kernels: dict[str, Kernel] = {}  # "spare" or the build's folder: at most one of each
_starting = threading.RLock()  # held while a kernel starts and is kept; a stop on another thread waits
_one_review = False  # see serve_one_review


def for_build(build: str) -> AsyncKernelManager:
    """The manager of the running kernel of `build`, its state reset; a kernel of another build is shut
    down first. A worker of one review (`serve_one_review`) keeps one kernel for all its builds."""
    build = "review" if _one_review else build
    if build not in _kernels:
        for other in [key for key in _kernels if key != "spare"]:
            _kernels.pop(other).shutdown()
        with _starting:
            _kernels[build] = _kernels.pop("spare", None) or Kernel()
    _kernels[build].reset()
    return _kernels[build].manager


def serve_one_review() -> None:
    """From now on, run every build's notebooks in one kernel: this worker builds one review, again and
    again (katsaus.build.watch)."""
    global _one_review
    _one_review = True


def start_spare() -> None:
    """Start a kernel for the next build, unless there is one."""
    with _starting:
        if "spare" not in _kernels:
            _kernels["spare"] = Kernel()


def shutdown() -> None:
    """Shut down this worker's kernels, once the one starting, if any, is kept."""
    with _starting:
        while _kernels:
            _kernels.popitem()[1].shutdown()


def _ipc(folder: Path) -> Config:
    """The kernel manager's settings: IPC transport, its connection file and sockets in `folder`."""
    manager = {"transport": "ipc", "ip": str(folder / "kernel"), "connection_file": str(folder / "k.json")}
    return Config({"KernelManager": manager})


@functools.cache
def _shut_down_at_exit() -> None:
    """Shut this process's kernels down when it ends; a pool's worker ends without atexit."""
    atexit.register(shutdown)
    multiprocessing.util.Finalize(None, shutdown, exitpriority=10)

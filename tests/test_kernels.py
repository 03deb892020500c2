"""Kernels started at the same moment each get their own connection and never collide."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import nbformat
import pytest

from katsaus.build import runner

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
    runner.execute(notebook, executed, {"index": index})
    return nbformat.read(executed, as_version=4).cells[-1].outputs[0]["text"]


def test_kernels_started_at_once_each_have_their_own_sockets(tmp_path):
    kernelspec = {"name": runner.KERNEL, "language": "python", "display_name": "katsaus"}
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": kernelspec})
    notebook.cells = [
        nbformat.v4.new_code_cell("index = 0", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(PROBE),
    ]
    path = tmp_path / "probe.ipynb"
    nbformat.write(notebook, path)
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

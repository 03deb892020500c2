"""No kernel outlives the build that started it: a build that is published, and one whose notebook
raises, leave no kernel process and no kernel's socket folder behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from katsaus import paths
from katsaus.build import workers
from reviews import kernels_left

pytestmark = pytest.mark.e2e

PLAN = """organisation: KEMIN KAUPUNKI
sections:
  - {name: yhteenveto, title: Yhteenveto, notebook: summary.ipynb}
  - {name: kv, notebook: department.ipynb, department: "64100000"}
  - {name: toinen, title: Toinen, notebook: strategy.ipynb}
"""


def build(tmp_path: Path, notebooks: Path = paths.NOTEBOOKS) -> tuple[subprocess.CompletedProcess, Path]:
    """`katsaus report` of a three-section plan of the sample's data on the notebooks of `notebooks`, its
    temporary files in a folder of its own; the result and that folder."""
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "review.yaml").write_text(PLAN, encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    line = ["report", "--data", str(paths.DATA), "--output", str(tmp_path / "output")]
    script = (
        "import sys; from pathlib import Path; from katsaus import cli, paths; "
        f"paths.NOTEBOOKS = Path({str(notebooks)!r}); "
        f"sys.exit(cli.main([*{line!r}, '--params', {str(tmp_path / 'params')!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
        timeout=900,
    )
    return result, temp


def test_a_published_build_leaves_no_kernel(tmp_path):
    result, temp = build(tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(list((tmp_path / "output" / "2022-06" / "notebooks").glob("*.ipynb"))) == 3
    assert kernels_left(temp) == []


def test_a_build_whose_notebook_raises_leaves_no_kernel(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, notebooks)
    broken = nbformat.read(notebooks / "summary.ipynb", as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell("raise ValueError('laskenta epäonnistui')"))
    nbformat.write(broken, notebooks / "strategy.ipynb")
    result, temp = build(tmp_path, notebooks)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "section 'toinen' failed in cell" in result.stderr and "laskenta epäonnistui" in result.stderr
    assert kernels_left(temp) == []


def warmed_up() -> tuple[int, int, int]:
    """On a worker: how many objects it keeps out of the garbage collector's way as it starts, how many
    exporters its converters' warm-up made, and how many objects it keeps out of the way after that."""
    import gc

    from katsaus.build import runner
    from katsaus.render import convert

    started = gc.get_freeze_count()
    runner.converters().join()
    return started, convert._exporter.cache_info().currsize, gc.get_freeze_count()


def test_a_worker_warms_both_exporters_and_keeps_what_it_loaded_out_of_the_collector_s_way():
    pool = workers.start(1).result()
    try:
        started, exporters, warm = pool.apply(warmed_up)
    finally:
        pool.terminate()
        pool.join()
    assert started > 0  # what the worker was forked with
    assert exporters == 2  # the section page's and the fragment's: a section's first conversion needs both
    assert warm > started  # and what the warm-up loaded

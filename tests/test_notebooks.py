"""Each notebook as an analyst opens it: run by papermill with its defaults from the notebooks folder,
committed without outputs, and paired with a py:percent script of the same cells (notebooks/jupytext.toml)."""

from __future__ import annotations

import json

import jupytext
import nbformat
import papermill
import pytest

from analyst import NOTEBOOKS, SHOWS
from katsaus import paths

pytestmark = pytest.mark.notebook


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_notebook_runs_with_its_defaults(name, tmp_path):
    run = papermill.execute_notebook(
        str(paths.NOTEBOOKS / name),
        str(tmp_path / name),
        cwd=str(paths.NOTEBOOKS),
        kernel_name="katsaus",
        progress_bar=False,
    )
    outputs = [output for cell in run.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    html = "".join(output.get("data", {}).get("text/html", "") for output in outputs)
    assert SHOWS.get(name, "<") in html, html[:500]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_notebook_is_committed_without_outputs(name):
    notebook = nbformat.read(paths.NOTEBOOKS / name, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and not [cell for cell in code if cell.outputs or cell.execution_count is not None]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_notebook_and_its_script_hold_the_same_cells(name):
    notebook = nbformat.read(paths.NOTEBOOKS / name, as_version=4)
    script = jupytext.read(paths.NOTEBOOKS / name.replace(".ipynb", ".py"))
    assert [_cell(cell) for cell in script.cells] == [_cell(cell) for cell in notebook.cells]


def test_every_script_of_the_notebooks_folder_pairs_a_notebook():
    scripts = sorted(p.name for p in paths.NOTEBOOKS.glob("*.py"))
    assert scripts == [name.replace(".ipynb", ".py") for name in NOTEBOOKS]


def _cell(cell) -> str:
    """What a cell holds for a reader: its type, its tags and its source."""
    return json.dumps([cell.cell_type, sorted(cell.metadata.get("tags", [])), cell.source.strip()])

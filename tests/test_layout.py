"""The package's stages import one another without a cycle, in at most eight levels and each at most nine
others, as scripts/import_graph.py measures them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "import_graph.py"


@pytest.fixture(scope="module")
def stages():
    """The script, and the stages' graph it measures."""
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script, script.stages(script.graph())


def test_the_graph_holds_the_stages_and_their_imports(stages):
    _, edges = stages
    assert {"inputs", "figures", "checks", "display", "build", "render", "publish", "cli"} <= set(edges)
    assert "build" in edges["cli"] and "render" in edges["build"]
    # figures.lines names Inputs, Organisation and Period in annotations only
    assert not {"inputs", "organisation", "period"} & edges["figures"], "an annotation's import is none"


def test_the_stages_import_one_another_without_a_cycle_in_at_most_eight_levels(stages):
    script, edges = stages
    assert script.cycle(edges) == []
    deepest = max(script.depths(edges).items(), key=lambda item: item[1])
    assert deepest[1] <= 8, deepest


def test_no_stage_imports_more_than_nine_others(stages):
    _, edges = stages
    most = max(edges.items(), key=lambda item: len(item[1]))
    assert len(most[1]) <= 9, most

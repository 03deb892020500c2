"""A review plan (params/review.yaml) of the wrong shape, and parameters given to `make` that hold make or
shell syntax: each is refused with a message naming the file and the entry, exit status 2, no traceback,
the published review untouched; nothing in a parameter is ever run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from katsaus import paths
from reviews import katsaus, refused, snapshot

pytestmark = pytest.mark.e2e

SUMMARY = "  - {name: yhteenveto, title: Yhteenveto, notebook: summary.ipynb}\n"
PLANS = {
    "no sections": ("organisation: KEMI\n", ["review.yaml", "'sections' must be a list"]),
    "empty sections": ("sections: []\n", ["review.yaml", "'sections' must be a list"]),
    "null sections": ("sections:\n", ["review.yaml", "'sections' must be a list", "found nothing"]),
    "sections as text": (
        "sections: yhteenveto\n",
        ["review.yaml", "'sections' must be a list", "str 'yhteenveto'"],
    ),
    "an entry that is text": (
        f"sections:\n{SUMMARY}  - talous\n",
        ["review.yaml", "section 2: expected keys name, notebook", "found str 'talous'"],
    ),
    "an entry that is a list": (f"sections:\n{SUMMARY}  - [a, b]\n", ["review.yaml", "section 2", "list"]),
    "an entry that is null": (f"sections:\n{SUMMARY}  -\n", ["review.yaml", "section 2", "found nothing"]),
    "a name that is a list": (
        "sections:\n  - {name: [a], notebook: summary.ipynb}\n",
        ["review.yaml", "section 1: its name must be a text", "found list ['a']"],
    ),
    "a title that is a mapping": (
        "sections:\n  - {name: x, title: {a: 1}, notebook: summary.ipynb}\n",
        ["review.yaml", "section 1: its title must be a text", "found dict"],
    ),
    "a notebook that is a number": (
        "sections:\n  - {name: x, notebook: 12}\n",
        ["review.yaml", "notebook 12"],
    ),
    "a department that is a list": (
        "sections:\n  - {name: x, notebook: department.ipynb, department: [64100000]}\n",
        ["review.yaml", "its department must be a text", "found list [64100000]"],
    ),
    "reads that are a mapping": (
        "sections:\n  - {name: x, notebook: summary.ipynb, reads: {a: 1}}\n",
        ["review.yaml", "section 1: reads: expected one or more of summary, department", "found dict"],
    ),
    "an unknown read": (
        "sections:\n  - {name: x, notebook: summary.ipynb, reads: [summary, ledger]}\n",
        ["review.yaml", "section 1: reads: 'ledger' is not one of summary, department"],
    ),
    "a department read without a department": (
        "sections:\n  - {name: x, notebook: summary.ipynb, reads: department}\n",
        ["review.yaml", "section 1: reads: department needs the section's department"],
    ),
    "an organisation that is a list": (
        f"organisation: [KEMI]\nsections:\n{SUMMARY}",
        ["review.yaml", "'organisation' must be a text", "found list ['KEMI']"],
    ),
    "a plan that is a list": (
        "- yhteenveto\n",
        ["review.yaml", "expected keys such as 'organisation' and 'sections'", "found list"],
    ),
    "a plan that is text": ("yhteenveto\n", ["review.yaml", "expected keys", "str 'yhteenveto'"]),
    "a plan that is not YAML": ("sections: [\n", ["review.yaml", "not valid YAML"]),
    "a YAML bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + f"sections:\n{SUMMARY}",
        ["review.yaml", "expands to more than 100000 values"],
    ),
    "a huge plan": (f"organisation: {'K' * 200_000}\nsections:\n{SUMMARY}", ["review.yaml", "more than the"]),
    "a huge name": (
        f"sections:\n  - {{name: {'x' * 50_000}, notebook: summary.ipynb}}\n",
        ["review.yaml", "must be letters, digits", "(50000 characters)"],
    ),
}


@pytest.mark.parametrize("case", PLANS, ids=list(PLANS))
def test_a_plan_of_the_wrong_shape_is_refused(published, tmp_path, case):
    data, output, before = published
    text, words = PLANS[case]
    params = tmp_path / "params"
    params.mkdir()
    (params / "review.yaml").write_text(text, encoding="utf-8")
    result = katsaus(
        "report", "--period", "2022-06", data=data, output=output, env={"KATSAUS_PARAMS": str(params)}
    )
    refused(result, 2, words)
    assert len(result.stderr) < 3000
    assert snapshot(output) == before


def test_a_period_plan_that_is_not_utf8(published, tmp_path):
    data, output, before = published
    params = tmp_path / "params"
    shutil.copytree(paths.PARAMS, params)
    (params / "2022-06.yaml").write_bytes("organisation: KEMIN KAUPUNKI – Kemi\n".encode("cp1252"))
    result = katsaus(
        "report", "--period", "2022-06", data=data, output=output, env={"KATSAUS_PARAMS": str(params)}
    )
    refused(result, 2, ["2022-06.yaml", "cannot be read", "utf-8"])
    assert snapshot(output) == before


def _refused_by_make(target: str, values: dict[str, str], canary: Path) -> subprocess.CompletedProcess:
    """`make <target>` with the variables `values`: it fails, without a traceback, and runs nothing that
    would make `canary`."""
    result = subprocess.run(
        ["make", "--no-print-directory", target, *(f"{k}={v}" for k, v in values.items())],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert not canary.exists()
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("variable", ["PERIOD", "SECTION", "DATA", "OUTPUT", "PARAMS"])
@pytest.mark.parametrize("target", ["report", "section", "validate"])
def test_make_runs_nothing_given_in_a_parameter(tmp_path, variable, target):
    """`make report PERIOD='$(shell touch x)'` and the like: make passes the text to the program unexpanded,
    which refuses it; nothing is run."""
    canary = tmp_path / "canary"
    values = {"PERIOD": "2022-13", "SECTION": "x", "OUTPUT": str(tmp_path / "output")}
    values[variable] = f"$(shell touch {canary})`touch {canary}`$$(touch {canary})"
    result = _refused_by_make(target, values, canary)
    if variable == "PERIOD":
        assert "PERIOD must be YYYY-MM" in result.stderr and f"$(shell touch {canary})" in result.stderr
    assert not list(Path(paths.ROOT).glob("$*")), "nothing was made in the project from the parameter"


@pytest.mark.parametrize("variable", ["BATCH", "SCHEDULER"])
def test_make_batch_runs_nothing_given_in_a_parameter(tmp_path, variable):
    """`make batch BATCH='$(shell touch x)'`: the batch file's name reaches the program as written."""
    canary = tmp_path / "canary"
    values = {"BATCH": str(tmp_path / "missing.yaml"), "SCHEDULER": ""}
    values[variable] = f"$(shell touch {canary})`touch {canary}`$$(touch {canary})"
    result = _refused_by_make("batch", values, canary)
    assert "cannot be read" in result.stderr
    if variable == "BATCH":
        assert f"$(shell touch {canary})" in result.stderr

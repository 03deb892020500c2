"""Bad input stops the build with a message naming file, row, column and rule, a non-zero exit, no
traceback, and the previously published review left byte for byte as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from katsaus import paths
from katsaus.cli import main
from reviews import command, edit, katsaus, snapshot

pytestmark = pytest.mark.e2e

LEDGER = Path("ledger") / "2022.csv"
HEADER = "year;month;cost_centre;account;amount"


def first_row(data: Path, cost_centre: str = "64110000") -> str:
    return next(
        line
        for line in (data / LEDGER).read_text(encoding="utf-8").splitlines()
        if f";{cost_centre};" in line
    )


def _missing_column(data):
    edit(data / LEDGER, HEADER, "year;month;cost_centre;account;summa")


def _non_numeric_amount(data):
    row = first_row(data)
    edit(data / LEDGER, row, row.rsplit(";", 1)[0] + ";12x,50")


def _duplicated_row(data):
    row = first_row(data)
    edit(data / LEDGER, row, f"{row}\n{row}")


def _unknown_cost_centre(data):
    row = first_row(data)
    edit(data / LEDGER, row, row.replace(";64110000;", ";64999999;"))


def _unknown_account(data):
    row = first_row(data)
    fields = row.split(";")
    edit(data / LEDGER, row, ";".join([*fields[:3], "999999", fields[4]]))


def _month_13(data):
    row = first_row(data)
    fields = row.split(";")
    edit(data / LEDGER, row, ";".join([fields[0], "13", *fields[2:]]))


def _latin1(data):
    path = data / "organisation.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))


def _misplaced_separator(data):
    row = first_row(data)
    edit(data / LEDGER, row, row.replace(",", ";"))


def _empty_file(data):
    (data / "budget" / "2022.csv").write_text("", encoding="utf-8")


def _budget_for_unknown_cost_centre(data):
    path = data / "budget" / "2022.csv"
    path.write_text(path.read_text(encoding="utf-8") + "2022,64999999,400000,-1000.00\n", encoding="utf-8")


def _narrative_for_unknown_department(data):
    text = data / "texts" / "2022-06" / "tuntematon.md"
    text.write_text('---\ndepartment: "64999999"\nresponsible: N.N.\n---\nTeksti.\n', encoding="utf-8")


def _orphan_cost_centre(data):
    path = data / "organisation.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "64990000,UUSI YKSIKKÖ,64900000,9,\n", encoding="utf-8"
    )


def _bad_front_matter(data):
    edit(data / "texts" / "2022-06" / "keskusvirasto.md", "responsible:", "vastuuhenkilo:")


CASES = {
    "missing column": (_missing_column, ["2022.csv", "row 1", "column 'amount'", "required columns"]),
    "non-numeric amount": (_non_numeric_amount, ["2022.csv", "row ", "column 'amount'", "'12x,50'"]),
    "duplicated ledger row": (_duplicated_row, ["2022.csv", "row ", "(also row ", "one ledger row per"]),
    "unknown cost centre": (_unknown_cost_centre, ["2022.csv", "row ", "column 'cost_centre'", "64999999"]),
    "unknown account": (_unknown_account, ["2022.csv", "row ", "column 'account'", "999999"]),
    "month 13": (_month_13, ["2022.csv", "row ", "column 'month'", "13"]),
    "Latin-1 file": (_latin1, ["organisation.csv", "row ", "UTF-8"]),
    "misplaced separator": (_misplaced_separator, ["2022.csv", "row ", "fields", "misplaced ';'"]),
    "empty file": (_empty_file, ["budget", "2022.csv", "empty"]),
    "budget for a cost centre that does not exist": (
        _budget_for_unknown_cost_centre,
        ["budget", "2022.csv", "row 216", "column 'cost_centre'", "64999999"],
    ),
    "narrative for an unknown department": (
        _narrative_for_unknown_department,
        ["tuntematon.md", "column 'department'", "64999999"],
    ),
    "cost centre under an unknown parent": (
        _orphan_cost_centre,
        ["organisation.csv", "row 27", "'parent'", "64900000"],
    ),
    "text without a responsible person": (_bad_front_matter, ["keskusvirasto.md", "responsible"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_data_stops_the_build_and_leaves_the_review(published, case):
    data, output, before = published
    spoil, words = CASES[case]
    spoil(data)
    result = katsaus("report", "--period", "2022-06", data=data, output=output)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, f"{word!r} not in: {result.stderr}"
    assert snapshot(output) == before


@pytest.mark.parametrize(
    ("period", "words"),
    [
        ("2022-13", ["PERIOD must be YYYY-MM", "'2022-13'"]),
        ("2022-06; rm -rf /", ["PERIOD must be YYYY-MM", "rm -rf"]),
        ("2023-06", ["no ledger data for 2023"]),
    ],
)
def test_bad_periods_are_refused(published, period, words):
    data, output, before = published
    result = katsaus("report", "--period", period, data=data, output=output)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr
    assert snapshot(output) == before


def test_make_passes_the_period_as_a_value_not_as_shell(tmp_path):
    """A period with shell syntax reaches the program as text: nothing after ';' runs."""
    canary = tmp_path / "canary"
    result = subprocess.run(
        ["make", "--no-print-directory", "report", f"PERIOD=2022-06; touch {canary}", f"OUTPUT={tmp_path}"],
        cwd=paths.ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "PERIOD must be YYYY-MM" in result.stderr
    assert not canary.exists()


def test_an_unknown_section_is_named(published):
    data, output, _ = published
    result = katsaus("section", "--period", "2022-06", "--name", "talous", data=data, output=output)
    assert result.returncode == 2
    assert "unknown section 'talous'" in result.stderr and "perusturvatoimiala" in result.stderr


def test_a_script_in_a_narrative_is_shown_as_text(published):
    data, output, _ = published
    edit(
        data / "texts" / "2022-06" / "keskusvirasto.md",
        "Keskusviraston osalta",
        "<script>alert(1)</script> Keskusviraston osalta",
    )
    result = katsaus("report", "--period", "2022-06", data=data, output=output)
    assert result.returncode == 0, result.stderr
    html = (output / "2022-06" / "review.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Keskusviraston osalta" in html
    assert "<script>alert" not in html


def test_a_killed_build_leaves_the_review(published):
    """SIGKILL in the middle of the sections: the published review is untouched and the next build works."""
    data, output, before = published
    for name in ("keskusvirasto", "perusturvatoimiala"):
        edit(
            data / "texts" / "2022-06" / f"{name}.md",
            "---\n## Talousarvion",
            "---\nMuutettu.\n\n## Talousarvion",
        )
    command = [sys.executable, "-m", "katsaus", "report", "--data", str(data), "--output", str(output)]
    build = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline, old = time.monotonic() + 120, Path(before["->"]).name
    while time.monotonic() < deadline and not [
        log for log in (output / ".builds").glob("*/logs/*.log") if log.parent.parent.name != old
    ]:
        time.sleep(0.2)
    assert build.poll() is None, "the build ended before it could be killed"
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert snapshot(output) == before
    result = katsaus("report", "--period", "2022-06", data=data, output=output)
    assert result.returncode == 0, result.stderr
    assert "Muutettu." in (output / "2022-06" / "review.html").read_text(encoding="utf-8")
    assert len(list((output / ".builds").iterdir())) == 1


def test_a_notebook_cell_that_raises_names_section_and_cell(published, tmp_path, monkeypatch, capsys):
    """Exit status 1, the section and cell named, the executed notebook kept, the review untouched."""
    data, output, before = published
    notebooks, params = tmp_path / "notebooks", tmp_path / "params"
    shutil.copytree(paths.NOTEBOOKS, notebooks)
    broken = nbformat.read(notebooks / "summary.ipynb", as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell("raise ValueError('laskenta epäonnistui')"))
    nbformat.write(broken, notebooks / "a-cell-raises.ipynb")
    params.mkdir()
    (params / "review.yaml").write_text(
        "organisation: KEMIN KAUPUNKI\nsections:\n"
        "  - {name: yhteenveto, title: Yhteenveto, notebook: summary.ipynb}\n"
        "  - {name: rikki, title: Rikki, notebook: a-cell-raises.ipynb}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "NOTEBOOKS", notebooks)
    monkeypatch.setattr(paths, "PARAMS", params)
    monkeypatch.chdir(data.parent)
    status = main(command("report", "--period", "2022-06", data=data, output=output)[3:])
    message = capsys.readouterr().err
    assert status == 1
    assert "section 'rikki' failed in cell" in message and "ValueError: laskenta epäonnistui" in message
    kept = output / "failed" / "2022-06" / "rikki.ipynb"
    assert kept.is_file() and "laskenta epäonnistui" in kept.read_text(encoding="utf-8")
    assert snapshot(output) == before


def test_two_builds_at_once_publish_one_whole_review(published):
    data, output, _ = published
    edit(
        data / "texts" / "2022-06" / "elinvoimatoimiala.md",
        "---\n## Talousarvion",
        "---\nSamaan aikaan.\n\n## Talousarvion",
    )
    command = [sys.executable, "-m", "katsaus", "report", "--data", str(data), "--output", str(output)]
    builds = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    results = [build.communicate(timeout=600) for build in builds]
    assert [build.returncode for build in builds] == [0, 0], results
    assert any("up to date" in out for out, _ in results)
    assert "Samaan aikaan." in (output / "2022-06" / "review.html").read_text(encoding="utf-8")
    assert len(list((output / ".builds").iterdir())) == 1

"""The suites' outcomes kept by content: reused while a table is unchanged, never once it changed."""

from __future__ import annotations

import shutil

import pytest

from katsaus import paths
from katsaus.checks.gate import validate
from katsaus.inputs.kpis import load_kpi_table
from katsaus.inputs.tables import load_inputs
from katsaus.inputs.texts import load_text_files
from katsaus.period import Period

pytestmark = pytest.mark.unit

PERIOD = Period.parse("2022-06")


@pytest.fixture
def data(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA, copy)
    return copy


def check(data, cache):
    texts, kpis = load_text_files(data, PERIOD), load_kpi_table(data, PERIOD)
    return validate(load_inputs(data), PERIOD, texts, kpis, cache)


def test_unchanged_tables_are_not_validated_again(data, tmp_path):
    first = check(data, tmp_path / "checks")
    again = check(data, tmp_path / "checks")

    assert "run" in first.seconds and "run" not in again.seconds  # no GX run the second time
    assert again.checked == first.checked
    assert again.findings == first.findings


def test_a_changed_table_is_validated_again(data, tmp_path):
    check(data, tmp_path / "checks")
    ledger = data / "ledger" / "2022.csv"
    header, first_row, *rest = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = first_row.split(";")
    fields[2] = "99999999"  # a cost centre the organisation does not have
    ledger.write_text("".join([header, ";".join(fields), *rest]), encoding="utf-8")

    outcome = check(data, tmp_path / "checks")

    assert "run" in outcome.seconds
    assert any("99999999" in str(finding) for finding in outcome.errors)

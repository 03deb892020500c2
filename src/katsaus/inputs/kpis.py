"""Suoritteet/Tunnusluvut: the KPI tables of each department's result areas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from katsaus.errors import InputError
from katsaus.inputs.readers import read_table

CELLS = ["tp", "ta", "actual", "forecast"]
COLUMNS = {
    "department": "code",
    "result_area": "text",
    "responsible": "text",
    "label": "text",
} | dict.fromkeys(CELLS, "text")
SUM = "sum_of"  # optional: the row is the sum of this many rows right below it
AREA = ["department", "result_area", "responsible"]


@dataclass(frozen=True, eq=False)
class ResultArea:
    """One result area's KPI table: rows of label, the four cells and a `subheading` flag."""

    name: str
    responsible: str
    rows: pd.DataFrame


def load_kpi_table(data_dir: Path, period) -> pd.DataFrame | None:
    """The rows of `kpis/<period>.csv` as read (None if the period has no KPI file)."""
    path = Path(data_dir) / "kpis" / f"{period}.csv"
    return read_kpis(path) if path.exists() else None


def load_kpis(data_dir: Path, period) -> dict[str, list[ResultArea]]:
    """The result areas of `kpis/<period>.csv` per department code, in file order (empty if no file)."""
    return group_kpis(load_kpi_table(data_dir, period))


def read_kpis(path: Path) -> pd.DataFrame:
    """A KPI file's rows, with `sum_of` empty where the file has no such column."""
    try:
        return read_table(path, COLUMNS | {SUM: "text"})
    except InputError as error:
        if error.column != SUM:
            raise
        return read_table(path, COLUMNS).assign(**{SUM: ""})


def group_kpis(frame: pd.DataFrame | None) -> dict[str, list[ResultArea]]:
    """Group KPI rows by department, then by result area and responsible person in order of appearance
    (empty without a KPI table)."""
    if frame is None:
        return {}
    frame = frame.assign(
        result_area=frame["result_area"].str.strip(),
        responsible=frame["responsible"].str.strip(),
        subheading=frame[CELLS].apply(lambda cells: cells.str.strip().eq("")).all(axis=1),
    )
    kpis: dict[str, list[ResultArea]] = {}
    for (department, name, responsible), rows in frame.groupby(AREA, sort=False):
        table = rows[["label", *CELLS, "subheading"]].reset_index(drop=True)
        kpis.setdefault(department, []).append(ResultArea(name, responsible, table))
    return kpis

"""Suoritteet/Tunnusluvut: the KPI tables of each department's result areas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from katsaus.readers import read_table

CELLS = ["tp", "ta", "actual", "forecast"]
COLUMNS = {
    "department": "code",
    "result_area": "text",
    "responsible": "text",
    "label": "text",
} | dict.fromkeys(CELLS, "text")


@dataclass(frozen=True, eq=False)
class ResultArea:
    """One result area's KPI table: rows of label, the four cells and a `subheading` flag."""

    name: str
    responsible: str
    rows: pd.DataFrame


def load_kpis(data_dir: Path, period: str) -> dict[str, list[ResultArea]]:
    """The result areas of `kpis/<period>.csv` per department code, in file order (empty if no file)."""
    path = Path(data_dir) / "kpis" / f"{period}.csv"
    if not path.exists():
        return {}
    return group_kpis(read_table(path, COLUMNS))


def group_kpis(frame: pd.DataFrame) -> dict[str, list[ResultArea]]:
    """Group KPI rows by department, then by result area and responsible person in order of appearance."""
    frame = frame.assign(
        result_area=frame["result_area"].str.strip(),
        responsible=frame["responsible"].str.strip(),
        subheading=frame[CELLS].apply(lambda cells: cells.str.strip().eq("")).all(axis=1),
    )
    kpis: dict[str, list[ResultArea]] = {}
    for (department, name, responsible), rows in frame.groupby(
        ["department", "result_area", "responsible"], sort=False
    ):
        table = rows[["label", *CELLS, "subheading"]].reset_index(drop=True)
        kpis.setdefault(department, []).append(ResultArea(name, responsible, table))
    return kpis

"""Strategy tables: one table per strategic goal (Strateginen päämäärä) and department."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from katsaus.errors import InputError
from katsaus.inputs.readers import read_table

CELLS = ["objective", "actions", "owner_schedule", "metrics", "status", "sdg"]
COLUMNS = {"goal": "text", "department": "code"} | dict.fromkeys(CELLS, "text")


def load_strategy(data_dir: Path, period: str) -> dict[str, dict[str, pd.DataFrame]]:
    """Goal → department code → table of `strategy/<period>.csv` in order of appearance; empty if no file."""
    path = Path(data_dir) / "strategy" / f"{period}.csv"
    if not path.exists():
        return {}
    return group_strategy(read_table(path, COLUMNS))


def check_strategy(data_dir: Path, period: str, departments: list[str]) -> None:
    """Refuse a strategy table that cannot be read or has a row for a department the organisation lacks."""
    path = Path(data_dir) / "strategy" / f"{period}.csv"
    if not path.exists():
        return
    frame = read_table(path, COLUMNS)
    unknown = frame[~frame["department"].isin(departments)]
    if len(unknown):
        code, row = unknown["department"].iloc[0], int(unknown["_row"].iloc[0])
        raise InputError(
            path,
            f"department {code} is not a department of the organisation",
            row=row,
            column="department",
            rule="strategy rows belong to a department of the organisation",
            value=code,
        )


def group_strategy(frame: pd.DataFrame) -> dict[str, dict[str, pd.DataFrame]]:
    """Group strategy rows by goal and department, keeping the order of first appearance."""
    goals: dict[str, dict[str, pd.DataFrame]] = {}
    frame = frame.assign(goal=frame["goal"].str.strip())
    for (goal, department), rows in frame.groupby(["goal", "department"], sort=False):
        goals.setdefault(goal, {})[department] = rows[CELLS].reset_index(drop=True)
    return goals

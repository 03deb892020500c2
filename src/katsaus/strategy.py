"""Strategy tables: one table per strategic goal (Strateginen päämäärä) and department."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from katsaus.readers import read_table

CELLS = ["objective", "actions", "owner_schedule", "metrics", "status", "sdg"]
COLUMNS = {"goal": "text", "department": "code"} | dict.fromkeys(CELLS, "text")


def load_strategy(data_dir: Path, period: str) -> dict[str, dict[str, pd.DataFrame]]:
    """Goal → department code → table of `strategy/<period>.csv` in order of appearance; empty if no file."""
    path = Path(data_dir) / "strategy" / f"{period}.csv"
    if not path.exists():
        return {}
    return group_strategy(read_table(path, COLUMNS))


def group_strategy(frame: pd.DataFrame) -> dict[str, dict[str, pd.DataFrame]]:
    """Group strategy rows by goal and department, keeping the order of first appearance."""
    goals: dict[str, dict[str, pd.DataFrame]] = {}
    frame = frame.assign(goal=frame["goal"].str.strip())
    for (goal, department), rows in frame.groupby(["goal", "department"], sort=False):
        goals.setdefault(goal, {})[department] = rows[CELLS].reset_index(drop=True)
    return goals

"""The input tables of the data contract (docs/data.md), read from a data folder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from katsaus.errors import ParameterError
from katsaus.inputs.readers import read_folder, read_table
from katsaus.inputs.sources import check_data_folder

SCHEMAS = {
    "organisation": {"code": "code", "name": "text", "parent": "code", "order": "int"},
    "accounts": {"account": "code", "name": "text", "line": "text"},
    "ledger": {"year": "int", "month": "month", "cost_centre": "code", "account": "code", "amount": "amount"},
    "budget": {"year": "int", "cost_centre": "code", "account": "code", "amount": "amount"},
    "forecast": {
        "year": "int",
        "made_month": "int",
        "cost_centre": "code",
        "account": "code",
        "amount": "amount",
    },
    # Optional: the investment part, by project (katsaus.figures.investments).
    "investments": {
        "year": "int",
        "month": "int",
        "cost_centre": "code",
        "project": "code",
        "name": "text",
        "figure": "code",
        "amount": "amount",
    },
}
SINGLE_FILES = ("organisation", "accounts")
# Columns a table may have: the names in another language than Finnish (name_sv), empty where not given.
OPTIONAL = {"organisation": {"name_sv": "text"}, "accounts": {"name_sv": "text"}}


@dataclass
class Inputs:
    """The numeric input tables, each with `_file` and `_row` for pointing at problems."""

    organisation: pd.DataFrame
    accounts: pd.DataFrame
    ledger: pd.DataFrame
    budget: pd.DataFrame
    forecast: pd.DataFrame
    investments: pd.DataFrame = field(default_factory=lambda: no_rows("investments"))


def no_rows(name: str) -> pd.DataFrame:
    """A folder table without rows, as a data folder without that folder reads."""
    return read_folder(Path(os.devnull) / name, SCHEMAS[name])


def table_file(data_dir: Path, name: str) -> Path:
    """The file (organisation, accounts) or folder (ledger, budget, forecast) of a table."""
    if name in SINGLE_FILES:
        for suffix in (".csv", ".xlsx"):
            if (Path(data_dir) / f"{name}{suffix}").exists():
                return Path(data_dir) / f"{name}{suffix}"
        return Path(data_dir) / f"{name}.csv"
    return Path(data_dir) / name


def load_table(data_dir: Path, name: str) -> pd.DataFrame:
    """Read one table of the contract."""
    path = table_file(data_dir, name)
    if name in SINGLE_FILES:
        if not path.exists():
            raise ParameterError(f"{path}: the {name} file is missing (see docs/data.md)")
        return read_table(path, SCHEMAS[name], OPTIONAL.get(name))
    return read_folder(path, SCHEMAS[name])


def load_inputs(data_dir: Path) -> Inputs:
    """Read every numeric table of the contract from `data_dir`."""
    data_dir = Path(data_dir)
    check_data_folder(data_dir)
    return Inputs(**{name: load_table(data_dir, name) for name in SCHEMAS})

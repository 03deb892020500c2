"""The suites' outcomes kept by content: a table validated before, with the same rows, suite, parameters,
package code and GX version, is not validated again, and GX is not even imported when no table needs it.
A build's data checks then cost a fraction of a second when, say, only a narrative changed."""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from katsaus import paths
from katsaus.findings import Check, Finding
from katsaus.publish.cache import digest, keep, recall, tree_digest

Outcome = tuple[list[Check], list[Finding]]


class SuiteCache:
    """Outcomes of tables' suites under one folder, one file per key."""

    def __init__(self, folder: Path, parameters: dict, suites: Path):
        self.folder, self.suites = folder, suites
        self.common = digest(
            json.dumps(parameters, sort_keys=True, default=str),
            tree_digest(paths.PACKAGE),
            version("great_expectations"),
        )

    def key(self, name: str, frame: pd.DataFrame) -> str:
        """The digest of a table's rows (with their files and row numbers) and everything else it is
        checked with."""
        rows = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
        shape = repr([(column, str(dtype)) for column, dtype in frame.dtypes.items()])
        return digest(self.common, name, (self.suites / f"{name}.json").read_bytes(), shape, rows)

    def recall(self, key: str) -> Outcome | None:
        """The outcome kept under key, or None (also when the kept one is not sound)."""
        kept = recall(self.folder, key)
        try:
            return None if kept is None else _revive(kept)
        except (TypeError, ValueError, KeyError):
            return None

    def keep(self, key: str, outcome: Outcome) -> Outcome:
        """Keep an outcome under key; return it as it will be recalled (values as JSON has them)."""
        plain = {"checks": [asdict(c) for c in outcome[0]], "findings": [asdict(f) for f in outcome[1]]}
        return _revive(keep(self.folder, key, plain))


def _revive(kept: dict) -> Outcome:
    return [Check(**c) for c in kept["checks"]], [Finding(**f) for f in kept["findings"]]

"""The Great Expectations part of the input checks: each table against its suite expectations/<table>.json.

The suites are GX 1.x ExpectationSuite JSON. Value sets that depend on the data (the organisation's codes, the
accounts, …) are written `{"$PARAMETER": "name"}` and filled in at run time. Each table is validated on an
ephemeral context as a whole-dataframe batch, first asking GX only whether each rule holds (result format
BOOLEAN_ONLY: fewer metrics, and GX copies a rule's whole configuration, value set and all, for each metric it
computes). When every rule checks every row and all hold, that is the outcome; else the table is validated
again for the counts and the first offending rows. When moreover every rule looks at one value at a time (set
membership, ranges, nulls, types, columns), the first pass is run on a frame of each column's distinct values,
which breaks a rule exactly when the table does: a ledger of millions of rows has a few thousand codes. Of a
number column that the rules look at only by its range (types, bounds, nulls: the amounts), the smallest and
largest values stand for all. A key's uniqueness is not such a rule; it is checked in pandas
(katsaus.checks.rules), as GX's check of it takes seconds per million rows.

GX reports the index labels of the first offending rows (`partial_unexpected_index_list`), which are
looked up in the table's `_file` and `_row`: asking GX for `unexpected_index_column_names` instead makes it
build the list of every offending row in Python before truncating it, which takes minutes when a big
ledger breaks a rule on most rows.
"""

from __future__ import annotations

import contextlib
import gc
import json
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from katsaus import paths
from katsaus.checks.suite_cache import SuiteCache
from katsaus.errors import ParameterError
from katsaus.findings import ERROR, EXAMPLES, WARNING, Check, Finding, Table, at_rows, say
from katsaus.i18n import N_

RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES}
SCREEN = {"result_format": "BOOLEAN_ONLY"}
SEVERITIES = {"critical": ERROR, "warning": WARNING, "info": WARNING}
PLACES = ["_file", "_row"]
# Rules whose outcome depends only on the columns, their types and the set of values in each column.
PER_VALUE = {
    "expect_table_columns_to_match_set",
    "expect_column_values_to_be_of_type",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_be_between",
    "expect_column_values_to_not_be_null",
    "expect_column_value_lengths_to_be_between",
}
# Rules that hold on every value of a column when they hold on its smallest and its largest value and on
# a missing value, if it has one.
BY_RANGE = {
    "expect_column_values_to_be_of_type",
    "expect_column_values_to_be_between",
    "expect_column_values_to_not_be_null",
}


@dataclass
class SuiteRun:
    """What the suites found, and the seconds spent finding distinct values, importing GX (waiting for it),
    setting it up and validating."""

    checks: list[Check]
    findings: list[Finding]
    seconds: dict[str, float]


def import_in_background() -> None:
    """Start loading GX (seconds of imports) on a thread of its own, so that it overlaps the pandas work
    done before run_suites, whose import waits for it; a failed import is reported by that one."""
    threading.Thread(target=_import_gx, daemon=True).start()


def _import_gx() -> None:
    with contextlib.suppress(Exception):
        _gx()


def _gx():
    """The great_expectations module, imported with the cyclic garbage collector paused: the import makes
    some 300,000 objects and no garbage, and collecting as it went took about 0.7 s of its 4 s."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        import great_expectations
    finally:
        if collecting:
            gc.enable()
    return great_expectations


def run_suites(
    tables: list[Table], parameters: dict, folder: Path = paths.EXPECTATIONS, cache: Path | None = None
) -> SuiteRun:
    """Validate every table against its suite, with `parameters` for the `$PARAMETER` values; with a
    `cache` folder, a table validated before takes its outcome from there (katsaus.checks.suite_cache)."""
    kept = SuiteCache(cache, parameters, folder) if cache else None
    keys = {t.name: kept.key(t.name, t.frame) for t in tables} if kept else {}
    outcomes = {name: outcome for name, key in keys.items() if (outcome := kept.recall(key)) is not None}
    todo = [t for t in tables if t.name not in outcomes]
    run = SuiteRun([], [], {})
    if todo:
        fresh, run.seconds = _run_tables(todo, parameters, folder)
        if kept:
            fresh = {name: kept.keep(keys[name], outcome) for name, outcome in fresh.items()}
        outcomes |= fresh
    for table in tables:
        checks, findings = outcomes[table.name]
        run.checks += checks
        run.findings += findings
    return run


def _run_tables(tables: list[Table], parameters: dict, folder: Path) -> tuple[dict, dict[str, float]]:
    """Each table's checks and findings, by name, and the seconds spent finding distinct values, importing
    GX (waiting for it), setting it up and validating."""
    started = time.perf_counter()
    frames = [table.frame.reset_index(drop=True) for table in tables]
    # Made before the import, which may still be running on import_in_background's thread.
    screens = [
        _distinct(frame.drop(columns=PLACES), _ranged(folder / f"{table.name}.json"))
        for table, frame in zip(tables, frames, strict=True)
    ]
    distinct = time.perf_counter()
    gx = _gx()

    imported = time.perf_counter()
    definitions = _definitions(gx, [t.name for t in tables], folder)
    ready = time.perf_counter()
    outcomes = {}
    for table, frame, screen in zip(tables, frames, screens, strict=True):
        results = _validate(definitions[table.name], frame, screen, parameters)
        order = {e.id: i for i, e in enumerate(definitions[table.name].suite.expectations)}
        checks, findings = [], []
        for result in sorted(results.results, key=lambda r: order.get(r.expectation_config.id, 0)):
            check, found = _read(table, frame, result)
            checks.append(check)
            findings.extend(found)
        outcomes[table.name] = (checks, findings)
    seconds = {
        "distinct": distinct - started,
        "import": imported - distinct,
        "setup": ready - imported,
        "run": time.perf_counter() - ready,
    }
    return outcomes, seconds


def _validate(definition, frame: pd.DataFrame, screen: pd.DataFrame, parameters: dict):
    """The suite's results on `frame`: whether each rule holds, when every rule checks every row and holds
    (on `screen`, the columns' distinct values, when the rules allow it); else the counts and first
    offending rows."""
    data, rules = frame.drop(columns=PLACES), definition.suite.expectations
    if all(_on_every_row(rule) for rule in rules):
        per_value = all(rule.expectation_type in PER_VALUE for rule in rules)
        screened = _run(definition, screen if per_value else data, parameters, SCREEN)
        if screened.success:
            return screened
    return _run(definition, data, parameters, RESULT_FORMAT)


def _run(definition, data: pd.DataFrame, parameters: dict, result_format: dict):
    return definition.run(
        batch_parameters={"dataframe": data},
        expectation_parameters=parameters,
        result_format=result_format,
    )


def _on_every_row(rule) -> bool:
    """Whether a rule that holds checked every row and found none offending (no condition, no `mostly`)."""
    return getattr(rule, "row_condition", None) is None and getattr(rule, "mostly", 1) == 1


def _distinct(data: pd.DataFrame, ranged: set[str]) -> pd.DataFrame:
    """Each column's distinct values (of the same type), or of a number column in `ranged` its extremes,
    each column repeating its own up to the length of the longest: a frame with the same columns and
    types that breaks a per-value rule exactly when `data` does."""
    if data.empty:
        return data
    values = {
        name: _extremes(data[name]) if name in ranged and _numbers(data[name]) else _unique(data[name])
        for name in data.columns
    }
    size = max(len(v) for v in values.values())
    return pd.DataFrame({name: v.take(np.arange(size) % len(v)) for name, v in values.items()})


def _numbers(column: pd.Series, kinds: str = "iuf") -> bool:
    return isinstance(column.dtype, np.dtype) and column.dtype.kind in kinds


def _extremes(column: pd.Series) -> np.ndarray:
    """A number column's smallest and largest value, and a missing value if it has one."""
    values = [column.min(), column.max(), *([np.nan] if column.hasnans else [])]
    return np.array(values, dtype=column.dtype)


def _unique(column: pd.Series):
    """The distinct values of a column; floats (mostly distinct) are sorted, faster than hashed."""
    if _numbers(column, "f"):
        return np.unique(column.to_numpy())
    return column.unique()


def _ranged(path: Path) -> set[str]:
    """The columns that every rule of the suite naming them looks at only by range (BY_RANGE)."""
    kinds: dict[str, set[str]] = {}
    for rule in _suite_file(path)["expectations"]:
        kwargs = rule.get("kwargs")
        column = kwargs.get("column") if isinstance(kwargs, dict) else None
        if isinstance(column, str):
            kinds.setdefault(column, set()).add(rule.get("type"))
    return {column for column, types in kinds.items() if types <= BY_RANGE}


def _definitions(gx, names: list[str], folder: Path) -> dict:
    """An ephemeral context with one pandas dataframe asset and validation definition per table."""
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("katsaus")
    definitions = {}
    for name in names:
        suite = context.suites.add(load_suite(gx, folder / f"{name}.json"))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        definition = gx.ValidationDefinition(name=name, data=batch, suite=suite)
        definitions[name] = context.validation_definitions.add(definition)
    return definitions


def load_suite(gx, path: Path):
    """Read a suite file, naming the expectation that is not valid GX configuration."""
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    data = _suite_file(path)
    expectations = []
    for number, item in enumerate(data["expectations"], start=1):
        try:
            if not item.get("meta", {}).get("rule"):
                raise ValueError("meta.rule (the rule in plain words) is missing")
            expectations.append(ExpectationConfiguration(**item).to_domain_obj())
        except Exception as error:  # GX raises many kinds for a bad configuration
            raise ParameterError(f"{path}: expectation {number} is not valid: {error}") from None
    return gx.ExpectationSuite(
        name=data.get("name") or path.stem, expectations=expectations, notes=data.get("notes")
    )


def _suite_file(path: Path) -> dict:
    """A suite file's JSON: an object with a list of expectations (objects)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not all(isinstance(item, dict) for item in data["expectations"]):
            raise TypeError("an expectation is not an object")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ParameterError(f"{path}: not an expectation suite: {error}") from None
    return data


def _read(table: Table, frame: pd.DataFrame, result) -> tuple[Check, list[Finding]]:
    """One expectation's result as a check and the problems it found."""
    config, details = result.expectation_config, result.result or {}
    severity = SEVERITIES[getattr(config.severity, "value", config.severity)]
    rule = config.meta["rule"]
    failed = details.get("unexpected_count", 0 if result.success else 1)
    checked = details.get("element_count", len(frame))
    check = Check(table.name, rule, severity, config.type, checked, failed, bool(result.success))
    if result.success:
        return check, []
    shown = config.meta.get("column")
    column = shown or config.kwargs.get("column") or ", ".join(config.kwargs.get("column_list", [])) or None
    finding = Finding(severity, rule, config.meta.get("message", rule), table.source, column=column)
    if result.exception_info.get("raised_exception"):
        message = N_("the rule could not be checked: {problem}")
        problem = result.exception_info.get("exception_message")
        return check, [replace(finding, template=message, values={"problem": problem})]
    if "partial_unexpected_index_list" not in details:
        value = details.get("details", {}).get("mismatched", {}).get("missing", details.get("observed_value"))
        return check, [say(finding, value)]
    return check, _rows(finding, frame, details, shown)


def _rows(finding: Finding, frame: pd.DataFrame, details: dict, shown: str | None) -> list[Finding]:
    """The problems at the first offending rows GX reports.

    The value is the checked column's, or that of the column `meta.column` names, when the suite checks
    a count and reports the problem in the column of the input file it is about.
    """
    labels = details["partial_unexpected_index_list"]
    values = [frame[shown].iloc[label] for label in labels] if shown else details["partial_unexpected_list"]
    return at_rows(finding, frame, labels, values, details["unexpected_count"])

"""The Great Expectations part of the input checks: each table against its suite expectations/<table>.json.

The suites are GX 1.x ExpectationSuite JSON. Value sets that depend on the data (the organisation's
codes, the accounts, …) are written `{"$PARAMETER": "name"}` and filled in at run time. Each table is
validated once, on an ephemeral context, as a whole-dataframe batch. GX reports the index labels of the
first offending rows (`partial_unexpected_index_list`), which are looked up in the table's `_file` and
`_row`: asking GX for `unexpected_index_column_names` instead makes it build the list of every offending
row in Python before truncating it, which takes minutes when a big ledger breaks a rule on most rows.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from katsaus import paths
from katsaus.errors import ParameterError
from katsaus.findings import ERROR, WARNING, Check, Finding

EXAMPLES = 100
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES}
SEVERITIES = {"critical": ERROR, "warning": WARNING, "info": WARNING}
PLACES = ["_file", "_row"]
MORE_ROWS = 3


@dataclass(frozen=True)
class Table:
    """A frame (with `_file` and `_row`) to validate against the suite of the same name."""

    name: str
    frame: pd.DataFrame

    @property
    def source(self) -> str:
        """The table's file, or the folder of its files, for problems that have no row."""
        files = sorted(str(f) for f in pd.unique(self.frame["_file"]))
        if len(files) == 1:
            return files[0]
        return os.path.commonpath(files) if files else self.name


@dataclass
class SuiteRun:
    """What the suites found, and the seconds spent importing GX, setting it up and validating."""

    checks: list[Check]
    findings: list[Finding]
    seconds: dict[str, float]


def run_suites(tables: list[Table], parameters: dict, folder: Path = paths.EXPECTATIONS) -> SuiteRun:
    """Validate every table once against its suite, with `parameters` for the `$PARAMETER` values."""
    started = time.perf_counter()
    import great_expectations as gx

    imported = time.perf_counter()
    definitions = _definitions(gx, [t.name for t in tables], folder)
    ready = time.perf_counter()
    run = SuiteRun([], [], {})
    for table in tables:
        frame = table.frame.reset_index(drop=True)
        results = definitions[table.name].run(
            batch_parameters={"dataframe": frame.drop(columns=PLACES)},
            expectation_parameters=parameters,
            result_format=RESULT_FORMAT,
        )
        order = {e.id: i for i, e in enumerate(definitions[table.name].suite.expectations)}
        for result in sorted(results.results, key=lambda r: order.get(r.expectation_config.id, 0)):
            check, findings = _read(table, frame, result)
            run.checks.append(check)
            run.findings.extend(findings)
    run.seconds = {
        "import": imported - started,
        "setup": ready - imported,
        "run": time.perf_counter() - ready,
    }
    return run


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

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data["expectations"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ParameterError(f"{path}: not an expectation suite: {error}") from None
    expectations = []
    for number, item in enumerate(items, start=1):
        try:
            if not item.get("meta", {}).get("rule"):
                raise ValueError("meta.rule (the rule in plain words) is missing")
            expectations.append(ExpectationConfiguration(**item).to_domain_obj())
        except Exception as error:  # GX raises many kinds for a bad configuration
            raise ParameterError(f"{path}: expectation {number} is not valid: {error}") from None
    return gx.ExpectationSuite(
        name=data.get("name") or path.stem, expectations=expectations, notes=data.get("notes")
    )


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
        message = f"the rule could not be checked: {result.exception_info.get('exception_message')}"
        return check, [replace(finding, message=message)]
    if "partial_unexpected_index_list" not in details:
        value = details.get("details", {}).get("mismatched", {}).get("missing", details.get("observed_value"))
        return check, [_say(finding, value)]
    return check, _rows(finding, frame, details, shown)


def _rows(finding: Finding, frame: pd.DataFrame, details: dict, shown: str | None) -> list[Finding]:
    """One problem per offending value: at its first row, naming a few more rows that have it.

    The value is the checked column's, or that of the column `meta.column` names, when the suite checks
    a count and reports the problem in the column of the input file it is about.
    """
    labels = details["partial_unexpected_index_list"]
    values = [frame[shown].iloc[label] for label in labels] if shown else details["partial_unexpected_list"]
    groups: dict[str, list] = {}
    for label, value in zip(labels, values, strict=True):
        groups.setdefault(repr(value), [value]).append(label)
    findings = []
    for value, first, *others in groups.values():
        file, row = _place(frame, first)
        found = _say(replace(finding, file=file, row=row), value)
        if others:
            found = replace(found, message=f"{found.message} (also {_also(frame, file, others)})")
        findings.append(found)
    rest = details["unexpected_count"] - len(labels)
    if rest > 0:
        message = f"{rest} more rows break this rule besides the {len(labels)} above"
        findings.append(replace(finding, message=message))
    return findings


def _place(frame: pd.DataFrame, label) -> tuple[str, int]:
    return str(frame["_file"].iloc[label]), int(frame["_row"].iloc[label])


def _also(frame: pd.DataFrame, file: str, labels: list) -> str:
    """'row 15, row 16 and 4 more rows' (with the file where it differs)."""
    places = [_place(frame, label) for label in labels[:MORE_ROWS]]
    named = ", ".join(f"row {row}" if f == file else f"{f} row {row}" for f, row in places)
    extra = len(labels) - MORE_ROWS
    return f"{named} and {extra} more rows" if extra > 0 else named


def _say(finding: Finding, value) -> Finding:
    """Put the offending value into the suite's message (`{value}`)."""
    return replace(finding, message=finding.message.replace("{value}", _text(value)), value=value)


def _text(value) -> str:
    if isinstance(value, dict):
        return "(" + ", ".join(f"{k} {_text(v)}" for k, v in value.items()) + ")"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if value is None or (isinstance(value, float) and value != value):
        return "(empty)"
    return str(value)

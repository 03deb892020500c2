"""Errors the user can act on: each names the file, the row and column, the rule and the value."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from katsaus.findings import Finding

SHOWN = 120  # characters of an offending value shown in a message
LISTED = 20  # errors a refused build lists


def cut(text: str, length: int = SHOWN) -> str:
    """A value as a message shows it: at most `length` characters, a cut marked with its full length."""
    text = str(text)
    return text if len(text) <= length else f"{text[:length]}… ({len(text)} characters)"


def found(value) -> str:
    """What a message says was found where something else was expected, e.g. "list ['a', 'b']"."""
    return "nothing" if value is None else f"{type(value).__name__} {cut(repr(value))}"


class KatsausError(Exception):
    """A problem with the user's input or parameters, reported without a traceback."""

    exit_status = 2

    def said(self) -> str:
        """The error as the command says it."""
        return f"katsaus: error: {cut(str(self), 100 * SHOWN)}"


class InputError(KatsausError):
    """A data file breaks a rule of the data contract."""

    def __init__(self, file, message, row=None, column=None, rule=None, value=None):
        self.file, self.row, self.column, self.rule, self.value = file, row, column, rule, value
        super().__init__(message)

    def __str__(self) -> str:
        where = [str(self.file)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{cut(self.column, 40)}'")
        text = f"{', '.join(where)}: {cut(self.args[0], 10 * SHOWN)}"
        if self.value is not None:
            text += f" (value: {cut(repr(self.value))})"
        if self.rule:
            text += f" [rule: {self.rule}]"
        return text


class ParameterError(KatsausError):
    """A build parameter (period, section, data folder) is not usable."""


class ValidationFailed(InputError):
    """The inputs break rules marked as errors; lists the first of them and counts the rest."""

    def __init__(self, errors: list[Finding], report: Path | None = None):
        first = errors[0]
        super().__init__(first.file, first.message, first.row, first.column, first.rule)
        self.errors, self.report = errors, report

    def __str__(self) -> str:
        lines = [f"{len(self.errors)} input errors stop the build:"]
        lines += [f"  {error}" for error in self.errors[:LISTED]]
        if len(self.errors) > LISTED:
            lines.append(f"  … and {len(self.errors) - LISTED} more")
        if self.report:
            lines.append(f"Every rule checked and every problem found: {self.report}")
        return "\n".join(lines)


class SectionFailed(KatsausError):
    """A section's notebook raised; its executed copy is kept for reading."""

    exit_status = 1


class StepFailed(KatsausError):
    """A step of a review failed on a worker: its message (the error's own type may not survive the trip
    back from the worker)."""

    exit_status = 1


class BadYAML(ValueError):
    """A YAML text beyond the limits (or not YAML at all); the message says which."""

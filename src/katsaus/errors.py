"""Errors the user can act on: each names the file, the row and column, the rule and the value."""

from __future__ import annotations


class KatsausError(Exception):
    """A problem with the user's input or parameters, reported without a traceback."""

    exit_status = 2


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
            where.append(f"column '{self.column}'")
        text = f"{', '.join(where)}: {self.args[0]}"
        if self.value is not None:
            text += f" (value: {self.value!r})"
        if self.rule:
            text += f" [rule: {self.rule}]"
        return text


class ParameterError(KatsausError):
    """A build parameter (period, section, data folder) is not usable."""

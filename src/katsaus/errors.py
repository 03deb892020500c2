"""Errors the user can act on: each names the file, the row and column, the rule and the value."""

from __future__ import annotations

SHOWN = 120  # characters of an offending value shown in a message


def cut(text: str, length: int = SHOWN) -> str:
    """A value as a message shows it: at most `length` characters, a cut marked with its full length."""
    text = str(text)
    return text if len(text) <= length else f"{text[:length]}… ({len(text)} characters)"


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
            where.append(f"column '{cut(self.column, 40)}'")
        text = f"{', '.join(where)}: {cut(self.args[0], 10 * SHOWN)}"
        if self.value is not None:
            text += f" (value: {cut(repr(self.value))})"
        if self.rule:
            text += f" [rule: {self.rule}]"
        return text


class ParameterError(KatsausError):
    """A build parameter (period, section, data folder) is not usable."""

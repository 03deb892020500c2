"""Read a table of the data contract from UTF-8 CSV, Finnish semicolon CSV or .xlsx.

Every table comes back with the requested columns plus `_file` and `_row` (the row's number in the
file, the header being row 1), so later checks can point at the exact place of a problem.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from katsaus.errors import InputError

KINDS = {"code", "text", "int", "amount"}
PATTERNS = {
    "int": r"^[+-]?\d+$",
    "amount": r"^[+-]?\d+(\.\d+)?$",
}
RULES = {"int": "a whole number", "amount": "a number (euros, at most one decimal separator)"}
SPACES = "[\\s\u00a0\u202f]"
SUFFIXES = (".csv", ".xlsx")


def read_folder(folder: Path, columns: dict[str, str]) -> pd.DataFrame:
    """Read and concatenate every table file of `folder` (empty frame if there is none)."""
    files = sorted(p for p in Path(folder).glob("*") if p.suffix.lower() in SUFFIXES)
    frames = [read_table(p, columns) for p in files]
    if not frames:
        return _empty(columns)
    return pd.concat(frames, ignore_index=True)


def read_table(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    """Read one file into the given columns (name → kind), converting codes, numbers and texts."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        table, decimal_comma = _read_xlsx(path), False
    else:
        table, decimal_comma = _read_csv(path)
    table = _select(path, table, columns)
    frame = pd.DataFrame(
        {name: _convert(path, table[name], name, kind, decimal_comma) for name, kind in columns.items()}
    )
    frame["_file"] = pd.Categorical([str(path)] * len(frame))
    frame["_row"] = pd.RangeIndex(2, len(frame) + 2)
    return frame


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    dtypes = {"code": "str", "text": "str", "int": "int64", "amount": "float64"}
    frame = pd.DataFrame({n: pd.Series(dtype=dtypes[k]) for n, k in columns.items()})
    frame["_file"] = pd.Categorical([])
    frame["_row"] = pd.Series(dtype="int64")
    return frame


def _read_csv(path: Path) -> tuple[pa.Table, bool]:
    """Parse a CSV file as strings; the header's separator tells the dialect."""
    data = path.read_bytes()
    if not data.strip():
        raise InputError(path, "the file is empty; expected a header row and data rows", rule="not empty")
    _check_utf8(path, data)
    header = data.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    delimiter = ";" if ";" in header else ","
    names = next(csv.reader([header], delimiter=delimiter))
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
            read_options=pacsv.ReadOptions(autogenerate_column_names=False),
        )
    except pa.ArrowInvalid as error:
        raise _parse_error(path, data, delimiter, error) from None
    return table, delimiter == ";"


def _check_utf8(path: Path, data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise InputError(
            path,
            "the file is not UTF-8 text (perhaps a Latin-1/Windows export); save it as UTF-8",
            row=row,
            rule="UTF-8 encoding",
            value=data[error.start : error.start + 1].hex(" "),
        ) from None


def _parse_error(path: Path, data: bytes, delimiter: str, error: Exception) -> InputError:
    """Find the first row whose number of fields differs from the header's."""
    lines = data.decode("utf-8-sig").splitlines()
    expected = lines[0].count(delimiter)
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() and '"' not in line and line.count(delimiter) != expected:
            return InputError(
                path,
                f"has {line.count(delimiter) + 1} fields where the header has {expected + 1}"
                f" (a misplaced '{delimiter}'?)",
                row=number,
                rule="same number of fields as the header",
                value=line,
            )
    return InputError(path, f"cannot be read as CSV: {error}", rule="CSV syntax")


def _read_xlsx(path: Path) -> pa.Table:
    """Read the first sheet of a workbook as strings."""
    try:
        frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise InputError(path, f"cannot be read as an Excel workbook: {error}", rule="xlsx") from None
    return pa.Table.from_pandas(frame.astype(str), preserve_index=False)


def _select(path: Path, table: pa.Table, columns: dict[str, str]) -> pa.Table:
    """Match the wanted columns case-insensitively; name a missing one."""
    found = {str(n).strip().lower(): n for n in table.column_names}
    for name in columns:
        if name not in found:
            raise InputError(
                path,
                f"required column '{name}' is missing (found: {', '.join(found) or 'none'})",
                row=1,
                column=name,
                rule="required columns",
            )
    return pa.table({name: table[found[name]] for name in columns})


def _convert(path: Path, values: pa.ChunkedArray, name: str, kind: str, decimal_comma: bool):
    """Turn a column of strings into the kind's type, naming the first bad cell."""
    text = pc.utf8_trim_whitespace(values)
    if kind == "text":
        return pd.Series(values.to_pandas(), dtype="str")
    if kind == "code":
        return pd.Series(text.to_pandas(), dtype="str")
    clean = pc.replace_substring_regex(text, SPACES, "")
    if decimal_comma and kind == "amount":
        clean = pc.replace_substring(clean, ",", ".")
    ok = pc.match_substring_regex(clean, PATTERNS[kind])
    if not pc.all(ok).as_py():
        first = pc.index(ok, False).as_py()
        raise InputError(
            path,
            f"'{name}' must be {RULES[kind]}",
            row=first + 2,
            column=name,
            rule=f"{name} is {RULES[kind]}",
            value=values[first].as_py(),
        )
    target = pa.int64() if kind == "int" else pa.float64()
    return pc.cast(clean, target).to_pandas()

"""Read a table of the data contract from UTF-8 CSV, Finnish semicolon CSV or .xlsx.

Every table comes back with the requested columns plus `_file` and `_row` (the row's number in the
file, the header being row 1), so later checks can point at the exact place of a problem.

Codes come back as categoricals (categories sorted), ints as int64, amounts as float64 and texts as
strings; `_file` is categorical too. Ledgers of millions of rows are parsed by pyarrow's CSV reader (the
files of a folder side by side) and converted in arrow: a column of few distinct values (years, months,
codes) is parsed into a dictionary and checked and converted once per distinct value, not once per row;
amounts are parsed as numbers, and only a file with a cell the parser does not take (thousands spaces, a
bad value) is parsed again with its amounts as text, to be cleaned or to have its first bad cell named.
"""

from __future__ import annotations

import csv
import functools
import io
import mmap
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from katsaus.errors import InputError

KINDS = {"code", "text", "int", "month", "amount"}
PATTERNS = {
    "int": r"^[+-]?\d{1,18}$",  # within int64
    "month": r"^[+-]?\d{1,18}$",
    # Digits with at most one decimal separator, and an exponent as spreadsheets write big numbers (1E+12).
    "amount": r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$",
    "amount with decimal comma": r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$",
}
RULES = {
    "int": "a whole number (at most 18 digits)",
    "month": "a whole number, or empty for the year's total",
    "amount": "a number (euros, at most one decimal separator)",
}
# A month column may be left out or its cells empty: the rows are then the year's totals (month 0).
OPTIONAL = {"month"}
SPACES = "[\\s\u00a0\u202f]"
SUFFIXES = (".csv", ".xlsx")
BOM = b"\xef\xbb\xbf"
HEADER = 1 << 20  # bytes of a header row at most
CELL = 10_000  # characters of a cell at most: texts are paragraphs, not documents
# Codes and whole numbers take few distinct values: parsed into a dictionary, each is checked once.
DICTIONARY = pa.dictionary(pa.int32(), pa.string())
TYPES = {"code": DICTIONARY, "int": DICTIONARY, "month": DICTIONARY, "text": pa.string()}
TYPES["amount"] = pa.float64()


def read_folder(folder: Path, columns: dict[str, str]) -> pd.DataFrame:
    """Read and concatenate every table file of `folder` (empty frame if there is none)."""
    files = sorted(p for p in Path(folder).glob("*") if p.suffix.lower() in SUFFIXES)
    if not files:
        return _empty(columns)
    workers = min(len(files), os.cpu_count() or 1)
    # Files read side by side are parsed by one thread each: cheaper than each parse on all the cores.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        tables = list(pool.map(lambda path: _read(path, columns, threads=workers == 1), files))
    return _frame(files, tables, columns)


def read_table(path: Path, columns: dict[str, str], optional: dict[str, str] | None = None) -> pd.DataFrame:
    """Read one file into the given columns (name → kind), converting codes, numbers and texts; of the
    `optional` text columns, those the file lacks are empty."""
    path = Path(path)
    found = {name.strip().lower() for name in _header_names(path)} if optional else set()
    wanted = columns | {name: kind for name, kind in (optional or {}).items() if name in found}
    frame = _frame([path], [_read(path, wanted)], wanted)
    for name in set(optional or {}) - found:
        frame[name] = pd.Series("", index=frame.index, dtype="str")
    return frame


def _header_names(path: Path) -> list[str]:
    """The column names of a file's header."""
    if path.suffix.lower() == ".xlsx":
        return [str(name) for name in pd.read_excel(path, nrows=0, engine="openpyxl").columns]
    header, _ = _header(path)
    return _names(header, ";" if ";" in header else ",")


def _names(header: str, delimiter: str) -> list[str]:
    """A header line's column names, however long (a long one is refused by name, not by the parser)."""
    csv.field_size_limit(max(csv.field_size_limit(), len(header) + 1))
    return next(csv.reader([header], delimiter=delimiter))


def _read(path: Path, columns: dict[str, str], threads: bool = True) -> pa.Table:
    """One file's columns, converted (codes dictionary-encoded)."""
    if path.suffix.lower() == ".xlsx":
        table, decimal_comma = _read_xlsx(path, columns), False
    else:
        table, decimal_comma = _read_csv(path, columns, threads)
    converted = {}
    for name, kind in columns.items():
        if name not in table.column_names:  # an optional column left out
            converted[name] = pa.array(np.zeros(table.num_rows, dtype="int64"))
            continue
        converted[name] = _convert(path, table[name], name, kind, decimal_comma)
        table = table.drop_columns(name)  # free each column's strings once converted
    return pa.table(converted)


def _frame(files: list[Path], tables: list[pa.Table], columns: dict[str, str]) -> pd.DataFrame:
    """The files' tables as one frame, with `_file` and `_row`."""
    table = pa.concat_tables(tables)
    frame = pd.DataFrame({name: _pandas(table[name], kind) for name, kind in columns.items()}, copy=False)
    counts = [t.num_rows for t in tables]
    numbers = np.arange(len(files), dtype=np.min_scalar_type(-len(files) - 1))
    frame["_file"] = pd.Categorical.from_codes(
        np.repeat(numbers, counts), categories=pd.Index([str(f) for f in files], dtype="str"), validate=False
    )
    frame["_row"] = np.concatenate([np.arange(2, n + 2) for n in counts])
    return frame


def _pandas(values: pa.ChunkedArray, kind: str):
    if kind == "code":
        return _categorical(values.chunks)
    if kind == "text":
        return pd.Series(values.to_pandas(), dtype="str")
    return values.to_pandas()


def _categorical(parts: list[pa.DictionaryArray]) -> pd.Categorical:
    """Dictionary-encoded parts (a file's codes each) as one categorical, its categories sorted.

    A part's dictionary may hold a code twice (' 64110000' and '64110000' trimmed): both become one."""
    dictionaries = [part.dictionary.to_pandas() for part in parts]
    categories = pd.Index(sorted(set().union(*dictionaries)), dtype="str")
    dtype = np.min_scalar_type(-len(categories) - 1)  # signed, as small as pandas would choose
    codes = [
        categories.get_indexer(dictionary).astype(dtype)[part.indices.to_numpy()]
        for dictionary, part in zip(dictionaries, parts, strict=True)
    ]
    codes = np.concatenate(codes) if codes else np.empty(0, dtype)
    return pd.Categorical.from_codes(codes, categories=categories, validate=False)


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    codes = pd.CategoricalDtype(pd.Index([], dtype="str"))
    dtypes = {"code": codes, "text": "str", "int": "int64", "month": "int64", "amount": "float64"}
    frame = pd.DataFrame({n: pd.Series(dtype=dtypes[k]) for n, k in columns.items()})
    frame["_file"] = pd.Categorical([])
    frame["_row"] = pd.Series(dtype="int64")
    return frame


def _read_csv(path: Path, columns: dict[str, str], threads: bool = True) -> tuple[pa.Table, bool]:
    """Parse the wanted columns of a CSV file; the header's separator tells the dialect.

    Amounts come as numbers when the parser takes every cell as a finite number (it takes only numbers
    that PATTERNS allow), else as strings for _amounts to clean, check and convert."""
    header, quoted = _header(path)
    delimiter = ";" if ";" in header else ","
    names = _names(header, delimiter)
    if long := [name for name in names if len(name) > CELL]:
        raise _too_long(path, 1, long[0], long[0])
    found = _select(path, names, columns)
    kinds = {found[name]: columns[name] for name in found}
    parse = functools.partial(_parse, path, kinds, delimiter, quoted, threads)
    if "amount" in kinds.values():
        try:
            table = parse(numbers=True)
            if all(pc.all(pc.is_finite(table[n])).as_py() for n, kind in kinds.items() if kind == "amount"):
                return table.rename_columns(list(found)), delimiter == ";"
        except pa.ArrowInvalid:
            pass  # parsed again below, amounts as strings, so that the first bad cell can be named
    try:
        table = parse(numbers=False)
    except pa.ArrowInvalid as error:
        data = path.read_bytes()
        _check_utf8(path, data)
        raise _parse_error(path, data, delimiter, error) from None
    return table.rename_columns(list(found)), delimiter == ";"


def _header(path: Path) -> tuple[str, bool]:
    """The file's header line, and whether the file has a quote anywhere."""
    if path.stat().st_size == 0:
        _raise_empty(path)
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        ends = [end for end in (data.find(b"\n", 0, HEADER), data.find(b"\r", 0, HEADER)) if end >= 0]
        first = data[: min(ends, default=min(len(data), HEADER))]
        if not first.strip() and not data[:].strip():
            _raise_empty(path)
        quoted = data.find(b'"') >= 0
    try:
        return first.removeprefix(BOM).decode("utf-8"), quoted
    except UnicodeDecodeError:
        _check_utf8(path, path.read_bytes())
        raise


def _parse(path: Path, kinds: dict[str, str], delimiter: str, quoted: bool, threads: bool, numbers: bool):
    """The columns named in `kinds` (header name → kind), amounts as numbers or as strings."""
    types = {
        name: TYPES[kind] if numbers or kind != "amount" else pa.string() for name, kind in kinds.items()
    }
    with pa.memory_map(str(path)) as source:  # parsed in the page cache, not copied out of it first
        return pacsv.read_csv(
            source,
            # Without quotes no value can hold a line break, and the reader is twice as fast told so.
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=list(types),
                strings_can_be_null=False,
                null_values=[],
                decimal_point="," if delimiter == ";" else ".",
            ),
            read_options=pacsv.ReadOptions(use_threads=threads),
        )


def _raise_empty(path: Path):
    raise InputError(path, "the file is empty; expected a header row and data rows", rule="not empty")


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
    """Find the first row whose number of fields differs from the header's, or whose cell is too long."""
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(rows)
        for number, row in enumerate(rows, start=2):
            if len(row) != len(header) and any(cell.strip() for cell in row):
                return InputError(
                    path,
                    f"has {len(row)} fields where the header has {len(header)} (a misplaced '{delimiter}'?)",
                    row=number,
                    rule="same number of fields as the header",
                    value=delimiter.join(row),
                )
            if long := [i for i, cell in enumerate(row) if len(cell) > CELL]:
                return _too_long(path, number, header[long[0]], row[long[0]])
    except csv.Error as syntax:
        return InputError(path, f"cannot be read as CSV: {syntax}", row=rows.line_num, rule="CSV syntax")
    return InputError(path, f"cannot be read as CSV: {error}", rule="CSV syntax")


def _too_long(path: Path, row: int, column: str, value: str) -> InputError:
    return InputError(
        path,
        f"a cell holds {len(value)} characters, more than the {CELL} allowed",
        row=row,
        column=column,
        rule=f"a cell holds at most {CELL} characters",
        value=value,
    )


def _read_xlsx(path: Path, columns: dict[str, str]) -> pa.Table:
    """Read the wanted columns of a workbook's first sheet as strings."""
    try:
        frame = pd.read_excel(path, dtype=str, header=None, keep_default_na=False, engine="openpyxl")
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise InputError(path, f"cannot be read as an Excel workbook: {error}", rule="xlsx") from None
    if frame.empty:
        _raise_empty(path)
    header = [str(name) for name in frame.iloc[0]]  # as written: pandas would rename a repeated name
    found = _select(path, header, columns)
    body = frame.iloc[1:]
    return pa.table({name: pa.array(body.iloc[:, header.index(found[name])], pa.string()) for name in found})


def _select(path: Path, header: list[str], columns: dict[str, str]) -> dict[str, str]:
    """Match the wanted columns to the header's names, case-insensitively; name a missing one."""
    found = {name.strip().lower(): name for name in header}
    names = [name.strip().lower() for name in header]
    for name, kind in columns.items():
        if names.count(name) > 1:
            raise InputError(
                path,
                f"the header names column '{name}' {names.count(name)} times",
                row=1,
                column=name,
                rule="each column is named once",
            )
        if name not in found and kind not in OPTIONAL:
            raise InputError(
                path,
                f"required column '{name}' is missing (found: {', '.join(found) or 'none'})",
                row=1,
                column=name,
                rule="required columns",
            )
    return {name: found[name] for name in columns if name in found}


def _convert(path: Path, values: pa.ChunkedArray, name: str, kind: str, decimal_comma: bool):
    """Turn a column of strings into the kind's type, naming the first bad cell."""
    if kind in ("text", "code"):
        _check_lengths(path, values, name)
    if kind == "text":
        return values
    if kind == "amount":
        return values if pa.types.is_floating(values.type) else _amounts(path, values, name, decimal_comma)
    # Codes and ints take few distinct values: trim, check and convert each of them once.
    encoded = (
        values if pa.types.is_dictionary(values.type) else pc.dictionary_encode(values)
    ).combine_chunks()
    distinct = pc.utf8_trim_whitespace(encoded.dictionary)
    if kind == "code":
        return pa.DictionaryArray.from_arrays(encoded.indices, distinct)
    clean = pc.replace_substring_regex(distinct, SPACES, "")
    if kind in OPTIONAL:
        clean = pc.replace_substring_regex(clean, "^$", "0")
    ok = pc.match_substring_regex(clean, PATTERNS[kind])
    if not pc.all(ok, min_count=0).as_py():
        _raise_first_bad(path, values, name, kind, pc.take(ok, encoded.indices))
    numbers = pc.cast(pc.replace_substring_regex(clean, r"^\+", ""), pa.int64())  # arrow takes no '+'
    return pc.take(numbers, encoded.indices)


def _check_lengths(path: Path, values: pa.ChunkedArray, name: str) -> None:
    """Name the first cell longer than CELL characters (codes: their distinct values are looked at)."""
    dictionary = pa.types.is_dictionary(values.type)
    parts = [chunk.dictionary if dictionary else chunk for chunk in values.chunks]
    if not any(len(part) and pc.max(pc.utf8_length(part)).as_py() > CELL for part in parts):
        return
    strings = values.cast(pa.string()) if dictionary else values
    first = pc.index(pc.greater(pc.utf8_length(strings), CELL), True).as_py()
    raise _too_long(path, first + 2, name, strings[first].as_py())


def _amounts(path: Path, values: pa.ChunkedArray, name: str, decimal_comma: bool) -> pa.ChunkedArray:
    """Euros as float64; spaces (thousands, around the number) are dropped when there are any."""
    pattern = PATTERNS["amount with decimal comma" if decimal_comma else "amount"]
    clean = values
    if not pc.all(pc.match_substring_regex(values, pattern), min_count=0).as_py():
        clean = pc.replace_substring_regex(pc.utf8_trim_whitespace(values), SPACES, "")
        ok = pc.match_substring_regex(clean, pattern)
        if not pc.all(ok, min_count=0).as_py():
            _raise_first_bad(path, values, name, "amount", ok)
    if decimal_comma:
        clean = pc.replace_substring(clean, ",", ".", max_replacements=1)
    numbers = pc.cast(clean, pa.float64())
    finite = pc.is_finite(numbers)
    if not pc.all(finite, min_count=0).as_py():  # an exponent beyond float64's range: 1E+400
        _raise_first_bad(path, values, name, "amount", finite)
    return numbers


def _raise_first_bad(path: Path, values: pa.ChunkedArray, name: str, kind: str, ok) -> None:
    """Name the first row whose cell is not ok."""
    first = pc.index(ok, False).as_py()
    raise InputError(
        path,
        f"'{name}' must be {RULES[kind]}",
        row=first + 2,
        column=name,
        rule=f"{name} is {RULES[kind]}",
        value=values[first].as_py(),
    )

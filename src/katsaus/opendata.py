"""Open data: every table of the review also as CSV and XLSX, figures in euros to the cent, codes kept.

A table's files are made where its HTML is made (in the notebook's kernel, katsaus.display) and travel in
that HTML as `data:` links after the table, so a section page and the review stay self-contained and each
table links its own data. The build writes the same files beside the review, into `data/`, and the
review's appendix lists them (both katsaus.render.stitch): both find them in the HTML with `found`.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from datetime import datetime
from html import escape, unescape

import pandas as pd

from katsaus.i18n import _

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_LINK = re.compile(r'<a download="([a-z0-9.-]+)" href="data:([^;"]+);base64,([A-Za-z0-9+/=]*)"[^>]*>')
UNDATED = (1980, 1, 1, 0, 0, 0)  # the first date a ZIP member can carry
_TABLE = re.compile(r'<p class="open-data" data-title="([^"]*)">(.*?)</p>', re.S)


def links(table: pd.DataFrame, name: str, title: str) -> str:
    """The paragraph after a table that links its data as a CSV and an XLSX file called `name`."""
    files = {f"{name}.csv": (CSV, csv_bytes(table)), f"{name}.xlsx": (XLSX, xlsx_bytes(table, title))}
    anchors = ", ".join(
        f'<a download="{file}" href="data:{kind};base64,{base64.b64encode(data).decode()}">{file}</a>'
        for file, (kind, data) in files.items()
    )
    label = _("Table as open data:")
    return f'<p class="open-data" data-title="{escape(title)}">{label} {anchors}</p>'


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV, comma-separated, decimal point, no thousands separator, an empty cell where missing."""
    return table.to_csv(index=False, float_format="%.2f").encode("utf-8")


def xlsx_bytes(table: pd.DataFrame, title: str) -> bytes:
    """One worksheet: the title, then the table, euros with two decimals. The same table gives the same
    bytes whenever it is made: the file's dates are the ZIP format's first day (`_undated`)."""
    from openpyxl import Workbook  # loaded only in the kernels that show tables
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = datetime(*UNDATED)
    sheet = book.create_sheet("taulukko")
    sheet.append([title])
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append([None if pd.isna(value) else value for value in row])
    buffer = io.BytesIO()
    # the writer itself, as Workbook.save would date the file by the clock
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _undated(buffer.getvalue())


def _undated(archive: bytes) -> bytes:
    """The ZIP `archive` with every member dated UNDATED instead of the time it was written."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            dated = zipfile.ZipInfo(member.filename, UNDATED)
            target.writestr(dated, source.read(member), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def found(html: str) -> list[tuple[str, str, bytes]]:
    """The tables' files linked in a section's HTML: (file name, title, contents), in order."""
    files = []
    for title, anchors in _TABLE.findall(html):
        files += [(name, unescape(title), base64.b64decode(data)) for name, _, data in _LINK.findall(anchors)]
    return files

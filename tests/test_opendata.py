"""The tables' open-data files are the same bytes whenever they are made."""

import io
import time

import openpyxl
import pandas as pd

from katsaus.opendata import xlsx_bytes


def test_a_table_made_twice_seconds_apart_gives_the_same_xlsx():
    table = pd.DataFrame({"tili": ["3000", "4000"], "euroa": [1234.5, None]})
    first = xlsx_bytes(table, "Tuloslaskelma")
    time.sleep(2.1)  # a ZIP member's time has a resolution of two seconds
    assert xlsx_bytes(table, "Tuloslaskelma") == first
    book = openpyxl.load_workbook(io.BytesIO(first))
    assert list(book["taulukko"].values) == [
        ("Tuloslaskelma", None),
        ("tili", "euroa"),
        ("3000", 1234.5),
        ("4000", None),
    ]

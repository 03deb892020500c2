import pandas as pd
import pytest

from katsaus.errors import InputError
from katsaus.inputs.readers import read_folder, read_table

pytestmark = pytest.mark.unit

LEDGER = {"year": "int", "month": "int", "cost_centre": "code", "account": "code", "amount": "amount"}


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_three_formats_read_alike(tmp_path):
    """UTF-8 CSV, Finnish semicolon CSV and xlsx give the same table."""
    comma = write(
        tmp_path, "a.csv", "year,month,cost_centre,account,amount\n2022,1,64110000,300000,12345.67\n"
    )
    semi = write(
        tmp_path, "b.csv", "Year;MONTH;cost_centre;account;amount\n2022;1;64110000;300000;12 345,67\n"
    )
    xlsx = tmp_path / "c.xlsx"
    pd.DataFrame(
        {
            "year": [2022],
            "month": [1],
            "cost_centre": ["64110000"],
            "account": ["300000"],
            "amount": [12345.67],
        }
    ).to_excel(xlsx, index=False)
    tables = [read_table(p, LEDGER).drop(columns="_file") for p in (comma, semi, xlsx)]
    for table in tables[1:]:
        pd.testing.assert_frame_equal(table, tables[0])
    assert tables[0]["amount"].tolist() == [12345.67]
    assert tables[0]["_row"].tolist() == [2]


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = write(tmp_path, "a.csv", "\ufeffyear;month;cost_centre;account;amount\n2022;1;1;2;-1,5\n")
    assert read_table(path, LEDGER)["amount"].tolist() == [-1.5]


@pytest.mark.parametrize(
    ("header", "cells", "amounts"),
    [
        ("year;month;cost_centre;account;amount", ["-1,5", "2", "1,5E3", ",25"], [-1.5, 2.0, 1500.0, 0.25]),
        ("year,month,cost_centre,account,amount", ["-1.5", "+2", "1.5e3", "5."], [-1.5, 2.0, 1500.0, 5.0]),
    ],
)
def test_amounts_read_alike_whether_or_not_a_cell_needs_cleaning(tmp_path, header, cells, amounts):
    """The parser takes plain amounts as numbers; one cell with a thousands space makes the file's amounts
    go through the cleaning path, which must give the same numbers."""
    separator = header[4]
    rows = [separator.join(["2022", "1", "1", "2", cell]) for cell in cells]
    plain = write(tmp_path, "plain.csv", "\n".join([header, *rows]) + "\n")
    spaced = write(
        tmp_path,
        "spaced.csv",
        "\n".join([header, *rows, f"2022{separator}1{separator}1{separator}2{separator}1 000"]) + "\n",
    )
    assert read_table(plain, LEDGER)["amount"].tolist() == amounts
    assert read_table(spaced, LEDGER)["amount"].tolist() == [*amounts, 1000.0]


@pytest.mark.parametrize("cell", ["inf", "-Infinity", "nan", "", "1e", "1,5,0"])
def test_an_amount_that_is_not_a_finite_number_is_named(tmp_path, cell):
    """The number parser takes 'inf' and 'nan'; the reader still refuses them, at their row."""
    text = f"year;month;cost_centre;account;amount\n2022;1;1;2;5\n2022;2;1;2;{cell}\n"
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(InputError) as error:
        read_table(path, LEDGER)
    assert "row 3" in str(error.value) and "'amount'" in str(error.value)


@pytest.mark.parametrize(
    ("text", "encoding", "words"),
    [
        ("year,month,cost_centre,amount\n2022,1,1,5\n", "utf-8", ["row 1", "'account'", "required columns"]),
        ("year,month,cost_centre,account,amount\n2022,1,1,2,abc\n", "utf-8", ["row 2", "'amount'", "'abc'"]),
        (
            "year,month,cost_centre,account,amount\n2022,x,1,2,5\n",
            "utf-8",
            ["row 2", "'month'", "whole number"],
        ),
        (
            "year;month;cost_centre;account;amount\n2022;1;1;2;5\n2022;2;1;2;1;5\n",
            "utf-8",
            ["row 3", "misplaced"],
        ),
        ("year;month;cost_centre;account;amount\n2022;1;1;2;1.234,5\n", "utf-8", ["row 2", "'amount'"]),
        ("year,month,cost_centre,account,amount\n2022,1,Kesä,2,5\n", "latin-1", ["row 2", "UTF-8"]),
        ("", "utf-8", ["empty"]),
    ],
)
def test_bad_files_are_reported_with_row_column_and_rule(tmp_path, text, encoding, words):
    path = write(tmp_path, "bad.csv", text, encoding)
    with pytest.raises(InputError) as error:
        read_table(path, LEDGER)
    message = str(error.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_a_folder_is_read_file_by_file(tmp_path):
    write(tmp_path, "2021.csv", "year,month,cost_centre,account,amount\n2021,1,1,2,5\n")
    write(tmp_path, "2022.csv", "year;month;cost_centre;account;amount\n2022;1;1;2;6,5\n")
    write(tmp_path, "notes.txt", "not a table")
    table = read_folder(tmp_path, LEDGER)
    assert table["year"].tolist() == [2021, 2022]
    assert table["amount"].tolist() == [5.0, 6.5]
    assert [p.rsplit("/", 1)[1] for p in table["_file"]] == ["2021.csv", "2022.csv"]


def test_an_empty_folder_gives_an_empty_table(tmp_path):
    table = read_folder(tmp_path / "missing", LEDGER)
    assert len(table) == 0 and "amount" in table.columns

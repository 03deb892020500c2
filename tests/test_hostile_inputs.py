"""Hostile and messy input files: each is refused with a message naming the file, the row and column, the
rule and the offending value (cut to a readable length), exit status 2 and no traceback, and the review
published before is left byte for byte as it was; input that is only messy is read as meant."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviews import edit, katsaus, refused, snapshot

pytestmark = pytest.mark.e2e

TEXTS = Path("texts") / "2022-06"
KESKUSVIRASTO = TEXTS / "keskusvirasto.md"
HYVINVOINTI = TEXTS / "hyvinvointitoimiala.md"
HUGE = 300_000


def _insert_row(path: Path, row: str, after: int = 1) -> None:
    """Put a row into a CSV file after its first `after` lines (the header is line 1)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([*lines[:after], row, *lines[after:]]), encoding="utf-8")


def _latin1(name: str):
    def spoil(data: Path) -> None:
        path = data / name
        text = path.read_text(encoding="utf-8").replace("a", "ä", 1)
        path.write_bytes(text.encode("latin-1", errors="replace"))

    return spoil


def _ragged(name: str, row: str):
    return lambda data: _insert_row(data / name, row)


def _duplicate_column(data):
    edit(
        data / "ledger" / "2022.csv",
        "year;month;cost_centre;account;amount",
        "year;month;cost_centre;amount;account;amount",
    )


def _duplicate_column_in_other_case(data):
    edit(data / "organisation.csv", "code,name,parent,order", "code,name,parent,order,Name ")


def _dangling_link(data):
    (data / "ledger" / "2023.csv").symlink_to("2023-missing.csv")


def _link_out_of_the_data(data):
    outside = data.parent / "outside.csv"
    outside.write_bytes((data / "organisation.csv").read_bytes())
    (data / "organisation.csv").unlink()
    (data / "organisation.csv").symlink_to(outside)


def _folder_link_out_of_the_data(data):
    outside = data.parent / "kpis-elsewhere"
    (data / "kpis").rename(outside)
    (data / "kpis").symlink_to(outside, target_is_directory=True)


def _pipe(data):
    os.mkfifo(data / "budget" / "2023.csv")


def _no_root(data):
    edit(
        data / "organisation.csv",
        "64000000,KEMIN KAUPUNKI 1.1.2022 VIRALLINEN,,1",
        "64000000,KEMIN KAUPUNKI 1.1.2022 VIRALLINEN,64100000,1",
    )


def _two_roots(data):
    edit(data / "organisation.csv", "64100000,KESKUSVIRASTO,64000000,1", "64100000,KESKUSVIRASTO,,1")


def _strategy_unknown_department(data):
    edit(
        data / "strategy" / "2022-06.csv",
        "ELINVOIMAINEN KAUPUNKI,64500000,",
        "ELINVOIMAINEN KAUPUNKI,64999999,",
    )


def _proposal_unknown_cost_centre(data):
    edit(data / HYVINVOINTI, "- '64320000'", "- '64999999'")


def _huge_code(data):
    _insert_row(data / "ledger" / "2022.csv", f"2022;1;64110000;{'9' * HUGE};1,00")


def _huge_text_cell(data):
    _insert_row(data / "kpis" / "2022-06.csv", f'64100000,,,"{"x" * HUGE}",1,2,3,4,')


def _huge_header(data):
    edit(data / "accounts.csv", "account,name,line", f"account,name,line,{'h' * HUGE}", 1)
    edit(data / "accounts.csv", "account,name", "acount,name")


def _yaml_bomb(data):
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[level]
        laughs.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    edit(
        data / KESKUSVIRASTO,
        "responsible: Jukka Vilén\n",
        "responsible: Jukka Vilén\n" + "\n".join(laughs) + "\n",
    )


def _deep_yaml(data):
    edit(
        data / KESKUSVIRASTO,
        "responsible: Jukka Vilén\n",
        f"responsible: Jukka Vilén\nx: {'[' * 5000}{']' * 5000}\n",
    )


def _huge_front_matter(data):
    edit(
        data / KESKUSVIRASTO, "responsible: Jukka Vilén\n", f"responsible: Jukka Vilén\nx: '{'y' * 50_000}'\n"
    )


def _huge_text(data):
    path = data / KESKUSVIRASTO
    path.write_text(path.read_text(encoding="utf-8") + "Sanoja. " * 200_000, encoding="utf-8")


def _front_matter_list(data):
    edit(
        data / KESKUSVIRASTO,
        "department: '64100000'\nresponsible: Jukka Vilén\n",
        "- department\n- responsible\n",
    )


def _web_image(data):
    edit(
        data / KESKUSVIRASTO,
        "Keskusviraston osalta",
        "![kaavio](http://127.0.0.1:9/kaavio.png) Keskusviraston osalta",
    )


def _image_outside(data):
    (data.parent / "kuva.png").write_bytes(PNG)
    edit(data / KESKUSVIRASTO, "Keskusviraston osalta", "![kaavio](../../../kuva.png) Keskusviraston osalta")


def _image_by_absolute_path(data):
    edit(data / KESKUSVIRASTO, "Keskusviraston osalta", "![kaavio](/etc/passwd.png) Keskusviraston osalta")


def _image_by_reference(data):
    path = data / KESKUSVIRASTO
    path.write_text(
        path.read_text(encoding="utf-8") + "\n![kaavio][k]\n\n[k]: http://127.0.0.1:9/k.png\n",
        encoding="utf-8",
    )


def _image_not_an_image(data):
    edit(data / KESKUSVIRASTO, "Keskusviraston osalta", "![kaavio](../../README.md) Keskusviraston osalta")


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)

CASES = {
    "two columns of one name": (
        _duplicate_column,
        ["ledger/2022.csv", "row 1", "column 'amount'", "2 times", "each column is named once"],
    ),
    "two columns of one name in other case": (
        _duplicate_column_in_other_case,
        ["organisation.csv", "row 1", "column 'name'", "2 times"],
    ),
    "a dangling link": (_dangling_link, ["ledger/2023.csv", "dangling", "2023-missing.csv"]),
    "a link out of the data folder": (
        _link_out_of_the_data,
        ["organisation.csv", "out of the data folder", "outside.csv"],
    ),
    "a folder link out of the data folder": (
        _folder_link_out_of_the_data,
        ["kpis", "out of the data folder"],
    ),
    "a named pipe": (_pipe, ["budget/2023.csv", "neither a file nor a folder"]),
    "Latin-1 strategy": (_latin1("strategy/2022-06.csv"), ["strategy/2022-06.csv", "row ", "UTF-8"]),
    "Latin-1 KPIs": (_latin1("kpis/2022-06.csv"), ["kpis/2022-06.csv", "row ", "UTF-8"]),
    "Latin-1 text": (_latin1(str(KESKUSVIRASTO)), ["keskusvirasto.md", "row ", "UTF-8"]),
    "Latin-1 accounts": (_latin1("accounts.csv"), ["accounts.csv", "row ", "UTF-8"]),
    "ragged KPI row": (
        _ragged("kpis/2022-06.csv", '64100000,,"x",1'),
        ["kpis/2022-06.csv", "row 2", "has 4 fields where the header has 9"],
    ),
    "long KPI row": (
        _ragged("kpis/2022-06.csv", "64100000,,,x,1,2,3,4,5,6"),
        ["kpis/2022-06.csv", "row 2", "has 10 fields"],
    ),
    "ragged strategy row": (
        _ragged("strategy/2022-06.csv", 'KAUPUNKI,64100000,"a"'),
        ["strategy/2022-06.csv", "row 2", "has 3 fields where the header has 8"],
    ),
    "ragged organisation row": (
        _ragged("organisation.csv", "64990000,UUSI"),
        ["organisation.csv", "row 2", "has 2 fields"],
    ),
    "ragged budget row": (
        _ragged("budget/2022.csv", "2022,64110000,300000,1.0,2.0"),
        ["budget/2022.csv", "row 2", "has 5 fields"],
    ),
    "ragged forecast row": (
        _ragged("forecast/2022.csv", "2022,6"),
        ["forecast/2022.csv", "row 2", "has 2 fields"],
    ),
    "ragged accounts row": (
        _ragged("accounts.csv", '300001,"Muut, tuotot"'),
        ["accounts.csv", "row 2", "has 2 fields"],
    ),
    "no root": (_no_root, ["organisation.csv", "no cost centre has an empty parent", "exactly one root"]),
    "two roots": (_two_roots, ["organisation.csv", "row 3", "64100000 has an empty parent as 64000000 does"]),
    "strategy for an unknown department": (
        _strategy_unknown_department,
        ["strategy/2022-06.csv", "row 2", "column 'department'", "64999999"],
    ),
    "proposal for an unknown cost centre": (
        _proposal_unknown_cost_centre,
        ["hyvinvointitoimiala.md", "64999999", "not a cost centre of the organisation"],
    ),
    "a huge code": (
        _huge_code,
        ["ledger/2022.csv", "row 2", "column 'account'", f"{HUGE} characters", "at most 10000 characters"],
    ),
    "a huge text cell": (_huge_text_cell, ["kpis/2022-06.csv", "row 2", f"{HUGE} characters"]),
    "a huge header": (_huge_header, ["accounts.csv", "row 1", f"{HUGE} characters", "at most 10000"]),
    "a YAML bomb in front matter": (_yaml_bomb, ["keskusvirasto.md", "expands to more than 100000 values"]),
    "deep YAML in front matter": (_deep_yaml, ["keskusvirasto.md", "nests deeper than"]),
    "huge front matter": (
        _huge_front_matter,
        ["keskusvirasto.md", "characters long, more than the 20000 allowed"],
    ),
    "a huge text": (_huge_text, ["keskusvirasto.md", "more than the 1000000 allowed"]),
    "front matter that is a list": (
        _front_matter_list,
        ["keskusvirasto.md", "front matter lacks 'department'"],
    ),
    "an image from the web": (
        _web_image,
        ["keskusvirasto.md", "row 7", "never fetched", "http://127.0.0.1:9/kaavio.png"],
    ),
    "an image from outside the data folder": (
        _image_outside,
        ["keskusvirasto.md", "outside the data folder", "../../../kuva.png"],
    ),
    "an image by absolute path": (
        _image_by_absolute_path,
        ["keskusvirasto.md", "not a file of the data folder", "/etc/passwd.png"],
    ),
    "an image by reference": (
        _image_by_reference,
        ["keskusvirasto.md", "never fetched", "http://127.0.0.1:9/k.png"],
    ),
    "an image that is no image": (
        _image_not_an_image,
        ["keskusvirasto.md", "not a PNG, JPEG or GIF", "README.md"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hostile_input_is_refused_and_leaves_the_review(published, case):
    data, output, before = published
    spoil, words = CASES[case]
    spoil(data)
    result = katsaus("report", "--period", "2022-06", data=data, output=output)
    refused(result, 2, words)
    assert len(result.stderr) < 3000, "a message shows values cut to a readable length"
    assert snapshot(output) == before
    assert not list(output.glob(".*.lock")), "a refused build leaves no lock file"


def test_the_validate_command_refuses_alike(published, server):
    """The same rules hold for `make validate`: a text with a web image is named, nothing is fetched."""
    data, output, _ = published
    web, hits = server
    address = f"{web}/kaavio.png"
    edit(data / KESKUSVIRASTO, "Keskusviraston osalta", f"![kaavio]({address}) Keskusviraston osalta")
    result = katsaus("validate", "--period", "2022-06", data=data, output=output)
    refused(result, 2, ["keskusvirasto.md", "never fetched", address])
    assert hits == []


@pytest.mark.parametrize("ending", ["\r", "\r\n"], ids=["CR only", "CR LF"])
def test_other_line_endings_are_read_as_meant(published, ending):
    """A ledger and a budget saved with old Mac or Windows line endings give the same review."""
    data, output, before = published
    for name in ("ledger/2022.csv", "budget/2022.csv", "organisation.csv"):
        path = data / name
        path.write_bytes(path.read_bytes().replace(b"\n", ending.encode()))
    result = katsaus("report", "--period", "2022-06", data=data, output=output)
    assert result.returncode == 0, result.stderr[-3000:]
    after = snapshot(output)
    assert after["review.pdf"] == before["review.pdf"] and after["review.html"] == before["review.html"]

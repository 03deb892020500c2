"""Department texts: YAML front matter and Markdown with an optional budget-change proposal table."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import frontmatter
import pandas as pd
import yaml
from markdown_it import MarkdownIt

from katsaus.errors import InputError
from katsaus.i18n import DEFAULT, LANGUAGES

MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
CONVENTIONS = ("tulot - menot", "menot - tulot")
TOTAL = "yhteensä"
NUMBER = re.compile(r"([+-]?) ?(\d+(?: \d{3})*)(?:,(\d+))?")
PIPE = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True, eq=False)
class Proposal:
    """A budget-change proposal: the sentence before the table and the table as written."""

    intro: str
    table: pd.DataFrame
    netto: str
    units: dict[str, list[str]]

    def amounts(self) -> pd.DataFrame:
        """The table's numbers, indexed by row label (NaN for an empty cell)."""
        return self.table.set_index(self.table.columns[0]).map(parse_amount)


@dataclass(frozen=True, eq=False)
class DepartmentText:
    """One department's text for a period, with its file and source so that a line of it can be named."""

    department: str
    responsible: str
    narrative: str
    proposal: Proposal | None
    closing: str
    file: str = "<text>"
    source: str = ""
    language: str = DEFAULT


def render_markdown(source: str) -> str:
    """HTML of Markdown with tables; raw HTML and unsafe links come out as inert text."""
    return MARKDOWN.render(source)


def is_total(label: str) -> bool:
    """Whether a proposal row is the total row (Yhteensä)."""
    return label.strip().lower() == TOTAL


def parse_amount(cell: str) -> float:
    """A number as printed: '+ 1 310 855' → 1310855, '-20 200' → -20200, '1,5' → 1.5, '' → NaN."""
    text = re.sub(r"[\s\u00a0\u202f]+", " ", cell.replace("\u2212", "-").replace("\u2013", "-")).strip()
    if not text:
        return float("nan")
    match = NUMBER.fullmatch(text)
    if not match:
        raise ValueError(f"not a number: {cell!r}")
    sign, whole, decimals = match.groups()
    value = float(whole.replace(" ", "") + "." + (decimals or "0"))
    return -value if sign == "-" else value


def text_paths(data_dir: Path, period: str, language: str = DEFAULT) -> dict[Path, str]:
    """The files of the department texts of `texts/<period>/` in `language`, with the language each is
    in: `<name>.<language>.md` where given, else `<name>.md`, written in Finnish."""
    folder = Path(data_dir) / "texts" / str(period)
    paths = {}
    for path in sorted(folder.glob("*.md")):
        if Path(path.stem).suffix[1:] in LANGUAGES:
            continue  # a translation, taken with the text it translates
        translated = folder / f"{path.stem}.{language}.md"
        if language != DEFAULT and translated.exists():
            paths[translated] = language
        else:
            paths[path] = DEFAULT
    return paths


def load_texts(data_dir: Path, period: str, language: str = DEFAULT) -> dict[str, DepartmentText]:
    """Every department text of `texts/<period>/` in `language` where given (else in Finnish), keyed
    by department code (empty if none)."""
    texts: dict[str, DepartmentText] = {}
    for path, written in text_paths(data_dir, period, language).items():
        text = replace(parse_text(_read(path), path), language=written)
        if text.department in texts:
            raise InputError(path, f"department {text.department} has a text in another file too")
        texts[text.department] = text
    return texts


def parse_text(source: str, file: Path | str = "<text>") -> DepartmentText:
    """Parse one department text (front matter + Markdown); `file` names it in errors."""
    try:
        meta, content = frontmatter.parse(source)
    except yaml.YAMLError as error:
        raise InputError(file, f"the front matter is not valid YAML: {error}", rule="front matter") from None
    department, responsible = (_required(file, meta, key) for key in ("department", "responsible"))
    lines = content.splitlines()
    table = _first_table(content)
    if table is None:
        if meta.get("proposal"):
            raise InputError(file, "front matter has 'proposal' but the text has no proposal table")
        return DepartmentText(department, responsible, content.strip(), None, "", str(file), source)
    start, end, intro_start, intro = table
    proposal = _proposal(file, meta.get("proposal"), intro, lines[start:end])
    narrative = "\n".join(lines[:intro_start]).strip()
    closing = "\n".join(lines[end:]).strip()
    return DepartmentText(department, responsible, narrative, proposal, closing, str(file), source)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            path, "the file is not UTF-8 text; save it as UTF-8", rule="UTF-8 encoding"
        ) from None


def _required(file, meta: dict, key: str) -> str:
    """A front-matter value that must be present and non-empty."""
    value = str(meta.get(key) or "").strip()
    if not value:
        raise InputError(file, f"front matter lacks '{key}'", column=key, rule=f"'{key}' is required")
    return value


def _first_table(content: str) -> tuple[int, int, int, str] | None:
    """Line range of the first top-level table, and where its intro paragraph starts and what it says."""
    tokens = MARKDOWN.parse(content)
    for i, token in enumerate(tokens):
        if token.type == "table_open" and token.level == 0:
            start, end = token.map
            if i >= 3 and tokens[i - 1].type == "paragraph_close":
                return start, end, tokens[i - 3].map[0], tokens[i - 2].content
            return start, end, start, ""
    return None


def _proposal(file, meta, intro: str, lines: list[str]) -> Proposal:
    """Build the proposal from the table's source lines and the front matter's `proposal`."""
    if not isinstance(meta, dict):
        raise InputError(file, "front matter lacks 'proposal' (netto and units) for the proposal table")
    header, *rows = (_cells(line) for i, line in enumerate(lines) if i != 1)
    for row in rows:
        if len(row) != len(header):
            raise InputError(
                file,
                f"proposal row '{row[0]}' has {len(row)} cells where the header has {len(header)}",
                rule="every proposal row has as many cells as the header",
            )
    table = pd.DataFrame(rows, columns=header, dtype="str")
    proposal = Proposal(intro, table, _netto(file, meta), _units(file, meta))
    _check_amounts(file, proposal)
    _check_units(file, proposal)
    return proposal


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table line, as written."""
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [cell.strip().replace("\\|", "|") for cell in PIPE.split(line)]


def _netto(file, meta: dict) -> str:
    netto = " ".join(str(meta.get("netto") or "").replace("-", " - ").split()).lower()
    if netto not in CONVENTIONS:
        raise InputError(
            file,
            "proposal 'netto' must be 'tulot - menot' or 'menot - tulot'",
            column="netto",
            value=meta.get("netto"),
        )
    return netto


def _units(file, meta: dict) -> dict[str, list[str]]:
    """Row label → cost-centre codes; a single code may be written without a list."""
    units = meta.get("units")
    if not isinstance(units, dict) or not units:
        raise InputError(file, "proposal 'units' must map each row label to its cost centres", column="units")
    return {
        str(k).strip(): [str(c).strip() for c in (v if isinstance(v, list) else [v])]
        for k, v in units.items()
    }


def _check_amounts(file, proposal: Proposal) -> None:
    """Every proposal cell is a number as printed (or empty)."""
    table = proposal.table
    for _, row in table.iterrows():
        for column in table.columns[1:]:
            try:
                parse_amount(row[column])
            except ValueError:
                raise InputError(
                    file,
                    f"proposal row '{row.iloc[0]}' has a cell that is not a number",
                    column=column,
                    value=row[column],
                    rule="proposal cells are numbers like '+ 1 310 855' or '-20 200'",
                ) from None


def _check_units(file, proposal: Proposal) -> None:
    """The units cover exactly the table's rows other than the total."""
    labels = [label for label in proposal.table.iloc[:, 0] if not is_total(label)]
    if sorted(labels) != sorted(proposal.units):
        raise InputError(
            file,
            f"the proposal has {len(labels)} rows besides the total but 'units' names {len(proposal.units)};"
            f" rows without units: {sorted(set(labels) - set(proposal.units))},"
            f" units without a row: {sorted(set(proposal.units) - set(labels))}",
            column="units",
            rule="'units' names every proposal row except Yhteensä",
        )

"""Department texts: YAML front matter and Markdown with an optional budget-change proposal table."""

from __future__ import annotations

import base64
import html
import re
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path

import frontmatter
import pandas as pd
from markdown_it import MarkdownIt

from katsaus.errors import BadYAML, InputError
from katsaus.i18n import DEFAULT, LANGUAGES
from katsaus.inputs.yamltext import load as load_yaml

MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
TEXT = 1_000_000  # characters of a department text at most
FRONT_MATTER = 20_000  # characters of its front matter at most
IMAGE = 5_000_000  # bytes of an image at most
IMAGES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
IMAGE_RULE = "a text's images are PNG, JPEG or GIF files of the data folder, written ![text](file)"
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
    images: dict[str, str] = field(default_factory=dict)  # each image's address as written → data: URI


def render_markdown(source: str, images: dict[str, str] | None = None) -> str:
    """HTML of Markdown with tables; raw HTML and unsafe links come out as inert text. An image is shown
    only from `images` (its address → the data: URI of its file, see DepartmentText); any other comes
    out as its text, so that nothing is ever fetched."""
    return MARKDOWN.render(source, {"images": images or {}})


def _image(renderer, tokens, index, options, env) -> str:
    token = tokens[index]
    embedded = env.get("images", {}).get(token.attrGet("src"))
    if embedded is None:
        return html.escape(token.content)
    token.attrSet("src", embedded)
    return renderer.image(tokens, index, options, env)


MARKDOWN.add_render_rule("image", _image)


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


@dataclass(frozen=True)
class TextFile:
    """A department text with its file and source, so that a problem can name the line it is on."""

    path: Path
    source: str
    text: DepartmentText

    def line(self, label: str | None = None) -> int | None:
        """The line of the table row labelled `label`; of the table's first line if `label` is None."""
        for n, line in enumerate(self.source.splitlines(), start=1):
            cells = line.strip()
            if cells.startswith("|") and (label is None or cells[1:].split("|")[0].strip() == label):
                return n
        return None


def load_text_files(data_dir: Path, period, language: str = DEFAULT) -> list[TextFile]:
    """The department texts of `texts/<period>/` the review in `language` prints (in `language` where
    given, else in Finnish), each with its file and source (empty if there are none)."""
    files = []
    for path, written in text_paths(Path(data_dir), str(period), language).items():
        source = read_source(path)
        files.append(TextFile(path, source, replace(parse_text(source, path, data_dir), language=written)))
    return files


def by_department(files: list[TextFile]) -> dict[str, DepartmentText]:
    """The texts of `files` keyed by department code: one text a department."""
    texts: dict[str, DepartmentText] = {}
    for file in files:
        if file.text.department in texts:
            raise InputError(file.path, f"department {file.text.department} has a text in another file too")
        texts[file.text.department] = file.text
    return texts


def load_texts(data_dir: Path, period, language: str = DEFAULT) -> dict[str, DepartmentText]:
    """Every department text of `texts/<period>/` keyed by department code (load_text_files)."""
    return by_department(load_text_files(data_dir, period, language))


def parse_text(source: str, file: Path | str = "<text>", data_dir: Path | None = None) -> DepartmentText:
    """Parse one department text (front matter + Markdown); `file` names it in errors, and its images
    are files of `data_dir` (none without it)."""
    try:
        meta, content = frontmatter.parse(source, handler=_FrontMatter())
    except BadYAML as error:
        raise InputError(
            file, f"the front matter {error}", rule="front matter is plain, bounded YAML"
        ) from None
    images = _images(file, source, content, data_dir)
    department, responsible = (_required(file, meta, key) for key in ("department", "responsible"))
    lines = content.splitlines()
    table = _first_table(content)
    if table is None:
        if meta.get("proposal"):
            raise InputError(file, "front matter has 'proposal' but the text has no proposal table")
        return DepartmentText(
            department, responsible, content.strip(), None, "", str(file), source, images=images
        )
    start, end, intro_start, intro = table
    proposal = _proposal(file, meta.get("proposal"), intro, lines[start:end])
    narrative = "\n".join(lines[:intro_start]).strip()
    closing = "\n".join(lines[end:]).strip()
    return DepartmentText(
        department, responsible, narrative, proposal, closing, str(file), source, images=images
    )


def read_source(path: Path) -> str:
    """A text file's contents: UTF-8, and at most TEXT characters."""
    if path.stat().st_size > 4 * TEXT:
        _too_long(path, path.stat().st_size)
    try:
        source = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            path, "the file is not UTF-8 text; save it as UTF-8", rule="UTF-8 encoding",
            row=path.read_bytes()[: error.start].count(b"\n") + 1,
        ) from None  # fmt: skip
    if len(source) > TEXT:
        _too_long(path, len(source))
    return source


def _too_long(path: Path, size: int):
    message = f"the text is {size} characters long, more than the {TEXT} allowed"
    raise InputError(path, message, rule=f"a department text holds at most {TEXT} characters")


class _FrontMatter(frontmatter.YAMLHandler):
    """Front matter as bounded, plain YAML (katsaus.inputs.yamltext)."""

    def load(self, fm: str, **_) -> dict:
        return load_yaml(fm, FRONT_MATTER)


def _images(file, source: str, content: str, data_dir: Path | None) -> dict[str, str]:
    """Each image's address as the Markdown has it → the data: URI of its file in the data folder; an
    image from anywhere else (a web address, a file outside the data folder) is refused."""
    images = {}
    for token in MARKDOWN.parse(content):
        for child in token.children or []:
            if child.type == "image" and (address := child.attrGet("src")) not in images:
                images[address] = _embedded(file, source, address, data_dir)
    return images


def _embedded(file, source: str, address: str, data_dir: Path | None) -> str:
    """The data: URI of a local image of the data folder, or an error naming the image."""
    written = urllib.parse.unquote(address)
    line = next(
        (n for n, text in enumerate(source.splitlines(), 1) if written in text or address in text), None
    )
    where = Path(file).parent
    path = (where / written).resolve() if data_dir is not None and written else None
    kind = IMAGES.get(Path(written).suffix.lower())

    def refuse(why: str):
        raise InputError(file, f"image {why}", row=line, rule=IMAGE_RULE, value=written)

    if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^/", written, re.IGNORECASE):
        refuse("is not a file of the data folder (images are never fetched)")
    if path is None or not path.is_relative_to(Path(data_dir).resolve()):
        refuse("is outside the data folder")
    if kind is None:
        refuse("is not a PNG, JPEG or GIF file")
    if not path.is_file():
        refuse("file does not exist")
    if path.stat().st_size > IMAGE:
        refuse(f"file is larger than {IMAGE} bytes")
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


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

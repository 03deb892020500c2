"""A machine check of a tagged PDF's accessibility (PDF/UA-1), by reading its structure with pikepdf.

`problems` lists what breaks a rule: the document is marked, has a language and an XMP PDF/UA
identification and shows its title; one structure tree reaches every page's marked content, and every
piece of text or image on a page is either such content or an artifact (the running header and footer);
figures have alternative text; tables have header cells; links are in the tree and described; the outline
has the sections. `reading_order` is what a screen reader follows on one page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name
from pypdf import PdfReader

PAINTS = {"Tj", "TJ", "'", '"', "Do", "BI"}  # text shown, an image or form drawn


def elements(pdf: pikepdf.Pdf) -> Iterator[tuple[int, Dictionary]]:
    """Every structure element in the tree's order, with its depth."""
    stack = [(0, kid) for kid in reversed(_kids(pdf.Root.StructTreeRoot))]
    while stack:
        depth, element = stack.pop()
        if isinstance(element, Dictionary) and element.get("/Type") not in (Name.OBJR, Name.MCR):
            yield depth, element
            stack += [(depth + 1, kid) for kid in reversed(_kids(element))]


def _kids(element: Dictionary) -> list:
    kids = element.get("/K", Array())
    return list(kids) if isinstance(kids, Array) else [kids]


def _page_number(pdf: pikepdf.Pdf, element: Dictionary) -> int | None:
    page = element.get("/Pg")
    return None if page is None else pdf.pages.index(pikepdf.Page(page))


def tagged_content(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """The MCIDs the structure tree reaches, per page index."""
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    reached = defaultdict(set)
    for _, element in elements(pdf):
        for kid in _kids(element):
            if isinstance(kid, int):
                reached[pages[element.Pg.objgen]].add(kid)
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                reached[pages[kid.get("/Pg", element.get("/Pg")).objgen]].add(int(kid.MCID))
    return reached


def page_content(page: pikepdf.Page) -> tuple[set[int], int]:
    """A page's marked-content IDs, and how many of its text and image operators are neither in marked
    content nor in an artifact."""
    mcids, loose, stack = set(), 0, []
    for operands, operator in pikepdf.parse_content_stream(page):
        operator = str(operator)
        if operator == "BDC":
            properties = operands[1]
            mcid = properties.get("/MCID") if isinstance(properties, Dictionary) else None
            stack.append((operands[0], mcid))
            if mcid is not None:
                mcids.add(int(mcid))
        elif operator == "BMC":
            stack.append((operands[0], None))
        elif operator == "EMC":
            stack.pop()
        elif operator in PAINTS and not any(tag == Name.Artifact or m is not None for tag, m in stack):
            loose += 1
    return mcids, loose


def problems(path) -> list[str]:
    """Every rule the PDF at `path` breaks, one line each; empty when it passes."""
    found = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            found.append("catalog: /MarkInfo /Marked is not true")
        if not str(root.get("/Lang", "")):
            found.append("catalog: no /Lang")
        if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
            found.append("catalog: /ViewerPreferences /DisplayDocTitle is not true")
        metadata = pdf.open_metadata()
        if metadata.get("pdfuaid:part") != "1":
            found.append(f"XMP: pdfuaid:part is {metadata.get('pdfuaid:part')!r}, not '1'")
        if not metadata.get("dc:title"):
            found.append("XMP: no dc:title")
        if "/StructTreeRoot" not in root:
            return [*found, "catalog: no structure tree"]
        found += _tree_problems(pdf)
        if len(pdf.open_outline().root) == 0:
            found.append("no bookmarks")
    return found


def _tree_problems(pdf: pikepdf.Pdf) -> list[str]:
    found = []
    reached = tagged_content(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        mcids, loose = page_content(page)
        if loose:
            found.append(f"page {number}: {loose} text or image operators neither tagged nor artifacts")
        if mcids - reached[number - 1]:
            found.append(
                f"page {number}: marked content {sorted(mcids - reached[number - 1])} not in the tree"
            )
        if not mcids and number > 1:
            found.append(f"page {number}: no tagged content")
        for annotation in page.obj.get("/Annots", Array()):
            described = "/StructParent" in annotation and str(annotation.get("/Contents", ""))
            if annotation.get("/Subtype") == Name.Link and not described:
                found.append(f"page {number}: a link without /StructParent or /Contents")
        if "/Annots" in page.obj and page.obj.get("/Tabs") != Name.S:
            found.append(f"page {number}: annotations but /Tabs is not /S")
    kinds = Counter(str(element.S) for _, element in elements(pdf))
    figures = [element for _, element in elements(pdf) if Name.Figure == element.S]
    for element in figures:
        if not str(element.get("/Alt", "")).strip():
            found.append(f"page {_page_number(pdf, element) + 1}: a figure without /Alt")
    for _, table in ((d, e) for d, e in elements(pdf) if Name.Table == e.S):
        if not any(e.S == Name.TH for _, e in _descendants(table)):
            found.append(f"page {_page_number(pdf, table) + 1}: a table without header cells (TH)")
    ids = Counter(str(element.ID) for _, element in elements(pdf) if "/ID" in element)
    if doubled := [key for key, count in ids.items() if count > 1]:
        found.append(f"structure IDs used twice: {doubled[:5]}")
    if not kinds["/H1"]:
        found.append("no H1 heading")
    return found


def _descendants(element: Dictionary) -> Iterator[tuple[int, Dictionary]]:
    stack = [(1, kid) for kid in _kids(element)]
    while stack:
        depth, kid = stack.pop()
        if isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.OBJR, Name.MCR):
            yield depth, kid
            stack += [(depth + 1, k) for k in _kids(kid)]


def reading_order(path, page_index: int) -> list[str]:
    """The structure elements that have content on one page, in the tree's order, indented by depth,
    with the text of their marked content."""
    texts = _texts(path, page_index)
    with pikepdf.open(path) as pdf:
        page = pdf.pages[page_index].objgen
        lines = []
        for depth, element in elements(pdf):
            if element.get("/Pg") is not None and element.Pg.objgen == page:
                own = "".join(texts.get(kid, "") for kid in _kids(element) if isinstance(kid, int))
                alt = f" Alt={str(element.Alt)!r}" if "/Alt" in element else ""
                lines.append(f"{'  ' * depth}{str(element.S)[1:]}{alt} {own.strip()}".rstrip())
        return lines


def _texts(path, page_index: int) -> dict[int, str]:
    """The text shown in each marked-content sequence of a page, decoded by pypdf."""
    texts, current = defaultdict(str), []

    def operator(op, operands, *_):
        if op == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            current.append(properties.get("/MCID") if hasattr(properties, "get") else None)
        elif op == b"BMC":
            current.append(None)
        elif op == b"EMC" and current:
            current.pop()

    def text(shown, *_):
        marked = [mcid for mcid in current if mcid is not None]
        if marked:
            texts[int(marked[-1])] += shown

    PdfReader(path).pages[page_index].extract_text(visitor_operand_before=operator, visitor_text=text)
    return texts


if __name__ == "__main__":
    import sys

    # python tests/pdfua.py output/2022-06/review.pdf [page]: the problems, and a page's reading order
    print("\n".join(problems(sys.argv[1])) or "no problems found")
    if len(sys.argv) > 2:
        print("\n".join(reading_order(sys.argv[1], int(sys.argv[2]) - 1)))

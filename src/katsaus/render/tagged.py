"""Tagged PDF documents joined into one: one structure tree over every page.

Each part (the cover and contents, then every section) is a PDF/UA-1 document of its own, laid out by
WeasyPrint: a structure tree whose marked content is numbered per page (MCIDs) and found from its pages
and link annotations through the parent tree. Joining keeps the first part's catalogue (language, title
shown, XMP identification), appends the other parts' pages, hangs their structure elements under its
document element and renumbers their keys in the parent tree after its own.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from katsaus.render import pages


def prefix_ids(pdf: pikepdf.Pdf, prefix: str) -> None:
    """Make the document's structure IDs (table header cells and the cells naming them) start with
    `prefix`, so that they stay unique among other documents' once joined."""
    stack = list(pdf.Root.StructTreeRoot.K)
    while stack:
        element = stack.pop()
        if not isinstance(element, Dictionary) or element.get("/Type") == Name.OBJR:
            continue
        if "/ID" in element:
            element.ID = String(prefix + str(element.ID))
        attributes = element.get("/A")
        if isinstance(attributes, Dictionary) and "/Headers" in attributes:
            attributes.Headers = Array([String(prefix + str(key)) for key in attributes.Headers])
        kids = element.get("/K")
        stack.extend(kids if isinstance(kids, Array) else [kids])


def join(
    first: bytes, parts: Sequence[bytes], bookmarks: Sequence[tuple[str, int]], links: dict[str, int]
) -> bytes:
    """The parts' pages after the first document's, one structure tree over all of them.

    `bookmarks` are (title, page index) of the outline; `links` names the page index each named
    destination of the first document's links is sent to (the contents' entries to their sections).
    """
    pdf = pikepdf.open(io.BytesIO(first))
    root = pdf.Root.StructTreeRoot
    document = root.K[0]
    numbers = list(_numbers(root.ParentTree))
    key = _next_key(numbers)
    for part in parts:
        source = pikepdf.open(io.BytesIO(part))
        start = len(pdf.pages)
        pdf.pages.extend(source.pages)
        tree = pdf.copy_foreign(source.Root.StructTreeRoot)
        for kid in tree.K[0].K:
            kid.P = document
            document.K.append(kid)
        own = list(_numbers(tree.ParentTree))
        numbers += [(number + key, value) for number, value in own]
        for page in pdf.pages[start:]:
            _renumber(page, key)
        key += _next_key(own)
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([x for pair in numbers for x in pair])))
    root.ParentTreeNextKey = key
    _send_links(pdf, links, {page: title for title, page in bookmarks})
    with pdf.open_outline() as outline:
        outline.root.extend(pikepdf.OutlineItem(title, page) for title, page in bookmarks)
    return pages.to_bytes(pdf)


def _numbers(tree: Dictionary) -> Iterator[tuple[int, pikepdf.Object]]:
    """The (key, value) pairs of a number tree."""
    nums = tree.get("/Nums", Array())
    for i in range(0, len(nums), 2):
        yield int(nums[i]), nums[i + 1]
    for kid in tree.get("/Kids", Array()):
        yield from _numbers(kid)


def _next_key(numbers: list[tuple[int, pikepdf.Object]]) -> int:
    return max((number for number, _ in numbers), default=-1) + 1


def _renumber(page: pikepdf.Page, offset: int) -> None:
    """Move a page's and its annotations' keys in the parent tree by `offset`."""
    if "/StructParents" in page.obj:
        page.obj.StructParents = int(page.obj.StructParents) + offset
    for annotation in page.obj.get("/Annots", Array()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _send_links(pdf: pikepdf.Pdf, links: dict[str, int], titles: dict[int, str]) -> None:
    """Point the links to named destinations in `links` at their pages, described by the page's title."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            target = links.get(str(annotation.get("/Dest", "")))
            if target is not None:
                annotation.Dest = Array([pdf.pages[target].obj, Name.Fit])
                annotation.Contents = String(titles.get(target, ""))
    if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        del pdf.Root.Names.Dests

"""Read the tables of a built review the way a reader sees them: per section, rows of cell texts."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    """Collects every <table> with its class and the section it stands in."""

    def __init__(self):
        super().__init__()
        self.tables, self.section, self._cell, self._row, self._table = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id"):
            self.section = attrs["id"]
        elif tag == "table":
            self._table = {"class": attrs.get("class", ""), "section": self.section, "rows": []}
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> list[dict]:
    """Every table: {'class': ..., 'section': the enclosing section id, 'rows': [[cell, ...], ...]}."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables

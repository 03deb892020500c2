"""The cost-centre hierarchy: city → departments (toimiala) → units (tulosalue) → …"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd


def slug(name: str) -> str:
    """A file- and URL-safe name: lower case, ä → a, ö → o, å → a, other symbols → '-'."""
    name = name.lower().translate(str.maketrans("äöå", "aoa"))
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-")


class Organisation:
    """Codes, names and the parent/child order of the cost centres."""

    def __init__(self, table: pd.DataFrame):
        rows = table.sort_values(["order", "code"], kind="stable")
        self.names = dict(zip(rows["code"], rows["name"], strict=True))
        self.parents = {c: p for c, p in zip(rows["code"], rows["parent"], strict=True) if p}
        self._children = defaultdict(list)
        for code, parent in self.parents.items():
            self._children[parent].append(code)
        roots = [c for c in self.names if c not in self.parents]
        self.root = roots[0] if roots else None

    def children(self, code: str) -> list[str]:
        """Direct children in display order."""
        return list(self._children.get(code, []))

    def departments(self) -> list[str]:
        """The root's children."""
        return self.children(self.root)

    def ancestors(self, code: str) -> list[str]:
        """The code itself and every node above it (stops at a cycle)."""
        chain = [code]
        while chain[-1] in self.parents and self.parents[chain[-1]] not in chain:
            chain.append(self.parents[chain[-1]])
        return chain

    def rollup(self) -> pd.DataFrame:
        """Pairs (cost_centre, node): each cost centre counts towards itself and all its ancestors."""
        pairs = [(code, node) for code in self.names for node in self.ancestors(code)]
        return pd.DataFrame(pairs, columns=["cost_centre", "node"])

    def by_slug(self) -> dict[str, str]:
        """Department section names (slugs) → codes."""
        return {slug(self.names[c]): c for c in self.departments()}

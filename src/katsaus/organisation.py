"""The cost-centre hierarchy: city → departments (toimiala) → units (tulosalue) → …"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING

from katsaus.i18n import DEFAULT

if TYPE_CHECKING:
    import pandas as pd


def slug(name: str) -> str:
    """A file- and URL-safe name: lower case, letters without their marks (ä → a, ö → o, å → a), every
    other run of symbols → '-'. Letters of other alphabets stay as they are."""
    folded = unicodedata.normalize("NFKD", name.lower())
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", letters).strip("-")


class Organisation:
    """Codes, names and the parent/child order of the cost centres."""

    def __init__(
        self,
        table: pd.DataFrame,
        names: dict[str, str] | None = None,
        codes: bool = True,
        language: str = DEFAULT,
    ):
        """`names` are display names that replace some of the table's; `codes` prints codes before names.
        The table's names are in `language` where it has them (a column `name_<language>`, e.g. name_sv),
        else as in `name`; `translated` holds the codes it names in `language`."""
        rows = table.sort_values(["order", "code"], kind="stable")
        written, self.translated = rows["name"], frozenset()
        if f"name_{language}" in rows:
            translated = rows[f"name_{language}"].str.strip()
            written = translated.where(translated != "", written)
            self.translated = frozenset(rows["code"][translated != ""])
        self.names = dict(zip(rows["code"], written, strict=True)) | (names or {})
        self.codes = codes
        self.parents = {c: p for c, p in zip(rows["code"], rows["parent"], strict=True) if p}
        self._children = defaultdict(list)
        for code, parent in self.parents.items():
            self._children[parent].append(code)
        roots = [c for c in self.names if c not in self.parents]
        self.root = roots[0] if roots else None

    def label(self, code: str) -> str:
        """A cost centre as its tables head it: '64110000 HALLINTOPALVELUT', or the name alone."""
        return f"{code} {self.names[code]}" if self.codes else self.names[code]

    def table(self) -> pd.DataFrame:
        """The hierarchy with the names as displayed: code, name, parent, order."""
        import pandas as pd  # loaded where a table is made: a build reads its plan before it needs pandas

        rows = [(c, n, self.parents.get(c, ""), i) for i, (c, n) in enumerate(self.names.items())]
        return pd.DataFrame(rows, columns=["code", "name", "parent", "order"])

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

    def cycle(self, code: str) -> list[str]:
        """The cycle of parents that `code` is on, starting at `code` (empty if it is on none)."""
        chain = self.ancestors(code)
        return chain if self.parents.get(chain[-1]) == code else []

    def rollup(self) -> pd.DataFrame:
        """Pairs (cost_centre, node): each cost centre counts towards itself and all its ancestors."""
        import pandas as pd

        pairs = [(code, node) for code in self.names for node in self.ancestors(code)]
        return pd.DataFrame(pairs, columns=["cost_centre", "node"])

    def by_slug(self) -> dict[str, str]:
        """Department section names (slugs) → codes."""
        return {slug(self.names[c]): c for c in self.departments()}

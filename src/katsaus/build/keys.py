"""What each section reads, as one digest: a section is re-executed only when that digest changes.

A section reads what the plan declares (katsaus.plan.READS): the city's and the departments' figures
(summary); its department's figures, text, the figures the text names (katsaus.display.departments) and
KPI tables (department); the projects' figures (investments); the strategy tables (strategy); the data
checks (checks); or, by default, the whole data folder (data).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from katsaus import paths
from katsaus.display.departments import named_figures
from katsaus.publish.cache import digest, tree_digest

if TYPE_CHECKING:
    from katsaus.display.review import Review
    from katsaus.inputs.folder import DataFolder
    from katsaus.plan import Section


class Dependencies:
    """The digests of one build's inputs, section by section."""

    def __init__(self, review: Review, data: DataFolder):
        """`review` holds the period's figures, `data` the data folder as the build read it."""
        self.review, self.data_dir, self.code = review, data.path, tree_digest(paths.PACKAGE)
        self.texts, self.kpis = data.department_texts(), data.kpis()
        # Resolved here, before any section runs, so that an unknown reference stops the build at once.
        self.references = {code: named_figures(review, text) for code, text in self.texts.items()}

    def key(self, section: Section, checks: str = "") -> str:
        """The section's cache key: its notebook, parameters, the package code and what it reads;
        `checks` is the checks' appendix, read by the section that shows them."""
        parts = [
            self.code,
            section.notebook.read_bytes(),
            section.title,
            json.dumps(section.parameters, sort_keys=True),
            str(self.review.period),
            str(self.review.forecast_month),
            str(self.review.organisation.codes),
            repr((self.review.gaps, self.review.tables, self.review.note_at)),
        ]
        return digest(*parts, *(part for read in section.reads for part in self._read(read, section, checks)))

    def _read(self, read: str, section: Section, checks: str) -> list[str]:
        """The digest's parts of one thing a section reads."""
        org = self.review.organisation
        if read == "department":
            return self._department(section.parameters["department"])
        if read == "summary":
            return [self._figures([org.root, *org.departments()])]
        if read == "checks":
            return [checks]
        if read == "investments":
            projects = self.review.investments
            return ["" if projects is None else projects.to_csv(), self._names(list(org.names))]
        if read == "strategy":
            path = self.data_dir / "strategy" / f"{self.review.period}.csv"
            return [path.read_bytes() if path.exists() else "", self._names(org.departments())]
        return [tree_digest(self.data_dir)]

    def _department(self, code: str) -> list[str]:
        org = self.review.organisation
        text = self.texts.get(code)
        areas = self.kpis.get(code, [])
        return [
            self._figures([code, *org.children(code)]),
            repr(text and (text.responsible, text.narrative, text.closing, text.language)),
            repr(text and sorted(text.images.items())),
            repr(self.references.get(code)),
            repr(text and text.proposal and (text.proposal.intro, text.proposal.table.to_csv())),
            repr([(a.name, a.responsible, a.rows.to_csv()) for a in areas]),
        ]

    def _figures(self, codes: list[str]) -> str:
        figures = self.review.figures
        rows = figures[figures.index.get_level_values("code").isin(codes)]
        return self._names(codes) + rows.to_csv()

    def _names(self, codes: list[str]) -> str:
        return repr([(c, self.review.organisation.names[c]) for c in codes])

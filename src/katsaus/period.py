"""The review period: January through a given month of a year, and every label that follows from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from katsaus.errors import ParameterError
from katsaus.i18n import N_, _, month_name, month_span, pgettext

# The review's titles, of a part of the year and of the whole year, messages of the catalogue; a review
# plan may set its own (params/review.yaml, `title:`), with the fields {span} (TAMMI-KESÄKUUN), {months}
# (1-6/2022) and {year}.
TITLES = {"interim": N_("INTERIM REVIEW {span} {year}"), "full_year": N_("ANNUAL REVIEW {year}")}


@dataclass(frozen=True)
class Period:
    """`YYYY-MM`: the months 1..month of year."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read `YYYY-MM`, refusing anything else with a message that shows the expected form."""
        match = re.fullmatch(r"(\d{4})-(\d{2})", str(text).strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ParameterError(f"PERIOD must be YYYY-MM with a month 01–12, e.g. 2022-06 (got {text!r})")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def months(self) -> str:
        """'1-6/2022'; '1/2022' for January alone."""
        span = "1" if self.month == 1 else f"1-{self.month}"
        return f"{span}/{self.year}"

    @property
    def month_name(self) -> str:
        """'Kesäkuu 2022', 'Juni 2022'."""
        return f"{month_name(self.month).capitalize()} {self.year}"

    @property
    def span(self) -> str:
        """'TAMMI-KESÄKUUN', 'JANUARI–JUNI'; 'TAMMIKUUN' for January alone."""
        # TRANSLATORS: the months as a title names them; {months} is e.g. 'TAMMI-KESÄKUU' (upper case).
        return pgettext("title", "{months}", months=month_span(1, self.month).upper())

    @property
    def title(self) -> str:
        """'TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022'; 'TILINPÄÄTÖSKATSAUS 2022' for the whole year; in the
        language spoken."""
        return self.titled(TITLES)

    def titled(self, titles: dict[str, str]) -> str:
        """The title from `titles`' template for a whole year (`full_year`) or a part of it (`interim`),
        in the language spoken where the template is the catalogue's."""
        template = _(titles["full_year" if self.month == 12 else "interim"])
        return template.format(span=self.span, months=self.months, year=self.year)

    @property
    def heads(self) -> dict[str, str]:
        """Column heads of the figure tables."""
        return {
            "tp": _("FS {year}", year=self.year - 1),
            "ta": _("B {year}", year=self.year),
            "actual": _("Actual {months}", months=self.months),
            "pct": _("Actual-%"),
            "forecast": _("FS FORECAST {year}", year=self.year),
        }

    @property
    def kpi_heads(self) -> list[str]:
        """Column heads of the Suoritteet/Tunnusluvut tables."""
        return [
            _("Output"),
            _("FS {year}", year=self.year - 1),
            _("B {year}", year=self.year),
            _("ACTUAL {months}", months=self.months),
            _("FS FORECAST {year}", year=self.year),
        ]

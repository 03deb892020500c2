"""The review period: January through a given month of a year, and every label that follows from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from katsaus.errors import ParameterError

STEMS = [
    "TAMMI",
    "HELMI",
    "MAALIS",
    "HUHTI",
    "TOUKO",
    "KESÄ",
    "HEINÄ",
    "ELO",
    "SYYS",
    "LOKA",
    "MARRAS",
    "JOULU",
]

# The review's titles, of a part of the year and of the whole year; a review plan may set its own
# (params/review.yaml, `title:`), with the fields {span} (TAMMI-KESÄKUUN), {months} (1-6/2022) and {year}.
TITLES = {"interim": "{span} OSAVUOSIKATSAUS {year}", "full_year": "TILINPÄÄTÖSKATSAUS {year}"}


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
        """'Kesäkuu 2022'."""
        return f"{STEMS[self.month - 1].capitalize()}kuu {self.year}"

    @property
    def span(self) -> str:
        """'TAMMI-KESÄKUUN'; 'TAMMIKUUN' for January alone."""
        span = STEMS[0] if self.month == 1 else f"{STEMS[0]}-{STEMS[self.month - 1]}"
        return f"{span}KUUN"

    @property
    def title(self) -> str:
        """'TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022'; 'TILINPÄÄTÖSKATSAUS 2022' for the whole year."""
        return self.titled(TITLES)

    def titled(self, titles: dict[str, str]) -> str:
        """The title from `titles`' template for a whole year (`full_year`) or a part of it (`interim`)."""
        template = titles["full_year" if self.month == 12 else "interim"]
        return template.format(span=self.span, months=self.months, year=self.year)

    @property
    def heads(self) -> dict[str, str]:
        """Column heads of the figure tables."""
        return {
            "tp": f"TP {self.year - 1}",
            "ta": f"TA {self.year}",
            "actual": f"Toteuma {self.months}",
            "pct": "Toteuma-%",
            "forecast": f"TP-ENNUSTE {self.year}",
        }

    @property
    def kpi_heads(self) -> list[str]:
        """Column heads of the Suoritteet/Tunnusluvut tables."""
        return [
            "Suorite",
            f"TP {self.year - 1}",
            f"TA {self.year}",
            f"TOTEUMA {self.months}",
            f"TP-ENNUSTE {self.year}",
        ]

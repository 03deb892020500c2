"""What the notebooks call: the period's figures, prepared once per build, the figure tables as pandas
Stylers (katsaus.display.figure_tables), the charts, the investment part and the notes of what the data
lacks. The parts made of the departments' texts are katsaus.display.departments'."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from katsaus import i18n, opendata
from katsaus.display.figure_tables import FigureTable
from katsaus.display.tables import euros, figures_table, reasons
from katsaus.errors import ParameterError
from katsaus.figures import investments, lines
from katsaus.i18n import _
from katsaus.inputs.tables import Inputs, load_inputs
from katsaus.organisation import Organisation
from katsaus.period import Period
from katsaus.plan import Tables, plan_and_organisation

if TYPE_CHECKING:
    from IPython.display import Image


@dataclass
class Review:
    """The figures of one period, the hierarchy they roll up along and what the data lacks.

    `note_at` is the section where the reader first meets the figures ("summary" or a department's code),
    which alone says what is missing and why; None (a notebook run on its own): every section says it."""

    period: Period
    organisation: Organisation
    figures: pd.DataFrame
    forecast_month: int | None
    investments: pd.DataFrame | None = None  # per project, where the data has an investment table
    gaps: list[lines.Gap] = field(default_factory=list)
    tables: Tables = field(default_factory=Tables)
    note_at: str | None = None

    @classmethod
    def compute(cls, period: str, data_dir: Path) -> Review:
        """Read the data folder and compute the period's figures, the cost centres named as the plan says."""
        inputs, period = load_inputs(Path(data_dir)), Period.parse(period)
        plan, org = plan_and_organisation(period, inputs.organisation, i18n.language())
        return cls.compute_from(inputs, period, org, plan.tables)

    @classmethod
    def compute_from(
        cls, inputs: Inputs, period: Period, org: Organisation, tables: Tables | None = None, note_at=None
    ) -> Review:
        """The period's figures from tables already read, printed as `tables` says (the defaults)."""
        computed, gaps = lines.compute(inputs, period, org)
        projects = (
            investments.investment_figures(inputs.investments, period) if len(inputs.investments) else None
        )
        made = lines.forecast_month(inputs, period)
        return cls(period, org, computed, made, projects, gaps, tables or Tables(), note_at)

    @classmethod
    def open(
        cls, period: str, data_dir: str | Path, prepared: str | Path = "", language: str = i18n.DEFAULT
    ) -> Review:
        """The prepared figures of a build when given, else computed from the data folder; the review's
        words are in `language` from here on."""
        i18n.use(language)
        if not prepared:
            return cls.compute(period, data_dir)
        folder = Path(prepared)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta["period"] != str(Period.parse(str(period))):
            raise ParameterError(
                f"{folder}: the figures prepared there are of {meta['period']}, not {period}"
            )
        projects = folder / "investments.parquet"
        return cls(
            Period.parse(meta["period"]),
            Organisation(pd.read_parquet(folder / "organisation.parquet"), codes=meta["codes"]),
            pd.read_parquet(folder / "figures.parquet"),
            meta["forecast_month"],
            pd.read_parquet(projects) if projects.exists() else None,
            lines.gaps_from_json(meta["gaps"]),
            Tables(**meta["tables"]),
            meta["note_at"],
        )

    def save(self, folder: Path) -> None:
        """Write the prepared figures for the notebooks of one build."""
        folder.mkdir(parents=True, exist_ok=True)
        self.figures.to_parquet(folder / "figures.parquet")
        self.organisation.table().to_parquet(folder / "organisation.parquet")
        if self.investments is not None:
            self.investments.to_parquet(folder / "investments.parquet")
        meta = {
            "period": str(self.period),
            "forecast_month": self.forecast_month,
            "codes": self.organisation.codes,
            "gaps": lines.gaps_to_json(self.gaps),
            "tables": asdict(self.tables),
            "note_at": self.note_at,
        }
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    def name(self, code: str) -> str:
        """A cost centre's name as printed."""
        return self.organisation.names[code]

    def summary_rows(self, unit: int = 100_000) -> pd.DataFrame:
        """The income statement summary's rows, 1000 € (or `unit`s of cents)."""
        detail, zero = self.tables.of("summary"), self.tables.zero_budget
        return lines.summary_rows(self.figures, self.organisation, self.gaps, detail, zero, unit)

    def operating_rows(self, codes: list[str], table: str, unit: int = 100) -> pd.DataFrame:
        """The operating rows of cost centres in one of the plan's tables (city or department), € (or
        `unit`s of cents)."""
        detail, zero = self.tables.of(table), self.tables.zero_budget
        return lines.operating_rows(self.figures, self.organisation, codes, self.gaps, detail, zero, unit)

    def summary_table(self) -> FigureTable:
        """The income statement summary, 1000 €, with its open data in euros."""
        exact = figures_table(self.summary_rows(unit=1), self.period, {})
        data = opendata.links(
            exact, "tuloslaskelma", _("Income statement {month}, €", month=self.period.month_name)
        )
        return FigureTable(self.summary_rows(), self.period, _("1000 €"), data)

    def city_table(self) -> FigureTable:
        """The city's operating table: every department, then the city."""
        org = self.organisation
        return self._operating_table([*org.departments(), org.root], "city")

    def department_table(self, code: str) -> FigureTable:
        """A department's operating table: every unit, then the department."""
        return self._operating_table([*self.organisation.children(code), code], "department")

    def _operating_table(self, codes: list[str], table: str) -> FigureTable:
        """An operating table of `codes`, the last of them its whole, with its open data to the cent."""
        org = self.organisation
        exact = figures_table(self.operating_rows(codes, table, unit=1), self.period, org.names)
        title = _(
            "{name}: operating income, expenses and margin {months}, €",
            name=self.name(codes[-1]),
            months=self.period.months,
        )
        data = opendata.links(exact, f"toimintakate-{codes[-1]}", title)
        return FigureTable(self.operating_rows(codes, table), self.period, _("€"), data)

    def _city_rows(self) -> pd.DataFrame:
        org = self.organisation
        return self.operating_rows([*org.departments(), org.root], "city")

    def _department_rows(self, code: str) -> pd.DataFrame:
        return self.operating_rows([*self.organisation.children(code), code], "department")

    def expenses_chart(self, code: str) -> Image:
        """Bars of each unit's expenses: budget, to date, forecast."""
        from IPython.display import Image  # matplotlib and IPython load only where a chart is drawn

        from katsaus.display import charts

        units = self.organisation.children(code) or [code]
        rows = self.operating_rows(units, "department")
        chart = charts.expenses_png(rows, self.period)
        return Image(chart, format="png", alt=charts.expenses_description(rows, self.period))

    def investments_html(self) -> str:
        """The investment part by project in euros, with a note for each figure the data lacks."""
        if self.investments is None:
            return note(_(investments.NO_TABLE, months=self.period.months))
        table, notes = investments.investments_html(self.investments, self.organisation, self.period)
        return table + self._investments_data() + "".join(note(text) for text in notes)

    def _investments_data(self) -> str:
        """The investment table's open data: each project under its cost centre's code, in euros."""
        rows = investments.ordered(self.investments, self.organisation)
        exact = pd.DataFrame(
            {_("Code"): rows["cost_centre"], _("Project"): rows["project"], _("Name"): rows["name"]}
        )
        for figure in investments.FIGURES:
            exact[self.period.heads[figure]] = rows[figure].map(euros).astype(float)
        return opendata.links(exact, "investoinnit", _("Investments {months}, €", months=self.period.months))

    def heading(self, text: str, level: int = 2) -> str:
        """An escaped heading."""
        return f"<h{level}>{escape(text)}</h{level}>"

    def summary_heading(self) -> str:
        """'KEMIN KAUPUNKI Kesäkuu 2022' style heading of the income statement."""
        return self.heading(_("Income statement {month}", month=self.period.month_name))

    def city_heading(self) -> str:
        """The root cost centre's name above the city's operating table."""
        return self.heading(self.name(self.organisation.root))

    def gaps_note(self, department: str | None = None) -> str:
        """What the figure tables of the summary (or of a department) leave missing and why, or ''.

        What the data lacks throughout (a column, a line) is said once, in the section where the reader
        first meets the figures; a reason of this section's own tables (a budget of 0), in this section."""
        if department is None:
            own = [self.summary_rows(), self._city_rows()]
        else:
            own = [self._department_rows(department)]
        general = [gap.reason for gap in self.gaps]
        first = self.note_at is None or self.note_at == (department or "summary")
        said = [r for r in dict.fromkeys([*general, *reasons(*own)]) if first or r not in general]
        return note(" ".join(said)) if said else ""


def note(text: str) -> str:
    """A boxed remark in the review."""
    return f'<div class="note">{escape(text)}</div>'

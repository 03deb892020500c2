"""The review's plan: its title, how cost centres are named, and which sections in which order, from which
notebook, with which parameters; and a batch file's plan of many reviews (`load_batch`)."""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from katsaus import i18n, paths
from katsaus.errors import BadYAML, KatsausError, ParameterError, cut, found
from katsaus.inputs.yamltext import load as load_yaml
from katsaus.organisation import Organisation, slug
from katsaus.period import TITLES, Period

if TYPE_CHECKING:
    import pandas as pd

NAME = re.compile(r"[^\W_][\w-]{0,63}")  # letters of any alphabet, digits, '_' and '-'
PLAN = 100_000  # characters of a review plan at most
BATCH = 1_000_000  # characters of a batch file at most
ENTRY_KEYS = ("name", "data", "params", "output")  # of each organisation of a batch file
FIELDS = {"span", "months", "year"}  # what a title may contain, e.g. "{span} OSAVUOSIKATSAUS {year}"
DETAILS = ("lines", "sublines")
ZERO_BUDGET = ("–", "0 %")
# What a section may declare it reads (`reads:`); its cache key follows just that (katsaus.build.keys).
READS = {
    "summary": "the city's and the departments' figures",
    "department": "its department's figures, text, the figures the text names and KPI tables",
    "investments": "the projects' figures and the cost centres' names",
    "strategy": "the strategy tables and the departments' names",
    "checks": "the data checks' outcome",
    "data": "the whole data folder",
}


@dataclass(frozen=True)
class Section:
    """One section of the review: a notebook run with its parameters, and what it reads (READS)."""

    name: str
    title: str
    notebook: Path
    parameters: dict = field(default_factory=dict)
    reads: tuple[str, ...] = ("data",)

    @property
    def slug(self) -> str:
        """The section's file and anchor name: its name in lower case, ä → a, ö → o, spaces → '-'."""
        return slug(self.name)


@dataclass(frozen=True)
class Tables:
    """How the figure tables are printed: per table (summary, city, department) main lines only or with
    their sub-lines, and what Toteuma-% a budget of 0 prints ("–", or "0 %" where that is the convention)."""

    detail: dict[str, str] = field(default_factory=dict)
    zero_budget: str = "–"

    def of(self, table: str) -> str:
        """The detail of one table: "lines" or "sublines"."""
        return self.detail.get(table, "lines")


@dataclass(frozen=True)
class Plan:
    """The organisation's display name, the review's titles, how cost centres are named, the sections and
    how the figure tables are printed."""

    organisation: str
    sections: list[Section]
    titles: dict[str, str] = field(default_factory=lambda: dict(TITLES))
    codes: bool = True  # a cost centre's code is printed before its name
    names: dict[str, str] = field(default_factory=dict)  # display names that replace the export's
    language: str = i18n.DEFAULT  # the review's
    languages: tuple[str, ...] = ()  # the review's languages, each published linked to the others
    tables: Tables = field(default_factory=Tables)

    def section(self, name: str) -> Section:
        """The section called `name` (or whose file name is `name`), or an error listing the known ones."""
        for section in self.sections:
            if name in (section.name, section.slug):
                return section
        known = ", ".join(s.name for s in self.sections)
        raise ParameterError(f"unknown section {name!r}; the review has: {known}")

    def title(self, period: Period) -> str:
        """The review's title: the full-year title for a period ending in December, else the interim one."""
        return period.titled(self.titles)


def plan_language(period: Period, params_dir: Path) -> str:
    """The language the plan in `params_dir` writes the period's review in (`language:`, Finnish by
    default)."""
    _, language = _settings(period, params_dir).get("language", (None, i18n.DEFAULT))
    return i18n.check_language(str(language))


def outputs_of(output: Path, period: Period, params_dir: Path, language: str | None) -> Path:
    """The output folder of a review: `output` in the plan's language, `output/<language>` in another."""
    return output if language in (None, plan_language(period, params_dir)) else output / language


def translations(plan: Plan, period: Period, params_dir: Path) -> tuple[tuple[str, str, str], ...]:
    """The period's review in the plan's other languages: (language, its name, the folder relative to
    this review's folder), e.g. ('sv', 'Svenska', '../sv/2022-06/'); `params_dir` holds the plan."""
    here = outputs_of(Path("/"), period, params_dir, plan.language) / str(period)
    folders = {code: outputs_of(Path("/"), period, params_dir, code) / str(period) for code in plan.languages}
    return tuple(
        (code, i18n.autonym(code), f"{os.path.relpath(folder, here)}/")
        for code, folder in folders.items()
        if code != plan.language
    )


def plan_and_organisation(
    period: Period, organisation: pd.DataFrame, language: str, params_dir: Path = paths.PARAMS
) -> tuple[Plan, Organisation]:
    """The plan in `params_dir` (the project's own by default) of the review in `language`, and the
    organisation table's hierarchy with its cost centres named as the plan says."""
    table = Organisation(organisation, language=language)
    plan = load_plan(period, table.names, params_dir, language, table.translated)
    return plan, Organisation(organisation, plan.names, plan.codes, language)


def load_plan(
    period: Period,
    names: dict[str, str],
    params_dir: Path,
    language: str | None = None,
    translated: frozenset[str] = frozenset(),
) -> Plan:
    """Read review.yaml in `params_dir` and the period's overrides; `names` are the organisation file's
    names, those of `translated` in the review's language. The review is in `language` when given, else in
    the plan's; a key `<key>_<language>` (title_sv, organisation_sv, names_sv; a section's title_sv) gives
    the value of `<key>` in that language."""
    settings = _settings(period, params_dir)
    plan_file = params_dir / "review.yaml"
    language = i18n.check_language(str(language or settings.get("language", (None, i18n.DEFAULT))[1]))

    def setting(key: str, default) -> tuple[Path, object]:
        """`<key>_<language>` where the plan has it, else `<key>`; display names are Finnish ones, so in
        another language they name only the cost centres the organisation file does not name in it."""
        if f"{key}_{language}" in settings:
            return settings[f"{key}_{language}"]
        source, value = settings.get(key, (plan_file, default))
        if key == "names" and language != i18n.DEFAULT and isinstance(value, dict):
            value = {code: name for code, name in value.items() if str(code) not in translated}
        return source, value

    display = _names(*setting("names", {}), names)
    source, entries = settings.get("sections", (plan_file, []))
    if not isinstance(entries, list):
        raise ParameterError(
            f"{source}: 'sections' must be a list of the review's sections (found {found(entries)})"
        )
    sections = [_section(source, i, entry, names | display, language) for i, entry in enumerate(entries, 1)]
    _unique(source, sections)
    _, languages = settings.get("languages", (None, [language]))
    return Plan(
        _text(*setting("organisation", ""), "organisation"),
        sections,
        _titles(*setting("title", {})),
        _codes(*settings.get("codes", (plan_file, True))),
        display,
        language,
        tuple(i18n.check_language(str(code)) for code in languages),
        _tables(*settings.get("tables", (plan_file, {}))),
    )


def _settings(period: Period, params_dir: Path) -> dict[str, tuple[Path, object]]:
    """Each key of review.yaml in `params_dir` and the period's overrides (<period>.yaml there), with its
    file."""
    plan_file, override = params_dir / "review.yaml", params_dir / f"{period}.yaml"
    settings = {key: (plan_file, value) for key, value in _read(plan_file).items()}
    if override.exists():
        settings.update({key: (override, value) for key, value in _read(override).items()})
    return settings


def _tables(source: Path, entry) -> Tables:
    """`tables:` of the plan, checked."""
    where = f"{source}: tables"
    detail = (entry.get("detail") or {}) if isinstance(entry, dict) else None
    if not isinstance(detail, dict):
        raise ParameterError(f"{where}: expected keys 'detail' (table: lines or sublines) and 'zero_budget'")
    for table, value in detail.items():
        if table not in ("summary", "city", "department") or value not in DETAILS:
            raise ParameterError(
                f"{where}.detail: {table}: {value!r}; the tables are summary, city and department,"
                f" each {' or '.join(DETAILS)}"
            )
    zero_budget = str(entry.get("zero_budget", ZERO_BUDGET[0]))
    if zero_budget not in ZERO_BUDGET:
        raise ParameterError(f"{where}.zero_budget: {zero_budget!r} must be one of {', '.join(ZERO_BUDGET)}")
    return Tables(dict(detail), zero_budget)


def _read(path: Path) -> dict:
    settings = _yaml(path, PLAN) or {}
    if not isinstance(settings, dict):
        raise ParameterError(
            f"{path}: expected keys such as 'organisation' and 'sections' (found {found(settings)})"
        )
    return settings


def _yaml(path: Path, size: int):
    """The YAML file at `path`, of at most `size` characters (katsaus.inputs.yamltext)."""
    try:
        return load_yaml(Path(path).read_text(encoding="utf-8"), size)
    except OSError as error:
        raise ParameterError(f"{path}: cannot be read: {error.strerror}") from None
    except (UnicodeDecodeError, BadYAML) as error:
        raise ParameterError(f"{path}: cannot be read: {error}") from None


def _titles(path: Path, titles) -> dict[str, str]:
    """`title:` with `interim` and `full_year` templates; either may be left out for its default."""
    if not isinstance(titles, dict) or not set(titles) <= set(TITLES):
        example = TITLES["full_year"]
        raise ParameterError(f"{path}: 'title' takes 'interim' and 'full_year', e.g. full_year: {example}")
    for key, template in titles.items():
        used = {name for _, name, _, _ in string.Formatter().parse(str(template)) if name is not None}
        if not used <= FIELDS:
            fields = ", ".join("{" + name + "}" for name in sorted(FIELDS))
            raise ParameterError(f"{path}: title {key} {template!r} may contain only {fields}")
    return TITLES | {key: str(template) for key, template in titles.items()}


def _text(path: Path, value, key: str) -> str:
    """A setting that is a text (or a number written as one)."""
    if isinstance(value, (list, dict)) or value is None:
        raise ParameterError(f"{path}: '{key}' must be a text (found {found(value)})")
    return str(value)


def _codes(path: Path, codes) -> bool:
    if not isinstance(codes, bool):
        raise ParameterError(f"{path}: 'codes' must be true (codes printed before names) or false")
    return codes


def _names(path: Path, display, names: dict[str, str]) -> dict[str, str]:
    """`names:` code → display name, for cost centres of the organisation only."""
    if not isinstance(display, dict):
        raise ParameterError(f"{path}: 'names' must map cost-centre codes to names")
    for code, name in display.items():
        if str(code) not in names:
            raise ParameterError(f"{path}: names: cost centre {code} is not in the organisation")
        if not str(name or "").strip():
            raise ParameterError(f"{path}: names: cost centre {code} has an empty name")
    return {str(code): str(name).strip() for code, name in display.items()}


def _section(path: Path, number: int, entry, names: dict[str, str], language: str) -> Section:
    """Entry `number` of `sections:`, checked: a name, an existing notebook, a known department. A
    department section without a name is named after its department."""
    where = f"{path}: section {number}"
    if not isinstance(entry, dict):
        raise ParameterError(
            f"{where}: expected keys name, notebook and title or department (found {found(entry)})"
        )
    for key, value in entry.items():
        if key != "reads" and (isinstance(value, (list, dict)) or value is None):
            raise ParameterError(f"{where}: its {cut(key, 40)} must be a text (found {found(value)})")
    parameters = {"language": language}
    if "department" in entry:
        code = str(entry["department"])
        if code not in names:
            raise ParameterError(f"{where}: department {cut(code)} is not in the organisation")
        parameters["department"] = code
    name = str(entry.get("name") or slug(names.get(parameters.get("department"), "")))
    if not NAME.fullmatch(name) or not slug(name):
        raise ParameterError(
            f"{where}: the name {cut(name, 40)!r} must be letters, digits, '_' and '-' (64 at most)"
        )
    notebook = paths.NOTEBOOKS / str(entry.get("notebook", ""))
    if notebook.parent != paths.NOTEBOOKS or not notebook.is_file():
        raise ParameterError(f"{where}: notebook {entry.get('notebook')!r} not in notebooks/")
    title = (
        entry.get(f"title_{language}") or entry.get("title") or names.get(parameters.get("department"), name)
    )
    title = str(title)
    return Section(name, title, notebook, parameters, _reads(where, entry, parameters))


def _reads(where: str, entry: dict, parameters: dict) -> tuple[str, ...]:
    """What a section reads: `reads:` (a name of READS or a list of them); by default a department
    section reads its department, any other the whole data folder."""
    default = ["department"] if "department" in parameters else ["data"]
    reads = entry.get("reads", default)
    reads = [reads] if isinstance(reads, str) else reads
    known = ", ".join(READS)
    if not isinstance(reads, list) or not reads or not all(isinstance(r, str) for r in reads):
        raise ParameterError(f"{where}: reads: expected one or more of {known} (found {found(reads)})")
    for read in reads:
        if read not in READS:
            raise ParameterError(f"{where}: reads: {cut(read, 40)!r} is not one of {known}")
    if "department" in reads and "department" not in parameters:
        raise ParameterError(f"{where}: reads: department needs the section's department")
    return tuple(dict.fromkeys(reads))


def _unique(path: Path, sections: list[Section]) -> None:
    """Refuse two sections whose file names would be the same."""
    seen = {}
    for section in sections:
        if section.slug in seen:
            raise ParameterError(
                f"{path}: sections {seen[section.slug]!r} and {section.name!r} have the same file name"
                f" {section.slug!r}"
            )
        seen[section.slug] = section.name


@dataclass(frozen=True)
class Job:
    """One review of a batch: an organisation's data, plan and output folder, and a period."""

    organisation: str
    period: Period
    data: Path
    params: Path
    output: Path


def load_batch(path: Path) -> list[Job]:
    """The reviews a batch file lists: `periods`, and `organisations` of {name, data, params, output} and
    their own `periods`; relative paths are relative to the file."""
    settings = _yaml(path, BATCH)
    entries = settings.get("organisations") if isinstance(settings, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ParameterError(f"{path}: expected a list 'organisations' of {{{', '.join(ENTRY_KEYS)}}}")
    jobs = [job for number, entry in enumerate(entries, 1) for job in _jobs(path, number, entry, settings)]
    seen = set()
    for job in jobs:
        if (job.output.resolve(), job.period) in seen:
            raise ParameterError(f"{path}: two reviews of {job.period} are to be built into {job.output}")
        seen.add((job.output.resolve(), job.period))
    return jobs


def _jobs(path: Path, number: int, entry, settings: dict) -> list[Job]:
    """The reviews of one entry of `organisations`, checked."""
    where = f"{path}: organisation {number}"
    if not isinstance(entry, dict) or not all(_given(entry.get(key)) for key in ENTRY_KEYS):
        raise ParameterError(f"{where}: needs the keys {', '.join(ENTRY_KEYS)}, each a text")
    periods = entry.get("periods", settings.get("periods"))
    if not isinstance(periods, list) or not periods:
        raise ParameterError(f"{where} ({entry['name']}): no list of periods, its own or the batch's")
    folders = {key: Path(path).parent / str(entry[key]) for key in ENTRY_KEYS[1:]}
    try:
        periods = [Period.parse(str(period)) for period in periods]
    except KatsausError as error:
        raise ParameterError(f"{where} ({entry['name']}): {error}") from None
    return [Job(str(entry["name"]), period, **folders) for period in periods]


def _given(value) -> bool:
    """Whether a batch file's value is a text that is not blank (a number counts as its text)."""
    return isinstance(value, (str, int)) and bool(str(value).strip())

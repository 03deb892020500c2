import re

import pandas as pd
import pytest

from katsaus.display.review import Review
from katsaus.errors import ParameterError
from katsaus.organisation import Organisation
from katsaus.period import Period
from katsaus.plan import load_plan

pytestmark = pytest.mark.unit

NAMES = {"64100000": "KESKUSVIRASTO"}


def summaries(*names: str) -> str:
    """A plan of summary sections with these names."""
    return "sections:\n" + "".join(f"  - {{name: {name}, notebook: summary.ipynb}}\n" for name in names)


def plan_of(tmp_path, monkeypatch, text):
    (tmp_path / "review.yaml").write_text(text, encoding="utf-8")
    return load_plan(Period(2022, 6), NAMES, tmp_path)


def test_a_department_section_takes_its_title_from_the_organisation(tmp_path, monkeypatch):
    plan = plan_of(
        tmp_path,
        monkeypatch,
        "sections:\n  - {name: kv, notebook: department.ipynb, department: '64100000'}\n",
    )
    [section] = plan.sections
    assert (section.title, section.parameters) == (
        "KESKUSVIRASTO",
        {"language": "fi", "department": "64100000"},
    )


def test_the_plan_sets_the_language_and_a_title_in_each(tmp_path, monkeypatch):
    """A section's title_sv is its title in Swedish; the language is the plan's unless the build says."""
    plan = plan_of(
        tmp_path,
        monkeypatch,
        "language: sv\nsections:\n"
        "  - {name: s, notebook: summary.ipynb, title: Yhteenveto, title_sv: Sammandrag}\n",
    )
    assert (plan.language, plan.sections[0].title, plan.sections[0].parameters) == (
        "sv",
        "Sammandrag",
        {"language": "sv"},
    )
    finnish = load_plan(Period(2022, 6), NAMES, tmp_path, "fi")
    assert (finnish.language, finnish.sections[0].title) == ("fi", "Yhteenveto")


def test_a_period_file_overrides_the_plan(tmp_path, monkeypatch):
    (tmp_path / "2022-06.yaml").write_text("organisation: KEMI\n", encoding="utf-8")
    sections = "sections:\n  - {name: yhteenveto, notebook: summary.ipynb}\n"
    plan = plan_of(tmp_path, monkeypatch, f"organisation: KEMIN KAUPUNKI\n{sections}")
    assert plan.organisation == "KEMI"


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("{name: ../../etc, notebook: summary.ipynb}", "must be letters"),
        ("{name: 'ympäristö!', notebook: summary.ipynb}", "must be letters"),
        ("{name: '-', notebook: summary.ipynb}", "must be letters"),
        ("{name: x, notebook: ../README.md}", "not in notebooks/"),
        ("{name: x, notebook: /etc/passwd}", "not in notebooks/"),
        ("{name: x, notebook: department.ipynb, department: '1'}", "not in the organisation"),
    ],
)
def test_section_names_and_notebooks_cannot_leave_the_project(tmp_path, monkeypatch, entry, words):
    with pytest.raises(ParameterError, match=words):
        plan_of(tmp_path, monkeypatch, f"sections:\n  - {entry}\n")


def test_a_refused_entry_is_named_with_its_file_and_place(tmp_path, monkeypatch):
    entries = summaries("yhteenveto", "'a b'")
    with pytest.raises(ParameterError) as error:
        plan_of(tmp_path, monkeypatch, entries)
    assert str(error.value).startswith(f"{tmp_path / 'review.yaml'}: section 2: ")
    assert "'a b'" in str(error.value)


def test_section_names_take_any_letters_and_files_take_their_slug(tmp_path, monkeypatch):
    entries = summaries("ympäristö", "Åland_2")
    plan = plan_of(tmp_path, monkeypatch, entries)
    assert [(s.name, s.slug) for s in plan.sections] == [("ympäristö", "ymparisto"), ("Åland_2", "aland-2")]
    assert plan.section("ymparisto") is plan.section("ympäristö")


def test_two_sections_with_one_file_name_are_refused(tmp_path, monkeypatch):
    entries = summaries("ympäristö", "ymparisto")
    with pytest.raises(ParameterError, match="'ympäristö' and 'ymparisto' have the same file name"):
        plan_of(tmp_path, monkeypatch, entries)


def test_a_department_section_without_a_name_is_named_after_it(tmp_path, monkeypatch):
    names = "names: {'64100000': Keskusvirasto ja hallinto}\n"
    text = names + "sections:\n  - {notebook: department.ipynb, department: '64100000'}\n"
    [section] = plan_of(tmp_path, monkeypatch, text).sections
    assert (section.name, section.title) == ("keskusvirasto-ja-hallinto", "Keskusvirasto ja hallinto")


def test_the_title_of_a_whole_year_and_of_a_part_of_it(tmp_path, monkeypatch):
    plan = plan_of(tmp_path, monkeypatch, "sections: []\n")
    assert plan.title(Period(2022, 6)) == "TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022"
    assert plan.title(Period(2022, 12)) == "TILINPÄÄTÖSKATSAUS 2022"
    plan = plan_of(tmp_path, monkeypatch, "title: {full_year: 'VUOSIKATSAUS {year} ({months})'}\n")
    assert plan.title(Period(2022, 12)) == "VUOSIKATSAUS 2022 (1-12/2022)"
    assert plan.title(Period(2022, 3)) == "TAMMI-MAALISKUUN OSAVUOSIKATSAUS 2022"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("title: {yearly: X}", "'title' takes 'interim' and 'full_year'"),
        ("title: {full_year: 'KATSAUS {vuosi}'}", "may contain only {months}, {span}, {year}"),
        ("codes: 'no'", "'codes' must be true"),
        ("names: {'99': X}", "names: cost centre 99 is not in the organisation"),
        ("names: {'64100000': ''}", "names: cost centre 64100000 has an empty name"),
        ("sections: yhteenveto", "'sections' must be a list"),
        (
            "sections: [yhteenveto]",
            "section 1: expected keys name, notebook and title or department (found str",
        ),
    ],
)
def test_plan_settings_are_checked(tmp_path, monkeypatch, text, words):
    with pytest.raises(ParameterError, match=re.escape(words)) as error:
        plan_of(tmp_path, monkeypatch, text + "\n")
    assert str(error.value).startswith(str(tmp_path / "review.yaml"))


def test_codes_and_display_names_reach_the_tables(tmp_path, monkeypatch):
    plan = plan_of(tmp_path, monkeypatch, "codes: false\nnames: {'64100000': Keskusvirasto}\n")
    table = pd.DataFrame({"code": ["64100000"], "name": ["KESKUSVIRAS"], "parent": [""], "order": [1]})
    org = Organisation(table, plan.names, plan.codes)
    assert org.label("64100000") == "Keskusvirasto"
    assert Organisation(table).label("64100000") == "64100000 KESKUSVIRAS"


def test_the_prepared_figures_keep_the_plans_naming(tmp_path):
    table = pd.DataFrame(
        {"code": ["1", "2"], "name": ["KAUPUNKI", "TOIMIALA"], "parent": ["", "1"], "order": [1, 1]}
    )
    org = Organisation(table, {"2": "Sivistystoimiala"}, codes=False)
    figures = pd.DataFrame({"tp": pd.array([1], dtype="Int64")})
    Review(Period(2022, 12), org, figures, None).save(tmp_path)
    opened = Review.open("2022-12", "", tmp_path).organisation
    assert (opened.label("2"), opened.label("1"), opened.children("1")) == (
        "Sivistystoimiala",
        "KAUPUNKI",
        ["2"],
    )
    with pytest.raises(ParameterError, match=r"figures prepared there are of 2022-12, not 2022-06"):
        Review.open("2022-06", "", tmp_path)

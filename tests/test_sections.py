import pytest

from katsaus import paths
from katsaus.errors import ParameterError
from katsaus.period import Period
from katsaus.sections import load_plan

NAMES = {"64100000": "KESKUSVIRASTO"}


def plan_of(tmp_path, monkeypatch, text):
    (tmp_path / "review.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "PARAMS", tmp_path)
    return load_plan(Period(2022, 6), NAMES)


def test_a_department_section_takes_its_title_from_the_organisation(tmp_path, monkeypatch):
    plan = plan_of(
        tmp_path,
        monkeypatch,
        "sections:\n  - {name: kv, notebook: department.ipynb, department: '64100000'}\n",
    )
    [section] = plan.sections
    assert (section.title, section.parameters) == ("KESKUSVIRASTO", {"department": "64100000"})


def test_a_period_file_overrides_the_plan(tmp_path, monkeypatch):
    (tmp_path / "2022-06.yaml").write_text("organisation: KEMI\n", encoding="utf-8")
    plan = plan_of(tmp_path, monkeypatch, "organisation: KEMIN KAUPUNKI\nsections: []\n")
    assert plan.organisation == "KEMI"


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("{name: ../../etc, notebook: summary.ipynb}", "lower-case letters"),
        ("{name: Yhteenveto, notebook: summary.ipynb}", "lower-case letters"),
        ("{name: x, notebook: ../README.md}", "not in notebooks/"),
        ("{name: x, notebook: /etc/passwd}", "not in notebooks/"),
        ("{name: x, notebook: department.ipynb, department: '1'}", "not in the organisation"),
    ],
)
def test_section_names_and_notebooks_cannot_leave_the_project(tmp_path, monkeypatch, entry, words):
    with pytest.raises(ParameterError, match=words):
        plan_of(tmp_path, monkeypatch, f"sections:\n  - {entry}\n")

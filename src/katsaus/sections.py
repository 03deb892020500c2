"""The review's plan: which sections, in which order, from which notebook, with which parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from katsaus import paths
from katsaus.errors import ParameterError
from katsaus.period import Period

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


@dataclass(frozen=True)
class Section:
    """One section of the review: a notebook run with its parameters."""

    name: str
    title: str
    notebook: Path
    parameters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """The organisation's display name and the ordered sections."""

    organisation: str
    sections: list[Section]

    def section(self, name: str) -> Section:
        """The section called `name`, or an error listing the known ones."""
        for section in self.sections:
            if section.name == name:
                return section
        known = ", ".join(s.name for s in self.sections)
        raise ParameterError(f"unknown section {name!r}; the review has: {known}")


def outputs(staging: Path, name: str) -> list[Path]:
    """The files a section leaves in a build: executed notebook, HTML page, PDF, and for stitching its
    body and its pages without header and footer."""
    return [
        staging / "notebooks" / f"{name}.ipynb",
        staging / "sections" / f"{name}.html",
        staging / "sections" / f"{name}.pdf",
        staging / "fragments" / f"{name}.fragment.html",
        staging / "fragments" / f"{name}.pdf",
    ]


def load_plan(period: Period, names: dict[str, str]) -> Plan:
    """Read params/review.yaml and the period's overrides; `names` gives department titles."""
    params_dir = paths.PARAMS
    settings = _read(params_dir / "review.yaml")
    override = params_dir / f"{period}.yaml"
    if override.exists():
        settings.update(_read(override))
    sections = [_section(entry, names) for entry in settings.get("sections", [])]
    if len({s.name for s in sections}) != len(sections):
        raise ParameterError(f"{params_dir / 'review.yaml'}: two sections have the same name")
    return Plan(str(settings.get("organisation", "")), sections)


def _read(path: Path) -> dict:
    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ParameterError(f"{path}: cannot be read: {error}") from None
    if not isinstance(settings, dict):
        raise ParameterError(f"{path}: expected keys 'organisation' and 'sections'")
    return settings


def _section(entry: dict, names: dict[str, str]) -> Section:
    """One entry of `sections:`, checked: a safe name, an existing notebook, a known department."""
    name = str(entry.get("name", ""))
    if not NAME.fullmatch(name):
        raise ParameterError(f"section name {name!r} must be lower-case letters, digits and '-'")
    notebook = paths.NOTEBOOKS / str(entry.get("notebook", ""))
    if notebook.parent != paths.NOTEBOOKS or not notebook.is_file():
        raise ParameterError(f"section {name!r}: notebook {entry.get('notebook')!r} not in notebooks/")
    parameters = {}
    if "department" in entry:
        code = str(entry["department"])
        if code not in names:
            raise ParameterError(f"section {name!r}: department {code} is not in the organisation")
        parameters["department"] = code
    title = str(entry.get("title") or names.get(parameters.get("department"), name))
    return Section(name, title, notebook, parameters)

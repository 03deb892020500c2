"""The inputs' and plan's YAML: each text is parsed once in a process, and every caller gets its own data."""

from __future__ import annotations

import pytest
import yaml

from katsaus.errors import BadYAML
from katsaus.inputs import yamltext

pytestmark = pytest.mark.unit

PLAN = "organisation: KEMIN KAUPUNKI\nsections:\n  - name: yhteenveto\n    reads: [summary]\n"


def test_a_text_read_again_is_parsed_once_and_each_reader_gets_its_own_data(monkeypatch):
    composed = []
    compose = yaml.SafeLoader.get_single_node
    monkeypatch.setattr(yaml.SafeLoader, "get_single_node", lambda self: composed.append(1) or compose(self))
    text = PLAN + f"# {id(composed)}\n"  # a text no other test has read

    first = yamltext.load(text, 10_000)
    first["sections"][0]["reads"].append("changed by its reader")
    second = yamltext.load(text, 10_000)

    assert len(composed) == 1
    assert second == yaml.safe_load(text)
    assert second is not first


def test_an_alias_shared_in_the_text_is_shared_in_its_data_as_yaml_loads_it():
    data = yamltext.load("a: &x [1, 2]\nb: *x\n", 100)
    assert data == yaml.safe_load("a: &x [1, 2]\nb: *x\n")
    assert data["a"] is data["b"]


def test_a_bad_text_is_refused_each_time_it_is_read():
    for _ in range(2):
        with pytest.raises(BadYAML, match="not valid YAML"):
            yamltext.load("sections: [\n", 100)

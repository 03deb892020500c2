"""The review's words come from complete message catalogues, one per language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from katsaus import i18n, paths
from katsaus.period import Period

pytestmark = pytest.mark.unit

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Values a message is filled with beyond those its English names (katsaus.i18n.month_span).
EXTRA = {"{first}–{last}": {"first_abbreviated"}}


def catalogue(language: str):
    with open(i18n.LOCALE / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po", "rb") as handle:
        return read_po(handle, locale=language)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set:
    """The messages `make messages` extracts from the source today, into a file of the test's own."""
    template = tmp_path_factory.mktemp("messages") / "katsaus.pot"
    command = [
        str(Path(sys.executable).with_name("pybabel")),
        "extract",
        "-F",
        "babel.cfg",
        "-o",
        str(template),
    ]
    subprocess.run([*command, "."], cwd=paths.ROOT, check=True, capture_output=True)
    with open(template, "rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_marked_string_is_in_the_catalogue_and_nothing_else(extracted, language):
    """A string marked in the code, a template or a suite is in each catalogue; none is left over."""
    ids = {message.id for message in catalogue(language) if message.id}
    assert extracted - ids == set(), "run `make messages` and translate the new messages"
    assert ids - extracted == set(), "run `make messages` to drop messages no longer used"


def entries(language: str):
    """Each message of the language's catalogue: its English forms, its translations, whether fuzzy."""
    for message in catalogue(language):
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield ids, strings, message.fuzzy


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    for ids, strings, fuzzy in entries(language):
        assert all(strings), f"{language}: {ids[0]!r} is not translated"
        assert not fuzzy, f"{language}: {ids[0]!r} is fuzzy"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_a_translation_names_only_values_the_message_is_given(language):
    for ids, strings, _ in entries(language):
        given = {name for text in ids for name in PLACEHOLDER.findall(text)} | EXTRA.get(ids[0], set())
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= given, f"{language}: {text!r} for {ids[0]!r}"


def test_a_fuzzy_entry_is_not_used(tmp_path, monkeypatch):
    """A message a translator has not confirmed comes out in English rather than half-translated."""
    source = (i18n.LOCALE / "sv" / "LC_MESSAGES" / "katsaus.po").read_text(encoding="utf-8")
    fuzzy = source.replace('msgid "Contents"', '#, fuzzy\nmsgid "Contents"')
    (tmp_path / "sv" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "sv" / "LC_MESSAGES" / "katsaus.po").write_text(fuzzy, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE", tmp_path)
    i18n.translations.cache_clear()
    try:
        with i18n.speaking("sv"):
            assert (i18n._("Contents"), i18n._("Page")) == ("Contents", "Sida")
    finally:
        i18n.translations.cache_clear()


def test_the_period_speaks_swedish():
    """Month names from CLDR; the heads as Swedish-speaking municipalities print them."""
    with i18n.speaking("sv"):
        period = Period.parse("2022-06")
        assert period.title == "DELÅRSÖVERSIKT JANUARI–JUNI 2022"
        assert period.month_name == "Juni 2022"
        assert list(period.heads.values()) == [
            "BS 2021",
            "BU 2022",
            "Utfall 1-6/2022",
            "Utfall-%",
            "BS-PROGNOS 2022",
        ]
        assert Period.parse("2022-01").title == "DELÅRSÖVERSIKT JANUARI 2022"
    assert Period.parse("2022-06").title == "TAMMI-KESÄKUUN OSAVUOSIKATSAUS 2022"


def test_an_unknown_language_is_refused():
    with pytest.raises(i18n.ParameterError, match="known: fi, sv"):
        i18n.use("de")

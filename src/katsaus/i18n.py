"""The review's words: gettext message catalogues read with Babel, and month names from Babel's CLDR data.

The source marks each reader-facing string in English with `_()` (translated where it is called) or `N_()`
(a constant, translated where it is shown); `make messages` extracts them into the catalogues
`locale/<language>/LC_MESSAGES/katsaus.po`, which a translator fills in. A catalogue is read as `.po`
when a process first speaks its language (a few milliseconds), so no compiled `.mo` file can go stale
and none is kept in the repository; a fuzzy entry counts as untranslated, and what a catalogue lacks
comes out in English. A process speaks one language at a time (`use`, `speaking`), Finnish unless told.
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

from babel import Locale
from babel.dates import get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from katsaus.errors import ParameterError
from katsaus.paths import PACKAGE

DOMAIN = "katsaus"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("fi", "sv")
DEFAULT = "fi"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SOURCE = NullTranslations()  # the messages as written in the source: English, e.g. for the terminal
_speaking = [DEFAULT]


def check_language(language: str) -> str:
    """A language the review has a catalogue for, or an error listing them."""
    if language not in LANGUAGES:
        raise ParameterError(f"language {language!r} has no message catalogue; known: {', '.join(LANGUAGES)}")
    return language


@functools.cache
def translations(language: str) -> NullTranslations:
    """The language's catalogue, read from its `.po` file."""
    path = LOCALE / check_language(language) / "LC_MESSAGES" / f"{DOMAIN}.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def use(language: str) -> None:
    """Speak `language` from now on in this process."""
    translations(language)
    _speaking[0] = language


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block, then the language spoken before."""
    before = _speaking[0]
    use(language)
    try:
        yield
    finally:
        _speaking[0] = before


def language() -> str:
    """The language spoken now, e.g. 'fi'."""
    return _speaking[0]


def words() -> NullTranslations:
    """The catalogue of the language spoken now."""
    return translations(_speaking[0])


def _(message: str, **values) -> str:
    """The message in the language spoken now, its `{name}`s filled from `values` when given."""
    text = words().gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, count: int, **values) -> str:
    """The singular or plural message for `count` in the language spoken now, filled as by `_`."""
    return words().ngettext(singular, plural, count).format(count=count, **values)


def pgettext(context: str, message: str, **values) -> str:
    """The message of `context` in the language spoken now, filled as by `_`."""
    text = words().pgettext(context, message)
    return text.format(**values) if values else text


def N_(message: str) -> str:
    """Mark a constant message for the catalogue; it is translated where it is shown, with `_`."""
    return message


def fill(template: str, values: dict) -> str:
    """`{name}` in a message replaced by values[name]; any other brace is left as written (a message
    may quote data)."""
    return PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], template)


def autonym(language: str) -> str:
    """A language's name in itself, as a link to its review says it: 'Suomi', 'Svenska' (CLDR)."""
    return Locale.parse(language).get_display_name(language).capitalize()


def month_name(month: int) -> str:
    """The month's name as it stands alone: 'kesäkuu', 'juni'."""
    return get_month_names("wide", "stand-alone", _speaking[0])[month]


def month_span(first: int, last: int) -> str:
    """'tammi-kesäkuu', 'januari–juni'; the month alone when first is last."""
    if first == last:
        return month_name(first)
    # TRANSLATORS: a span of months; {first_abbreviated} is the first month's short name (CLDR).
    abbreviated = get_month_names("abbreviated", "stand-alone", _speaking[0])[first]
    return _("{first}–{last}", first=month_name(first), first_abbreviated=abbreviated, last=month_name(last))


def extract_suites(fileobj, keywords, comment_tags, options):
    """Babel extraction method for the expectation suites (expectations/*.json): each expectation's
    `meta.rule` and `meta.message`, shown in the review's appendix of data checks."""
    suite = json.load(fileobj)
    for expectation in suite.get("expectations", []):
        meta = expectation.get("meta", {})
        for key in ("rule", "message"):
            if meta.get(key):
                yield 0, "_", meta[key], []

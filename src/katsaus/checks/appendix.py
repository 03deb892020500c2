"""The data checks' appendix of the review: as the build wrote it (katsaus.build.prepare.check) for the
section that reads the checks, or checked afresh where the notebook runs on its own."""

from __future__ import annotations

from pathlib import Path

from katsaus import i18n
from katsaus.checks.gate import check_data
from katsaus.period import Period


def appendix_html(
    period: str, data_dir: str | Path, checks: str | Path = "", language: str = i18n.DEFAULT
) -> str:
    """What the data checks covered and every warning, in `language`: the build's (the file `checks`, given
    to a section that reads them), or checked afresh."""
    i18n.use(language)
    if checks:
        return Path(checks).read_text(encoding="utf-8")
    return check_data(data_dir, Period.parse(period), language).appendix_html()

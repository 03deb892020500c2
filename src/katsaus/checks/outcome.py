"""The outcome of the input checks: what was checked, the errors and warnings, and their reports."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from katsaus.errors import ValidationFailed
from katsaus.findings import ERROR, WARNING, Check, Finding
from katsaus.i18n import N_, SOURCE, words
from katsaus.publish.cache import write_atomic

NONE = {"error": N_("No errors."), "warning": N_("No warnings.")}
# The tables the checks name, as the review's appendix names them.
TABLES = {
    "organisation": N_("organisation"),
    "accounts": N_("accounts"),
    "ledger": N_("ledger"),
    "budget": N_("budget"),
    "forecast": N_("forecast"),
    "codes": N_("cost-centre codes"),
    "coverage": N_("coverage of budget and forecast"),
    "kpis": N_("outputs and key figures"),
    "texts": N_("department texts"),
    "figures": N_("computed figures"),
    "investments": N_("investment part"),
}
PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Input checks</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 70em; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: .2em .5em; text-align: left; }}
.error {{ color: #a00; }} .warning {{ color: #850; }} .ok {{ color: #070; }}
</style></head>
<body>
<h1>Input checks</h1>
<p>{summary}</p>
<h2>Errors</h2>
{errors}
<h2>Warnings</h2>
{warnings}
<h2>What was checked</h2>
<table>
<tr><th>table</th><th>rule</th><th>severity</th><th>checked</th><th>failed</th><th>result</th></tr>
{rows}
</table>
<p>Seconds: {seconds}</p>
</body>
</html>
"""


@dataclass
class Outcome:
    """Every rule checked, every problem found, and the seconds each part took."""

    checked: list[Check]
    findings: list[Finding]
    seconds: dict[str, float] = field(default_factory=dict)
    report: Path | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def add(self, *results: tuple[Check, list[Finding]]) -> None:
        """Add computed checks and their findings."""
        for check, findings in results:
            self.checked.append(check)
            self.findings.extend(findings)

    def raise_for_errors(self) -> None:
        """Raise ValidationFailed if any rule marked as an error is broken."""
        if self.errors:
            raise ValidationFailed(self.errors, self.report)

    def summary(self, catalogue=SOURCE) -> str:
        """'148 rules checked on 8 tables: no errors, 3 warnings.', in the catalogue's language."""
        say = catalogue
        counts = {
            "rules": len(self.checked),
            "tables": len({check.table for check in self.checked}),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }
        phrases = {
            "rules": say.ngettext("{count} rule", "{count} rules", counts["rules"]),
            "tables": say.ngettext("{count} table", "{count} tables", counts["tables"]),
            "errors": say.ngettext("{count} error", "{count} errors", counts["errors"]),
            "warnings": say.ngettext("{count} warning", "{count} warnings", counts["warnings"]),
        }
        if not counts["errors"]:
            phrases["errors"] = say.gettext("no errors")
        if not counts["warnings"]:
            phrases["warnings"] = say.gettext("no warnings")
        filled = {part: text.format(count=counts[part]) for part, text in phrases.items()}
        return say.gettext("{rules} checked on {tables}: {errors}, {warnings}.").format(**filled)

    def to_dict(self) -> dict:
        return {
            "success": not self.errors,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "seconds": {part: round(value, 3) for part, value in self.seconds.items()},
            "checks": [check.to_dict() for check in self.checked],
            "findings": [finding.to_dict() for finding in self.findings],
        }

    def write(self, folder: Path) -> Path:
        """Write folder/validation/result.json and index.html (which raise_for_errors then names)."""
        target = Path(folder) / "validation"
        target.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1)
        write_atomic(target / "result.json", (text + "\n").encode("utf-8"))
        write_atomic(target / "index.html", self.page().encode("utf-8"))
        self.report = target / "index.html"
        return target

    def page(self) -> str:
        """A standalone HTML page of the outcome."""
        rows = "\n".join(_check_row(check) for check in self.checked)
        seconds = ", ".join(f"{part} {value:.2f}" for part, value in self.seconds.items())
        return PAGE.format(
            summary=escape(self.summary()),
            errors=_list(self.errors, "error", SOURCE),
            warnings=_list(self.warnings, "warning", SOURCE),
            rows=rows,
            seconds=escape(seconds),
        )

    def appendix_html(self) -> str:
        """A short fragment for the review's appendix, in the language spoken now: the rules per table and
        one line per warning."""
        catalogue = words()
        tables: dict[str, list[str]] = {}
        for check in self.checked:
            tables.setdefault(check.table, []).append(catalogue.gettext(check.rule))
        items = "".join(
            f"<li><b>{escape(catalogue.gettext(TABLES.get(name, name)))}</b>: {escape('; '.join(rules))}</li>"
            for name, rules in tables.items()
        )
        return (
            f'<div class="validation"><p>{escape(self.summary(catalogue))}</p><ul>{items}</ul>'
            f"{_list(self.warnings, 'warning', catalogue)}</div>"
        )


def _list(findings: list[Finding], kind: str, catalogue) -> str:
    if not findings:
        return f"<p>{escape(catalogue.gettext(NONE[kind]))}</p>"
    items = "".join(f"<li>{escape(finding.text(catalogue))}</li>" for finding in findings)
    return f'<ul class="{kind}">{items}</ul>'


def _check_row(check: Check) -> str:
    verdict, css = ("passed", "ok") if check.success else ("failed", check.severity)
    cells = [
        check.table,
        check.rule,
        check.severity,
        "" if check.checked is None else check.checked,
        check.failed,
    ]
    tds = "".join(f"<td>{escape(str(cell))}</td>" for cell in cells)
    return f'<tr>{tds}<td class="{css}">{verdict}</td></tr>'

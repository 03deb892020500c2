"""A section is rebuilt exactly when something it reads changed, judged by content."""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace

import pytest
from tqdm import tqdm

from katsaus import paths
from katsaus.build.prepare import check, prepare
from katsaus.build.steps import Build, build_report
from katsaus.paths import Staging
from katsaus.period import Period
from katsaus.plan import Section
from katsaus.publish.atomic import fingerprint, up_to_date
from katsaus.publish.cache import Cache

pytestmark = pytest.mark.e2e


@pytest.fixture
def data(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA, copy)
    return copy


def keys(data, tmp_path, name):
    """Every section's key, as a build computes them."""
    period, folder = Period.parse("2022-06"), tmp_path / name / "prepared"
    ready = prepare(period, data, paths.PARAMS, folder)
    appendix = check(ready, period, folder, tmp_path / name / "failed")
    return {s.name: ready.dependencies.key(s, appendix) for s in ready.plan.sections}


def change_ledger_amount(data, cost_centre: str) -> None:
    """Add one euro to the first ledger row of a cost centre in 2022."""
    path = data / "ledger" / "2022.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        fields = line.rstrip("\n").split(";")
        if fields[2] == cost_centre and int(fields[1]) <= 6:
            euros, cents = fields[4].split(",")
            fields[4] = f"{int(euros) + 1},{cents}"
            lines[i] = ";".join(fields) + "\n"
            break
    path.write_text("".join(lines), encoding="utf-8")


def test_one_ledger_amount_changes_its_department_and_the_summary_only(data, tmp_path):
    before = keys(data, tmp_path, "before")
    change_ledger_amount(data, "64410000")
    after = keys(data, tmp_path, "after")
    changed = sorted(name for name in before if before[name] != after[name])
    assert changed == ["perusturvatoimiala", "yhteenveto"]


def test_touching_a_file_without_changing_it_changes_nothing(data, tmp_path):
    before = keys(data, tmp_path, "before")
    (data / "ledger" / "2022.csv").touch()
    assert keys(data, tmp_path, "after") == before


def test_a_narrative_changes_only_its_department(data, tmp_path):
    before = keys(data, tmp_path, "before")
    text = data / "texts" / "2022-06" / "ymparistotoimiala.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nLisätieto.\n", encoding="utf-8")
    after = keys(data, tmp_path, "after")
    assert [name for name in before if before[name] != after[name]] == ["ymparistotoimiala"]


def test_a_section_reads_what_the_plan_declares(data, tmp_path):
    """Declared `reads: summary`, the strategy section follows the figures and not its table; declared
    nothing, it follows the whole data folder."""
    params = tmp_path / "params"
    shutil.copytree(paths.PARAMS, params)
    plan = params / "review.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("reads: strategy", "reads: summary"), "utf-8")
    period, keyed = Period.parse("2022-06"), []
    for name, change in (("before", None), ("strategy", "strategy"), ("ledger", "ledger")):
        if change == "strategy":
            table = data / "strategy" / "2022-06.csv"
            table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        elif change == "ledger":
            change_ledger_amount(data, "64410000")
        ready = prepare(period, data, params, tmp_path / name / "prepared")
        keyed.append(ready.dependencies.key(ready.plan.section("strategia")))
    assert keyed[0] == keyed[1] != keyed[2]
    plan.write_text(plan.read_text(encoding="utf-8").replace("    reads: summary\n", "", 2), "utf-8")
    ready = prepare(period, data, params, tmp_path / "undeclared" / "prepared")
    assert ready.plan.section("strategia").reads == ("data",)
    assert ready.plan.section("keskusvirasto").reads == ("department",)


def test_a_rebuild_runs_only_the_changed_section_and_a_third_build_nothing(data, output, monkeypatch):
    """Sections taken from the cache leave no log; the up-to-date build publishes the same review."""
    monkeypatch.chdir(data.parent)
    data = Path(data.name)  # as `make` passes it, so the data checks name the same files
    first = build_report(Period(2022, 6), data, output).resolve()
    text = data / "texts" / "2022-06" / "keskusvirasto.md"
    text.write_text(text.read_text(encoding="utf-8").replace("välitöntä", "mitään välitöntä"), "utf-8")
    second = build_report(Period(2022, 6), data, output).resolve()
    assert second != first and not (first / "logs").exists()
    assert sorted(p.stem for p in (second / "logs").iterdir()) == ["keskusvirasto"]
    assert "mitään välitöntä" in (second / "review.html").read_text(encoding="utf-8")
    assert up_to_date(output / "2022-06", fingerprint("2022-06", data, paths.PARAMS))
    assert build_report(Period(2022, 6), data, output).resolve() == second


def test_a_review_up_to_date_is_found_so_before_anything_heavy_loads(tmp_path):
    """With nothing changed, `make report` reads the plan and the inputs' fingerprint and stops there,
    without loading pandas or what builds a review."""
    code = (
        "import sys\n"
        "from katsaus.publish import atomic\n"
        "atomic.up_to_date = lambda folder, stamp: True\n"
        "from katsaus.cli import main\n"
        f"assert main(['report', '--period', '2022-06', '--output', {str(tmp_path)!r}]) == 0\n"
        "print(sorted(set(sys.modules) & {'pandas', 'papermill', 'great_expectations', 'weasyprint'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "up to date, nothing to build" in done.stdout
    assert done.stdout.splitlines()[-1] == "[]"


def test_a_section_not_in_the_cache_starts_before_the_cached_sections_are_fetched(tmp_path):
    """The section to run goes to a worker first, wherever it stands in the plan: fetching the others'
    entries (reading and checking every file) comes after."""
    events = []

    class Engine:
        def run(self, function, section, *args):
            events.append(("run", section.name))
            return Future()

    class Recording(Cache):
        def fetch(self, key, base, targets):
            events.append(("fetch", key))
            return super().fetch(key, base, targets)

    staging, cache = tmp_path / "staging", Recording(tmp_path / "cache")
    files = Staging(staging)
    sections = [Section(name, name, Path(f"{name}.ipynb")) for name in ("first", "second", "changed")]
    for section in sections[:2]:  # built before: in the cache
        for path in files.section(section.slug):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(section.name)
        cache.store(f"key-{section.name}", staging, files.section(section.slug))
    plan = SimpleNamespace(sections=sections)
    build = Build(Period.parse("2022-06"), tmp_path, tmp_path, staging, tmp_path / "failed", cache, Engine())

    build._start(plan, {s.name: f"key-{s.name}" for s in sections}, tqdm(disable=True))

    assert events[:2] == [("fetch", "key-changed"), ("run", "changed")]
    assert sorted(events[2:]) == [("fetch", "key-first"), ("fetch", "key-second")]

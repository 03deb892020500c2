"""Build a period's review: prepare the figures once, run the sections in parallel, convert, stitch,
and publish the result in one atomic step so `output/<period>/` never holds a half-built review."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError
from tqdm import tqdm

from katsaus import convert, paths, stitch
from katsaus.errors import KatsausError, ParameterError
from katsaus.inputs import Inputs, load_inputs
from katsaus.organisation import Organisation
from katsaus.period import Period
from katsaus.review import Review
from katsaus.sections import Plan, Section, load_plan

KERNEL = "katsaus"


class SectionFailed(KatsausError):
    """A section's notebook raised; its executed copy is kept for reading."""

    exit_status = 1


def check_period(inputs: Inputs, period: Period) -> None:
    """Refuse a period whose year has no ledger or no budget."""
    for name, table in (("ledger", inputs.ledger), ("budget", inputs.budget)):
        if not (table["year"] == period.year).any():
            raise ParameterError(f"no {name} data for {period.year} (PERIOD={period}); see docs/data.md")


def prepare(period: Period, data_dir: Path, folder: Path) -> tuple[Review, Plan]:
    """Load the data once, check the period, and write the figures every section reads."""
    inputs = load_inputs(data_dir)
    check_period(inputs, period)
    org = Organisation(inputs.organisation)
    plan = load_plan(period, org.names)
    review = Review.compute_from(inputs, period, org)
    review.save(folder, inputs.organisation)
    return review, plan


def build_report(period_text: str, data_dir: Path, output: Path, jobs: int | None = None) -> Path:
    """Build output/<period>/review.html and review.pdf; return the published folder."""
    period = Period.parse(period_text)
    with _lock(output, period):
        staging = _staging(output, period)
        try:
            review, plan = prepare(period, data_dir, staging / "prepared")
            bodies = run_sections(plan.sections, period, data_dir, staging, output, jobs)
            stitch.stitch(
                [stitch.Section(s.name, s.title, bodies[s.name]) for s in plan.sections],
                stitch.Cover(plan.organisation, period.title, period.month_name),
                staging,
            )
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return _publish(staging, output / str(period))


def build_section(period_text: str, name: str, data_dir: Path, output: Path) -> list[Path]:
    """Build one section alone into output/sections/<period>/ (notebook, HTML, PDF)."""
    period = Period.parse(period_text)
    output.mkdir(parents=True, exist_ok=True)
    folder = output / "sections" / str(period)
    with tempfile.TemporaryDirectory(dir=output, prefix=".section-") as tmp:
        staging = Path(tmp)
        _, plan = prepare(period, data_dir, staging / "prepared")
        section = plan.section(name)
        run_sections([section], period, data_dir, staging, output)
        folder.mkdir(parents=True, exist_ok=True)
        built = [staging / "notebooks" / f"{name}.ipynb"]
        built += sorted((staging / "sections").glob(f"{name}.*"))
        for path in built:
            os.replace(path, folder / path.name)
    return [folder / path.name for path in built]


def run_sections(sections, period, data_dir, staging, output, jobs=None) -> dict[str, str]:
    """Run every section on its own process; return each section's HTML body."""
    jobs = jobs or os.cpu_count() or 1
    context = multiprocessing.get_context("forkserver")
    bodies, started = {}, time.monotonic()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(run_section, s, str(period), data_dir, staging, output): s for s in sections}
        with tqdm(total=len(futures), desc="sections", unit="section") as bar:
            for future in as_completed(futures):
                bodies[futures[future].name] = future.result()
                bar.set_postfix_str(futures[future].name)
                bar.update()
    tqdm.write(f"{len(sections)} sections in {time.monotonic() - started:.1f} s")
    return bodies


def run_section(section: Section, period: str, data_dir: Path, staging: Path, output: Path) -> str:
    """Execute one notebook with papermill, then write its HTML and PDF section."""
    executed = staging / "notebooks" / f"{section.name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    _log_to(staging / "logs" / f"{section.name}.log")
    parameters = {
        "period": period,
        "data_dir": str(Path(data_dir).resolve()),
        "prepared": str((staging / "prepared").resolve()),
        **section.parameters,
    }
    try:
        papermill.execute_notebook(
            section.notebook,
            executed,
            parameters=parameters,
            kernel_name=KERNEL,
            cwd=str(paths.NOTEBOOKS),
            progress_bar=False,
        )
    except PapermillExecutionError as error:
        raise SectionFailed(_failure(section, executed, output / "failed" / period, error)) from None
    return _convert(executed, staging / "sections", section.title)


def _log_to(path: Path) -> None:
    """Send this worker's and its kernel's diagnostics to the section's log, not the terminal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as log:
        os.dup2(log.fileno(), 2)


def _convert(executed: Path, folder: Path, title: str) -> str:
    """Write the section's HTML page and PDF beside each other; return its body for stitching."""
    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata["title"] = title
    folder.mkdir(parents=True, exist_ok=True)
    stitch.write_atomic(folder / f"{executed.stem}.html", convert.section_html(notebook).encode("utf-8"))
    stitch.write_atomic(folder / f"{executed.stem}.pdf", convert.section_pdf(notebook))
    return convert.section_fragment(notebook)


def _failure(section: Section, executed: Path, folder: Path, error: PapermillExecutionError) -> str:
    """Keep the failed notebook beside the published reviews and say where it broke."""
    kept = folder / f"{section.name}.ipynb"
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, kept)
    return (
        f"section {section.name!r} failed in cell {error.exec_count} "
        f"({error.ename}: {error.evalue}); the executed notebook is kept in {kept}"
    )


@contextmanager
def _lock(output: Path, period: Period):
    """One build of a period at a time; a second one waits for the first."""
    output.mkdir(parents=True, exist_ok=True)
    with open(output / f".{period}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            tqdm.write(f"another build of {period} is running; waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _staging(output: Path, period: Period) -> Path:
    folder = output / ".builds" / f"{period}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    folder.mkdir(parents=True)
    return folder


def _publish(staging: Path, target: Path) -> Path:
    """Point output/<period> at the finished build with one atomic rename, then drop the old build."""
    link = target.with_name(f".{target.name}.new")
    link.unlink(missing_ok=True)
    link.symlink_to(staging.relative_to(target.parent))
    old = target.resolve() if target.is_symlink() else None
    os.replace(link, target)
    if old and old != staging.resolve():
        shutil.rmtree(old, ignore_errors=True)
    return target

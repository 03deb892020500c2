"""What a build's worker processes do: run a section (papermill executes its notebook, nbconvert writes
its HTML and PDF), and stitch the sections into the review.

A worker imports papermill before its first section (katsaus.build.workers.PRELOAD); nbconvert and
WeasyPrint load on a thread while its first notebook runs (`converters`). The functions below import
them where they use them, so that the building process, which calls them on its workers, loads none.
"""

from __future__ import annotations

import functools
import gc
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from katsaus import i18n, paths
from katsaus.errors import ParameterError, SectionFailed
from katsaus.paths import Staging
from katsaus.publish.cache import write_atomic

if TYPE_CHECKING:
    from papermill.exceptions import PapermillExecutionError

    from katsaus.period import Period
    from katsaus.plan import Section


# what the converters' warm-up converts: a small section, in the faces and with the parts a section has
WARM_UP = (
    "# Otsikko\n\nTeksti, **lihava** ja *kursiivi*.\n\n| Rivi | Euroa |\n| --- | ---: |\n| A | 1 000 |\n"
)


@functools.cache
def converters() -> threading.Thread:
    """A thread, started with this worker's first notebook (or as it comes up, katsaus.build.workers), that
    imports nbconvert and WeasyPrint and converts a small notebook (WARM_UP) as a section is converted, so
    the worker's first conversion finds them loaded and warm."""
    thread = threading.Thread(target=_warm_up, daemon=True)
    thread.start()
    return thread


def _warm_up() -> None:
    """Convert WARM_UP as a section is converted (_convert), then keep what that loaded out of the garbage
    collector's way, as katsaus.build.workers does with what a worker starts with."""
    import nbformat

    from katsaus.render import convert, pages

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(WARM_UP)])
    pages.numbered(convert.page_pdf(convert.section_html(notebook), numbered=None), "")
    convert.section_fragment(notebook)
    gc.freeze()


def run_section(section: Section, period: Period, data_dir: Path, staging: Path, failed: Path) -> None:
    """Execute one notebook with papermill, then write its section files."""
    from papermill.exceptions import PapermillExecutionError

    warm = converters()
    i18n.use(section.parameters["language"])  # of the section's words outside the notebook: its pages
    files = Staging(staging)
    executed, page, pdf, fragment, part = files.section(section.slug)
    for folder in (executed.parent, page.parent, fragment.parent):
        folder.mkdir(parents=True, exist_ok=True)
    _log_to(files.log(section.slug))
    parameters = {
        "period": str(period),  # papermill parameters are plain values
        "data_dir": str(Path(data_dir).resolve()),
        "prepared": str(files.prepared.resolve()),
        **section.parameters,
    }
    if "checks" in section.reads:  # the build's checks, to a section declared to read them
        parameters["checks"] = str(files.prepared.resolve() / paths.CHECKS)
    _refuse_undeclared(section, parameters)
    try:
        execute(section.notebook, executed, parameters, str(Path(staging).resolve()))
    except PapermillExecutionError as error:
        raise SectionFailed(_failure(section, executed, failed, error)) from None
    warm.join()
    _convert(section, executed, page, pdf, fragment, part)


def _refuse_undeclared(section: Section, parameters: dict) -> None:
    """Refuse a parameter the section's notebook does not declare: papermill would only log a warning, and
    the notebook would go on with its own default (a Finnish table in a Swedish review)."""
    import papermill

    declared = papermill.inspect_notebook(str(section.notebook))
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        raise ParameterError(
            f"section {section.name}: notebooks/{section.notebook.name} does not declare "
            f"{', '.join(unknown)} in its parameters cell (the cell tagged 'parameters'), and the build "
            "gives it that parameter"
        )


def execute(notebook: Path, executed: Path, parameters: dict, build: str) -> None:
    """Run a notebook with papermill in this worker's kernel of `build` (katsaus.build.kernels); a kernel
    whose notebook failed or was interrupted is shut down."""
    import papermill

    from katsaus.build import kernels

    try:
        papermill.execute_notebook(
            notebook,
            executed,
            parameters=parameters,
            kernel_name=kernels.KERNEL,
            cwd=str(paths.NOTEBOOKS),
            progress_bar=False,
            request_save_on_cell_execute=False,  # written once, when it has run (or failed)
            km=kernels.for_build(build),
        )
    except BaseException:
        kernels.shutdown()
        raise


def _convert(section: Section, executed: Path, page: Path, pdf: Path, fragment: Path, part: Path) -> None:
    """Write the executed notebook's section page, its PDF (numbered, and bare for the stitch) and the
    fragment the stitch puts in the review's HTML."""
    import nbformat

    from katsaus.render import convert, pages

    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata["title"] = section.title
    html = convert.section_html(notebook)
    write_atomic(page, html.encode("utf-8"))
    pages_only = convert.page_pdf(html, numbered=None)
    write_atomic(pdf, pages.numbered(pages_only, section.title))
    write_atomic(part, pages_only)
    write_atomic(fragment, convert.section_fragment(notebook).encode("utf-8"))


def stitch_review(staging: Path, sections: list[Section], cover: tuple[str, str, str], frames: Path):
    """Stitch the build's sections into its review.html and review.pdf; `frames` keeps the PDF's frames."""
    from katsaus.render import stitch

    parts = []
    for section in sections:
        *_, fragment, pdf = Staging(staging).section(section.slug)
        parts.append(
            stitch.Section(section.slug, section.title, fragment.read_text("utf-8"), pdf.read_bytes())
        )
    stitch.stitch(parts, stitch.Cover(*cover), staging, frames)


def _log_to(path: Path) -> None:
    """Send this worker's and its kernel's diagnostics to the section's log, not the terminal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as log:
        os.dup2(log.fileno(), 2)


def _failure(section: Section, executed: Path, folder: Path, error: PapermillExecutionError) -> str:
    """Keep the failed notebook beside the published reviews and say where it broke."""
    kept = folder / f"{section.slug}.ipynb"
    kept.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(kept, executed.read_bytes())  # replaces whatever is there, never writes through a link
    return (
        f"section {section.name!r} failed in cell {error.exec_count} "
        f"({error.ename}: {error.evalue}); the executed notebook is kept in {kept}"
    )

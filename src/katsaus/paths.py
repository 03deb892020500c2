"""Where things are: every folder of the project, derived from its root, and every path a build writes
(`Layout` of an output folder, `Staging` of one build)."""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
PARAMS = Path(os.environ.get("KATSAUS_PARAMS") or ROOT / "params").resolve()  # another review's plan
EXPECTATIONS = ROOT / "expectations"
LOCK = ROOT / "uv.lock"  # the environment's pinned versions
OUTPUT = ROOT / "output"
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
CHECKS = "validation.html"  # in a build's prepared folder: the data checks' appendix


@dataclass(frozen=True)
class Layout:
    """An output folder: the published reviews by period, and what builds keep beside them."""

    output: Path

    def review(self, period) -> Path:
        """The published review of `period` (a link to its build folder)."""
        return self.output / str(period)

    def failed(self, period) -> Path:
        """Where a failed build of `period` leaves its notebooks, logs and data checks."""
        return self.output / "failed" / str(period)

    def sections(self, period) -> Path:
        """Sections built alone (`katsaus section`)."""
        return self.output / "sections" / str(period)

    def checks(self, period) -> Path:
        """The report of `katsaus validate`."""
        return self.output / "checks" / str(period)

    @property
    def builds(self) -> Path:
        """The build folders, staged and published."""
        return self.output / ".builds"

    @property
    def cache(self) -> Path:
        return self.output / ".cache"

    @property
    def log(self) -> Path:
        """The diagnostics of a command that stopped on an unexpected error."""
        return self.output / "failed" / "katsaus.log"


@dataclass(frozen=True)
class Staging:
    """One build's folder: the figures prepared for its notebooks, each section's files and logs, the
    review's open data."""

    folder: Path

    @property
    def prepared(self) -> Path:
        return self.folder / "prepared"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def log(self, slug: str) -> Path:
        return self.folder / "logs" / f"{slug}.log"

    def section(self, slug: str) -> list[Path]:
        """The files a section leaves: executed notebook, HTML page, PDF, and for stitching its body and
        its pages without header and footer."""
        return [
            self.folder / "notebooks" / f"{slug}.ipynb",
            self.folder / "sections" / f"{slug}.html",
            self.folder / "sections" / f"{slug}.pdf",
            self.folder / "fragments" / f"{slug}.fragment.html",
            self.folder / "fragments" / f"{slug}.pdf",
        ]

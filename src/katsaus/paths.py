"""Where things are: every folder of the project, derived from its root."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
PARAMS = Path(os.environ.get("KATSAUS_PARAMS") or ROOT / "params").resolve()  # another review's plan
EXPECTATIONS = ROOT / "expectations"
OUTPUT = ROOT / "output"
PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"

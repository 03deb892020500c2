"""The notebooks as an analyst opens them, and what each shows once run with its defaults."""

from katsaus import paths

NOTEBOOKS = sorted(p.name for p in paths.NOTEBOOKS.glob("*.ipynb"))
SHOWS = {  # what each notebook's outputs hold (any HTML for a notebook not listed)
    "summary.ipynb": '<table class="figures"',
    "department.ipynb": '<table class="figures"',
    "strategy.ipynb": '<table class="strategy"',
    "appendix.ipynb": '<div class="validation"',
}

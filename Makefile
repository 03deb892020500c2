# katsaus: the periodic financial review, built from data with papermill and nbconvert.
# `make help` lists the targets. The environment is made from uv.lock on first use.

PERIOD ?= 2022-06
SECTION ?=
DATA ?= data
export PERIOD SECTION DATA

VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
READY := $(VENV)/.ready

.DEFAULT_GOAL := help
.PHONY: help report section lab test clean

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

## report: build output/$(PERIOD)/review.html and review.pdf (PERIOD=YYYY-MM, default 2022-06)
report: $(READY)
	$(PY) -m katsaus report --period "$$PERIOD" --data "$$DATA"

## section: build one section alone, e.g. make section SECTION=perusturvatoimiala
section: $(READY)
	$(PY) -m katsaus section --period "$$PERIOD" --name "$$SECTION" --data "$$DATA"

## lab: open the notebooks in JupyterLab on the project's kernel
lab: $(READY)
	$(VENV)/bin/jupyter lab notebooks/

## test: run the test suite
test: $(READY)
	$(PY) -m pytest

## clean: remove every built review
clean:
	rm -rf output

# The environment: the locked packages and the named Jupyter kernel the notebooks run on.
$(READY): pyproject.toml uv.lock
	command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv==0.13.8
	$(UV) sync --frozen
	$(PY) -m ipykernel install --sys-prefix --name katsaus --display-name "Python (katsaus)"
	touch $@

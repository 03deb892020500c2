# katsaus: the periodic financial review, built from data with papermill and nbconvert.
# `make help` lists the targets. The environment is made from uv.lock on first use.

PERIOD ?= 2022-06
SECTION ?=
DATA ?= data
OUTPUT ?= output
PARAMS ?= params
LANGUAGE ?=
BATCH ?= batch.yaml
SCHEDULER ?=
# The values reach the program as written, through the environment: make expands none of them, so
# PERIOD='$(shell ...)' is a bad period, not a command. (A variable set on the command line would be
# exported, and so expanded, by make itself: unexport stops that.)
unexport PERIOD SECTION DATA OUTPUT PARAMS LANGUAGE TIER BATCH SCHEDULER
export KATSAUS_LANGUAGE := $(value LANGUAGE)
export KATSAUS_TIER := $(value TIER)
export KATSAUS_PERIOD := $(value PERIOD)
export KATSAUS_SECTION := $(value SECTION)
export KATSAUS_DATA := $(value DATA)
export KATSAUS_OUTPUT := $(value OUTPUT)
export KATSAUS_BATCH := $(value BATCH)
export KATSAUS_SCHEDULER := $(value SCHEDULER)
export KATSAUS_PARAMS := $(if $(filter /%,$(value PARAMS)),,$(CURDIR)/)$(value PARAMS)

VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
READY := $(VENV)/.ready
AXE := node_modules/.package-lock.json

.DEFAULT_GOAL := help
.PHONY: help report section watch validate batch lab test lint pair bench messages clean

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

## report: build output/$(PERIOD)/review.html and review.pdf (PERIOD=YYYY-MM, default 2022-06; LANGUAGE=sv or fi,sv)
report: $(READY)
	$(PY) -m katsaus report --period "$$KATSAUS_PERIOD" --data "$$KATSAUS_DATA" --output "$$KATSAUS_OUTPUT" \
		--language "$$KATSAUS_LANGUAGE"

## section: build one section alone, e.g. make section SECTION=perusturvatoimiala
section: $(READY)
	$(PY) -m katsaus section --period "$$KATSAUS_PERIOD" --name "$$KATSAUS_SECTION" \
		--data "$$KATSAUS_DATA" --output "$$KATSAUS_OUTPUT" --language "$$KATSAUS_LANGUAGE"

## watch: make report, then again whenever the data, plan, notebooks or checks change (Ctrl-C stops)
watch: $(READY)
	$(PY) -m katsaus watch --period "$$KATSAUS_PERIOD" --data "$$KATSAUS_DATA" --output "$$KATSAUS_OUTPUT" \
		--language "$$KATSAUS_LANGUAGE"

## validate: check the period's input data; report in output/checks/$(PERIOD)/validation/index.html
validate: $(READY)
	$(PY) -m katsaus validate --period "$$KATSAUS_PERIOD" --data "$$KATSAUS_DATA" --output "$$KATSAUS_OUTPUT"

## batch: build every review BATCH lists, on a local Dask cluster or at SCHEDULER=ADDRESS (docs/batch.md)
batch: $(READY)
	$(PY) -m katsaus batch "$$KATSAUS_BATCH" --scheduler "$$KATSAUS_SCHEDULER"

## lab: open the notebooks in JupyterLab on the project's kernel
# Jupyter refuses to run as root unless told to; containers often run as root, so it is told to there only.
lab: $(READY)
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

## test: run the test suite (TIER=unit, notebook or e2e runs one tier)
test: $(READY) $(AXE)
	$(PY) -m pytest $${KATSAUS_TIER:+-m "$$KATSAUS_TIER"}

## lint: check the code's style and format (ruff), as CI does
lint: $(READY)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## pair: bring each notebook's py:percent script (notebooks/*.py) in step with it, as JupyterLab does on save
pair: $(READY)
	$(VENV)/bin/jupytext --sync notebooks/*.ipynb

## bench: time the plain serial build against ours, and the large synthetic city (not part of test)
bench: $(READY)
	$(PY) bench/build.py
	$(PY) bench/scale.py

## messages: extract the review's words into the message catalogues (src/katsaus/locale/*/LC_MESSAGES)
messages: $(READY)
	mkdir -p build
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output --add-comments TRANSLATORS: \
		--project katsaus --copyright-holder katsaus -o build/katsaus.pot .
	$(VENV)/bin/pybabel update -i build/katsaus.pot -d src/katsaus/locale -D katsaus --ignore-obsolete --no-wrap

## clean: remove every built review
clean:
	rm -rf output

# The environment: the locked packages and the named Jupyter kernel the notebooks run on. The packages are
# byte-compiled once here: every build starts many Python processes (workers, kernels), and where
# PYTHONDONTWRITEBYTECODE is set each of them would otherwise compile its imports from source again.
$(READY): pyproject.toml uv.lock
	command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv==0.13.8
	$(UV) sync --frozen --compile-bytecode
	$(PY) -m ipykernel install --sys-prefix --name katsaus --display-name "Python (katsaus)"
	touch $@

# axe-core, which the accessibility tests run in Chromium, as package-lock.json pins it.
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent

# katsaus: the periodic financial review, built from data with papermill and nbconvert.
# `make help` lists the targets. The environment is made from uv.lock on first use.

PERIOD ?= 2022-06
SECTION ?=
DATA ?= data
OUTPUT ?= output
PARAMS ?= params
LANGUAGE ?=
export PERIOD SECTION DATA OUTPUT LANGUAGE
BATCH ?= batch.yaml
SCHEDULER ?=
export BATCH SCHEDULER
export KATSAUS_PARAMS = $(abspath $(PARAMS))

VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
READY := $(VENV)/.ready

.DEFAULT_GOAL := help
.PHONY: help report section validate batch lab test bench messages clean

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

## report: build output/$(PERIOD)/review.html and review.pdf (PERIOD=YYYY-MM, default 2022-06; LANGUAGE=sv or fi,sv)
report: $(READY)
	$(PY) -m katsaus report --period "$$PERIOD" --data "$$DATA" --output "$$OUTPUT" --language "$$LANGUAGE"

## section: build one section alone, e.g. make section SECTION=perusturvatoimiala
section: $(READY)
	$(PY) -m katsaus section --period "$$PERIOD" --name "$$SECTION" --data "$$DATA" --output "$$OUTPUT" \
		--language "$$LANGUAGE"

## validate: check the period's input data; report in output/checks/$(PERIOD)/validation/index.html
validate: $(READY)
	$(PY) -m katsaus validate --period "$$PERIOD" --data "$$DATA" --output "$$OUTPUT"

## batch: build every review BATCH lists, on a local Dask cluster or at SCHEDULER=ADDRESS (docs/batch.md)
batch: $(READY)
	$(PY) -m katsaus batch "$$BATCH" --scheduler "$$SCHEDULER"

## lab: open the notebooks in JupyterLab on the project's kernel
# Jupyter refuses to run as root unless told to; containers often run as root, so it is told to there only.
lab: $(READY)
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

## test: run the test suite
test: $(READY)
	$(PY) -m pytest

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

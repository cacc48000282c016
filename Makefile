# Deep Learning for Text and Sequences: set-up, run and test.
# Every target creates .venv from requirements.lock on first use.
PYTHON  ?= python3
PROFILE ?= smoke
ONLY    ?=
OUT     ?= build
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed

.PHONY: help setup run test unit nbval refresh lab lock clean

help:
	@echo "make run      execute every notebook headlessly (PROFILE=smoke|full, ONLY='01 03') -> $(OUT)/site/index.html"
	@echo "make test     unit tests + nbval regression run of every notebook (smoke profile)"
	@echo "make lab      start JupyterLab on notebooks/"
	@echo "make refresh  re-execute every notebook in one clean run and store its smoke outputs"
	@echo "make lock     regenerate requirements.lock from pyproject.toml (needs uv)"

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=23"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	COURSE_PROFILE=$(PROFILE) $(PY) -m course_utils run --profile $(PROFILE) --out $(OUT) $(if $(ONLY),--only $(ONLY))

unit: $(STAMP)
	COURSE_PROFILE=smoke $(PY) -m pytest tests

NBVAL_TARGETS = $(if $(ONLY),$(foreach n,$(ONLY),$(wildcard notebooks/$(n)_*.ipynb)),notebooks)

nbval: $(STAMP)
	COURSE_PROFILE=smoke $(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider $(NBVAL_TARGETS)

test: unit nbval

refresh: $(STAMP)
	COURSE_PROFILE=smoke $(PY) -m course_utils refresh $(if $(ONLY),--only $(ONLY))

lab: $(STAMP)
	$(PY) -m jupyter lab notebooks

lock:
	uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 -o requirements.lock

clean:
	rm -rf $(OUT) .pytest_cache

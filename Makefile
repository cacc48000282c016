# Deep Learning for Text and Sequences: set-up, run and test.
# Every target creates .venv from requirements.lock on first use.
PYTHON  ?= python3
PROFILE ?= smoke
ONLY    ?=
OUT     ?= build
SPLIT   ?=
SAVE    ?=
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed

.PHONY: help setup run solutions test unit nbval nbval-portable refresh lab lock clean

help:
	@echo "make run      execute every notebook headlessly (PROFILE=smoke|full, ONLY='01 03') -> $(OUT)/site/index.html"
	@echo "              full runs: SPLIT='data used' SAVE=1 adds them to course_utils/course/full_results/"
	@echo "make solutions  execute the instructors' worked solutions -> $(OUT)/solutions/site/index.html"
	@echo "make test     unit tests + nbval regression run of every notebook (smoke profile)"
	@echo "              + a second nbval pass of the numeric notebooks with oneDNN off and 1 thread"
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
	COURSE_PROFILE=$(PROFILE) $(PY) -m course_utils run --profile $(PROFILE) --out $(OUT) $(if $(ONLY),--only $(ONLY),--skip-solutions) \
		$(if $(SPLIT),--split "$(SPLIT)") $(if $(SAVE),--save-results)

# the instructors' worked solutions (solutions/), with their own report in $(OUT)/solutions
solutions: $(STAMP)
	COURSE_PROFILE=$(PROFILE) $(PY) -m course_utils run --profile $(PROFILE) --out $(OUT)/solutions --only $(if $(ONLY),$(foreach n,$(ONLY),$(n)_solutions),solutions)

unit: $(STAMP)
	COURSE_PROFILE=smoke $(PY) -m pytest tests

NBVAL_TARGETS = $(if $(ONLY),$(foreach n,$(ONLY),$(wildcard notebooks/$(n)_*.ipynb solutions/$(n)_*_solutions.ipynb)),notebooks $(wildcard solutions))

NBVAL = $(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

nbval: $(STAMP)
	COURSE_PROFILE=smoke $(NBVAL) $(NBVAL_TARGETS)

# Stored outputs must match on any CPU, not just the one that stored them. A second pass of
# the notebooks that compare NumPy with Keras, with TensorFlow's float32 kernels changed
# (oneDNN off, one thread), catches a printed value whose digits depend on the kernels.
PORTABLE ?= 01 04 05
nbval-portable: $(STAMP)
	COURSE_PROFILE=smoke TF_ENABLE_ONEDNN_OPTS=0 TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 OMP_NUM_THREADS=1 \
		$(NBVAL) $(foreach n,$(PORTABLE),$(wildcard notebooks/$(n)_*.ipynb))

test: unit nbval nbval-portable

refresh: $(STAMP)
	COURSE_PROFILE=smoke $(PY) -m course_utils refresh $(if $(ONLY),--only $(ONLY) $(foreach n,$(ONLY),$(if $(wildcard solutions/$(n)_*_solutions.ipynb),$(n)_solutions)))

lab: $(STAMP)
	$(PY) -m jupyter lab notebooks

lock:
	uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 -o requirements.lock

clean:
	rm -rf $(OUT) .pytest_cache

# Two commands for a fresh clone: `make handouts` (the main job) and `make test`.
# Each creates .venv and installs the kit on first use, and again when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# JupyterLab reads settings overrides from here (one file per package in overrides.d): the kit's
# turn off the "official Jupyter news?" prompt, update checks and the extension manager (README: lab)
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.d/eusec-kit.json
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# The clone is the teacher's and the tests' environment: the core plus every extra of pyproject.toml
# (build: handouts; grade: release and grading; check: check-data; lab: JupyterLab; test). A student
# environment is the core alone: pip install eusec-kit (README: pip and Colab).
EXTRAS := build,grade,check,lab,test

.PHONY: handouts teacher lab test check release bench check-data clean

$(STAMP): pyproject.toml setup.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	@# rfc3987-syntax costs ~1 s at every import of Altair or nbformat and nothing here uses it (README: Handouts)
	$(PY) -m pip uninstall --quiet --yes rfc3987-syntax
	@touch $(STAMP)

handouts: $(STAMP)
	$(PY) -m kit build

# The teacher's edition: site-teacher/ (teacher's pages, and the student site under student/), never inside site/
teacher: $(STAMP)
	$(PY) -m kit build --teacher

$(LAB_OVERRIDES): lab/settings/overrides.d/eusec-kit.json $(STAMP)
	install -D -m 644 $< $@

lab: $(STAMP) $(LAB_OVERRIDES)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

test: $(STAMP)
	$(PY) -m pytest

# The edit-test loop: lint and every test that starts no kernel, browser or JupyterLab, on both cores (under a minute).
check: $(STAMP)
	$(VENV)/bin/ruff check kit tests
	$(PY) -m pytest -q -n 2 -m "not kernel and not browser and not lab"

release: $(STAMP)
	$(PY) -m kit release

bench: $(STAMP)
	$(PY) -m kit bench

check-data: $(STAMP)
	$(PY) -m kit check-data

clean:
	rm -rf site site-teacher build .pytest_cache

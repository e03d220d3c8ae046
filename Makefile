# The README's two commands: `make demo` and `make test`. Both create .venv on first use.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint check eval bench train clean

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (Python 3.11) on PATH" >&2; exit 1; }
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/parley demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench corpus/tools

# the static checks CI runs before the tests: ruff (lint) and mypy (types, on src/)
check: lint
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/parley eval ../shared/data/plover_gsr_cameo.json

# the learned coder's models (src/parley/data/models) from corpus/: scikit-learn is
# needed here only, from its own lock (a superset of requirements.lock)
$(VENV)/.train-installed: requirements-train.lock $(STAMP)
	$(BIN)/pip install -q --require-hashes -r requirements-train.lock
	touch $@

train: $(VENV)/.train-installed
	$(BIN)/python -m parley.learn.train

bench: $(STAMP)
	$(BIN)/python bench/throughput.py --workers 1

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info

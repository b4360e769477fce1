# The two commands of the README: `make demo` (the main job) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean openrefine chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,cjk,service-test,ui-test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/chipscreen demo

# OpenRefine, the real reconciliation client of tests/service/test_openrefine.py, from Debian's packages
# (needs root, as CI has); without it that test fails loudly.
openrefine:
	@command -v openrefine >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends openrefine >/dev/null; }

# Chromium, the real browser of tests/ui (driven by Playwright, never `playwright install`), from Debian's packages
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

test: $(STAMP) openrefine chromium
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info

# wrk, the load generator of benchmarks/bench_service.py, from Debian's packages (needs root); not part of `make test`
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

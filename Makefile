# The two commands of the README: `make demo` (the main job) and `make test` (the whole suite).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean openrefine chromium java native

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,cjk,service-test,ui-test,spark]'
	touch $(STAMP)

# The names engine's hot-path modules compiled with mypyc (src/chipscreen/names/native.py); rebuilt when a
# source of the package changes (an older build is never used: the package then runs as plain Python).
NATIVE := src/chipscreen/names/_compiled/stamp.json
$(NATIVE): $(STAMP) $(wildcard src/chipscreen/names/*.py)
	$(BIN)/python -c 'from chipscreen.names import native; native.build()' >/dev/null

native: $(NATIVE)

demo: $(STAMP) $(NATIVE)
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

# Java for the Spark tests (tests/spark/, the `spark` extra): stop here with a clear message when it is missing.
java:
	@java -version >/dev/null 2>&1 || { echo "make test: Java 17 or later is needed for the Spark tests" \
	  "(tests/spark/); install it (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME" >&2; exit 1; }

test: java $(STAMP) $(NATIVE) openrefine chromium
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info src/chipscreen/names/_compiled

# wrk, the load generator of benchmarks/bench_service.py, from Debian's packages (needs root); not part of `make test`
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

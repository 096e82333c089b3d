# The two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

AXE     = .cache/npm/node_modules/axe-core/axe.min.js
AXE_VERSION = 4.14.1

.PHONY: demo test lint bench capacity screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)  ## set up, crawl the built-in sample council, index it and serve search
	$(BIN)/searchsvc demo

# axe-core (accessibility checks in the browser tests) from the npm registry, pinned.
$(AXE):
	@command -v npm >/dev/null 2>&1 \
	  && npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@$(AXE_VERSION) \
	  || echo "npm not found: the accessibility checks will be skipped"

test: $(STAMP) $(AXE)  ## set up and run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff over the whole tree (rules in pyproject.toml)
	$(BIN)/ruff check .

# The bench extra (Datasette) on top of the dev install; BENCH_SIZE=small|default|large.
BENCH_STAMP = $(VENV)/.bench-installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	rm -f $(VENV)/.bench-installed-*
	touch $@

bench: $(BENCH_STAMP)  ## benchmarks against Datasette: prints figures, writes bench/results.json
	$(BIN)/python bench/run.py

capacity: $(STAMP)  ## the capacity curve at three archive sizes: bench/README.md "Capacity", bench/capacity.svg
	$(BIN)/python bench/capacity.py

screenshots: $(STAMP)  ## PNGs of the main pages at desktop and phone widths, into screenshots/
	$(BIN)/python tests/browser/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

# The README's commands. `make site` and `make test` work on a fresh machine
# with Python 3.11 and npm: they create .venv/ and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site offline test test-fast check-corpus lint serve generate deps golden clean bench lighthouse

site: deps ## generate pages from corpus/ and build site/ (strict)
	$(BIN)/readinglist build

offline: deps ## build site/ for use from disk (file://), search included
	$(BIN)/readinglist build --offline

serve: deps ## live preview on http://127.0.0.1:8000
	$(BIN)/readinglist serve

generate: deps
	$(BIN)/readinglist generate

# The tests read tests/fixtures/ only, never corpus/: adding a listing cannot break them.
test: deps ## lint and the whole test suite, browser tests included
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest

test-fast: deps ## lint and every test but the browser ones (what pull requests run)
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest -m "not browser"

check-corpus: deps ## the owner's check of corpus/: tag limits, and precision and recall against blind labels
	$(BIN)/readinglist tags --check --gold tests/fixtures/tag_eval

lint: deps
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests

# Sizes and runs can be shortened: make bench BENCH_ARGS="--sizes 1000,10000 --runs 1"
BENCH_ARGS ?= --sizes 1000,10000,50000 --runs 3 --build-max 10000 --cold-only-above 10000
bench: deps ## benchmark the pipeline on synthetic corpora; writes bench/README.md
	$(BIN)/python bench/run.py $(BENCH_ARGS)

golden: deps ## regenerate tests/golden/ from tests/fixtures/ (review the diff!)
	$(BIN)/python -m tests.update_golden

deps: $(STAMP) node_modules/.package-lock.json

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# --omit=dev: Lighthouse (a devDependency) is for bench/lighthouse.py only; `make lighthouse` adds it.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error

lighthouse: deps ## Lighthouse (mobile preset, 3 runs) on the embedded corpus's site, served gzipped
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python bench/lighthouse.py --runs 3

clean:
	rm -rf site artifacts docs/papers docs/tags docs/index.md docs/papers.json docs/papers.bib docs/papers.csv docs/feed.xml docs/reading docs/.readinglist-manifest.json docs/.readinglist-search.json

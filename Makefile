# Book production toolchain: set-up, build, test, bench.
#
#   make            set up .venv (+ Debian libraries) and build dist/<slug>.epub and .pdf
#   make test       set up + test tools (Chromium, poppler, Java, DAISY Ace), run pytest
#   make fuzz       the property tests (tests/test_fuzz*.py) with many new random examples
#   make bench      set up + pandoc (pypandoc_binary), run bench/bench.py and bench/printview.py
#   make clean      remove dist/ and build artefacts (keeps .venv and node_modules)
#   make distclean  clean + remove .venv and node_modules
#
# Works on a fresh Debian 12 machine with python3, node/npm and apt: everything
# else is installed here, and only when missing (no `apt-get update` when
# nothing is missing; pip and npm rerun only when pyproject.toml or
# package-lock.json change).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
BOOK := $(VENV)/bin/book
BOOK_BUILD_ARGS ?=
PYTEST_ARGS ?=
# The tests run in one process per core (pytest-xdist), a test file's tests in one process so
# that its module fixtures (a book built once) are built once: serial, the suite took 13 of the
# 15 minutes it may take on two cores.
PYTEST_JOBS ?= -n auto --dist loadfile

# Stamps live inside the directories they describe, so removing .venv or
# node_modules also forgets that they were set up.
PIP_TEST_STAMP := $(VENV)/.stamp-pip-test
PIP_BENCH_STAMP := $(VENV)/.stamp-pip-bench
NPM_STAMP := node_modules/.stamp-npm-ci

# Debian packages. WeasyPrint loads Pango through cffi, and libharfbuzz-subset0
# makes its font subsetting fast.
DEB_BUILD := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# chromium for DAISY Ace, poppler-utils (pdftotext, pdffonts, ...) for PDF
# checks, a Java runtime for EPUBCheck.
DEB_TEST := chromium poppler-utils openjdk-17-jre-headless

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PUPPETEER_SKIP_DOWNLOAD := true

# $(call apt_ensure,PACKAGES): install those of PACKAGES that are not installed,
# running `apt-get update` once first; do nothing at all when none is missing.
define apt_ensure
missing=(); \
for p in $(1); do \
  dpkg -s "$$p" 2>/dev/null | grep -qx 'Status: install ok installed' || missing+=("$$p"); \
done; \
if (( $${#missing[@]} )); then \
  echo "make: installing missing Debian packages: $${missing[*]}"; \
  $(SUDO) apt-get update; \
  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$${missing[@]}"; \
fi
endef

.PHONY: all build setup test-setup bench-setup deb-build deb-test test fuzz bench clean distclean

all: build

setup: deb-build $(PIP_TEST_STAMP)

build: setup
	$(BOOK) build $(BOOK_BUILD_ARGS)

# ---------------------------------------------------------------- Debian
deb-build:
	@$(call apt_ensure,$(DEB_BUILD))

# One check (and at most one `apt-get update`) for everything `make test` needs.
deb-test:
	@$(call apt_ensure,$(DEB_BUILD) $(DEB_TEST))

# ---------------------------------------------------------------- Python
$(VENV_PY):
	$(PYTHON) -m venv $(VENV)

$(PIP_TEST_STAMP): pyproject.toml | $(VENV_PY)
	$(VENV_PY) -m pip install -e '.[test]'
	touch $@

$(PIP_BENCH_STAMP): pyproject.toml $(PIP_TEST_STAMP)
	$(VENV_PY) -m pip install -e '.[bench]'
	touch $@

# ---------------------------------------------------------------- Node (DAISY Ace)
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: npm (Node.js >= 20) is required for DAISY Ace" >&2; exit 1; }
	PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund
	touch $@

# ---------------------------------------------------------------- test / bench
test-setup: deb-test $(PIP_TEST_STAMP) $(NPM_STAMP)

test: test-setup
	$(VENV_PY) -m pytest $(PYTEST_JOBS) $(PYTEST_ARGS)

# The property tests with many new random examples (tests/conftest.py's "fuzz" profile);
# make test runs the same few every time.
fuzz: test-setup
	HYPOTHESIS_PROFILE=fuzz $(VENV_PY) -m pytest $(PYTEST_JOBS) $(PYTEST_ARGS) $(wildcard tests/test_fuzz*.py)

bench-setup: deb-build $(PIP_BENCH_STAMP)

bench: bench-setup
	$(VENV_PY) bench/bench.py
	$(VENV_PY) bench/printview.py

# ---------------------------------------------------------------- cleaning
clean:
	rm -rf dist build bench/out .pytest_cache .mypy_cache .ruff_cache *.egg-info
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o \
	  -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules

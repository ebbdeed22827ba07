# Two commands: `make build` (site and every PDF into site/) and `make test` (the whole suite).
# Both set everything up themselves on a fresh Debian machine with Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: build test validate serve lint clean system-deps-build system-deps-test

$(INSTALLED): pyproject.toml
	bash scripts/install-system-deps.sh build
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

system-deps-build:
	bash scripts/install-system-deps.sh build

system-deps-test:
	bash scripts/install-system-deps.sh test

build: $(INSTALLED) system-deps-build
	$(BIN)/tiptoolkit build

test: $(INSTALLED) system-deps-test
	$(BIN)/python -m pytest

validate: $(INSTALLED)
	$(BIN)/tiptoolkit validate

serve: $(INSTALLED)
	$(BIN)/mkdocs serve

lint: $(INSTALLED)
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

clean:
	rm -rf site .site-* .cache

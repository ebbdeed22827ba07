# Two commands: `make build` (site and every PDF into site/) and `make test` (the whole suite).
# Both set everything up themselves on a fresh Debian machine with Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: build test validate serve lint clean planted-bugs mutation system-deps-build system-deps-test

$(INSTALLED): pyproject.toml
	bash scripts/install-system-deps.sh build
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# Byte-compile our package as pip does for installed ones (an editable install is not): every command
	# imports it, and where the environment sets PYTHONDONTWRITEBYTECODE it would be compiled on each run.
	$(BIN)/python -m compileall -q scripts/tiptoolkit
	touch $@

system-deps-build:
	bash scripts/install-system-deps.sh build

system-deps-test:
	bash scripts/install-system-deps.sh test

build: $(INSTALLED) system-deps-build
	$(BIN)/tiptoolkit build

# axe-core and the Nu Html Checker for the tests, at the versions package-lock.json pins (node_modules/ is not committed).
NODE_INSTALLED := node_modules/.installed
$(NODE_INSTALLED): package.json package-lock.json | system-deps-test
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

test: $(INSTALLED) system-deps-test $(NODE_INSTALLED)
	$(BIN)/python -m pytest

# A test of the tests: known bugs planted one at a time in a copy of the project, each must fail a named test.
planted-bugs: $(INSTALLED)
	$(BIN)/python scripts/planted_bugs.py

# Mutation testing of the modules whose bugs cost most (hours on two cores): scores and survivors in
# .mutation/report.md. Too slow for every pull request: it runs on demand and every week (.github/workflows/mutation.yml).
mutation: $(INSTALLED)
	$(BIN)/python scripts/mutation.py

validate: $(INSTALLED)
	$(BIN)/tiptoolkit validate

serve: $(INSTALLED)
	$(BIN)/tiptoolkit serve

lint: $(INSTALLED)
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

clean:
	rm -rf site .site-* .cache .mutation node_modules

# `make` lists the commands. `make dev` runs the product; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider
# Two pytest-xdist workers, handed the tests one or two at a time in pytest-django's order
# (the tests that flush the database after those that do not): with xdist's default
# chunks, one worker sat idle for about ten minutes while the other ran the last
# end-to-end tests of its chunk, and "worksteal" breaks that order (a stolen test that
# needs the migrations' rows ran after a flush). The live tests (browser, LiveKit, the
# cluster) run on both: one after another they take about 20 minutes here, and each
# waits on conditions, not on a quiet machine.
PARALLEL := -n 2 --dist load --maxschedchunk 1
RUFF := $(VENV)/bin/ruff
MYPY := $(VENV)/bin/mypy

# Settings refuse to start without an explicit DEBUG; these commands are for a development
# machine. Production sets DEBUG=False in its own environment.
export DEBUG ?= True

.DEFAULT_GOAL := help
.PHONY: help dev test check lint migrate system venv npm livekit test-sqlite test-postgres

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

system: ## Install the Debian packages (as root), or say which are missing
	@bash scripts/system-packages.sh

# Installed modules are byte-compiled here (a third of the install's time), not left to
# first use: LiveKit starts each interview's process with `python -B`, which would then
# compile every module it imports again, for every interview.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed ## Create the virtualenv and install the Python packages

EDITOR_BUNDLE := build/editor/editor.js
npm: node_modules/.package-lock.json $(EDITOR_BUNDLE) ## Install the browser packages (livekit-client, Pyodide, axe-core) and bundle the code editor

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The candidate's code editor (CodeMirror) as one ES module, served as
# static/vendor/editor/editor.js; git-ignored, so a fresh clone builds it here.
$(EDITOR_BUNDLE): $(wildcard assets/editor/*.mjs) node_modules/.package-lock.json package-lock.json
	node_modules/.bin/esbuild assets/editor/editor.mjs --bundle --format=esm --minify \
		--target=es2020 --log-level=warning --outfile=$@

livekit: venv ## Find livekit-server, or build it with Go into .tools/bin
	$(PY) -m devtools

migrate: venv ## Apply migrations (loads the default question bank on a fresh database)
	$(PY) manage.py migrate --noinput

dev: system venv npm livekit migrate ## Run the whole product on this machine
	$(PY) -m devtools.dev

lint: venv ## ruff, django-upgrade, mypy (the whole product) and the migrations check
	$(VENV)/bin/django-upgrade --target-version 5.2 \
		$$(git ls-files '*.py' ':!:interviews/migrations/*')
	$(RUFF) check .
	$(RUFF) format --check .
	$(MYPY)
	$(PY) manage.py makemigrations --check --dry-run

check: lint ## lint, then the tests that need no browser, LiveKit or PostgreSQL (a few minutes)
	$(PYTEST) $(PARALLEL) -m 'not evals and not scaleout and not browser and not e2e'

test-sqlite: venv
	$(PYTEST) $(PARALLEL) --durations=15

# The browser, end-to-end and AI-protocol suites run once, in the SQLite pass; the
# PostgreSQL pass runs the tests that reach the database, and the scale-out test.
test-postgres: venv
	bash scripts/with-postgres.sh $(PYTEST) $(PARALLEL) --durations=10 \
		-m '(database and not evals and not browser and not e2e and not provider_protocol) or scaleout'

test: system venv ## Set up and run every test (SQLite and PostgreSQL)
	@# The browser packages, livekit-server and lint are independent: side by side.
	$(MAKE) --no-print-directory --output-sync=target -j3 npm livekit lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

.PHONY: intent-model
intent-model: venv ## Train the structured interviewer's intent model again after its examples change
	OPENBLAS_NUM_THREADS=1 $(PY) -m agent_worker.understanding.train_intents

.PHONY: bench
bench: venv npm livekit ## Measure turn cost, interviews per machine, join time, token endpoint, admin (about 25 min)
	$(PY) -m bench.run

# Gaung: `make run` starts the embedded app at http://localhost:8000 (this machine only;
# `HOST=0.0.0.0 make run` opens it to the network); `make test` runs every test.
# Both install what they need (a virtualenv under .venv, npm packages, the built web app, and
# the Debian packages the tests use) and are quick on a second run.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := .make
# Where `make run` listens: this machine only unless told otherwise (HOST=0.0.0.0 make run).
HOST ?= 127.0.0.1
PORT ?= 8000
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/scripts/compress.mjs
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help run test test-backend test-backend-postgresql test-backend-sqlite lint \
	test-frontend e2e api-types bench install clean

help:
	@echo "make run    start the embedded app at http://localhost:8000 (demo data, SQLite)"
	@echo "            on this machine only; HOST=0.0.0.0 make run listens on the network"
	@echo "make test   run every test: backend on PostgreSQL and SQLite, lint, types, web app, browser"
	@echo "make bench  run the benchmarks and print their figures"
	@echo "make api-types  regenerate the web app's API types from the backend"

$(STAMP):
	@mkdir -p $(STAMP)

# --- installs ----------------------------------------------------------------------------------

$(STAMP)/venv: backend/pyproject.toml | $(STAMP)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e 'backend[dev]'
	@touch $@

$(STAMP)/npm: frontend/package.json frontend/package-lock.json | $(STAMP)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/index.html: $(STAMP)/npm $(FRONTEND_SOURCES)
	cd frontend && npm run --silent build

# Debian packages used by the tests: the PostgreSQL server binaries and Chromium.
$(STAMP)/apt-updated: | $(STAMP)
	$(SUDO) apt-get update -qq
	@touch $@

$(STAMP)/postgres: | $(STAMP)
	@if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "PostgreSQL server binaries found"; \
	else \
		$(MAKE) --no-print-directory $(STAMP)/apt-updated; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; \
	fi
	@touch $@

$(STAMP)/chromium: | $(STAMP)
	@if [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then echo "Chromium found"; else \
		$(MAKE) --no-print-directory $(STAMP)/apt-updated; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	fi
	@touch $@

install: $(STAMP)/venv frontend/dist/index.html

# --- the two commands --------------------------------------------------------------------------

run: $(STAMP)/venv frontend/dist/index.html
	$(BIN)/gaung run --host $(HOST) --port $(PORT)

test: test-backend lint test-frontend e2e
	@echo "make test: all checks passed"

# --- the parts of `make test` -------------------------------------------------------------------

test-backend: test-backend-postgresql test-backend-sqlite

test-backend-postgresql: $(STAMP)/venv $(STAMP)/postgres
	cd backend && GAUNG_TEST_DB=postgresql ../$(BIN)/pytest -q

test-backend-sqlite: $(STAMP)/venv
	cd backend && GAUNG_TEST_DB=sqlite ../$(BIN)/pytest -q

lint: $(STAMP)/venv $(STAMP)/npm
	cd backend && ../$(BIN)/ruff check . && ../$(BIN)/ruff format --check . && ../$(BIN)/mypy
	cd frontend && npm run --silent lint

test-frontend: $(STAMP)/npm
	cd frontend && npm run --silent api:check && npm run --silent typecheck && npm test --silent

e2e: $(STAMP)/venv $(STAMP)/chromium frontend/dist/index.html
	cd frontend && npm run --silent e2e

api-types: $(STAMP)/venv $(STAMP)/npm
	$(BIN)/gaung openapi > frontend/src/api/openapi.json
	cd frontend && npm run --silent api:gen

bench: $(STAMP)/venv $(STAMP)/npm $(STAMP)/postgres $(STAMP)/chromium
	cd backend && for b in bench/*.py; do echo "== $$b"; ../$(BIN)/python $$b; done
	cd frontend && npm run --silent build && node scripts/bundle-size.mjs
	cd frontend && node scripts/bench-calendar.mjs

clean:
	rm -rf $(STAMP) $(VENV) frontend/node_modules frontend/dist

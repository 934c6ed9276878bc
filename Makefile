# Two commands for a fresh clone: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_DEBUG ?= 1

.PHONY: run test lint bench breakdown loadtest model migrate install browser wrk

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

# Build the classifier when it is missing or older than the content it is trained from.
model: install
	$(PY) manage.py train --if-stale

run: migrate model
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium).
browser:
	@sh scripts/install-chromium.sh

test: migrate model browser
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# wrk drives the HTTP part of the benchmark (Debian's package).
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: model wrk
	$(PY) scripts/bench.py --http

# In-process split of a check's cost (healthz, API around the engine, engine), no HTTP.
breakdown: model
	$(PY) scripts/breakdown.py

loadtest: model
	$(PY) scripts/loadtest.py

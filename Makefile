# Crossroads — `make run` to try it, `make test` to check it. Both set everything up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# One test process more than cores: part of each browser test is spent waiting on Chromium
# or a live server, and the extra process keeps every core busy meanwhile.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
SKIP_BROWSER_TESTS ?=
BENCH_ARGS ?=
SOAK_SECONDS ?= 600
PROOF_ARGS ?=
FUZZ_ARGS ?=

# The first of these that runs and is Python 3.12 or newer builds the virtualenv.
PYTHON_CANDIDATES := python3.13 python3.12 python3
PYTHON := $(shell for p in $(PYTHON_CANDIDATES); do \
	if $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
		command -v $$p; break; fi; done)

.PHONY: help run test lint format bench soak proof fuzz serve screenshots clean check-python

help:
	@echo "make run    set up, load the demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   set up and run every test (unit, views, browser); installs Chromium if it can"
	@echo "make serve  production mode under gunicorn (collectstatic, migrate)"
	@echo "make bench  measure it under load on PostgreSQL; writes bench/results/latest.md"
	@echo "make soak   10 minutes of mixed pages: each gunicorn worker's memory against its bound"
	@echo "make proof  two app servers on one PostgreSQL, one restarted: nothing lost"
	@echo "make fuzz   10,000+ hostile requests to gunicorn on PostgreSQL: no 5xx, every page still works"
	@echo "make lint   ruff check + format check, Django checks, import contracts, mypy"
	@echo "make screenshots  retake the README's screenshots (docs/screenshots/)"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Crossroads needs Python 3.12 or newer, and none of $(PYTHON_CANDIDATES) is." >&2; \
		echo "Install Python 3.12+ (e.g. 'apt-get install python3.12 python3.12-venv'," >&2; \
		echo "'brew install python@3.13' or 'pyenv install 3.12') and run make again." >&2; \
		exit 1; \
	fi

$(STAMP): pyproject.toml | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "Crossroads is starting on http://$(HOST):$(PORT)/ — log in with the demo login above."
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on TEST_WORKERS processes (pytest-xdist), then the few tests that need the
# machine to themselves (marked serial: a PostgreSQL restart, two timed app servers) one at a
# time. The browser tests need Chromium: .ci/install-chromium installs it when it can and
# otherwise says how; SKIP_BROWSER_TESTS=1 runs everything else, and the last line says so.
test: $(STAMP)
	@if [ -z "$(SKIP_BROWSER_TESTS)" ]; then .ci/install-chromium; fi
	$(PY) manage.py makemigrations --check --dry-run
	CROSSROADS_SKIP_BROWSER=$(if $(SKIP_BROWSER_TESTS),1,0) \
	  $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not serial" $(PYTEST_ARGS)
	@$(PY) -m pytest -m serial $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "(no serial tests in this selection)"; exit 0; fi; exit $$status
	@if [ -n "$(SKIP_BROWSER_TESTS)" ]; then \
	  echo "NOTE: the browser tests were skipped (SKIP_BROWSER_TESTS=1): this run did not check the pages in a browser."; fi

# Production mode on this machine: gunicorn with config/gunicorn.conf.py and, beside it,
# the tasks worker that sends email (db_worker); hashed and compressed static files,
# migrations applied. Set DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (and DATABASE_URL
# for PostgreSQL) for a real deployment.
serve: $(STAMP)
	DJANGO_ENV=production DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-local-serve-$$(hostname)-not-for-the-internet}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-false}" \
	DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-false}" \
	sh -c '$(PY) manage.py migrate --noinput && \
	       $(PY) manage.py collectstatic --noinput -v0 && \
	       { $(PY) manage.py db_worker & worker=$$!; \
	         trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	         $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.conf.py; }'

# Benchmarks (bench/run.py): a fresh PostgreSQL database filled by generate_bench_data,
# gunicorn in production mode on loopback, a fixed-rate client, wrk, Chromium. Needs
# PostgreSQL on 127.0.0.1:5432 (BENCH_POSTGRES_URL to change it); installs wrk and
# Chromium with apt-get when missing and root. BENCH_ARGS="--help" lists the options.
bench: $(STAMP)
	$(PY) -m bench.run $(BENCH_ARGS)

# The same server and dataset as make bench, every scenario's requests mixed at a moderate
# rate for SOAK_SECONDS while each gunicorn worker's memory is read (bench/memory.py);
# writes bench/results/soak-latest.md. GUNICORN_MAX_REQUESTS=0 soaks unrecycled workers.
soak: $(STAMP)
	$(PY) -m bench.run --soak $(SOAK_SECONDS) $(BENCH_ARGS)

# Two gunicorn instances on one fresh PostgreSQL database, one restarted mid-run:
# every acknowledged write must be in the database afterwards.
proof: $(STAMP)
	$(PY) -m tests.reliability.two_instances $(PROOF_ARGS)

# Hostile requests (tests/security/fuzz.py) to gunicorn in production mode on a fresh
# PostgreSQL database, signed in and anonymous, then every page of every account: prints
# the histogram of statuses and fails on any 5xx or page that no longer answers 200.
# Needs PostgreSQL on 127.0.0.1:5432; FUZZ_ARGS="--help" lists the options.
fuzz: $(STAMP)
	$(PY) -m tests.security.fuzz_live $(FUZZ_ARGS)

# The README's screenshots, retaken by the browser tests from the current pages.
screenshots: $(STAMP)
	CROSSROADS_README_SCREENSHOTS=1 $(PY) -m pytest tests/browser/test_mobile.py -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .hypothesis

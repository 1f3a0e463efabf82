# creditdesk: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT
# `make run` is the embedded demo: debug mode and the SQLite database under var/, unless .env says otherwise.
# It writes that .env (CREDITDESK_DEBUG=1) when there is none, so `creditdesk …` and `python manage.py …` in this
# checkout read the same configuration as the demo server (creditdesk/localenv.py; the .env is git-ignored).

.PHONY: help venv run test test-fast lint format typecheck bench lock messages migrations-check clean

help:
	@echo "make run        set everything up and serve the demo on http://$(HOST):$(PORT)"
	@echo "make test       run the whole test suite (unit, API, browser)"
	@echo "make lint       ruff, import contracts;  make typecheck  mypy;  make bench  benchmarks as JSON"
	@echo "make lock       re-pin requirements/*.txt from requirements/*.in"

# Python >= 3.12: python3.13, python3.12, then python3 if new enough.
PYTHON_FOR_VENV = $(shell for p in python3.13 python3.12 python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then echo $$p; break; fi; done)

$(VENV)/.installed: requirements/base.txt requirements/dev.txt pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
	  echo "creditdesk needs Python 3.12 or newer (tried python3.13, python3.12, python3)."; \
	  echo "Install it (e.g. 'pyenv install 3.12' or your OS package python3.12) and run make again."; exit 1; fi
	@test -x $(PY) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

venv: $(VENV)/.installed

run: venv
	@$(PY) -m creditdesk.localenv
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo --if-empty
	@echo "Sign in at http://$(HOST):$(PORT)/ as a demo user: sales sales2 depthead risk approver legal finance"
	@echo "  service collector infoadmin auditor admin; password: $${CREDITDESK_DEMO_PASSWORD:-creditdesk-demo}"
	@echo "  admin, infoadmin and finance also need a code: $(PY) manage.py demo_otp <username>"
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# Tests run the production configuration (debug off), whatever the shell or .env says.
TEST_ENV := CREDITDESK_DEBUG=0

test: venv
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

test-fast: venv
	$(TEST_ENV) $(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: venv
	CREDITDESK_DEBUG=1 $(VENV)/bin/mypy creditdesk

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

bench: venv
	$(PY) -m bench

messages: venv
	cd creditdesk && CREDITDESK_DEBUG=1 ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete --no-location && CREDITDESK_DEBUG=1 ../$(PY) ../manage.py compilemessages -l zh_Hans

lock:
	$(PY) -m pip install --quiet uv
	cd requirements && ../$(VENV)/bin/uv pip compile --python-version 3.12 --no-header --quiet base.in -o base.txt
	cd requirements && ../$(VENV)/bin/uv pip compile --python-version 3.12 --no-header --quiet dev.in -o dev.txt

clean:
	rm -rf $(VENV) var/static

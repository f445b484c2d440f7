# Two commands: `make run` serves the portal from a fresh clone; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# PostgreSQL runs the suite too when it answers (or when TEST_DATABASE_URL names another server).
TEST_DATABASE_URL ?= $(shell $(PYTHON) -c "import socket; s=socket.socket(); s.settimeout(1); print('$(PG_URL)' if s.connect_ex(('127.0.0.1', 5432)) == 0 else '')")

.PHONY: run test lint messages benchmark clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_catalogue
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	SECRET_KEY=test-only $(PY) manage.py check
	SECRET_KEY=test-only $(PY) manage.py makemigrations --check --dry-run
	@echo "== pytest on SQLite"
	env -u DATABASE_URL $(VENV)/bin/pytest
	@if [ -n "$(TEST_DATABASE_URL)" ]; then \
		echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL))"; \
		DATABASE_URL="$(TEST_DATABASE_URL)" $(VENV)/bin/pytest; \
	else echo "== PostgreSQL not reachable on 127.0.0.1:5432: skipped (set TEST_DATABASE_URL)"; fi

messages: $(VENV)/.dev
	DEBUG=1 $(PY) manage.py makemessages -l vi -l en --no-obsolete --no-location --ignore=.venv --ignore=static
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles

# Two commands: `make run` serves the portal from a fresh clone; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# PostgreSQL runs the suite too when it answers (or when TEST_DATABASE_URL names another server).
TEST_DATABASE_URL ?= $(shell $(PYTHON) -c "import socket; s=socket.socket(); s.settimeout(1); print('$(PG_URL)' if s.connect_ex(('127.0.0.1', 5432)) == 0 else '')")

.PHONY: run test lint messages benchmark clean lock

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Installs come from the lock files, in pip's hash-checking mode, wheels only (no build step).
$(VENV)/.runtime: requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes --only-binary :all: -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock | $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes --only-binary :all: -r requirements-dev.lock
	touch $@ $(VENV)/.runtime

# Regenerates requirements.lock and requirements-dev.lock from requirements*.txt (every transitive
# pin, with hashes), keeping the pins already locked; `make lock LOCK_ARGS=--upgrade` bumps them.
UV_VERSION := 0.13.9
LOCK_ARGS ?=
LOCK_FLAGS := --universal --python-version 3.10 --generate-hashes --only-binary :all: --quiet \
	$(LOCK_ARGS)
lock: | $(VENV)/bin/python
	$(PY) -m pip install -q uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile requirements.txt $(LOCK_FLAGS) -o requirements.lock
	$(VENV)/bin/uv pip compile requirements-dev.txt -c requirements.lock $(LOCK_FLAGS) \
		-o requirements-dev.lock
	@for f in requirements.lock requirements-dev.lock; do \
		{ echo "# $$f: every package pinned, with hashes, for Python 3.10+ on any platform."; \
		  echo "# Do not edit: edit requirements*.txt, then run \`make lock\` (uv $(UV_VERSION), the command below)."; \
		  echo "# Installed by \`pip install --require-hashes --only-binary :all: -r $$f\`."; \
		  cat $$f; } > $$f.tmp && mv $$f.tmp $$f; \
	done

run: $(VENV)/.runtime
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_catalogue
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The two databases run side by side (one core each): SQLite runs every test; PostgreSQL leaves out
# the tests marked `once` (a subprocess with its own database, a browser, a fake S3), which gain
# nothing from a second database. Each suite's output is shown when it ends. The PostgreSQL test
# database is named after this run, so two runs against one server never share it.
test: lint
	SECRET_KEY=test-only $(PY) manage.py check
	SECRET_KEY=test-only $(PY) manage.py makemigrations --check --dry-run
	@logs=$$(mktemp -d); status=0; postgresql=; \
	env -u DATABASE_URL $(VENV)/bin/pytest > $$logs/sqlite.log 2>&1 & sqlite=$$!; \
	if [ -n "$(TEST_DATABASE_URL)" ]; then \
		DATABASE_URL="$(TEST_DATABASE_URL)" TEST_DATABASE_NAME=test_learningcity_$$$$ \
			$(VENV)/bin/pytest -m "not once" > $$logs/postgresql.log 2>&1 & postgresql=$$!; \
	fi; \
	wait $$sqlite || status=1; \
	echo "== pytest on SQLite"; cat $$logs/sqlite.log; \
	if [ -n "$$postgresql" ]; then \
		wait $$postgresql || status=1; \
		echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL)), without the tests marked once"; \
		cat $$logs/postgresql.log; \
	else echo "== PostgreSQL not reachable on 127.0.0.1:5432: skipped (set TEST_DATABASE_URL)"; fi; \
	rm -rf $$logs; exit $$status

messages: $(VENV)/.dev
	DEBUG=1 $(PY) manage.py makemessages -l vi -l en --no-obsolete --no-location --ignore=.venv --ignore=static
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles

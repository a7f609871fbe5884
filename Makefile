# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PYTEST_ARGS ?=
DEV_ENV := DEBUG=1

.PHONY: run worker test lint migrate demo install install-dev clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo --if-empty

## Set up, migrate, load demo data (first time) and serve on http://127.0.0.1:8000 (SQLite), with a
## background worker beside the server (imports run in it); the worker stops when the server does.
run: demo
	@$(DEV_ENV) $(PY) manage.py db_worker --no-reload --interval 1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	echo "Pekerja latar (db_worker) berjalan, pid $$WORKER."; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

## Only the background worker (e.g. beside a server started another way).
worker: migrate
	$(DEV_ENV) $(PY) manage.py db_worker --interval 1

lint: install-dev
	$(PY) -m ruff check .

## Ruff and the whole suite; set DATABASE_URL=postgres://... to run it on PostgreSQL.
test: lint
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts .pytest_cache .ruff_cache

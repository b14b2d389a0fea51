# Portail Famille — a newcomer needs two commands: `make demo` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install migrate seed demo serve test lint format lock bench clean

help:
	@echo "make demo   virtualenv, dependencies, migrations, demo data, server on http://$(HOST):$(PORT)"
	@echo "make test   the test suite (SQLite unless DATABASE_URL is set; browser tests need Chromium)"
	@echo "make lint   ruff check, ruff format --check, makemigrations --check"
	@echo "make bench  load test of the public pages against a bare Django view"

# The virtualenv is rebuilt when the requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv \
	  && $(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-dev.txt \
	  || $(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# seed_demo prints the demo logins just before the server starts.
demo: migrate
	@$(PY) manage.py seed_demo
	@echo ""
	@echo "Portail Famille : http://$(HOST):$(PORT)/  (administration : http://$(HOST):$(PORT)/admin/)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: install
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# After a change to requirements.txt: pin what it installs, for the Docker image.
lock: install
	$(PY) bin/lock-requirements > requirements.lock

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Portail Famille — a newcomer needs two commands: `make demo` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install migrate seed demo serve test fuzz lint format lock bench bench-billing bench-private bench-rush clean

help:
	@echo "make demo   virtualenv, dependencies, migrations, demo data, server on http://$(HOST):$(PORT)"
	@echo "make test   the test suite (SQLite unless DATABASE_URL is set; browser tests need Chromium)"
	@echo "make fuzz   schemathesis over every API operation, many examples (tests/api/test_fuzz.py)"
	@echo "make lint   ruff check, ruff format --check, makemigrations --check"
	@echo "make bench  load test of the public pages against a bare Django view"
	@echo "make bench-billing  a month's billing run of 10,000 families (draft, issue), time per family"
	@echo "make bench-private  the private area of a 10,000-family town (PostgreSQL, wrk)"
	@echo "make bench-rush     the rentrée rush: 2,000 families enrol and book (locust)"

# uv when it installs (much faster), pip otherwise.
pip_install = $(PY) -m pip install --quiet --disable-pip-version-check uv \
	  && $(VENV)/bin/uv pip install --quiet --python $(PY) $(1) \
	  || $(PY) -m pip install --quiet --disable-pip-version-check $(1)

# The virtualenv is rebuilt when the requirements change; requirements.lock holds every
# runtime dependency at the version CI and the Docker image use.
$(VENV)/.installed: requirements.txt requirements-dev.txt requirements.lock
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	@$(call pip_install,-r requirements-dev.txt -c requirements.lock)
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Migrations quietly, so that the demo logins seed_demo prints stay in sight just
# before the server starts.
demo: install
	@echo "Base de données : migrations…"
	@$(PY) manage.py migrate --noinput --verbosity 0
	@$(PY) manage.py seed_demo
	@echo ""
	@echo "Portail Famille : http://$(HOST):$(PORT)/  (administration : http://$(HOST):$(PORT)/admin/)"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: install
	$(PY) manage.py runserver $(HOST):$(PORT)

# One pytest-xdist worker per core (each with its own test database and Redis database).
TEST_WORKERS ?= auto
test: install
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The API fuzzed with many examples per operation (the suite runs a few).
FUZZ_EXAMPLES ?= 100
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -n 0 -p no:logging tests/api/test_fuzz.py $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# After a change to requirements.txt: install it without the old pins, then pin what
# it installed.
lock:
	@test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	@$(call pip_install,-r requirements-dev.txt)
	$(PY) bin/lock-requirements > requirements.lock
	@touch $(VENV)/.installed

bench: install
	$(PY) bench/run.py

# BENCH_FAMILIES=2000 for a shorter run; PostgreSQL when DATABASE_URL is set.
bench-billing: install
	$(PY) bench/billing_run.py

# On PostgreSQL (BENCH_TOWN_DATABASE_URL / BENCH_RUSH_DATABASE_URL, local server by
# default): the town is seeded once by seed_town and kept between runs.
bench-private: install
	$(PY) bench/private.py

bench-rush: install
	$(PY) bench/rush.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

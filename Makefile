# Tanya: `make run` serves the demo community; `make test` runs the whole suite (SQLite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_SETTINGS := config.settings.dev

.PHONY: run install migrate demo test test-postgres bench lint format check messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,semantic]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py migrate --no-input

demo: migrate
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py load_demo

# The task worker runs in the background (TASKS_BACKEND=database in dev settings) and
# stops with the server: the trap kills it however runserver ends (Ctrl-C included).
run: demo
	export DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS); \
	$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tanya} $(BIN)/python -m pytest $(PYTEST_ARGS)

# The site under load against two ceilings (benchmarks/web.py); BENCH_ARGS passes options,
# e.g. make bench BENCH_ARGS="--database postgres --questions 1000000".
bench: install
	bash scripts/install-bench-deps.sh
	$(BIN)/python benchmarks/web.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint test

messages: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py makemessages -l id --ignore=.venv --ignore=static
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(BIN)/python manage.py compilemessages -l id --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 static .pytest_cache .ruff_cache

# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install install-dev system-deps migrate demo lint format diagram clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: system-deps $(VENV)/.installed

install-dev: $(VENV)/.installed-dev frontend/node_modules/.package-lock.json
	@bash scripts/system-deps.sh test

# axe-core, for the accessibility checks in the browser tests.
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	@command -v npm >/dev/null || { echo "The browser tests need Node.js and npm (for axe-core)." >&2; exit 1; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

# WeasyPrint needs Pango; as root, missing Debian packages are installed.
system-deps:
	@bash scripts/system-deps.sh

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo_data

run: demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

diagram: install
	$(PY) manage.py state_diagram --write README.md

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles

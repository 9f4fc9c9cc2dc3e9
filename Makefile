# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# `make run` serves a demo instance (docs/running.md): invented data, debug pages off as in
# production, plain http on 127.0.0.1 (so cookies are not marked Secure), a fixed demo secret key;
# the links in its e-mails lead to the port it is served on. With nothing set the settings are
# production's, which refuse to start without a secret key: every command here says which it is.
DEMO_ENV := SCR_DEMO=1 DJANGO_DEBUG=0 DJANGO_HTTPS=0 SITE_URL=http://127.0.0.1:$(PORT)
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test install install-dev system-deps migrate demo static lint format diagram clean load

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
	$(DEMO_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEMO_ENV) $(PY) manage.py demo_data

# With DEBUG off, pages link to the collected files by their hashed names and whitenoise serves them.
static: install
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0

run: demo static
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# Security: medium severity and confidence and above (pyproject.toml [tool.bandit]; also a test).
	$(PY) -m bandit -c pyproject.toml -r scr reviews agencies -ll -ii -q

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

diagram: install
	$(DEV_ENV) $(PY) manage.py state_diagram --write README.md

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles

# The load test (bench/load.py): a benchmark against gunicorn and PostgreSQL, never part of `make test`.
load: install-dev
	$(PY) bench/load.py

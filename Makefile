# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format serve install seeds clean messages catalogue worker

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall whenever the declared dependencies change.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

seeds: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_releases fixtures/seeds --status published

run: seeds
	@echo
	@echo "Serving on http://$(HOST):$(PORT)/ (the editors' workspace is /admin/)."
	@echo "To create an editor account, in another terminal: $(PY) manage.py createsuperuser"
	@echo
	@# The task worker (alert mail) runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The background worker alone (production: one or more beside gunicorn, on any machine that
# reaches the database; they share the queue).
worker: $(STAMP)
	$(PY) manage.py db_worker

# Production-style serving: gunicorn with settings from the environment (debug off by default),
# static files collected, fingerprinted and served by whitenoise.
serve: $(STAMP)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-false} $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-false} $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=$${DJANGO_DEBUG:-false} $(VENV)/bin/gunicorn cica_portal.wsgi --config gunicorn.conf.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Test tools from npm (package.json): axe-core and the Nu HTML checker for the browser tests.
# Nothing third-party is committed.
NODE_TOOLS := node_modules/.installed
$(NODE_TOOLS): package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the browser tests need axe-core and vnu-jar and will fail where Chromium is installed"; fi

# LINTING=no leaves out ruff, lint-imports and the migrations check (CI runs them on its first leg).
LINTING ?= yes
test: $(STAMP) $(if $(filter yes,$(LINTING)),lint) $(NODE_TOOLS)
	$(PY) manage.py check
	$(if $(filter yes,$(LINTING)),$(PY) manage.py makemigrations --check --dry-run)
	$(PY) -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

# The Russian interface: collect new strings into locale/ru/LC_MESSAGES/django.po, translate them
# there, then compile (needs GNU gettext). Django's makemessages reads the Python code and the
# workspace's Django templates, Babel the public site's Jinja2 templates (babel.cfg); the two
# lists are joined before the catalogue is updated. The compiled .mo is committed.
POT := var/messages
catalogue: $(STAMP)
	@mkdir -p $(POT)
	$(PY) manage.py makemessages -l ru --no-location --keep-pot --ignore='.venv*' --ignore=node_modules \
		--ignore=bench --ignore=tests --ignore=var --ignore=test-artifacts --ignore='./templates/*'
	$(VENV)/bin/pybabel extract --no-location --omit-header --mapping-file=babel.cfg \
		--keywords=_ --keywords=gettext --keywords=ngettext:1,2 --output-file=$(POT)/jinja2.pot templates
	msgcat --use-first locale/django.pot $(POT)/jinja2.pot --output-file=$(POT)/all.pot
	msgmerge --quiet --update --backup=none --previous locale/ru/LC_MESSAGES/django.po $(POT)/all.pot
	msgattrib --no-obsolete --output-file=locale/ru/LC_MESSAGES/django.po locale/ru/LC_MESSAGES/django.po
	rm -f locale/django.pot

messages: catalogue
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis node_modules test-artifacts

# make run  — set up everything that is missing, then serve the demo on http://127.0.0.1:8000
#             as in production (gunicorn, DEBUG off) with a background-job worker
# make test — the same set-up, then the whole test suite on a real PostGIS
# make dev  — the same set-up, then Django's autoreloading runserver (DEBUG on) and a worker
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000

.PHONY: run dev test bench lint setup system secret db static messages

# Production settings over plain http (geo/settings/local.py); docs/architecture.md, "Serving".
run: export DJANGO_SETTINGS_MODULE := geo.settings.local
run: setup
	$(MANAGE) load_demo --if-empty
	@PORT=$(PORT) bash geo/scripts/serve.sh run

dev: export DJANGO_SETTINGS_MODULE := geo.settings.dev
dev: setup
	$(MANAGE) load_demo --if-empty
	@PORT=$(PORT) bash geo/scripts/serve.sh dev

test: export WITH_BROWSER := 1
test: setup
	$(MANAGE) makemigrations --check --dry-run >/dev/null
	DJANGO_SETTINGS_MODULE=geo.settings.prod SECRET_KEY=$$($(PY) -c \
		'import secrets; print(secrets.token_urlsafe(50))') \
		$(MANAGE) check --deploy --fail-level WARNING
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

bench: setup
	$(PY) tests/bench/layers_bench.py
	$(PY) tests/bench/reports_load.py
	$(PY) tests/bench/bulk_bench.py
	$(PY) tests/bench/photo_memory.py
	$(PY) tests/bench/slow_clients.py
	$(PY) tests/bench/boundary_preview_bench.py
	$(PY) tests/bench/coverage_bench.py
	$(PY) tests/bench/tiles_bench.py
	$(PY) tests/bench/reports_scale.py
	$(PY) tests/bench/ogc_bench.py
	$(PY) tests/bench/map_bytes_bench.py

lint:
	$(VENV)/bin/ruff format --check . && $(VENV)/bin/ruff check .

setup: system secret $(VENV)/.installed frontend/node_modules/.installed messages static db
	$(MANAGE) migrate --noinput -v0

system:
	@bash geo/scripts/install-system.sh

secret:
	@bash geo/scripts/ensure-secret.sh

db:
	@bash geo/scripts/ensure-db.sh

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

STATIC_SOURCES := $(shell find frontend/static territories -path "*/static/*" -type f 2>/dev/null)
static: var/staticfiles/.collected
var/staticfiles/.collected: $(VENV)/.installed frontend/node_modules/.installed $(STATIC_SOURCES)
	$(MANAGE) collectstatic --noinput -v0
	touch $@

MO_FILES := $(patsubst %.po,%.mo,$(wildcard geo/locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)
%.mo: %.po
	msgfmt --check -o $@ $<

# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run worker serve test lint format schema schema-examples lint-schema bench bench-search lock drug-brands

# Serving needs only requirements.lock; tests and tools add requirements-dev.lock (a superset,
# with the same versions).
$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

## Set up, load the demo content on SQLite and serve it at http://127.0.0.1:$(PORT)/, with the
## background worker beside it (on kombu's filesystem transport in .worker/: no server needed)
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py rebuild_search_index
	$(BIN)/python manage.py ensure_demo_editor
	DJANGO_DEBUG=1 PYTHON=$(BIN)/python WORKER_CONCURRENCY=$${WORKER_CONCURRENCY:-2} bin/worker & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## The background worker alone, in development (see bin/worker for production)
worker: $(VENV)/.installed
	DJANGO_DEBUG=1 PYTHON=$(BIN)/python bin/worker

## Serve like production: migrate, collectstatic, gunicorn (settings from the environment)
serve: $(VENV)/.installed
	DJANGO_DEBUG=0 PYTHON=$(BIN)/python bin/serve

## Run the whole test suite (SQLite; set DATABASE_URL=postgres://... for PostgreSQL)
test: $(VENV)/.dev-installed
	$(BIN)/pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Regenerate the committed OpenAPI schema from the code
schema: $(VENV)/.dev-installed
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file openapi.yaml

## Record the schema's examples from the demo content (a scratch SQLite file), then regenerate it
schema-examples: $(VENV)/.dev-installed
	rm -f $(CURDIR)/schema-examples.sqlite3
	DJANGO_DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/schema-examples.sqlite3 sh -c '\
	  $(BIN)/python manage.py migrate --noinput -v 0 && \
	  $(BIN)/python manage.py load_demo_content >/dev/null && \
	  $(BIN)/python manage.py rebuild_search_index >/dev/null && \
	  $(BIN)/python manage.py schema_examples'
	rm -f $(CURDIR)/schema-examples.sqlite3
	$(MAKE) --no-print-directory schema

## Lint openapi.yaml with Redocly CLI (needs Node.js and npm)
lint-schema:
	npm ci --prefix .ci --silent --no-audit --no-fund
	.ci/node_modules/.bin/redocly lint openapi.yaml --config .ci/redocly.yaml

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/api_throughput.py

## Search latency on 10,000 synthetic documents in a scratch SQLite file
bench-search: $(VENV)/.dev-installed
	DATABASE_URL=sqlite:///$(CURDIR)/bench-search.sqlite3 $(BIN)/python bench/search_latency.py --documents 10000

## Lock every dependency again after changing pyproject.toml (needs uv: pip install uv): all of
## them for development, then those serving needs, at the same versions
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements-dev.lock
	uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -c requirements-dev.lock -o requirements.lock

## Draw the seeded brand names again from the installed drug dictionary (taxonomy/drug_brands.json)
drug-brands: $(VENV)/.dev-installed
	$(BIN)/python -c "from taxonomy.vocabulary import write_drug_brands; write_drug_brands()"

# OpenFTZ — `make run` serves the app on 127.0.0.1:8000 for development (DEBUG on); `make test` runs the whole suite;
# `make serve` is the production profile (gunicorn + the tasks worker, DEBUG off; docs/operations.md).
# All set everything up first (idempotent): .venv, pinned dependencies, secret key file, migrations, rulebook load.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run serve test test-fast lint docs bench messages clean vendor

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "OpenFTZ needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

# requirements-dev.txt: tools of development and CI (import-linter, which `make test` runs through tests/test_architecture.py).
# `pip install -e .` also compiles the e-invoice parser's walk (setup.py) where a C compiler is found.
$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt pyproject.toml setup.py openftz/einvoice/_walk.pyx
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The secret key: OPENFTZ_SECRET_KEY if set, else a random key written once to var/secret_key (mode 0600).
setup: $(STAMP)
	$(BIN)/python -m openftz.core.secret_key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/openftz rulebook load
	$(BIN)/openftz tracker sync
	$(BIN)/openftz tracker tick --schedule
	$(BIN)/openftz dataexport load-lists data/dataexport/ftz-lists-example.yaml
	$(BIN)/openftz dataexport tick --schedule

# A newcomer sees a living tracker: demo data (演示数据) is loaded when the tracker is empty. The worker
# runs the daily red/amber/green job in the background while the server runs.
run: export OPENFTZ_DEBUG = 1
run: setup
	$(BIN)/openftz tracker demo --if-empty
	$(BIN)/openftz procurement demo --if-empty
	$(BIN)/openftz einvoice demo --if-empty
	$(BIN)/openftz records demo --if-empty
	$(BIN)/openftz dataexport demo --if-empty
	@echo "OpenFTZ: http://$(HOST):$(PORT)/  (English: http://$(HOST):$(PORT)/en/; sign in: http://$(HOST):$(PORT)/tracker/login/)"
	$(BIN)/python manage.py db_worker & trap 'kill $$!' EXIT; $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production: DEBUG off, and nothing starts unless Django's deployment checks pass (secret key, OPENFTZ_ALLOWED_HOSTS,
# HTTPS). gunicorn runs 2 x cores + 1 workers (WEB_CONCURRENCY overrides) and WhiteNoise serves the collected static
# files; the tasks worker runs beside it. PostgreSQL from DATABASE_URL, else SQLite under var/ (one machine only).
serve: setup
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py db_worker & trap 'kill $$!' EXIT; HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config python:openftz.gunicorn_conf

test: export OPENFTZ_DEBUG = 1
test: setup
	$(BIN)/python -m pytest --durations=15

# The quick loop while developing: no browser, nothing marked slow.
test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow"

# Style: ruff's checks (pyproject.toml); the rooms are checked by import-linter inside the test suite.
lint: $(STAMP)
	$(BIN)/ruff check openftz tests bench

# The documentation site (MkDocs, Material theme) under var/site; the CLI reference is generated from the typer app.
docs: $(STAMP)
	mkdir -p docs/reference
	DJANGO_SETTINGS_MODULE=openftz.settings $(BIN)/typer openftz.cli utils docs --name openftz --title "CLI reference" --output docs/reference/cli.md >/dev/null
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: setup
	$(BIN)/python bench/rulebook.py
	$(BIN)/python bench/tracker_load.py
	$(BIN)/python bench/dataexport.py
	$(BIN)/python bench/records.py
	$(BIN)/python bench/einvoice.py
	$(BIN)/python bench/procurement.py
	$(BIN)/python bench/procurement_workflow.py
	$(BIN)/python bench/einvoice_exchange.py

# After changing a translatable string: regenerate and compile the catalogues (needs GNU gettext).
# Apps with a locale/ folder of their own keep their catalogue there; the project catalogue holds the rest.
APP_CATALOGUES := $(patsubst %/locale,%,$(wildcard openftz/*/locale))
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=".venv/*" --ignore="tests/*" \
		$(foreach app,$(APP_CATALOGUES),--ignore="$(app)/*")
	for app in $(APP_CATALOGUES); do (cd $$app && DJANGO_SETTINGS_MODULE=openftz.settings $(CURDIR)/$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete) || exit 1; done
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var build openftz/einvoice/_walk.c openftz/einvoice/_walk.*.so

# Refresh the vendored front-end files from the npm registry (not needed to run or test): ECharts for the charts,
# Bootstrap for the one design of every page, axe-core for the accessibility checks of the browser tests.
ECHARTS_VERSION := 6.1.0
BOOTSTRAP_VERSION := 5.3.8
AXE_CORE_VERSION := 4.14.1
VENDOR := $(CURDIR)/openftz/static/vendor
TEST_VENDOR := $(CURDIR)/tests/vendor
vendor:
	d=$$(mktemp -d) && cd $$d && \
	npm pack --silent echarts@$(ECHARTS_VERSION) bootstrap@$(BOOTSTRAP_VERSION) axe-core@$(AXE_CORE_VERSION) >/dev/null && \
	mkdir echarts bootstrap axe-core && tar xzf echarts-$(ECHARTS_VERSION).tgz -C echarts && \
	tar xzf bootstrap-$(BOOTSTRAP_VERSION).tgz -C bootstrap && tar xzf axe-core-$(AXE_CORE_VERSION).tgz -C axe-core && \
	cp echarts/package/dist/echarts.min.js echarts/package/LICENSE $(VENDOR)/echarts/ && \
	mkdir -p $(VENDOR)/bootstrap $(TEST_VENDOR)/axe-core && \
	cp bootstrap/package/dist/css/bootstrap.min.css bootstrap/package/dist/css/bootstrap.min.css.map \
	   bootstrap/package/dist/js/bootstrap.bundle.min.js bootstrap/package/dist/js/bootstrap.bundle.min.js.map \
	   bootstrap/package/LICENSE $(VENDOR)/bootstrap/ && \
	cp axe-core/package/axe.min.js axe-core/package/LICENSE $(TEST_VENDOR)/axe-core/ && \
	rm -rf $$d

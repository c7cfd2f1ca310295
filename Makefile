# OpenFTZ — `make run` serves the app on 127.0.0.1:8000 for development (DEBUG on); `make test` runs the whole suite;
# `make serve` is the production profile (gunicorn + the tasks worker, DEBUG off; docs/operations.md).
# All set everything up first (idempotent): .venv, pinned dependencies, secret key file, migrations, rulebook load.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run serve test bench messages clean vendor

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "OpenFTZ needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

# `pip install -e .` also compiles the e-invoice parser's walk (setup.py) where a C compiler is found.
$(STAMP): $(BIN)/python requirements.txt pyproject.toml setup.py openftz/einvoice/_walk.pyx
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
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
	$(BIN)/python -m pytest

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

# Refresh the vendored front-end files from the npm registry (not needed to run or test).
ECHARTS_VERSION := 6.1.0
vendor:
	d=$$(mktemp -d) && cd $$d && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && tar xzf echarts-$(ECHARTS_VERSION).tgz && \
	cp package/dist/echarts.min.js package/LICENSE $(CURDIR)/openftz/static/vendor/echarts/ && rm -rf $$d

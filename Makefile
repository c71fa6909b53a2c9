# The commands people use. Each one sets up what it needs first.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(or $(shell command -v python3.13 2>/dev/null),python3)
UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
CHROMIUM ?= /usr/bin/chromium
# uv must use the machine's Python 3.13 (.python-version), never download one.
export UV_PYTHON_DOWNLOADS := never
RUN := $(UV) run --frozen --no-sync
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint format bench messages image

# Catalogues are written in locale/*/LC_MESSAGES/*.po and compiled here, never committed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
MESSAGES_IGNORE := -i .venv -i .tools -i var -i tests -i bench -i static/vendor

help:
	@echo "make run     start the site on http://$(HOST):$(PORT)/ with demo data (SQLite, no services needed)"
	@echo "make test    run every test (PostgreSQL when DATABASE_URL is set, SQLite otherwise)"
	@echo "make lint    ruff lint and format check, the import contract, and a check for missing migrations"
	@echo "make format  format the code with ruff"
	@echo "make bench   the benchmarks in bench/ (need PostgreSQL and Redis on 127.0.0.1)"
	@echo "make messages  collect the marked strings into locale/*/LC_MESSAGES/*.po"
	@echo "make image  build the container image with podman on a debootstrap base (needs root)"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests (needs root and apt-get)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Every absolute link (emails, share links, the PDF) is made from SITE_URL: unless it
# is set, the address the server listens on here.
run: export SITE_URL ?= http://$(HOST):$(PORT)
# The worker runs beat inside it, so a statement scheduled for 09:00 goes out
# at 09:00; without REDIS_URL its broker is a folder in var/.
run: .venv/.synced $(MO_FILES)
	@echo "Links are made for $(SITE_URL)"
	DEBUG=1 $(RUN) python manage.py migrate --noinput
	DEBUG=1 $(RUN) python manage.py demo
	@trap 'kill 0' EXIT; \
	DEBUG=1 $(RUN) celery --quiet -A config worker --beat --pool=solo --loglevel=WARNING & \
	DEBUG=1 $(RUN) python manage.py runserver $(HOST):$(PORT)

test: .venv/.synced $(MO_FILES) $(CHROMIUM) /usr/bin/wrk /usr/bin/podman /usr/sbin/debootstrap
	$(RUN) pytest $(PYTEST_ARGS)

lint: .venv/.synced $(MO_FILES)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports --no-cache
	DEBUG=1 $(RUN) python manage.py makemigrations --check --dry-run

format: .venv/.synced
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

/usr/bin/wrk:
	@echo "Installing Debian's wrk for the page benchmark and its test (needs root and apt-get)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

bench: .venv/.synced /usr/bin/wrk
	$(RUN) python bench/cosign_submit.py
	$(RUN) python bench/press_send.py
	$(RUN) python bench/page_speed.py

/usr/bin/msgfmt:
	@echo "Installing GNU gettext to compile the translations (needs root and apt-get)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext

%.mo: %.po | /usr/bin/msgfmt
	msgfmt --check --output-file=$@ $<

# Every language in locale/ gets both catalogues: the templates' and Python's, and
# the JavaScript's (served by JavaScriptCatalog at /jsi18n/).
messages: .venv/.synced | /usr/bin/msgfmt
	DEBUG=1 $(RUN) python manage.py makemessages --all --no-obsolete $(MESSAGES_IGNORE) --add-location=file
	DEBUG=1 $(RUN) python manage.py makemessages --all --no-obsolete -d djangojs $(MESSAGES_IGNORE) --add-location=file

# The image test (tests/config/test_image.py) and `make image` build the image without
# an image registry: a debootstrap base, podman build (scripts/image.sh).
/usr/bin/podman /usr/sbin/debootstrap &:
	@echo "Installing Debian's podman and debootstrap to build the image (needs root and apt-get)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman debootstrap

image: /usr/bin/podman /usr/sbin/debootstrap
	scripts/image.sh

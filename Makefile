# Agora's commands. A newcomer needs two: `make run` and `make test`. `make help` lists the rest.
# Every install step is stamped, so a second run with nothing changed goes straight to the point.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# A local .env (KEY=value lines, no quotes; see .env.example) configures run and the manage targets.
# The environment and the command line win over it; the test targets never read it.
ifneq ($(wildcard .env),)
ifeq ($(filter test test-services pytest lint,$(MAKECMDGOALS)),)
include var/.env.mk
var/.env.mk: .env
	@mkdir -p $(@D)
	@sed -nE 's/\$$/$$$$/g; s/^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$$/\2 ?= \3\nexport \2/p' .env > $@
endif
endif

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
VAR := $(or $(AGORA_VAR_DIR),var)
HOST ?= 127.0.0.1
PORT ?= 8000
MANAGE := $(PY) manage.py

BASE_STAMP := $(VENV)/.agora-base.stamp
DEV_STAMP := $(VENV)/.agora-dev.stamp
NODE_STAMP := node_modules/.agora.stamp
SEED_MARKER := $(VAR)/.demo-seeded
STATIC_STAMP := $(VAR)/static/.agora.stamp

# The suite runs in a known environment: embedded SQLite and local memory unless a target says otherwise.
TEST_UNSET := DATABASE_URL REDIS_URL AGORA_ENV AGORA_VAR_DIR SQLITE_PATH SECRET_KEY DEBUG ALLOWED_HOSTS \
	TASK_BACKEND EMAIL_URL EMAIL_BACKEND MEDIA_ROOT SECURE_SSL_REDIRECT BEHIND_PROXY
TEST_ENV := env $(addprefix -u ,$(TEST_UNSET))
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/agora
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/1
# The browser tests drive the pages (the same SQL as the tests beside them) and run with `make test`; the
# PostgreSQL and Redis run leaves them out to keep CI inside its time. SERVICES_MARK= runs them too.
SERVICES_MARK ?= not e2e
PYTEST_MARK ?=

.PHONY: help run serve worker install dev-install migrate seed static messages messages-new compile-messages check-messages test test-services lint format bench page-weight shell \
	check-deploy clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run: install ## Install, migrate, seed demo content on first run, and serve on http://127.0.0.1:8000 (or PORT) with a worker
	$(MANAGE) compile_catalogues
	$(MANAGE) migrate --noinput
	@$(MAKE) seed-once
	@$(MAKE) static
	HOST=$(HOST) PORT=$(PORT) PYTHON=$(PY) bin/serve

serve: ## Serve without the install steps (server and worker)
	HOST=$(HOST) PORT=$(PORT) PYTHON=$(PY) bin/serve

worker: ## Run one task worker in the foreground
	$(MANAGE) run_worker

install: $(BASE_STAMP) $(NODE_STAMP) ## Install the pinned Python and front-end packages

dev-install: $(DEV_STAMP) $(NODE_STAMP) ## Install them with the test and lint tools

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "$(PYTHON) is older than Python 3.11; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(BASE_STAMP): requirements/base.txt | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r requirements/base.txt
	@touch $@

$(DEV_STAMP): requirements/base.txt requirements/dev.txt | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-deps \
		-r requirements/base.txt -r requirements/dev.txt
	@touch $(BASE_STAMP) $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end packages (Debian: apt-get install npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput

seed: install ## Fill the site with demo content (idempotent)
	$(MANAGE) seed_demo
	@mkdir -p $(VAR) && touch $(SEED_MARKER)

.PHONY: seed-once
seed-once:
	@if [ -f $(SEED_MARKER) ]; then :; \
	elif [ "$${AGORA_ENV:-}" = production ]; then echo "AGORA_ENV=production: no demo content (make seed adds it)"; \
	else $(MANAGE) seed_demo && mkdir -p $(VAR) && touch $(SEED_MARKER); fi

# Translations (README, "Languages"). `make messages` gathers the marked strings into every catalogue
# (needs gettext's xgettext: Debian's gettext package); the .mo files are compiled by Babel, not gettext.
MESSAGES_ARGS := --no-location --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench --ignore=var

messages: dev-install ## Gather the interface's marked strings into agora/locale/*/LC_MESSAGES/django.po
	$(MANAGE) borrow_strings
	$(MANAGE) makemessages --all $(MESSAGES_ARGS)
	$(MANAGE) borrow_strings --fill
	$(MANAGE) makemessages --all $(MESSAGES_ARGS)

messages-new: dev-install ## Start a catalogue for a new language: make messages-new CODE=xx
	@test -n "$(CODE)" || { echo "Say which language: make messages-new CODE=xx" >&2; exit 1; }
	$(MANAGE) makemessages --locale $(CODE) $(MESSAGES_ARGS)
	$(MANAGE) check_catalogues --fix-headers
	$(MANAGE) borrow_strings --fill
	$(MANAGE) makemessages --locale $(CODE) $(MESSAGES_ARGS)

compile-messages: install ## Compile the catalogues (.po -> .mo); make run and the tests do it themselves
	$(MANAGE) compile_catalogues

check-messages: dev-install ## Fail when a catalogue misses a marked string, breaks a placeholder or does not compile
	$(MANAGE) check_catalogues

static: $(STATIC_STAMP) ## Collect, compress and fingerprint static files into var/static

$(STATIC_STAMP): $(BASE_STAMP) $(NODE_STAMP) $(shell find agora/static -type f 2>/dev/null)
	$(MANAGE) collectstatic --noinput -v0
	@touch $@

test: dev-install ## Run the whole suite on embedded SQLite (browser tests need /usr/bin/chromium)
	@if [ "$${CI:-}" = true ] && [ ! -x /usr/bin/chromium ]; then echo "CI needs /usr/bin/chromium for the browser tests" >&2; exit 1; fi
	@$(TEST_ENV) $(MAKE) pytest PYTEST_RESULTS=sqlite

test-services: dev-install ## Run the suite on PostgreSQL and Redis (SERVICES_DATABASE_URL, SERVICES_REDIS_URL); browser tests run with make test
	@$(PY) -c 'import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()' "$(SERVICES_REDIS_URL)"
	@$(TEST_ENV) DATABASE_URL="$(SERVICES_DATABASE_URL)" REDIS_URL="$(SERVICES_REDIS_URL)" \
		$(MAKE) pytest PYTEST_RESULTS=services PYTEST_MARK="$(SERVICES_MARK)"

# pytest exits 5 when it ran no test: that is a failure here, never a silent pass.
.PHONY: pytest
pytest:
	@mkdir -p $(VAR)/test-results
	@rc=0; $(PY) -m pytest -n $(PYTEST_WORKERS) -ra --junitxml=$(VAR)/test-results/$(PYTEST_RESULTS).xml $(if $(PYTEST_MARK),-m "$(PYTEST_MARK)") $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest ran no test: failing" >&2; exit 1; fi; exit $$rc

lint: dev-install ## ruff check, ruff format --check, mypy on permissions, services and queries, and the floors (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: dev-install ## Fix what ruff can, and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## Print what the main pages cost (bench/README.md); BENCH_ARGS passes options
	$(PY) -m bench.pages $(BENCH_ARGS)

page-weight: install ## Print the topic page's compressed weight against its 60 KB budget
	$(PY) bench/page_weight.py

shell: install ## Django shell
	$(MANAGE) shell

check-deploy: install ## Django's deployment checks (set AGORA_ENV=production and the production variables)
	$(MANAGE) check --deploy --fail-level WARNING

clean: ## Remove installed packages and collected static files (keeps the database in var/)
	rm -rf $(VENV) node_modules $(VAR)/static $(VAR)/test-results var/.env.mk .pytest_cache .ruff_cache

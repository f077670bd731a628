# OCOP marketplace. `make help` lists the targets.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.DEFAULT_GOAL := help
.PHONY: help install test-tools system-deps run migrate demo lint check test test-sqlite test-postgres format messages bench-search bench-inquiries bench-import bench-payments bench-pages bench-demand

help: ## List every target with one line each
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# vietnam-provinces declares Python >=3.12 but runs on 3.11 (see requirements.txt).
	$(PIP) install --quiet --ignore-requires-python -r requirements-dev.txt
	touch $@

# Test-only tools pinned in package.json/package-lock.json: the Nu HTML checker (vnu.jar) and axe-core.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install pinned requirements

# What only the test suite needs: system packages first (npm among them), then npm ci.
test-tools: system-deps node_modules/.installed ## System packages and the npm test tools (vnu.jar, axe-core) the suite needs

system-deps: ## Install Chromium (browser tests), zbarimg (reads the VietQR code back), npm and Java (the HTML checker), gettext (msgfmt checks the catalogs) when missing (needs root and apt)
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	@command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless)
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@test -x /usr/bin/zbarimg || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools)
	@command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext)

migrate: install ## Apply migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo catalogue (idempotent)
	$(PY) manage.py load_demo
	$(PY) manage.py protect_image_names

run: demo ## Set up and serve the demo site on SQLite at http://127.0.0.1:8000
	$(PY) manage.py runserver 127.0.0.1:8000

# Every app's templates/ folder; djhtml reads only .html files there, so e-mail text keeps its layout.
TEMPLATE_DIRS := $(wildcard */templates)

lint: install ## ruff check and format check, djhtml check of the templates, the app layers (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $(TEMPLATE_DIRS)
	$(VENV)/bin/lint-imports

check: install ## Django system checks and the migrations check
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run --noinput

# pytest-xdist: one worker per core; `--dist loadgroup` keeps the browser tests on one worker (one
# Chromium at a time) and a module's once-built fixture with its tests (tests/conftest.py).
WORKERS ?= auto
PARALLEL := -n $(WORKERS) --dist loadgroup
# The whole suite prints its 20 slowest tests, so a new slow one shows up in review.
SLOWEST := --durations=20

test-sqlite: install test-tools ## The whole suite on SQLite, in parallel (WORKERS=auto), with the 20 slowest tests
	env -u DATABASE_URL $(PY) -m pytest $(PARALLEL) $(SLOWEST) $(PYTEST_ARGS)

test-postgres: install test-tools ## The whole suite on PostgreSQL (DATABASE_URL, default $(PG_URL)), in parallel
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest $(PARALLEL) $(SLOWEST) $(PYTEST_ARGS)

# The test command: lint, checks, then the suite on SQLite and, when DATABASE_URL is
# set (CI sets it), again on PostgreSQL.
test: lint check test-sqlite ## Set up and run every test (PostgreSQL too when DATABASE_URL is set)
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; fi

.PHONY: test-fast retest

# The inner loop: no Chromium, no Elasticsearch-compatible server, the test database kept between runs
# (new migrations are applied to it; after switching to a branch with other migrations, PYTEST_ARGS=--create-db).
test-fast: install test-tools ## The suite on SQLite without browser and Elasticsearch tests, reusing the test database (a few minutes)
	env -u DATABASE_URL $(PY) -m pytest $(PARALLEL) -m "not browser and not elasticsearch" --reuse-db $(PYTEST_ARGS)

retest: install ## Re-run only the tests that failed last time (SQLite, or DATABASE_URL when set)
	$(PY) -m pytest --last-failed --last-failed-no-failures none $(PYTEST_ARGS)

format: install ## Apply ruff fixes and formatting; indent the templates with djhtml
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $(TEMPLATE_DIRS)

# The apps with a Vietnamese catalog (<app>/locale/vi/LC_MESSAGES/django.po). Each runs from its own
# folder so it scans only its own files; tests/test_translations.py uses the same extensions.
MESSAGE_APPS ?= catalogue search themes $(wildcard marketplace/locale config/locale)
MESSAGE_EXTENSIONS := html,txt,py

messages: install ## Update every app's Vietnamese catalog from the code, then compile the .mo files
	@for app in $(patsubst %/locale,%,$(MESSAGE_APPS)); do \
		(cd $$app && mkdir -p locale && ../$(PY) ../manage.py makemessages -l vi --no-obsolete -e $(MESSAGE_EXTENSIONS) -v0 \
			&& ../$(PY) ../manage.py compilemessages -l vi -v0) || exit 1; \
		msgfmt --statistics -o /dev/null $$app/locale/vi/LC_MESSAGES/django.po 2>&1 | sed "s|^|$$app: |"; \
	done

# Scratch databases for the benchmark (never the site's own); PostgreSQL runs when reachable.
BENCH_SQLITE_URL ?= sqlite:////tmp/ocop-bench.sqlite3
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/ocop_bench
BENCH_SIZES ?= 20000 200000
BENCH_ARGS ?=

# The judged buyer queries run on the demo catalogue first, before synthetic products join it.
BENCH_RELEVANCE_ARGS ?= --osmem

bench-search: install ## Judged queries' precision/recall, then search timings (quiet, under churn, memory) at 20,000 and 200,000 products
	$(PY) -m tests.bench.scratch $(BENCH_SQLITE_URL)
	DATABASE_URL=$(BENCH_SQLITE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_SQLITE_URL) $(PY) -m tests.bench.relevance $(BENCH_RELEVANCE_ARGS)
	DATABASE_URL=$(BENCH_SQLITE_URL) $(PY) -m tests.bench.search_speed --sizes $(BENCH_SIZES) --stock-max-size 20000 $(BENCH_ARGS)
	@if $(PY) -m tests.bench.scratch $(BENCH_PG_URL); then \
		DATABASE_URL=$(BENCH_PG_URL) $(PY) manage.py migrate --noinput -v0 && \
		DATABASE_URL=$(BENCH_PG_URL) $(PY) -m tests.bench.relevance $(BENCH_RELEVANCE_ARGS) && \
		DATABASE_URL=$(BENCH_PG_URL) $(PY) -m tests.bench.search_speed --sizes $(BENCH_SIZES) $(BENCH_ARGS); \
	else echo "PostgreSQL at $(BENCH_PG_URL) unreachable: SQLite figures only."; fi

# Scratch PostgreSQL database for the inquiry benchmark (dropped and recreated; never the site's own).
BENCH_INQUIRIES_URL ?= postgres://postgres@127.0.0.1:5432/ocop_bench_inquiries

bench-inquiries: install ## 200 concurrent inquiry submissions (with duplicates) through the real form under gunicorn on PostgreSQL
	BENCH_INQUIRIES_URL=$(BENCH_INQUIRIES_URL) $(PY) -m tests.bench.inquiries $(BENCH_INQUIRIES_ARGS)

# Scratch PostgreSQL database for the payments benchmark (dropped and recreated; never the site's own).
BENCH_PAYMENTS_URL ?= postgres://postgres@127.0.0.1:5432/ocop_bench_payments

bench-payments: install ## 100 signed Stripe webhooks (each event twice) racing 50 bank-transfer confirmations for 50 orders, gunicorn on PostgreSQL
	BENCH_PAYMENTS_URL=$(BENCH_PAYMENTS_URL) $(PY) -m tests.bench.payments $(BENCH_PAYMENTS_ARGS)

# Scratch SQLite database for the importer benchmark (recreated each run).
BENCH_IMPORT_URL ?= sqlite:////tmp/ocop-bench-import.sqlite3

bench-import: install ## Time a 2,000-row annex through the importer: dry run, import, re-import (rows/s)
	$(PY) -m tests.bench.scratch $(BENCH_IMPORT_URL)
	DATABASE_URL=$(BENCH_IMPORT_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_IMPORT_URL) $(PY) -m tests.bench.importer --rows 2000

# Scratch SQLite database for the page-speed benchmark (recreated each run); Lighthouse lands in bench-results/.
BENCH_PAGES_URL ?= sqlite:////tmp/ocop-bench-pages.sqlite3

bench-pages: $(VENV)/.installed ## Lighthouse (12.2.3, desktop, Chromium) on home, search, product and fair pages in vi and en under gunicorn: scores, KB, LCP
	BENCH_PAGES_URL=$(BENCH_PAGES_URL) $(PY) -m tests.bench.pages $(BENCH_PAGES_ARGS)

# Scratch SQLite database for the demand-recording benchmark (recreated each run).
BENCH_DEMAND_URL ?= sqlite:////tmp/ocop-bench-demand.sqlite3

bench-demand: install ## Cost of demand recording per request: searches and page-view beacons timed with recording on and off
	$(PY) -m tests.bench.scratch $(BENCH_DEMAND_URL)
	DATABASE_URL=$(BENCH_DEMAND_URL) $(PY) manage.py migrate --noinput -v0
	$(PY) -m tests.bench.demand --database $(BENCH_DEMAND_URL) $(BENCH_DEMAND_ARGS)

.PHONY: stack stack-stop stack-status stack-check stack-deps bench-stack bench-faults

# The production stack on this machine (docs/deploy.md, "The stack on one machine").
PRODUCTS ?= 20000
STACK_PORT ?= 8800
STACK_FLAGS := --products $(PRODUCTS) --base-port $(STACK_PORT) $(if $(EMPTY),--empty) $(if $(FRESH),--fresh)

stack-deps: ## nginx with its cache-purge module and redis-server for `make stack`, when missing (needs root and apt)
	@test -f /usr/lib/nginx/modules/ngx_http_cache_purge_module.so && command -v redis-server >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-http-cache-purge redis-server)
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)

stack: install stack-deps ## Start the production stack on 127.0.0.1:$(STACK_PORT) (PRODUCTS=20000, EMPTY=1 for a bare site, FRESH=1 recreates its database)
	$(PY) config/stack/stack.py start $(STACK_FLAGS)

stack-stop: ## Stop every process `make stack` started
	$(PY) config/stack/stack.py stop

stack-status: ## Each stack process and /healthz/ through the proxy
	$(PY) config/stack/stack.py status --base-port $(STACK_PORT)

bench-stack: install stack-deps ## wrk on home, search, product, record and fair pages (vi, en): from the proxy's cache, uncached, beside a static file of the same size
	$(PY) -m tests.bench.stack --base-port $(STACK_PORT) --products $(PRODUCTS) $(BENCH_STACK_ARGS)

bench-faults: install stack-deps ## Load on the stack while one part at a time breaks (app server, Redis, search, S3, SMTP, worker): requests, 5xx, lost
	$(PY) -m tests.bench.faults --base-port $(STACK_PORT) --products $(PRODUCTS) $(BENCH_FAULTS_ARGS)

stack-check: ## Smoke test of the running stack: upload through app server 1, fetch through app server 2 and the proxy, /healthz/ all ok
	$(PY) config/stack/check.py --base-port $(STACK_PORT)

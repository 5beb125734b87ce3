# Two commands do all the set-up: `make run` and `make test`. Each creates the virtual
# environment, installs the pinned requirements and compiles the translations as needed.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 5000
WORKERS ?= 2
export FLASK_APP := wsgi

.PHONY: run test test-fast lint typecheck bench soak faults wrk translations catalog clean e2e-deps

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

translations: $(VENV)/.runtime
	$(BIN)/pybabel -q compile -d lms/translations

## Serve the demo on http://127.0.0.1:$(PORT) with gunicorn and a background-job worker
## (scripts/run.sh; Ctrl-C stops both). SQLite under instance/ (data and job queue) unless
## DATABASE_URL / REDIS_URL are set. Idempotent: migrations and demo data only when missing.
JOB_WORKERS ?= 2
run: $(VENV)/.runtime translations
	LMS_ENV=$${LMS_ENV:-development} LMS_DEMO=$${LMS_DEMO:-1} $(BIN)/flask db upgrade
	LMS_ENV=$${LMS_ENV:-development} LMS_DEMO=$${LMS_DEMO:-1} $(BIN)/flask lms seed-demo
	LMS_ENV=$${LMS_ENV:-development} LMS_DEMO=$${LMS_DEMO:-1} PORT=$(PORT) \
	  WORKERS=$(WORKERS) JOB_WORKERS=$(JOB_WORKERS) BIN=$(BIN) scripts/run.sh

## The whole suite: lint, type check, unit, web, simulation, security (and e2e when
## Chromium is present).
test: $(VENV)/.dev translations
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

## The fast part, for the edit-test loop: lint and every test not marked slow or e2e.
test-fast: $(VENV)/.dev translations
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not slow and not e2e"

typecheck: $(VENV)/.dev
	$(BIN)/mypy

lint: $(VENV)/.dev
	$(BIN)/ruff check .

## Benchmarks, written to docs/BENCHMARKS.md: the web pages under wrk against gunicorn on
## loopback, on SQLite and on a throwaway PostgreSQL database (lms_bench, dropped after), each
## seeded with `flask lms seed-bench --employees $(BENCH_EMPLOYEES)`; then the simulation engine.
BENCH_EMPLOYEES ?= 5000
bench: $(VENV)/.dev translations wrk
	$(BIN)/python benchmarks/web_bench.py --employees $(BENCH_EMPLOYEES) --write-docs
	$(BIN)/python benchmarks/sim_bench.py

## 10 minutes of mixed load on PostgreSQL: errors and memory per worker over time.
soak: $(VENV)/.dev translations wrk
	$(BIN)/python benchmarks/web_bench.py --db postgresql --employees $(BENCH_EMPLOYEES) \
	  --soak 600 --write-docs

## Faults under load: database connections killed, a worker killed, two app servers; then
## background jobs scaled out (two servers, two job workers, PostgreSQL + Redis, a job
## worker killed in the middle of a 20,000-row roster import).
faults: $(VENV)/.dev translations wrk
	$(BIN)/python benchmarks/faults.py --write-docs
	$(BIN)/python benchmarks/jobs_faults.py --write-docs

wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

## Refresh the message catalogs after changing user-facing strings.
catalog: $(VENV)/.dev
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --ignore-dirs=.venv -o lms/translations/messages.pot .
	$(BIN)/pybabel -q update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching
	$(BIN)/python scripts/i18n_fill.py   # en = msgids; add Chinese with: scripts/i18n_fill.py zh.py

clean:
	rm -rf $(VENV) instance/lms.sqlite test-artifacts

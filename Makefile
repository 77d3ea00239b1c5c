# Umka: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-fast e2e lint format install messages demo clean bench bench-booking \
	bench-chat bench-import bench-schedule bench-demo bench-assignments bench-materials \
	bench-forum bench-serving bench-scale bench-webinar bench-faults bench-reports

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Umka needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	@$(BIN)/python scripts/compile_messages.py

## make run: install, migrate, load the demo school once, serve http://$(HOST):$(PORT)
run: $(STAMP) messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_demo_school
	SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py demo_live_room
	TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED:-0} HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) sh scripts/serve.sh

demo: $(STAMP) messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_school

## make test: the whole suite (unit, integration, browser tests when chromium is there)
test: $(STAMP) messages
	$(BIN)/python -m pytest --junitxml=reports/junit.xml $(PYTEST_ARGS)

test-fast: $(STAMP) messages
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

e2e: $(STAMP) messages
	$(BIN)/python -m pytest e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## benchmarks: each prints its figures (see README, "Benchmarks")
bench: bench-import bench-schedule bench-demo

bench-import: $(STAMP) messages
	$(BIN)/python bench/import_bench.py

bench-schedule: $(STAMP) messages
	$(BIN)/python bench/public_schedule_bench.py

bench-demo: $(STAMP) messages
	$(BIN)/python bench/demo_load_bench.py

## make bench-booking: the booking rush over HTTP on a throwaway PostgreSQL database
bench-booking: $(STAMP) messages
	$(BIN)/python bench/booking_rush.py $(BENCH_ARGS)

## make bench-chat: chat fan-out, one sender to 100 clients in one room, two uvicorn
## processes, then two daphne, on the Redis channel layer (needs Redis; flushes its
## database 9)
bench-chat: $(STAMP) messages
	$(BIN)/python bench/chat_fanout.py $(BENCH_ARGS)

## make bench-assignments: a class of 30 submitting a 20-question e-assignment at
## once on a throwaway PostgreSQL database, scoring 10,000 submissions, page queries
bench-assignments: $(STAMP) messages
	$(BIN)/python bench/assignments_bench.py $(BENCH_ARGS)

## make bench-materials: 20,000 learning materials, the list and search p95 on a
## temporary SQLite file and a throwaway PostgreSQL database, query counts constant
bench-materials: $(STAMP) messages
	$(BIN)/python bench/materials_bench.py $(BENCH_ARGS)

## make bench-forum: a 2,000-post thread's pages (queries, p95) and 30 people posting
## in one thread for 60 s over HTTP on a throwaway PostgreSQL database
bench-forum: $(STAMP) messages
	$(BIN)/python bench/forum_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var

## make bench-serving: `make run`'s server against the production recipe (gunicorn,
## deploy/) on the demo school, PostgreSQL and Redis (flushes its database 11)
bench-serving: $(STAMP) messages
	$(BIN)/python bench/serving_bench.py $(BENCH_ARGS)

## make bench-scale: the demo school ×10 on a throwaway PostgreSQL database, the
## twenty busiest pages: p95 and queries against one school
bench-scale: $(STAMP) messages
	$(BIN)/python bench/scale_bench.py $(BENCH_ARGS)

## make bench-webinar: one presenter (Chromium, fake camera) and 10, 25, 50 aiortc
## viewers through Janus in a network namespace of its own (root; pip install aiortc)
bench-webinar: $(STAMP) messages
	$(BIN)/python bench/webinar_bench.py $(BENCH_ARGS)

## make bench-faults: Redis stopped mid-chat, PostgreSQL restarted mid-rush, the worker
## killed mid-import, on throwaway servers of its own (initdb, redis-server)
bench-faults: $(STAMP) messages
	$(BIN)/python bench/faults.py $(BENCH_ARGS)
## make compliance: the compliance report (R14) — each clause, its rules, its tests and
## the last `make test` run's results; fails when a requirement R1–R13 has no test
.PHONY: compliance
compliance: $(STAMP) messages
	$(BIN)/python manage.py compliance_report $(COMPLIANCE_ARGS)
## make bench-reports: the year's reports (each section, the page, XLSX, PDF, the
## dashboard) over the demo school ×10 on a throwaway PostgreSQL database
bench-reports: $(STAMP) messages
	$(BIN)/python bench/reports_bench.py $(BENCH_ARGS)

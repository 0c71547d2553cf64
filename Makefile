# The README's two commands: `make run` (set up + seeded demo server) and `make test` (the whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# make test runs against the real services; override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zhengzhou_grants
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# the suite runs in TEST_WORKERS processes (pytest-xdist), each with its own test database and Redis databases;
# tests of one xdist_group run one after another in one process. PYTEST_ARGS="-n 0" runs it in one process.
TEST_WORKERS ?= 2
PYTEST_ARGS ?= -n $(TEST_WORKERS) --dist loadgroup

.PHONY: deps venv run setup test lint bench bench-scale worker beat messages clean

deps:
	@bash scripts/system_deps.sh

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(bash scripts/find_python.sh)" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

messages: venv
	$(PY) manage.py compilemessages -l zh_Hans -v0 --ignore=.venv

setup: deps venv messages
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo

run: setup
	@echo ""
	@echo "== Demo logins (password for all: Zz-Demo-2021) =="
	@echo "  企业用户 demo_enterprise | 县区工信部门 demo_county | 市工信局 demo_city* | 评审专家 demo_expert"
	@echo "  第三方审计 demo_auditor | 财政经办 demo_fin_prep* | 财政审核 demo_fin_appr* | 领导 demo_official | 管理员 demo_admin*"
	@echo "  * two-factor: the current code is printed by  $(PY) manage.py demo_totp <username>"
	@echo "== Serving http://$(HOST):$(PORT)/ (a background worker runs the jobs and the daily reminders) =="
	VENV=$(VENV) HOST=$(HOST) PORT=$(PORT) bash scripts/run_embedded.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache  # the import direction (pyproject.toml [tool.importlinter])

test: deps venv messages lint
	-@createdb -h 127.0.0.1 -U postgres zhengzhou_grants 2>/dev/null
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	  $(PY) manage.py makemigrations --check --dry-run -v1 --settings=zhengzhou_grants.settings.test
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	  $(PY) -m pytest $(PYTEST_ARGS)

# make bench: PostgreSQL on 127.0.0.1 when it answers (else in-memory SQLite, said in the output)
bench: setup
	$(PY) benchmarks/run.py

# make bench-scale: the same pages at 100, 10,000 and 1,000,000 applications (seeded by SQL in about 2 min)
bench-scale: setup
	BENCH_SIZES=$${BENCH_SIZES:-100,10000,1000000} BENCH_REQUESTS=$${BENCH_REQUESTS:-40} $(PY) benchmarks/run.py

worker: venv
	$(VENV)/bin/celery -A zhengzhou_grants worker -l info

beat: venv
	$(VENV)/bin/celery -A zhengzhou_grants beat -l info

clean:
	rm -rf var/celery-broker.sqlite3 var/celerybeat-schedule* var/db.sqlite3 var/media var/test-media var/staticfiles test-artifacts

# Fault injection (benchmarks/faults/run.py) and load (benchmarks/load/run.py) against the real services on
# loopback: PostgreSQL 127.0.0.1:5432 (databases zz_fault / zz_load) and Redis (db 7); see benchmarks/README.md.
.PHONY: faults load bench-throughput bench-exports
faults: venv messages
	$(PY) benchmarks/faults/run.py

load: venv messages
	$(PY) benchmarks/load/run.py

# the application and payment export jobs vs raw openpyxl on the same cells, and their peak memory
bench-exports: venv messages
	$(PY) benchmarks/exports.py

# city list vs floor requests/s: gunicorn 2 workers, 10 connections (benchmarks/throughput.py)
bench-throughput: venv messages
	$(PY) benchmarks/throughput.py

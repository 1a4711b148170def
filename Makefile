# Veche: `make up` runs the platform with demo data; `make test` runs the whole test suite.
SHELL := /bin/bash
PYTHON ?= python3.11
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8
VENV := .venv
LOCALDB := .build/localdb
LOCALDB_SRC := $(wildcard deploy/localdb/*.go) deploy/localdb/go.mod deploy/localdb/go.sum
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: install up test lint demo-votes localdb clean chromium promtool bench bench-smoke bench-tools

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml */pyproject.toml services/*/pyproject.toml
	$(UV) sync --frozen --quiet
	touch $@

$(LOCALDB): $(LOCALDB_SRC)
	cd deploy/localdb && go build -trimpath -o ../../$(LOCALDB) .

localdb: $(LOCALDB)

# the browser tests drive Debian's Chromium (Playwright's own browser downloads are not used)
chromium:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# promtool checks and unit-tests the alert rules (deploy/observability/)
promtool:
	@command -v promtool >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus)

install: $(VENV)/.synced $(LOCALDB) chromium promtool

up: install
	VECHE_ENVIRONMENT=dev $(VENV)/bin/veche up $(if $(OBS),--obs)

test: install
	VECHE_ENVIRONMENT=test $(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

demo-votes: install
	$(VENV)/bin/veche demo-votes

# Benchmarks (bench/README.md): wrk and redis-server from Debian, the `bench` dependency group from uv.lock.
bench-tools: install
	@command -v wrk >/dev/null && command -v redis-server >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk redis-server; }
	$(UV) sync --frozen --quiet --group bench

bench: bench-tools
	$(VENV)/bin/python -m bench.run

bench-smoke: bench-tools
	$(VENV)/bin/python -m bench.run --smoke

clean:
	rm -rf $(VENV) $(TOOLS) .build

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

.PHONY: install up test lint demo-votes localdb clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml */pyproject.toml services/*/pyproject.toml
	$(UV) sync --frozen --quiet
	touch $@

$(LOCALDB): $(LOCALDB_SRC)
	cd deploy/localdb && go build -trimpath -o ../../$(LOCALDB) .

localdb: $(LOCALDB)

install: $(VENV)/.synced $(LOCALDB)

up: install
	$(VENV)/bin/veche up $(if $(OBS),--obs)

test: install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

demo-votes: install
	$(VENV)/bin/veche demo-votes

clean:
	rm -rf $(VENV) $(TOOLS) .build

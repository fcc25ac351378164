# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test bench install lint clean chromium

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(FLASK) board init
	$(FLASK) board demo
	@echo "Serving Board on http://127.0.0.1:5000 (Ctrl-C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000

# Browser tests drive Debian's Chromium; install it when it is missing (never a downloaded build).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Chromium from Debian's packages"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) chromium lint
	$(BIN)/python -m pytest

# The peer Isso 0.14.0 lives in its own ignored virtualenv (SPEC 8 compares Board with it).
ISSO_VENV := bench/.peers/isso-venv
$(ISSO_VENV)/.installed:
	test -x $(ISSO_VENV)/bin/python || $(PYTHON) -m venv $(ISSO_VENV)
	$(ISSO_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'isso==0.14.0' 'gunicorn>=23,<24'
	touch $@

# Screening, HTTP side by side with Isso (SQLite and PostgreSQL), queue scaling: ~6 minutes.
bench: $(STAMP) $(ISSO_VENV)/.installed
	timeout 1200 $(BIN)/python bench/run.py

# Type-checks the whole package (setup.cfg); part of make test.
lint: $(STAMP)
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .hypothesis *.egg-info

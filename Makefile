# Hall Counter: set-up, run and test on a Debian machine.
#   make run    set everything up and start the app in training mode
#   make test   set everything up (system packages included) and run the whole suite

SHELL := /bin/bash
UV := $(shell scripts/ensure-uv.sh 2>/dev/null || echo uv)
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test setup system venv translations pcscd lint format clean

run: setup
	$(VENV)/bin/hall-counter --training

test: setup pcscd
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	HALL_COUNTER_NO_SKIP=1 QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -n auto --dist loadgroup --durations=40

setup: system venv translations

system:
	scripts/setup-system.sh

venv:
	$(UV) sync --frozen

translations: venv
	$(PY) -m ui.qt.i18n build

pcscd: system
	scripts/start-pcscd.sh

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

include installer/make.mk

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist

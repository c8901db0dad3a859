# The two quick-start commands: `make run` and `make test`. Both set up first.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test bench

setup:
	@scripts/setup.sh

run: setup
	$(BIN)/psc-looper run

test:
	@scripts/setup.sh --system
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m bench

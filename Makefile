# The quick start: `make demo` (the main job) and `make test`. Each sets up first.
# `make run` plays live with a keyboard and controller; `make bench` runs the benchmarks.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo run test bench

setup:
	@scripts/setup.sh

demo: setup
	$(BIN)/psc-looper demo

run: setup
	$(BIN)/psc-looper run

test:
	@scripts/setup.sh --test
	$(BIN)/ruff check .
	$(BIN)/mypy psc_looper
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m bench

# Everything a fresh machine needs: `make demo` (install + scan the bundled example) and
# `make test` (install + lint + type check + the whole test suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: cargo install install-dev lexicon demo test lint typecheck benchmark fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The native core (native/, Rust) is compiled during the install: say so plainly when cargo is missing.
cargo:
	@command -v cargo >/dev/null 2>&1 || { echo "forewarn: building the native core needs Rust's cargo (https://rustup.rs)" >&2; exit 1; }

install: cargo $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-dev: cargo $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'

# Compile src/forewarn/detectors/data/lexicon.json into lexicon.compiled.json (run after editing it).
lexicon: install
	$(BIN)/python -m forewarn.detectors.lexicon.build

demo: install
	$(BIN)/forewarn scan examples/the-lighthouse-keeper.txt

lint: install-dev
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	cargo fmt --manifest-path native/Cargo.toml --check
	cargo clippy --quiet --manifest-path native/Cargo.toml -- -D warnings

typecheck: install-dev
	$(BIN)/mypy

test: lint typecheck
	cargo test --quiet --manifest-path native/Cargo.toml
	$(BIN)/python -m pytest

# 10,000 hostile inputs through every reader and the CLI; new crashes and hangs are kept as
# regression cases under tests/regressions/fuzz (replayed by tests/test_fuzz.py).
FUZZ_CASES ?= 10000
fuzz: install-dev
	$(BIN)/python -m tests.fuzz.harness --cases $(FUZZ_CASES) --save tests/regressions/fuzz

benchmark: install
	$(BIN)/python benchmarks/bench_speed.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache native/target src/forewarn/_native*.so
